// Account actions shared by comment cards and the user page.
import { post } from './api.js';
import { askBan, askErase, askShadowban, askSuspend } from './dialogs.js';
import { t, when } from './i18n.js';

const label = (user) => user.name || user.email || t('card.user', { id: user.id });

export async function banUser(ui, user, comment = null) {
  if (!(await askBan(label(user), Boolean(comment)))) return null;
  try {
    const out = await post(`/api/v1/moderation/users/${user.id}/ban`, {});
    if (comment && comment.status !== 'rejected') {
      await post(`/api/v1/moderation/comments/${comment.id}/reject`, { reason: t('ban.reason') });
    }
    ui.announce(t('done.banned', { name: label(user) }));
    return out;
  } catch (err) { ui.fail(err); return null; }
}

export async function suspendUser(ui, user) {
  const answer = await askSuspend(label(user));
  if (!answer) return null;
  try {
    const out = await post(`/api/v1/moderation/users/${user.id}/suspend`, answer);
    ui.announce(t('done.suspended', { name: label(user), when: when(out.suspended_until) }));
    return out;
  } catch (err) { ui.fail(err); return null; }
}

export async function shadowbanUser(ui, user) {
  if (!(await askShadowban(label(user)))) return null;
  try {
    const out = await post(`/api/v1/moderation/users/${user.id}/shadowban`, {});
    ui.announce(t('done.shadowbanned', { name: label(user) }));
    return out;
  } catch (err) { ui.fail(err); return null; }
}

export async function restoreUser(ui, user) {
  try {
    const out = await post(`/api/v1/moderation/users/${user.id}/restore`);
    ui.announce(t('done.restored', { name: label(user) }));
    return out;
  } catch (err) { ui.fail(err); return null; }
}

export async function eraseUser(ui, user) {
  const answer = await askErase(label(user));
  if (!answer) return null;
  try {
    const out = await post(`/api/v1/moderation/users/${user.id}/erase`, answer);
    ui.announce(t('done.erased', { name: label(user) }));
    return out;
  } catch (err) { ui.fail(err); return null; }
}

export function standing(user) {
  const out = [];
  if (user.is_banned) out.push(t('standing.banned'));
  if (user.suspended_until && new Date(user.suspended_until) > new Date()) {
    out.push(t('standing.suspended', { when: when(user.suspended_until) }));
  }
  if (user.is_shadowbanned) out.push(t('standing.shadowbanned'));
  return out;
}
