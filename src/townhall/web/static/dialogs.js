// Confirmation dialogs for the comment widget, loaded on first use.
// Native <dialog> + showModal(): the browser traps focus and closes on Escape.

let seq = 0;

function el(tag, props, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat()) if (kid != null) node.append(kid);
  return node;
}

/**
 * Ask for confirmation inside `root` (a shadow root).
 * Resolves to null when cancelled, or {reason, note} (report) / true (other) when confirmed.
 */
export function confirm(root, { title, text, action, danger = false, reasons = null, invoker = null }) {
  const id = `th-dlg-${++seq}`;
  const cancel = el('button', { type: 'button', part: 'button', class: 'secondary', value: 'cancel' }, 'Cancel');
  const ok = el('button', { type: 'submit', part: 'button', class: danger ? 'danger-btn' : 'primary', value: 'ok' }, action);
  const form = el('form', { method: 'dialog' });
  let note = null;
  if (reasons && reasons.length) {
    const set = el('fieldset', null, el('legend', null, 'Why are you reporting this comment?'));
    reasons.forEach((r, i) => {
      const rid = `${id}-r${i}`;
      set.append(el('div', { class: 'opt' },
        el('input', { type: 'radio', name: 'reason', id: rid, value: r.id, checked: i === 0 }),
        el('label', { for: rid }, r.label)));
    });
    note = el('textarea', { id: `${id}-note`, rows: '3', maxlength: '500' });
    form.append(set, el('label', { for: `${id}-note`, class: 'note-label' }, 'Add a note (optional)'), note);
  }
  form.append(el('div', { class: 'btns' }, cancel, ok));
  const dlg = el('dialog', { part: 'dialog', 'aria-labelledby': `${id}-t`, 'aria-describedby': `${id}-d` },
    el('h2', { id: `${id}-t` }, title), el('p', { id: `${id}-d` }, text), form);
  root.append(dlg);
  return new Promise((resolve) => {
    let result = null;
    cancel.addEventListener('click', () => dlg.close());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (note) {
        const picked = form.querySelector('input[name=reason]:checked');
        result = { reason: picked ? picked.value : 'other', note: note.value.trim() };
      } else result = true;
      dlg.close();
    });
    dlg.addEventListener('close', () => {
      dlg.remove();
      if (invoker && invoker.isConnected) invoker.focus();
      resolve(result);
    });
    dlg.showModal();
    // Destructive actions start on the safe choice.
    if (danger || !note) cancel.focus();
  });
}
