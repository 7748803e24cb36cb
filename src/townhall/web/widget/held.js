// Telling authors why their comment is held or was rejected: the guideline in plain words and
// what they can change, never the words a check matched (that would teach how to evade it).
import { h } from './dom.js';

/**
 * The text of the reader's own held comment, kept for this browser session so that its
 * explanation can quote the passage a moderator will look at (the page has only rendered HTML).
 */
export const heldText = {
  get(w, id) { try { return sessionStorage.getItem(w.draftKey(`held-${id}`)) || ''; } catch { return ''; } },
  set(w, c, body) {
    try {
      const k = w.draftKey(`held-${c.id}`);
      if (c.status === 'pending') sessionStorage.setItem(k, body); else sessionStorage.removeItem(k);
    } catch { /* storage off */ }
  },
};

const pick = (has, prefix, g) => (has(`${prefix}.${g}`) ? `${prefix}.${g}` : null);

/** The UTF-16 index in `text` of code point `n` (the server counts characters as Python does). */
function unitIndex(text, n) {
  let i = 0;
  for (let k = 0; k < n && i < text.length; k++) i += text.codePointAt(i) > 0xffff ? 2 : 1;
  return i;
}

/**
 * A finding's passage as [start, end) indexes into the author's `text`, from the server's
 * span ({start, end} or [start, end], in characters); null without one or past the text.
 */
export function passageOf(text, span) {
  const s = Array.isArray(span) ? span : span && [span.start, span.end];
  if (!s || !text || !(s[1] > s[0])) return null;
  const a = unitIndex(text, s[0]);
  const b = unitIndex(text, s[1]);
  return b > a ? [a, b] : null;
}

/**
 * What the author could change about finding `f`: the server's suggestion in English (it is
 * worded in English), else the catalogue's advice of family `advice` for its guideline.
 */
export function suggestionFor(w, f, advice) {
  const { has, t } = w.i18n;
  const g = f.guideline || 'other';
  if (f.suggestion && w.i18n.code === 'en') return String(f.suggestion);
  return advice && pick(has, advice, g) ? t(pick(has, advice, g)) : null;
}

/** The findings to explain: the server's list when it sends one, else its one guideline. */
function findingsOf(m) {
  if (Array.isArray(m.findings) && m.findings.length) return m.findings;
  return [{ guideline: m.guideline }];
}

/**
 * Paragraphs explaining moderation note `m` ({guideline} today; {findings: [{guideline, span,
 * suggestion}]} when the server sends them). `advice` is the message family for what to change
 * (`change` for a held comment that can still be edited, `fix` before posting again, null for
 * none); `text` is the author's own text, from which a finding's span is quoted.
 */
export function explain(w, m, { advice = null, text = '' } = {}) {
  const { has, t } = w.i18n;
  const out = [];
  const seen = new Set();
  for (const f of findingsOf(m || {})) {
    const g = f.guideline || 'other';
    if (seen.has(g)) continue;
    seen.add(g);
    out.push(h('p', null, t(pick(has, 'why', g) || 'why.other')));
    const span = passageOf(text, f.span);
    if (span) out.push(h('p', { class: 'passage' }, t('passage', { text: text.slice(span[0], span[1]) })));
    const tip = suggestionFor(w, f, advice);
    if (tip) out.push(h('p', null, tip));
  }
  return out;
}
