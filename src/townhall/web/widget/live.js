// Live updates: server-sent events for the open stream (polling once a minute without them).
// New comments wait behind a "View N new comments" button; nothing moves under the reader.
import { storyPath } from './api.js';
import { livePick } from './editorial.js';

/** Subscribe to the story's events for the element's current stream. */
export function startLive(w) {
  stopLive(w);
  w.liveFor = w.stream;
  w.fresh = [];
  updateNewBtn(w);
  if (!('EventSource' in window)) { poll(w); return; }
  const es = new EventSource(`${w.api}${storyPath(w.storyId)}/events?stream=${w.stream}`);
  w.es = es;
  const on = (name, fn) => es.addEventListener(name, (e) => {
    try { fn(JSON.parse(e.data)); } catch { /* malformed event: ignore */ }
  });
  on('comment', (d) => { queue(w, d); if (w.refreshBell && d.parent_id) w.refreshBell(); });
  on('likes', (d) => {
    const el = w.root.getElementById(`th-lc-${d.id}`);
    if (el) el.textContent = w.i18n.t('likes', { count: d.like_count });
  });
  // An edit (or a re-approval) of a comment already on the page: new text in place,
  // keeping what only this reader knows (liked, reported, mine). Never under their focus.
  on('updated', (d) => {
    const c = w.comments.get(d.id);
    const li = w.root.getElementById(`comment-${d.id}`);
    if (!c || !li || li.contains(w.root.activeElement)) return;
    // The author too: a reader who deleted their account and kept their comments loses the name.
    w.replace({ ...c, body_html: d.body_html, edited: d.edited, edited_at: d.edited_at, author: d.author });
  });
  const leave = (removed) => (d) => {
    const c = w.comments.get(d.id);
    const li = w.root.getElementById(`comment-${d.id}`);
    dropFresh(w, d.id);
    if (!c || c.deleted || !li) return;
    if (li.querySelector('ol.replies li')) {
      w.replace({ ...c, deleted: !removed, status: removed ? 'rejected' : 'deleted',
        is_mine: false, body_html: '', author: null });
    } else if (!li.contains(w.root.activeElement)) li.remove();
  };
  on('deleted', leave(false));
  // A comment hidden by moderation leaves open pages too, with the moderator's tombstone.
  on('removed', leave(true));
  on('count', (d) => w.showCount(d.total));
  on('featured', (d) => livePick(w, d));
  es.onerror = () => {
    // A 404 or wrong content type closes the stream for good: fall back to polling quietly.
    if (es.readyState === EventSource.CLOSED && w.es === es) { w.es = null; poll(w); }
  };
}

/** Close the event stream and stop polling. */
export function stopLive(w) {
  w.liveFor = null;
  if (w.es) { w.es.close(); w.es = null; }
  clearInterval(w.pollTimer);
  w.pollTimer = null;
}

/** Whether the server's own count events keep the total up to date. */
export const isLive = (w) => !!(w.es && w.es.readyState === EventSource.OPEN);

function poll(w) {
  clearInterval(w.pollTimer);
  w.pollTimer = setInterval(async () => {
    if (document.hidden) return;
    try {
      const q = new URLSearchParams({ stream: w.stream, sort: 'newest', limit: '10' });
      const page = await w.call(`${storyPath(w.storyId)}/comments?${q}`);
      for (const c of page.comments.reverse()) queue(w, c);
    } catch { /* offline: try again later */ }
  }, 60000);
}

function queue(w, c) {
  if (!c || w.seen.has(c.id) || c.stream !== w.stream || c.is_mine) return;
  if (w.fresh.some((f) => f.id === c.id)) return;
  if (c.parent_id && w.view !== 'flat' &&
    !w.root.getElementById(`comment-${c.root_id || c.parent_id}`)) return;
  w.fresh.push(c);
  updateNewBtn(w);
  clearTimeout(w.announceTimer);
  w.announceTimer = setTimeout(() => {
    if (w.fresh.length) w.announce(w.i18n.t('newAvailable', { count: w.fresh.length }));
  }, 1500);
}

/** Forget a waiting comment (it was posted here, deleted or removed). */
export function dropFresh(w, id) {
  w.fresh = w.fresh.filter((f) => f.id !== id);
  updateNewBtn(w);
}

/** Forget waiting comments that are already on the page. */
export function pruneFresh(w) {
  w.fresh = w.fresh.filter((c) => !w.seen.has(c.id));
  updateNewBtn(w);
}

function updateNewBtn(w) {
  const n = w.fresh.length;
  w.newBtn.hidden = !n;
  w.newBtn.textContent = w.i18n.t('newComments', { count: n });
}

/** Show the waiting comments in place and move focus to the first of them. */
export function showFresh(w) {
  const items = w.fresh.splice(0);
  updateNewBtn(w);
  let first = null;
  for (const c of items.reverse()) {
    if (w.seen.has(c.id)) continue;
    let li;
    if (c.parent_id && w.view !== 'flat') {
      const rootLi = w.root.getElementById(`comment-${c.root_id || c.parent_id}`);
      if (!rootLi) continue;
      li = w.placeReply(rootLi, c);
    } else {
      li = w.thread(c);
      if (w.sort === 'oldest') w.list.append(li); else w.list.prepend(li);
    }
    first = li;
  }
  w.stateEl.replaceChildren();
  if (first) w.focusComment(first, 'center');
}
