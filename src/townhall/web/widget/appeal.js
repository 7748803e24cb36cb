// The author's side of a removal, in their own space: why the comment was removed (the
// statement of reasons: guideline, facts, automated or by a moderator) and, once, an appeal
// that a moderator other than the one who decided reviews. What the server says is set as
// text, never as markup.
import { btn, h, uid } from './dom.js';

/** "Why was this removed?" under a removed comment `c`: the statement loads when opened. */
export function whyRemoved(w, c) {
  const panel = h('div', { class: 'statement' });
  return h('details', {
    class: 'why-best',
    ontoggle: async (e) => {
      if (!e.currentTarget.open) return;
      try {
        render(w, panel, c.id, await w.call(`/comments/${c.id}/statement`));
      } catch (x) {
        panel.replaceChildren(h('p', { class: 'err', role: 'alert' }, w.i18n.problemText(x, 'statement')));
      }
    },
  }, h('summary', null, w.i18n.t('appeal.why')), panel);
}

/** The statement of reasons `s` in plain words, with the appeal's status or the Appeal button. */
function render(w, panel, id, s) {
  const { has, t } = w.i18n;
  // "other" reads as a promise to check: a person's removal without a named guideline says
  // a moderator found it broke the guidelines.
  const g = s.guideline !== 'other' && has(`why.${s.guideline}`) ? `why.${s.guideline}` : !s.automated && 'why.moderator';
  const ta = h('textarea', { id: uid(), maxlength: s.appeal_max, part: 'textarea' });
  const count = h('span', { id: uid(), class: 'counter' });
  const err = h('p', { class: 'err', role: 'alert' });
  ta.setAttribute('aria-describedby', count.id);
  const upd = () => { count.textContent = t('compose.left', { count: s.appeal_max - ta.value.length }); };
  ta.oninput = upd;
  upd();
  const form = h('form', { class: 'composer', 'aria-label': t('appeal.form'), novalidate: true },
    h('label', { for: ta.id }, t('appeal.label')), ta,
    h('div', { class: 'row' }, count, h('span', { class: 'grow' }),
      btn(t('compose.cancel'), { class: 'secondary', onclick: () => { form.replaceWith(open); open.focus(); } }),
      h('button', { type: 'submit', part: 'button', class: 'primary' }, t('appeal.send'))),
    err);
  // Appeal opens the form in its place; Cancel puts the button back.
  const open = s.can_appeal && btn(t('appeal.open'), { class: 'secondary', onclick: () => { open.replaceWith(form); ta.focus(); } });
  form.onsubmit = async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      if (!ta.value.trim()) throw { code: 'validation', field: 'text', rule: 'required' };
      await w.call(`/comments/${id}/appeal`, { method: 'POST', body: { text: ta.value } });
    } catch (x) {
      err.textContent = w.i18n.problemText(x, 'appeal');
      return;
    }
    const done = h('p', { class: 'appeal-status', tabindex: '-1' }, t('appeal.sent'));
    form.replaceWith(done);
    done.focus();
  };
  panel.replaceChildren(
    h('p', null, t(s.automated ? 'appeal.byChecks' : 'appeal.byModerator', { date: w.i18n.fullDate(s.decided_at) })),
    g && h('p', null, t(g)),
    s.facts && h('p', { dir: 'auto' }, t('appeal.facts', { facts: s.facts })),
    // A decided appeal reads as the notification that announced it.
    s.appeal && h('p', { class: 'appeal-status' }, t({ open: 'appeal.pending', upheld: 'bell.appealUpheld' }[s.appeal.status] || 'bell.appealOverturned')),
    open);
}
