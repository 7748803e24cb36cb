// Appeals against removals: the author's words beside the comment, and the decision. The
// server never lists a moderator's own decisions here, and refuses them if tried.
import { get, post, query } from './api.js';
import { renderCard } from './cards.js';
import { clear, field, h } from './dom.js';
import { t, when } from './i18n.js';

const STATUSES = ['open', 'upheld', 'overturned'];

export async function appealsView(ui, root, params) {
  const status = STATUSES.includes(params.status) ? params.status : 'open';
  clear(root).append(h('p', { text: t('user.loading') }));
  let data;
  try { data = await get(`/api/v1/moderation/appeals${query({ status })}`); } catch (err) { ui.fail(err); return; }
  const pick = h('select', { name: 'status' }, ...STATUSES.map((s) => h('option', { value: s, text: t(`appeals.${s}`) })));
  pick.value = status;
  pick.addEventListener('change', () => ui.go(`#/appeals?status=${pick.value}`));
  const list = h('div', { class: 'cards' });
  for (const a of data.appeals) {
    const reason = h('input', { type: 'text', name: 'reason', maxlength: '500' });
    const decide = (outcome) => async () => {
      try {
        await post(`/api/v1/moderation/appeals/${a.id}/decide`, { outcome, reason: reason.value.trim() || null });
        ui.announce(t(outcome === 'overturn' ? 'appeals.overturnedDone' : 'appeals.upheldDone'));
        await appealsView(ui, root, params);
      } catch (err) { ui.fail(err); }
    };
    const box = h('div', { class: 'appeal' },
      h('p', { class: 'why' }, h('strong', { text: t('appeals.text') }), ' ', a.text),
      h('p', { class: 'meta', text: t('appeals.filed', { when: when(a.created_at) }) }),
      a.outcome_reason ? h('p', { class: 'meta', text: a.outcome_reason }) : null,
      renderCard(a.comment, { selectable: false }),
      a.status === 'open' ? h('div', { class: 'inline' }, field(t('appeals.reason'), reason),
        h('button', { type: 'button', class: 'approve', onclick: decide('overturn'), text: t('appeals.overturn') }),
        h('button', { type: 'button', class: 'reject', onclick: decide('uphold'), text: t('appeals.uphold') })) : null);
    list.append(box);
  }
  if (!data.appeals.length) list.append(h('p', { class: 'empty', text: t('appeals.empty') }));
  clear(root).append(h('h1', { text: t('appeals.title') }),
    h('form', { class: 'inline', 'aria-label': t('appeals.status') }, field(t('appeals.status'), pick)), list);
}
