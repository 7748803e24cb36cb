// A comment card: who wrote it, where, why it was held, what readers reported, and actions.
import { standing } from './actions.js';
import { h, nextId, safeHref, trustedBody } from './dom.js';
import { label, t, when } from './i18n.js';

// The guidelines a check or a report can name, in the order the filters offer them.
export const GUIDELINES = [
  'swearing', 'abuse', 'discrimination', 'private_info', 'impersonation', 'spam', 'trust', 'reports', 'language',
];

function scoreText(score) {
  if (score === null || score === undefined) return null;
  const verdict = t(score >= 0.75 ? 'card.likely' : score <= 0.5 ? 'card.unlikely' : 'card.maybe');
  const percent = new Intl.NumberFormat(document.documentElement.lang, { style: 'percent' }).format(score);
  return t('card.toxicity', { verdict, percent });
}

function history(author) {
  const s = author.history;
  if (!s) return null;
  return t('card.history', {
    comments: t('count.comments', { count: s.comments }),
    rejected: t('count.rejected', { count: s.rejected }),
    reports: t('count.reportsAgainst', { count: s.reports }),
  });
}

export function authorName(card) {
  return card.author.name || card.author.email || t('card.user', { id: card.author.id });
}

export function renderCard(card, { selectable = true, actions = {}, selected = false } = {}) {
  const name = authorName(card);
  const story = card.story.title || card.story.id;
  const headId = nextId('card');
  const chips = [];
  chips.push(h('span', { class: `chip status-${card.status}`, text: label(`status.${card.status}`, card.status) }));
  chips.push(h('span', { class: 'chip', text: t(card.stream === 'premium' ? 'stream.premium' : 'stream.open') }));
  if (card.guideline) {
    chips.push(h('span', { class: 'chip marker', text: `⚑ ${label(`guideline.${card.guideline}`, card.guideline)}` }));
  }
  if (card.is_shadowed) chips.push(h('span', { class: 'chip warn', text: t('card.shadowed') }));
  if (card.featured) chips.push(h('span', { class: 'chip', text: `★ ${t('card.featured')}` }));
  const score = scoreText(card.score);
  if (score) chips.push(h('span', { class: 'chip', text: score }));
  for (const s of standing(card.author)) chips.push(h('span', { class: 'chip warn', text: s }));

  const why = [];
  if (card.reason && card.status !== 'published') {
    why.push(h('p', { class: 'why' }, h('strong', { text: t('card.held') }), ' ', card.reason));
  }
  if (card.rejection_reason) {
    why.push(h('p', { class: 'why' }, h('strong', { text: t('card.rejectedBy') }), ' ', card.rejection_reason));
  }
  if (card.decided_by) {
    why.push(h('p', { class: 'meta', text: t('card.decided', { name: card.decided_by, when: when(card.decided_at) }) }));
  }
  let reports = null;
  if (card.reports && card.reports.length) {
    reports = h('div', { class: 'reports' },
      h('h4', { text: t('card.reports', { count: card.reports.length }) }),
      h('ul', {}, ...card.reports.map((r) => h('li', {},
        h('strong', { text: label(`reason.${r.reason}`, r.reason) }),
        r.note ? ` – “${r.note}”` : '', ' ',
        h('span', { class: 'meta', text: t('card.reportBy', { name: r.by || t('card.aReader'), when: when(r.created_at) }) })))));
  }

  const buttons = [];
  const btn = (text, label, fn, cls = '') => h('button', {
    type: 'button', class: cls, 'aria-label': label, onclick: fn,
  }, text);
  if (actions.approve && (card.status !== 'published' || card.report_count > 0)) {
    buttons.push(btn(t('approve'), t('approveLabel', { name }), actions.approve, 'approve'));
  }
  if (actions.reject && card.status !== 'rejected') {
    buttons.push(btn(t('reject'), t('rejectLabel', { name }), actions.reject, 'reject'));
  }
  if (actions.feature && card.status === 'published' && !card.is_shadowed) {
    buttons.push(card.featured
      ? btn(t('card.unfeature'), `${t('card.unfeature')}: ${name}`, actions.unfeature, 'secondary')
      : btn(t('card.feature'), `${t('card.feature')}: ${name}`, actions.feature, 'secondary'));
  }
  if (actions.ban && !card.author.is_banned && card.author.role === 'commenter') {
    buttons.push(btn(t('ban'), t('banLabel', { name }), actions.ban, 'secondary'));
  }
  if (actions.suspend && card.author.role === 'commenter') {
    buttons.push(btn(t('suspend'), t('suspendLabel', { name }), actions.suspend, 'secondary'));
  }
  if (actions.shadowban && !card.author.is_shadowbanned && card.author.role === 'commenter') {
    buttons.push(btn(t('shadowban'), t('shadowbanLabel', { name }), actions.shadowban, 'secondary'));
  }

  const storyHref = safeHref(card.story_url);
  const storyLink = storyHref
    ? h('a', { href: storyHref, target: '_blank', rel: 'noopener noreferrer', text: story })
    : h('span', { text: story });
  const select = selectable ? h('input', {
    type: 'checkbox', class: 'select', 'aria-label': t('card.select', { name }), checked: selected,
  }) : null;
  return h('article', {
    class: `card${selected ? ' selected' : ''}`, tabindex: '-1', 'aria-labelledby': headId,
    dataset: { id: String(card.id) },
  },
  h('div', { class: 'card-head' },
    select,
    h('h3', { id: headId }, t('card.heading', { name, story }))),
  h('p', { class: 'meta' },
    h('a', { href: `#/users/${card.author.id}`, text: name, 'aria-label': t('card.userPage', { name }) }),
    history(card.author) ? ` (${history(card.author)})` : '',
    ' · ', storyLink, ' · ', h('time', { datetime: card.created_at, text: when(card.created_at) }),
    card.in_reply_to ? ` · ${t('card.inReplyTo', { name: card.in_reply_to })}` : '',
    card.status === 'published' && storyHref
      ? [' · ', h('a', { href: `${storyHref.split('#')[0]}#comment-${card.id}`,
        target: '_blank', rel: 'noopener noreferrer', text: t('card.view'),
        'aria-label': t('card.viewLabel', { name }) })] : null,
    ` · ${t('count.likes', { count: card.like_count })}`),
  h('p', { class: 'chips' }, ...chips),
  trustedBody(card.body_html),
  card.feature_note ? h('p', { class: 'why' }, h('strong', { text: t('card.featureNote') }), ' ',
    card.feature_note) : null,
  ...why,
  reports,
  buttons.length ? h('div', { class: 'actions' }, ...buttons) : null);
}
