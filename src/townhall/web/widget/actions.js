// What the buttons under a comment do: like, reply, share, report, edit, delete.
import { needSignIn } from './account.js';
import * as composer from './composer.js';
import { confirm } from './dialogs.js';
import { problemText, t } from './messages.js';

/** Like or withdraw a like; the count comes from the server's answer. */
export async function toggleLike(w, c, button, label) {
  if (!w.user) { needSignIn(w, 'like'); return; }
  const on = button.getAttribute('aria-pressed') !== 'true';
  button.disabled = true;
  try {
    const r = await w.call(`/comments/${c.id}/like`, { method: on ? 'PUT' : 'DELETE' });
    c.like_count = r.like_count;
    c.liked_by_me = r.liked_by_me;
    button.setAttribute('aria-pressed', String(!!r.liked_by_me));
    label.textContent = t('likes', { count: r.like_count });
    w.announce(t(r.liked_by_me ? 'liked' : 'unliked'));
  } catch (x) {
    w.announce(problemText(x, 'like'), 'error');
  } finally {
    button.disabled = false;
    button.focus();
  }
}

/** Copy the comment's permalink (the story's address with #comment-ID). */
export async function share(w, c) {
  const base = (w.getAttribute('story-url') || location.href).split('#')[0];
  const link = `${base}#comment-${c.id}`;
  try {
    await navigator.clipboard.writeText(link);
    w.announce(t('copied'));
  } catch {
    w.announce(t('copyThis', { link }));
  }
}

/** Ask for a reason, then report; the button then reads "Reported" for good. */
export async function report(w, c, button) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  if (!w.user) { needSignIn(w, 'report'); return; }
  const choice = await confirm(w.root, {
    title: t('report.title'),
    text: t('report.question'),
    action: t('report'),
    reasons: w.site.report_reasons || [],
    invoker: button,
  });
  if (!choice) return;
  try {
    await w.call(`/comments/${c.id}/reports`, { method: 'POST', body: { reason: choice.reason, note: choice.note } });
    w.announce(t('report.thanks'));
  } catch (x) {
    if (x.code !== 'already-reported') { w.announce(problemText(x, 'report'), 'error'); return; }
    w.announce(problemText(x, 'report'));
  }
  c.reported_by_me = true;
  button.setAttribute('aria-disabled', 'true');
  button.setAttribute('aria-label', t('reported'));
  button.lastChild.textContent = t('reported');
  button.focus();
}

/** Ask first, then delete; a comment with replies stays as a tombstone. */
export async function remove(w, c, button) {
  const ok = await confirm(w.root, {
    title: t('delete.title'),
    text: t('delete.question'),
    action: t('delete'),
    danger: true,
    invoker: button,
  });
  if (!ok) return;
  try {
    await w.call(`/comments/${c.id}`, { method: 'DELETE' });
  } catch (x) {
    w.announce(problemText(x, 'delete'), 'error');
    button.focus();
    return;
  }
  const li = w.root.getElementById(`comment-${c.id}`);
  const hasReplies = li && (li.querySelector('ol.replies li') || c.reply_count > 0);
  if (c.status === 'published') w.bump(-1);
  w.announce(t('delete.done'));
  if (!li) return;
  if (hasReplies) {
    w.replace({ ...c, deleted: true, status: 'deleted', body_html: '', author: null });
    w.focusComment(li);
  } else {
    const next = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    if (next) w.focusComment(next); else w.listHead.focus();
    if (!w.list.children.length) w.load();
  }
}

/** Open the reply composer under comment `c` (signed-in readers with a name only). */
export function openReply(w, c, trigger) {
  const existing = trigger.closest('article').querySelector('.reply-box');
  if (existing) { existing.querySelector('textarea').focus(); return; }
  if (!w.user || !w.user.name) { needSignIn(w, 'reply'); return; }
  composer.openReply(w, c, trigger);
}

/** Open the editor for the reader's own comment `c`, within the edit window. */
export function openEdit(w, c, trigger) {
  composer.openEdit(w, c, trigger);
}
