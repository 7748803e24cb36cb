// Account actions shared by comment cards and the user page.
import { post } from './api.js';
import { askBan, askShadowban, askSuspend } from './dialogs.js';

const label = (user) => user.name || user.email || `user ${user.id}`;

export async function banUser(ui, user, comment = null) {
  if (!(await askBan(label(user), Boolean(comment)))) return null;
  try {
    const out = await post(`/api/v1/moderation/users/${user.id}/ban`, {});
    if (comment && comment.status !== 'rejected') {
      await post(`/api/v1/moderation/comments/${comment.id}/reject`, { reason: 'Author banned' });
    }
    ui.announce(`${label(user)} banned.`);
    return out;
  } catch (err) { ui.fail(err); return null; }
}

export async function suspendUser(ui, user) {
  const answer = await askSuspend(label(user));
  if (!answer) return null;
  try {
    const out = await post(`/api/v1/moderation/users/${user.id}/suspend`, answer);
    ui.announce(`${label(user)} suspended until ${new Date(out.suspended_until).toLocaleString()}.`);
    return out;
  } catch (err) { ui.fail(err); return null; }
}

export async function shadowbanUser(ui, user) {
  if (!(await askShadowban(label(user)))) return null;
  try {
    const out = await post(`/api/v1/moderation/users/${user.id}/shadowban`, {});
    ui.announce(`${label(user)} shadow-banned.`);
    return out;
  } catch (err) { ui.fail(err); return null; }
}

export async function restoreUser(ui, user) {
  try {
    const out = await post(`/api/v1/moderation/users/${user.id}/restore`);
    ui.announce(`${label(user)} restored: no ban, suspension or shadow-ban.`);
    return out;
  } catch (err) { ui.fail(err); return null; }
}

export function standing(user) {
  const out = [];
  if (user.is_banned) out.push('Banned');
  if (user.suspended_until && new Date(user.suspended_until) > new Date()) {
    out.push(`Suspended until ${new Date(user.suspended_until).toLocaleString()}`);
  }
  if (user.is_shadowbanned) out.push('Shadow-banned');
  return out;
}
