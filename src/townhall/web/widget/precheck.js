// Checking a draft before it is posted: when the author pauses typing, and when they press Post,
// the draft goes to POST /comments/check (nothing is stored). Findings are shown next to the form:
// the guideline in plain words, the passage marked in the author's own text, a suggestion, and
// two ways on: edit the passage, or post anyway for a moderator to review. A failed check
// (offline, too many checks) never stands in the way of posting.
import { btn, h } from './dom.js';
import { passageOf, suggestionFor } from './held.js';

const PAUSE_MS = 800; // how long the author stops typing before the draft is checked
const CONTEXT = 40; // characters of the author's text shown on each side of a passage
const MAX_QUOTED = 3; // passages quoted in one notice
// Findings that ask nothing of the author (every comment here is read first, the language is
// one a moderator reads): the comment is held whatever they write, so there is nothing to fix.
const NOTHING_TO_CHANGE = new Set(['trust', 'language', 'reports', 'moderator']);

/** The findings an author can act on, from a check's answer (none when it would be published). */
export function actionable(answer) {
  if (!answer || answer.action === 'publish' || !Array.isArray(answer.findings)) return [];
  return answer.findings.filter((f) => (f.action === 'hold' || f.action === 'reject') &&
    !NOTHING_TO_CHANGE.has(f.guideline));
}

/** Up to CONTEXT characters of `text` around [s, e), cut at a space, with ellipses. */
function excerpt(text, [s, e]) {
  let a = Math.max(0, s - CONTEXT);
  let b = Math.min(text.length, e + CONTEXT);
  if (a > 0) { const sp = text.indexOf(' ', a); if (sp !== -1 && sp < s) a = sp + 1; }
  if (b < text.length) { const sp = text.lastIndexOf(' ', b); if (sp > e) b = sp; }
  // Never cut a character written as two UTF-16 units (an emoji) in half.
  if (/[\udc00-\udfff]/.test(text[a] || '')) a += 1;
  if (/[\udc00-\udfff]/.test(text[b] || '')) b += 1;
  return [(a > 0 ? '…' : '') + text.slice(a, s).replace(/\s+/g, ' '), text.slice(s, e),
    text.slice(e, b).replace(/\s+/g, ' ') + (b < text.length ? '…' : '')];
}

/**
 * The checker of one composer. `ta` is its textarea, `draft(text)` the request body for a text,
 * `anyway(text)` posts without asking again, `anywayLabel` names that choice ("Post anyway").
 * Returns { el, input(), gate(text), reset() }: `el` goes next to the form, `input` is called on
 * every keystroke, `gate` resolves to true when `text` may be posted now (no findings, or the
 * check failed) and otherwise shows the findings, `reset` forgets everything after a post.
 */
export function precheck(w, { ta, draft, anyway, anywayLabel }) {
  const { t } = w.i18n;
  const el = h('div', { class: 'precheck', 'aria-live': 'polite' });
  let timer = 0;
  let seq = 0;
  let flight = null; // { text, ctl, promise }: the one check under way
  let checked = { text: null, answer: null }; // the last answer, for the text it was about
  let shown = null; // the text whose findings are on screen
  const described = ta.getAttribute('aria-describedby') || '';

  /** The server's answer for `text` (null when the check failed or a newer one replaced it). */
  async function ask(text) {
    if (text === checked.text) return checked.answer;
    if (flight && flight.text === text) return flight.promise;
    const mine = ++seq;
    // Never two checks at once: cancel the stale one and wait for it to let go.
    if (flight) { flight.ctl.abort(); await flight.promise; }
    if (mine !== seq) return null;
    const ctl = new AbortController();
    const promise = w.call('/comments/check', { method: 'POST', body: draft(text), signal: ctl.signal })
      .then((answer) => { checked = { text, answer }; return answer; }, () => null)
      .finally(() => { if (flight && flight.ctl === ctl) flight = null; });
    flight = { text, ctl, promise };
    return promise;
  }

  function clear(announce) {
    shown = null;
    el.replaceChildren();
    ta.setAttribute('aria-describedby', described);
    // The notice went because of what the author changed: say so to those who cannot see it go.
    if (announce) el.append(h('p', { class: 'sr-only' }, t('check.clear')));
  }

  /** Show what the check found in `text`, or clear the notice when it found nothing. */
  function show(text, answer) {
    const found = actionable(answer);
    if (!found.length) { if (shown !== null) clear(true); return false; }
    if (shown === text) return true;
    shown = text;
    const reject = answer.action === 'reject';
    const id = `${ta.id}-check`;
    const note = h('div', { class: 'note check', part: 'notice', id, role: 'group',
      'aria-labelledby': `${id}-t` },
    h('p', { class: 'note-title', id: `${id}-t` }, t(reject ? 'check.reject' : 'check.hold')));
    const said = new Set();
    const quoted = [];
    for (const f of found) {
      const g = f.guideline || 'other';
      const span = passageOf(text, f.span);
      if (!said.has(g)) note.append(h('p', null, t(w.i18n.has(`why.${g}`) ? `why.${g}` : 'why.other')));
      // Checks often find one passage several ways (a word, the phrase around it): quote the
      // first, most precise finding and skip passages overlapping one already quoted.
      if (span && quoted.length < MAX_QUOTED && !quoted.some(([a, b]) => span[0] < b && a < span[1])) {
        quoted.push(span);
        const [before, passage, after] = excerpt(text, span);
        note.append(h('p', { class: 'excerpt', dir: 'auto' },
          ...w.i18n.parts('check.inText', { text: h('q', null, before, h('mark', null, passage), after) })));
      }
      const tip = said.has(g) ? null : suggestionFor(w, f, 'suggest');
      if (tip) note.append(h('p', { class: 'tip' }, tip));
      said.add(g);
    }
    note.append(h('div', { class: 'row' },
      btn(t('check.edit'), { class: 'secondary', onclick: () => {
        ta.focus();
        if (quoted.length && ta.value === text) ta.setSelectionRange(quoted[0][0], quoted[0][1]);
      } }),
      reject ? null : btn(anywayLabel, { class: 'secondary', onclick: () => anyway(ta.value) })));
    if (!reject) note.append(h('p', { class: 'hint' }, t('check.anywayHint')));
    el.replaceChildren(note);
    ta.setAttribute('aria-describedby', `${described} ${id}`);
    return true;
  }

  return {
    el,
    input() {
      clearTimeout(timer);
      const text = ta.value;
      if (!text.trim()) {
        seq++;
        if (flight) flight.ctl.abort();
        if (shown !== null) clear(false);
        return;
      }
      if (text === checked.text) { show(text, checked.answer); return; }
      timer = setTimeout(async () => {
        const answer = await ask(text);
        if (answer && ta.value === text) show(text, answer);
      }, PAUSE_MS);
    },
    async gate(text) {
      clearTimeout(timer);
      const again = shown === text;
      const answer = await ask(text);
      if (!show(text, answer)) return true;
      // Pressed Post again over the same findings: the choice is in the notice, go there.
      if (again) el.querySelector('button').focus();
      return false;
    },
    reset() {
      clearTimeout(timer);
      seq++;
      if (flight) flight.ctl.abort();
      checked = { text: null, answer: null };
      clear(false);
    },
  };
}

/** The request body for checking `text` as a comment on `w`'s story (a reply to `parent`). */
export function draftFor(w, parent) {
  return (text) => ({
    story_id: w.storyId, body: text, stream: w.stream, parent_id: parent ? parent.id : null,
    story_url: w.getAttribute('story-url') || location.href.split('#')[0],
    story_title: w.getAttribute('story-title') || document.title,
  });
}
