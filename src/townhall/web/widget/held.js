// Telling authors why their comment is held or was rejected: the guideline in plain words and
// what they can change, never the words a check matched (that would teach how to evade it).
import { h } from './dom.js';
import { has, t } from './messages.js';

const pick = (prefix, g) => (has(`${prefix}.${g}`) ? `${prefix}.${g}` : null);

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
export function explain(m, { advice = null, text = '' } = {}) {
  const out = [];
  const seen = new Set();
  for (const f of findingsOf(m || {})) {
    const g = f.guideline || 'other';
    if (seen.has(g)) continue;
    seen.add(g);
    out.push(h('p', null, t(pick('why', g) || 'why.other')));
    const span = Array.isArray(f.span) ? f.span : f.span && [f.span.start, f.span.end];
    if (span && text) out.push(h('p', { class: 'passage' }, t('passage', { text: text.slice(span[0], span[1]) })));
    if (f.suggestion) out.push(h('p', null, String(f.suggestion)));
    else if (advice && pick(advice, g)) out.push(h('p', null, t(pick(advice, g))));
  }
  return out;
}
