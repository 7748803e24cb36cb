// Confirmation dialogs. Native <dialog> + showModal(): the browser traps
// focus and closes on Escape; focus goes back to the button that opened it.
import { h } from './dom.js';

let seq = 0;

/**
 * Ask for confirmation inside `root` (a shadow root), in the words of messages `m`. Resolves to null when cancelled, or to
 * {reason, note} (when `reasons` are offered) or true when confirmed.
 */
export function confirm(root, { has, t }, { title, text, action, danger = false, reasons = null, invoker = null }) {
  const id = `th-dlg-${++seq}`;
  const cancel = h('button', { type: 'button', part: 'button', class: 'secondary', value: 'cancel' }, t('cancel'));
  const ok = h('button', { type: 'submit', part: 'button', class: danger ? 'danger-btn' : 'primary', value: 'ok' }, action);
  const form = h('form', { method: 'dialog' });
  let note = null;
  if (reasons && reasons.length) {
    const set = h('fieldset', null, h('legend', null, t('report.why')));
    reasons.forEach((r, i) => {
      const rid = `${id}-r${i}`;
      const label = has(`reason.${r.id}`) ? t(`reason.${r.id}`) : r.label;
      set.append(h('div', { class: 'opt' },
        // Nothing is chosen for the reader: a default would be recorded as their reason.
        h('input', { type: 'radio', name: 'reason', id: rid, value: r.id }),
        h('label', { for: rid }, label)));
    });
    note = h('textarea', { id: `${id}-note`, rows: '3', maxlength: '500' });
    form.append(set, h('p', { id: `${id}-e`, class: 'err', role: 'alert' }),
      h('label', { for: `${id}-note`, class: 'note-label' }, t('report.note')), note);
  }
  form.append(h('div', { class: 'btns' }, cancel, ok));
  const dlg = h('dialog', { part: 'dialog', 'aria-labelledby': `${id}-t`, 'aria-describedby': `${id}-d` },
    h('h2', { id: `${id}-t` }, title), h('p', { id: `${id}-d` }, text), form);
  root.append(dlg);
  return new Promise((resolve) => {
    let result = null;
    cancel.addEventListener('click', () => dlg.close());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (note) {
        const picked = form.querySelector('input[name=reason]:checked');
        if (!picked) {
          form.querySelector(`#${id}-e`).textContent = t('report.choose');
          form.querySelector('input[name=reason]').focus();
          return;
        }
        if (picked.value === 'illegal' && !note.value.trim()) {
          // An illegal-content report must say why; moderators review it for the law.
          form.querySelector(`#${id}-e`).textContent = t('report.explain');
          note.focus();
          return;
        }
        result = { reason: picked.value, note: note.value.trim() };
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
