// Muting: the comments of commenters a reader muted collapse to "Comment from a muted user" with
// a Show button, for that reader alone, in pages, threads and live updates. The muted set comes
// from GET /me/muted; the pages themselves are the same for everyone (and may be shared from a
// cache), so nothing personal is ever mixed into them. The muted commenter is never told.
import { btn, h } from './dom.js';

/** Whether comment `c` is by a muted commenter and has not been shown on request. */
export const isMuted = (w, c) => !!(c.author && w.muted.has(c.author.id) && !w.shownMuted.has(c.id));

/** The collapsed stand-in for a muted commenter's comment. */
export function collapsed(w, c, lid) {
  const { t } = w.i18n;
  const show = btn(t('muted.show'), { class: 'link', 'aria-label': t('muted.showLabel'), onclick: () => {
    w.shownMuted.add(c.id);
    w.replace(c);
    const art = w.root.querySelector(`#comment-${c.id} > article`);
    if (art) { art.tabIndex = -1; art.focus(); }
  } });
  return h('article', { class: 'tomb muted-c', part: 'comment muted', 'aria-labelledby': lid },
    h('p', { id: lid }, t('muted.collapsed'), ' ', show));
}

function redraw(w, authorId) {
  for (const c of w.comments.values()) if (c.author && c.author.id === authorId) w.replace(c);
}

/** Mute the author of comment `c` (named `name`); their comments collapse at once. */
export async function mute(w, c, name) {
  const { problemText, t } = w.i18n;
  try {
    await w.call(`/me/muted/${c.author.id}`, { method: 'PUT' });
  } catch (x) {
    w.announce(problemText(x, 'mute'), 'error');
    return;
  }
  w.muted.set(c.author.id, { id: c.author.id, name });
  for (const other of w.comments.values()) {
    if (other.author && other.author.id === c.author.id) w.shownMuted.delete(other.id);
  }
  redraw(w, c.author.id);
  w.announce(t('muted.done', { name }));
  const art = w.root.querySelector(`#comment-${c.id} > article`);
  if (art) { art.tabIndex = -1; art.focus(); }
}

/** Stop muting commenter `id`; their comments open again. */
export async function unmute(w, id, name) {
  const { problemText, t } = w.i18n;
  try {
    await w.call(`/me/muted/${id}`, { method: 'DELETE' });
  } catch (x) {
    w.announce(problemText(x, 'mute'), 'error');
    return;
  }
  w.muted.delete(id);
  redraw(w, id);
  w.announce(t('unmuted.done', { name }));
}
