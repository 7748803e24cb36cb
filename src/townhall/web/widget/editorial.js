// Editorial parts of the section: staff picks shown first (with the note on why), the story's
// prompt, and the Best order's "Why is this here?". `w` is the <townhall-comments> element.
import { bodyFragment, btn, h } from './dom.js';
import { focusComment } from './thread.js';

/** The picks block, empty and hidden until a story has picks. */
export function picksBlock(w) {
  const { t } = w.i18n;
  w.picksList = h('ol', { class: 'picks-list' });
  w.picks = h('div', { role: 'region', class: 'picks', part: 'picks', 'aria-labelledby': 'th-picks-h', hidden: true },
    h('h3', { id: 'th-picks-h', class: 'picks-h' }, t('picks.heading')), w.picksList);
  return w.picks;
}

/** The pinned staff comment's place, above the picks. */
export function pinnedBlock(w) {
  w.pinned = h('div', { role: 'region', class: 'pinned', part: 'pinned', 'aria-label': w.i18n.t('pinned.label'),
    hidden: true });
  return w.pinned;
}

/** Show the story's pinned staff comment (null hides the block). */
export function renderPinned(w, c) {
  w.pinned.replaceChildren(...(c ? [card(w, c, 'pn',
    h('span', { class: 'badge pinned-badge' }, w.i18n.t('pinned.label')))] : []));
  w.pinned.hidden = !c;
}

/** Show a story's picks first, latest pick first (an empty list hides the block). */
export function renderPicks(w, picks) {
  w.pickMap = new Map((picks || []).map((c) => [c.id, c]));
  drawPicks(w);
}

function drawPicks(w) {
  const items = [...w.pickMap.values()];
  w.picksList.replaceChildren(...items.map((c) => pickItem(w, c)));
  w.picks.hidden = !items.length;
}

function pickItem(w, c) {
  return h('li', { class: 'pick', 'data-id': c.id }, card(w, c, 'pk', pickBadge(w)));
}

/** A comment shown outside the list (a pick, the pinned one), with a way to it in the list. */
function card(w, c, prefix, badge) {
  const { t, ago, fullDate } = w.i18n;
  const name = (c.author && c.author.name) || t('anonymous');
  const id = `th-${prefix}-${c.id}`;
  const role = c.author && ['staff', 'expert'].includes(c.author.badge)
    ? h('span', { class: `badge ${c.author.badge}` }, t(`badge.${c.author.badge}`)) : null;
  const art = h('article', { part: 'comment', 'aria-labelledby': id },
    h('header', { class: 'meta' },
      h('span', { class: 'who' }, h('strong', { id, class: 'name', dir: 'auto' }, name), role, badge,
        h('time', { datetime: c.created_at, title: fullDate(c.created_at) }, ago(c.created_at)))));
  const note = pickNote(w, c);
  if (note) art.append(note);
  const body = h('div', { class: 'body', part: 'comment-body', dir: 'auto' });
  body.append(bodyFragment(c.body_html));
  art.append(body, btn(t('picks.goTo'), { class: 'link', onclick: () => goTo(w, c.id) }));
  return art;
}

/** The "Pick" badge on a picked comment. */
export const pickBadge = (w) => h('span', { class: 'badge pick' }, w.i18n.t('picks.badge'));

/** Staff's note on why they picked a comment (plain text), or null. */
export function pickNote(w, c) {
  if (!c.featured || !c.feature_note) return null;
  return h('p', { class: 'pick-note' }, h('span', { class: 'pick-why' }, `${w.i18n.t('picks.why')} `),
    h('span', { dir: 'auto' }, c.feature_note));
}

async function goTo(w, id) {
  const find = () => w.root.getElementById(`comment-${id}`);
  for (let i = 0; i < 5 && !find() && w.cursor; i++) await w.load({ append: true });
  const li = find();
  if (li) focusComment(li, 'center');
  else w.announce(w.i18n.t('missing'), 'error');
}

/** A live pick (or a pick taken back): the block and the comment's own badge follow it. */
export function livePick(w, d) {
  if (!w.pickMap) return;
  if (d.featured) {
    w.pickMap.delete(d.id);
    w.pickMap = new Map([[d.id, d], ...w.pickMap]);
  } else w.pickMap.delete(d.id);
  drawPicks(w);
  const c = w.comments.get(d.id);
  const art = w.root.querySelector(`#comment-${d.id} > article`);
  if (c && art) {
    // In place, so a reader with focus inside the comment keeps it.
    const next = { ...c, featured: d.featured, feature_note: d.feature_note };
    w.comments.set(d.id, next);
    for (const old of art.querySelectorAll(':scope > header .badge.pick, :scope > .pick-note')) old.remove();
    if (d.featured) {
      const who = art.querySelector(':scope > header .who');
      (who.querySelector('.badge.staff, .badge.expert, .badge.subscriber') || who.querySelector('.name'))
        .after(pickBadge(w));
      const note = pickNote(w, next);
      if (note) art.querySelector(':scope > .body').before(note);
    }
  }
  w.announce(w.i18n.t(d.featured ? 'picks.added' : 'picks.removed'));
}

const PARTS = ['base', 'likes', 'pick', 'staff_reply', 'reports', 'holds'];

/** "Why is this here?": the Best order's parts for comment `c`, closed until asked for. */
export function whyBest(w, c) {
  const { t } = w.i18n;
  const b = c.best;
  const signed = new Intl.NumberFormat(w.i18n.tag, { signDisplay: 'exceptZero', maximumFractionDigits: 2 });
  const plain = new Intl.NumberFormat(w.i18n.tag, { maximumFractionDigits: 4 });
  const rows = PARTS.filter((k) => k === 'base' || b.parts[k])
    .map((k) => h('li', null, `${t(`best.${k}`, { likes: b.likes, reports: b.reports })}: ${signed.format(b.parts[k])}`));
  rows.push(h('li', null, t('best.age', { hours: plain.format(b.age_hours), half: plain.format(b.half_life_hours),
    decay: plain.format(b.decay) })));
  return h('details', { class: 'why-best', part: 'why-best' }, h('summary', null, t('best.why')),
    h('ul', null, rows), h('p', null, t('best.score', { score: plain.format(b.score) })));
}
