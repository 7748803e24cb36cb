// The user pages: search by name or e-mail, then one user's status, history and comments.
import { banUser, eraseUser, restoreUser, shadowbanUser, standing, suspendUser } from './actions.js';
import { api, get, patch, query } from './api.js';
import { renderCard } from './cards.js';
import { append, clear, field, h } from './dom.js';
import { label, t, when } from './i18n.js';

function summary(s) {
  if (!s) return '';
  return t('users.summary', {
    comments: t('count.comments', { count: s.comments }),
    published: t('count.published', { count: s.published }),
    pending: t('count.pending', { count: s.pending }),
    rejected: t('count.rejected', { count: s.rejected }),
    reports: t('count.reportsAgainst', { count: s.reports }),
  });
}

const state = (status) => label(`state.${status}`, status);

export async function usersView(ui, root, params) {
  const q = h('input', { type: 'search', name: 'q', value: params.q || '', id: 'user-search' });
  const form = h('form', { role: 'search', 'aria-label': t('users.title') },
    field(t('users.search'), q), h('button', { type: 'submit', text: t('search') }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ui.go(`#/users${query({ q: q.value.trim() })}`);
  });
  const results = h('div', { 'aria-live': 'polite' });
  clear(root).append(h('h1', { text: t('users.title') }), form, results);
  try {
    const { users } = await get(`/api/v1/moderation/users${query({ q: params.q })}`);
    if (!users.length) { results.append(h('p', { class: 'empty', text: t('users.none') })); return; }
    results.append(h('table', {},
      h('caption', { text: params.q ? t('users.matching', { query: params.q }) : t('users.newest') }),
      h('thead', {}, h('tr', {}, ...['users.name', 'users.email', 'users.role', 'users.status', 'users.history']
        .map((id) => h('th', { scope: 'col', text: t(id) })))),
      h('tbody', {}, ...users.map((u) => h('tr', {},
        h('td', {}, h('a', { href: `#/users/${u.id}`, text: u.name || t('users.noName') })),
        h('td', { text: u.email || '' }),
        h('td', { text: label(`role.${u.role}`, u.role) }),
        h('td', { text: [state(u.status), ...(u.is_shadowbanned ? [t('state.shadowbanned')] : [])].join(', ') }),
        h('td', { text: summary(u.history) }))))));
  } catch (err) { ui.fail(err); }
}

export async function userView(ui, root, id) {
  clear(root).append(h('p', { text: t('user.loading') }));
  let data;
  try { data = await get(`/api/v1/moderation/users/${id}`); } catch (err) { ui.fail(err); return; }
  const u = data.user;
  const name = u.name || u.email || t('card.user', { id: u.id });
  const redraw = () => userView(ui, root, id);
  const act = (fn) => async () => { if (await fn(ui, u)) await redraw(); };
  const status = [state(u.status), ...standing(u)];
  const buttons = h('div', { class: 'actions' });
  if (u.role === 'commenter') {
    if (!u.is_banned) buttons.append(h('button', { type: 'button', class: 'secondary', onclick: act(banUser) }, t('ban')));
    buttons.append(h('button', { type: 'button', class: 'secondary', onclick: act(suspendUser) }, t('suspend')));
    if (!u.is_shadowbanned) buttons.append(h('button', { type: 'button', class: 'secondary', onclick: act(shadowbanUser) }, t('shadowban')));
    if (u.is_banned || u.is_shadowbanned || u.status === 'suspended') {
      buttons.append(h('button', { type: 'button', onclick: act(restoreUser) }, t('restore')));
    }
    // Not for an account already erased (it has neither name nor e-mail any more).
    if (u.name || u.email) buttons.append(h('button', { type: 'button', class: 'secondary', onclick: act(eraseUser) }, t('erase')));
  }
  // Any staff member names experts: a badge, and their replies answer Q&A questions.
  const expert = h('input', { type: 'checkbox', name: 'is_expert', checked: u.is_expert });
  expert.addEventListener('change', async () => {
    try {
      await api(expert.checked ? 'PUT' : 'DELETE', `/api/v1/moderation/users/${u.id}/expert`);
      ui.announce(t(expert.checked ? 'user.expertSaved' : 'user.expertRemoved', { name }));
    } catch (err) { expert.checked = !expert.checked; ui.fail(err); }
  });
  const expertField = field(t('user.expert'), expert, t('user.expertHint'));
  let adminForm = null;
  if (ui.me.role === 'admin' && u.id !== ui.me.id) {
    const role = h('select', { name: 'role' }, ...['commenter', 'moderator', 'admin']
      .map((r) => h('option', { value: r, text: t(`role.${r}`) })));
    role.value = u.role;
    const premium = h('input', { type: 'checkbox', name: 'premium', checked: u.premium });
    adminForm = h('form', { 'aria-label': t('user.roleForm'), class: 'inline' },
      field(t('users.role'), role), field(t('user.premiumField'), premium),
      h('button', { type: 'submit', text: t('user.save') }));
    adminForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await patch(`/api/v1/moderation/users/${u.id}`, { role: role.value, premium: premium.checked });
        ui.announce(t(premium.checked ? 'user.savedPremium' : 'user.saved', { name, role: t(`role.${role.value}`) }));
        await redraw();
      } catch (err) { ui.fail(err); }
    });
  }
  const actions = data.actions.length ? h('ol', { class: 'log' }, ...data.actions.map((a) => h('li', {},
    h('time', { datetime: a.created_at, text: when(a.created_at) }), ' ',
    t('user.actionBy', { action: a.action, name: a.actor_name || t('user.system') }),
    a.after && a.after.reason ? ` – ${a.after.reason}` : ''))) : h('p', { class: 'meta', text: t('user.noActions') });
  const comments = h('div', { class: 'cards' }, ...data.comments.map((c) => renderCard(c, { selectable: false })));
  if (!data.comments.length) comments.append(h('p', { class: 'empty', text: t('user.noComments') }));
  const heading = h('h1', { tabindex: '-1', text: name });
  append(clear(root), [
    h('p', {}, h('a', { href: '#/users', text: t('user.back') })),
    heading,
    h('dl', { class: 'facts' },
      h('dt', { text: t('users.email') }), h('dd', { text: u.email || '–' }),
      h('dt', { text: t('users.role') }), h('dd', { text: label(`role.${u.role}`, u.role) + (u.premium ? t('user.premium') : '') }),
      h('dt', { text: t('users.status') }), h('dd', { text: status.join(' · ') }),
      h('dt', { text: t('users.history') }), h('dd', { text: summary(u.history) }),
      h('dt', { text: t('user.joined') }), h('dd', { text: when(u.created_at) })),
    buttons, expertField, adminForm,
    h('p', {}, h('a', { href: `#/queue/all${query({ user_id: u.id })}`, text: t('user.openQueue') })),
    h('h2', { text: t('user.actions') }), actions,
    h('h2', { text: t('user.comments') }), comments]);
  heading.focus();
}
