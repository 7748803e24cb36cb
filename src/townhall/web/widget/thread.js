// Rendering comments: threads with their first replies, nesting to three levels and flat below,
// tombstones, and each comment's row of actions. `w` is the <townhall-comments> element.
import { openEdit, openReply, remove, report, share, toggleLike } from './actions.js';
import { bodyFragment, btn, h, icon } from './dom.js';
import { countdown } from './clock.js';
import { explain, heldText } from './held.js';
import { pickBadge, pickNote, whyBest } from './editorial.js';
import { collapsed, isMuted, mute, unmute } from './mute.js';

/** A top-level comment with the replies that came with it and a "Show more replies" button. */
export function thread(w, c) {
  if (w.view === 'flat') return item(w, c, true);
  const li = item(w, c);
  const replies = c.replies || [];
  for (const r of replies) placeReply(w, li, r);
  const more = (c.reply_count || 0) - replies.length;
  if (more > 0) li.append(moreReplies(w, li, c, more));
  return li;
}

function moreReplies(w, li, c, more) {
  const { t } = w.i18n;
  const b = btn(t('moreReplies', { count: more }), { class: 'link more-replies' });
  // Kept on the button so a permalink search can open hidden replies too.
  b.open = async (focus = true) => {
    b.disabled = true;
    try {
      let cursor = '';
      let firstNew = null;
      do {
        const q = new URLSearchParams({ limit: '50' });
        if (cursor) q.set('cursor', cursor);
        const page = await w.call(`/comments/${c.id}/replies?${q}`);
        for (const r of page.comments) {
          if (w.seen.has(r.id)) continue;
          const el = placeReply(w, li, r);
          firstNew ||= el;
        }
        cursor = page.next_cursor;
      } while (cursor);
      b.remove();
      if (firstNew && focus) focusComment(firstNew);
    } catch {
      b.disabled = false;
      w.announce(t('repliesError'), 'error');
    }
  };
  b.addEventListener('click', () => b.open());
  return b;
}

/** Put reply `r` under its parent inside `rootLi`'s thread; deeper than three levels it stays flat. */
export function placeReply(w, rootLi, r) {
  const pid = `comment-${r.parent_id}`;
  // The thread may not be attached yet, so look inside it before the whole shadow root.
  const parent = (rootLi.id === pid ? rootLi : rootLi.querySelector(`#${pid}`)) ||
    w.root.getElementById(pid) || rootLi;
  const pDepth = Number(parent.dataset.depth || 0);
  const el = item(w, r, pDepth >= 3);
  const host = pDepth >= 3 ? parent.parentElement.closest('li') || rootLi : parent;
  let ol = host.querySelector(':scope > ol.replies');
  if (!ol) {
    ol = h('ol', { class: 'replies' });
    host.insertBefore(ol, host.querySelector(':scope > .more-replies'));
  }
  ol.append(el);
  return el;
}

function item(w, c, flat = false) {
  w.seen.add(c.id);
  w.comments.set(c.id, c);
  const depth = w.view === 'flat' ? 0 : Math.min(c.depth || 0, 3);
  const li = h('li', { id: `comment-${c.id}`, class: `c d${depth}`, 'data-depth': depth, 'data-id': c.id });
  li.append(article(w, c, flat));
  return li;
}

function article(w, c, flat) {
  const { ago, fullDate, t } = w.i18n;
  const gone = c.deleted || c.status === 'deleted' || !c.author ||
    (c.status === 'rejected' && !c.is_mine);
  // An account deleted with its comments kept: they stay, without the name.
  const name = c.author ? c.author.name || t('formerReader') : '';
  const lid = `th-l-${c.id}`;
  if (gone) {
    return h('article', { class: 'tomb', part: 'comment tombstone', 'aria-labelledby': lid },
      h('p', { id: lid }, t(c.status === 'rejected' ? 'removed'
        : c.deleted || c.status === 'deleted' ? 'deleted' : 'accountGone')));
  }
  if (isMuted(w, c)) return collapsed(w, c, lid);
  const when = ago(c.created_at);
  const art = h('article', { part: 'comment', class: c.status === 'published' ? '' : 'muted',
    'aria-labelledby': lid });
  const badge = ['staff', 'expert', 'subscriber'].includes(c.author.badge)
    ? h('span', { class: `badge ${c.author.badge}` }, t(`badge.${c.author.badge}`)) : null;
  const av = h('span', { class: 'av', 'aria-hidden': 'true' }, initial(name));
  av.style.setProperty('--h', hue(name));
  art.append(h('header', { class: 'meta' }, av,
    h('span', { class: 'who' },
      // Readers' own words keep their own direction inside a section in another script.
      h('strong', { class: 'name', dir: 'auto' }, name), badge, c.featured ? pickBadge(w) : null,
      c.answered && w.story && w.story.qa_mode ? h('span', { class: 'badge answered' }, t('qa.answered')) : null,
      h('time', { datetime: c.created_at, title: fullDate(c.created_at) }, when),
      c.edited ? h('span', { class: 'edited' }, t('edited')) : null),
    h('span', { id: lid, class: 'sr-only' }, t(c.parent_id ? 'replyFrom' : 'commentFrom', { name, when })),
    collapser(w, name)));
  if (w.view === 'flat' && c.parent_id && c.in_reply_to) {
    // Unthreaded: a link back to the comment this one answers.
    art.append(h('p', { class: 'inreply' }, btn(t('replyingTo', { name: c.in_reply_to }), {
      class: 'link', onclick: () => toParent(w, c.parent_id) })));
  } else if ((flat || c.depth > 3) && c.in_reply_to) {
    art.append(h('p', { class: 'inreply' }, t('replyingTo', { name: c.in_reply_to })));
  }
  const note = pickNote(w, c);
  if (note) art.append(note);
  const body = h('div', { class: 'body', part: 'comment-body', dir: 'auto' });
  body.append(bodyFragment(c.body_html));
  art.append(body);
  if (c.is_mine && (c.status === 'pending' || c.status === 'rejected')) art.append(heldNote(w, c));
  if (c.best) art.append(whyBest(w, c));
  if (c.status === 'published') art.append(actionRow(w, c, name));
  else if (c.is_mine) {
    const row = h('div', { class: 'actions', part: 'actions' });
    if (c.status === 'pending' && canEdit(w, c)) row.append(editBtn(w, c));
    row.append(deleteBtn(w, c));
    art.append(row);
  }
  return art;
}

/** The author's own held or rejected comment: why, and what they can still change. */
function heldNote(w, c) {
  const { t } = w.i18n;
  const held = c.status === 'pending';
  const editable = held && canEdit(w, c);
  const note = h('div', { class: 'note', part: 'notice' }, h('p', { class: 'note-title' }, t(held ? 'pending' : 'rejected')),
    ...explain(w, c.moderation || { guideline: held ? null : 'moderator' },
      { advice: editable ? 'change' : null, text: held ? heldText.get(w, c.id) : '' }));
  if (editable) note.append(h('p', { class: 'hint', 'data-until': c.editable_until, 'data-left': 'editLeft' }));
  for (const el of note.querySelectorAll('[data-until]')) countdown(w, el);
  return note;
}

/** Whether the reader may still edit their comment `c` (banned and suspended readers may not). */
function canEdit(w, c) {
  const u = w.user;
  return !!(c.is_mine && c.editable_until && Date.parse(c.editable_until) > Date.now() &&
    !(u && u.status && u.status !== 'active'));
}

function collapser(w, name) {
  const { t } = w.i18n;
  const b = btn('', { class: 'fold', 'aria-expanded': 'true', 'aria-label': t('hideThread', { name }),
    onclick: () => {
      const fold = b.closest('li.c').classList.toggle('folded');
      b.setAttribute('aria-expanded', String(!fold));
      b.setAttribute('aria-label', t(fold ? 'showThread' : 'hideThread', { name }));
    } });
  b.append(h('span', { class: 'fold-ic', 'aria-hidden': 'true' }));
  return b;
}

/** An action button: an icon and a short visible word, named fully for assistive technology. */
function act(iconName, word, label, onclick, props = {}) {
  const b = btn('', { class: 'act', 'aria-label': label, onclick, ...props });
  b.append(icon(iconName), h('span', { 'aria-hidden': 'true' }, word));
  return b;
}

function actionRow(w, c, name) {
  const { t } = w.i18n;
  const u = w.user;
  const blocked = u && u.status && u.status !== 'active';
  const row = h('div', { class: 'actions', part: 'actions' });
  const likes = h('span', { class: 'likes', id: `th-lc-${c.id}` }, t('likes', { count: c.like_count || 0 }));
  if (c.is_mine || blocked || (w.story && w.story.likes_closed)) {
    row.append(h('span', { class: 'own-likes' }, icon('like'), likes));
  } else {
    const like = act('like', t('like'), t('likeLabel', { name }), () => toggleLike(w, c, like, likes),
      { class: 'act like', 'aria-pressed': String(!!c.liked_by_me), 'aria-describedby': likes.id });
    row.append(h('span', { class: 'likebox' }, like, likes));
  }
  if (!w.story.is_closed && !blocked && !(w.stream === 'premium' && u && !u.premium)) {
    const reply = act('reply', t('reply'), t('replyLabel', { name }), () => openReply(w, c, reply),
      { 'aria-expanded': 'false' });
    row.append(reply);
  }
  row.append(act('share', t('share'), t('shareLabel', { name }), () => share(w, c)));
  if (!c.is_mine && !blocked) {
    const done = !!c.reported_by_me;
    const rep = act('flag', t(done ? 'reported' : 'report'), done ? t('reported') : t('reportLabel', { name }),
      () => report(w, c, rep), { 'aria-disabled': done ? 'true' : null });
    row.append(rep);
  }
  if (u && !c.is_mine && c.author && c.author.name) {
    const on = w.muted.has(c.author.id);
    row.append(act('mute', t(on ? 'unmute' : 'mute'), t(on ? 'unmuteLabel' : 'muteLabel', { name }),
      () => (on ? unmute(w, c.author.id, name) : mute(w, c, name))));
  }
  if (canEdit(w, c)) row.append(editBtn(w, c));
  if (c.is_mine) row.append(deleteBtn(w, c));
  return row;
}

function editBtn(w, c) {
  const { t } = w.i18n;
  // Goes away by itself when the edit window closes (see countdown()).
  const edit = act('edit', t('edit'), t('editLabel'), () => openEdit(w, c, edit), { 'data-until': c.editable_until });
  return edit;
}

function deleteBtn(w, c) {
  const { t } = w.i18n;
  const del = act('bin', t('delete'), t('deleteLabel'), () => remove(w, c, del), { class: 'act danger' });
  return del;
}

/** Draw comment `c` again in place (after an edit, a deletion or a live update). */
export function replace(w, c) {
  w.comments.set(c.id, c);
  const li = w.root.getElementById(`comment-${c.id}`);
  if (!li) return;
  const old = li.querySelector(':scope > article');
  old.replaceWith(article(w, c, !!old.querySelector('.inreply')));
}

async function toParent(w, id) {
  const find = () => w.root.getElementById(`comment-${id}`);
  // Newest first, the parent is further down: load pages until it is there.
  for (let i = 0; i < 5 && !find() && w.cursor; i++) await w.load({ append: true });
  if (find()) focusComment(find(), 'center');
  else w.announce(w.i18n.t('missing'), 'error');
}

/**
 * Move focus to the comment in `li` and bring it into view: `nearest` scrolls only if it is
 * not fully shown, `center` centres it (a permalink, new comments), `none` never scrolls.
 */
export function focusComment(li, how = 'nearest') {
  const art = li && li.querySelector('article');
  if (!art) return;
  art.tabIndex = -1;
  art.focus({ preventScroll: true });
  if (how !== 'none') art.scrollIntoView({ block: how });
}

function initial(name) { return (name.trim()[0] || '?').toUpperCase(); }

function hue(name) {
  let n = 0;
  for (const ch of name) n = (n * 31 + ch.codePointAt(0)) % 360;
  return String(n);
}
