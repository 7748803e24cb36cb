// The user pages: search by name or e-mail, then one user's status, history and comments.
import { banUser, restoreUser, shadowbanUser, standing, suspendUser } from './actions.js';
import { get, patch, query } from './api.js';
import { renderCard } from './cards.js';
import { append, clear, field, h, when } from './dom.js';

function summary(s) {
  if (!s) return '';
  return `${s.comments} comments, ${s.published} published, ${s.pending} pending, `
    + `${s.rejected} rejected, ${s.reports} reports against`;
}

export async function usersView(ui, root, params) {
  const q = h('input', { type: 'search', name: 'q', value: params.q || '', id: 'user-search' });
  const form = h('form', { role: 'search', 'aria-label': 'Users' },
    field('Name or e-mail', q), h('button', { type: 'submit', text: 'Search' }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ui.go(`#/users${query({ q: q.value.trim() })}`);
  });
  const results = h('div', { 'aria-live': 'polite' });
  clear(root).append(h('h1', { text: 'Users' }), form, results);
  try {
    const { users } = await get(`/api/v1/moderation/users${query({ q: params.q })}`);
    if (!users.length) { results.append(h('p', { class: 'empty', text: 'No users found.' })); return; }
    results.append(h('table', {},
      h('caption', { text: params.q ? `Users matching “${params.q}”` : 'Newest users' }),
      h('thead', {}, h('tr', {}, ...['Name', 'E-mail', 'Role', 'Status', 'History']
        .map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, ...users.map((u) => h('tr', {},
        h('td', {}, h('a', { href: `#/users/${u.id}`, text: u.name || '(no name yet)' })),
        h('td', { text: u.email || '' }),
        h('td', { text: u.role }),
        h('td', { text: [u.status, ...(u.is_shadowbanned ? ['shadow-banned'] : [])].join(', ') }),
        h('td', { text: summary(u.history) }))))));
  } catch (err) { ui.fail(err); }
}

export async function userView(ui, root, id) {
  clear(root).append(h('p', { text: 'Loading…' }));
  let data;
  try { data = await get(`/api/v1/moderation/users/${id}`); } catch (err) { ui.fail(err); return; }
  const u = data.user;
  const name = u.name || u.email || `user ${u.id}`;
  const redraw = () => userView(ui, root, id);
  const act = (fn) => async () => { if (await fn(ui, u)) await redraw(); };
  const status = [u.status === 'active' ? 'Active' : u.status, ...standing(u)];
  const buttons = h('div', { class: 'actions' });
  if (u.role === 'commenter') {
    if (!u.is_banned) buttons.append(h('button', { type: 'button', class: 'secondary', onclick: act(banUser) }, 'Ban user'));
    buttons.append(h('button', { type: 'button', class: 'secondary', onclick: act(suspendUser) }, 'Suspend'));
    if (!u.is_shadowbanned) buttons.append(h('button', { type: 'button', class: 'secondary', onclick: act(shadowbanUser) }, 'Shadow-ban'));
    if (u.is_banned || u.is_shadowbanned || u.status === 'suspended') {
      buttons.append(h('button', { type: 'button', onclick: act(restoreUser) }, 'Restore'));
    }
  }
  let adminForm = null;
  if (ui.me.role === 'admin' && u.id !== ui.me.id) {
    const role = h('select', { name: 'role' }, ...['commenter', 'moderator', 'admin']
      .map((r) => h('option', { value: r, text: r })));
    role.value = u.role;
    const premium = h('input', { type: 'checkbox', name: 'premium', checked: u.premium });
    adminForm = h('form', { 'aria-label': 'Role and subscription', class: 'inline' },
      field('Role', role), field('Premium subscriber', premium),
      h('button', { type: 'submit', text: 'Save role and premium' }));
    adminForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await patch(`/api/v1/moderation/users/${u.id}`, { role: role.value, premium: premium.checked });
        ui.announce(`Saved ${name}: ${role.value}${premium.checked ? ', premium' : ''}.`);
        await redraw();
      } catch (err) { ui.fail(err); }
    });
  }
  const actions = data.actions.length ? h('ol', { class: 'log' }, ...data.actions.map((a) => h('li', {},
    h('time', { datetime: a.created_at, text: when(a.created_at) }), ` ${a.action} by ${a.actor_name || 'system'}`,
    a.after && a.after.reason ? ` – ${a.after.reason}` : ''))) : h('p', { class: 'meta', text: 'No actions yet.' });
  const comments = h('div', { class: 'cards' }, ...data.comments.map((c) => renderCard(c, { selectable: false })));
  if (!data.comments.length) comments.append(h('p', { class: 'empty', text: 'No comments.' }));
  const heading = h('h1', { tabindex: '-1', text: name });
  append(clear(root), [
    h('p', {}, h('a', { href: '#/users', text: '← All users' })),
    heading,
    h('dl', { class: 'facts' },
      h('dt', { text: 'E-mail' }), h('dd', { text: u.email || '–' }),
      h('dt', { text: 'Role' }), h('dd', { text: u.role + (u.premium ? ', premium subscriber' : '') }),
      h('dt', { text: 'Status' }), h('dd', { text: status.join(' · ') }),
      h('dt', { text: 'History' }), h('dd', { text: summary(u.history) }),
      h('dt', { text: 'Joined' }), h('dd', { text: when(u.created_at) })),
    buttons, adminForm,
    h('p', {}, h('a', { href: `#/queue/all${query({ user_id: u.id })}`, text: 'Open their comments in the queue' })),
    h('h2', { text: 'Actions on this account' }), actions,
    h('h2', { text: 'Comments across stories' }), comments]);
  heading.focus();
}
