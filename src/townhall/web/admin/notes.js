// Private notes on a reader, and warnings the reader must acknowledge before posting again.
import { get, post } from './api.js';
import { field, h } from './dom.js';
import { t, when } from './i18n.js';

export async function notesSection(ui, user, redraw) {
  let notes = [];
  try { ({ notes } = await get(`/api/v1/moderation/users/${user.id}/notes`)); } catch (err) { ui.fail(err); }
  const text = h('textarea', { name: 'text', rows: '3', maxlength: '1000' });
  const warn = h('input', { type: 'checkbox', name: 'warning' });
  const form = h('form', { 'aria-label': t('notes.form') },
    field(t('notes.text'), text), field(t('notes.warn'), warn),
    h('button', { type: 'submit', text: t('notes.save') }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!text.value.trim()) return;
    try {
      await post(`/api/v1/moderation/users/${user.id}/notes`, { text: text.value.trim(), warning: warn.checked });
      ui.announce(t(warn.checked ? 'notes.warned' : 'notes.saved'));
      await redraw();
    } catch (err) { ui.fail(err); }
  });
  const items = notes.length ? h('ul', { class: 'plain notes' }, ...notes.map((n) => h('li', {},
    h('span', { class: `chip${n.kind === 'warning' ? ' warn' : ''}`, text: t(`notes.kind.${n.kind}`) }), ' ',
    n.text, ' ',
    h('span', { class: 'meta', text: t('notes.by', { name: n.by || t('user.system'), when: when(n.created_at) }) }),
    n.kind === 'warning' ? h('span', { class: 'meta', text: ` · ${n.acknowledged_at
      ? t('notes.acknowledged', { when: when(n.acknowledged_at) }) : t('notes.unread')}` }) : null)))
    : h('p', { class: 'meta', text: t('notes.none') });
  return [h('h2', { text: t('notes.title') }), items, form];
}
