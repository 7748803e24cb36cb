// The dense queue: one line per comment (status, guideline, score, author, story, age, text),
// with the same selection box and approve/reject buttons as a card, so keys work alike.
import { authorName } from './cards.js';
import { h, nextId, trustedBody } from './dom.js';
import { label, t, when } from './i18n.js';

function snippet(html) {
  // body_html is sanitized by the server; only its text is shown here.
  return trustedBody(html).textContent.replace(/\s+/g, ' ').trim();
}

function percent(score) {
  if (score === null || score === undefined) return '–';
  return new Intl.NumberFormat(document.documentElement.lang, { style: 'percent' }).format(score);
}

export function renderRow(card, { actions = {}, selected = false } = {}) {
  const name = authorName(card);
  const story = card.story.title || card.story.id;
  const headId = nextId('row');
  const text = snippet(card.body_html);
  const btn = (txt, aria, fn, cls) => h('button', { type: 'button', class: cls, 'aria-label': aria, onclick: fn }, txt);
  const buttons = [];
  if (actions.approve && (card.status !== 'published' || card.report_count > 0)) {
    buttons.push(btn(t('approve'), t('approveLabel', { name }), actions.approve, 'approve'));
  }
  if (actions.reject && card.status !== 'rejected') {
    buttons.push(btn(t('reject'), t('rejectLabel', { name }), actions.reject, 'reject'));
  }
  return h('article', {
    class: `card row${selected ? ' selected' : ''}`, tabindex: '-1', 'aria-labelledby': headId,
    dataset: { id: String(card.id) },
  },
  h('input', { type: 'checkbox', class: 'select', 'aria-label': t('card.select', { name }), checked: selected }),
  h('span', { class: `chip status-${card.status}`, text: label(`status.${card.status}`, card.status) }),
  h('span', { class: 'cell guideline', text: card.guideline ? label(`guideline.${card.guideline}`, card.guideline) : '' }),
  h('span', { class: 'cell score', title: t('filter.score'), text: percent(card.score) }),
  h('h3', { id: headId, class: 'cell who' },
    h('a', { href: `#/users/${card.author.id}`, text: name, 'aria-label': t('card.userPage', { name }) })),
  h('span', { class: 'cell story', title: story, text: story }),
  h('time', { class: 'cell age', datetime: card.created_at, text: when(card.created_at) }),
  h('span', { class: 'cell text', title: text, text }),
  h('span', { class: 'cell acts' }, ...buttons));
}
