// A comment card: who wrote it, where, why it was held, what readers reported, and actions.
import { standing } from './actions.js';
import { h, nextId, safeHref, trustedBody, when } from './dom.js';

export const GUIDELINES = {
  swearing: 'Swearing',
  abuse: 'Abuse',
  discrimination: 'Discrimination',
  private_info: 'Private information',
  impersonation: 'Impersonation',
  spam: 'Spam',
  trust: 'Pre-moderation',
  reports: 'Reader reports',
};
const REPORT_LABELS = {
  swearing: 'Swearing or obscenity',
  abuse: 'Personal abuse or threats',
  discrimination: 'Discrimination',
  impersonation: 'Impersonation',
  private_info: 'Private information',
  spam: 'Spam',
  disagree: 'Disagrees',
  other: 'Other',
};

function scoreText(score) {
  if (score === null || score === undefined) return null;
  const pct = Math.round(score * 100);
  const word = score >= 0.75 ? 'Likely' : score <= 0.5 ? 'Unlikely' : 'Maybe';
  return `Toxicity: ${word} ${pct}%`;
}

function history(author) {
  const s = author.history;
  if (!s) return null;
  return `${s.comments} comments · ${s.rejected} rejected · ${s.reports} reports against`;
}

export function authorName(card) {
  return card.author.name || card.author.email || `user ${card.author.id}`;
}

export function renderCard(card, { selectable = true, actions = {}, selected = false } = {}) {
  const name = authorName(card);
  const story = card.story.title || card.story.id;
  const headId = nextId('card');
  const chips = [];
  chips.push(h('span', { class: `chip status-${card.status}`, text: card.status }));
  chips.push(h('span', { class: 'chip', text: card.stream === 'premium' ? 'Premium' : 'All comments' }));
  if (card.guideline) {
    chips.push(h('span', { class: 'chip marker', text: `⚑ ${GUIDELINES[card.guideline] || card.guideline}` }));
  }
  if (card.is_shadowed) chips.push(h('span', { class: 'chip warn', text: 'Hidden (shadow-ban)' }));
  const score = scoreText(card.score);
  if (score) chips.push(h('span', { class: 'chip', text: score }));
  for (const s of standing(card.author)) chips.push(h('span', { class: 'chip warn', text: s }));

  const why = [];
  if (card.reason && card.status !== 'published') {
    why.push(h('p', { class: 'why' }, h('strong', { text: 'Held: ' }), card.reason));
  }
  if (card.rejection_reason) {
    why.push(h('p', { class: 'why' }, h('strong', { text: 'Rejected: ' }), card.rejection_reason));
  }
  if (card.decided_by) {
    why.push(h('p', { class: 'meta', text: `Decided by ${card.decided_by}, ${when(card.decided_at)}` }));
  }
  let reports = null;
  if (card.reports && card.reports.length) {
    reports = h('div', { class: 'reports' },
      h('h4', { text: `Reports (${card.reports.length})` }),
      h('ul', {}, ...card.reports.map((r) => h('li', {},
        h('strong', { text: REPORT_LABELS[r.reason] || r.reason }),
        r.note ? ` – “${r.note}”` : '',
        h('span', { class: 'meta', text: ` by ${r.by || 'a reader'}, ${when(r.created_at)}` })))));
  }

  const buttons = [];
  const btn = (text, label, fn, cls = '') => h('button', {
    type: 'button', class: cls, 'aria-label': label, onclick: fn,
  }, text);
  if (actions.approve && (card.status !== 'published' || card.report_count > 0)) {
    buttons.push(btn('Approve', `Approve comment by ${name}`, actions.approve, 'approve'));
  }
  if (actions.reject && card.status !== 'rejected') {
    buttons.push(btn('Reject', `Reject comment by ${name}`, actions.reject, 'reject'));
  }
  if (actions.ban && !card.author.is_banned && card.author.role === 'commenter') {
    buttons.push(btn('Ban user', `Ban user ${name}`, actions.ban, 'secondary'));
  }
  if (actions.suspend && card.author.role === 'commenter') {
    buttons.push(btn('Suspend', `Suspend ${name}`, actions.suspend, 'secondary'));
  }
  if (actions.shadowban && !card.author.is_shadowbanned && card.author.role === 'commenter') {
    buttons.push(btn('Shadow-ban', `Shadow-ban ${name}`, actions.shadowban, 'secondary'));
  }

  const storyHref = safeHref(card.story_url);
  const storyLink = storyHref
    ? h('a', { href: storyHref, target: '_blank', rel: 'noopener noreferrer', text: story })
    : h('span', { text: story });
  const select = selectable ? h('input', {
    type: 'checkbox', class: 'select', 'aria-label': `Select comment by ${name}`, checked: selected,
  }) : null;
  return h('article', {
    class: `card${selected ? ' selected' : ''}`, tabindex: '-1', 'aria-labelledby': headId,
    dataset: { id: String(card.id) },
  },
  h('div', { class: 'card-head' },
    select,
    h('h3', { id: headId }, `Comment by ${name} on ${story}`)),
  h('p', { class: 'meta' },
    h('a', { href: `#/users/${card.author.id}`, text: name, 'aria-label': `User page of ${name}` }),
    history(card.author) ? ` (${history(card.author)})` : '',
    ' · ', storyLink, ' · ', h('time', { datetime: card.created_at, text: when(card.created_at) }),
    card.in_reply_to ? ` · in reply to ${card.in_reply_to}` : '',
    card.status === 'published' && storyHref
      ? [' · ', h('a', { href: `${storyHref.split('#')[0]}#comment-${card.id}`,
        target: '_blank', rel: 'noopener noreferrer', text: 'View in story',
        'aria-label': `View in story: comment by ${name}` })] : null,
    ` · ${card.like_count} likes`),
  h('p', { class: 'chips' }, ...chips),
  trustedBody(card.body_html),
  ...why,
  reports,
  buttons.length ? h('div', { class: 'actions' }, ...buttons) : null);
}
