// The queues: tabs with live counts, filters, cards, selection and bulk decisions.
import { banUser, shadowbanUser, suspendUser } from './actions.js';
import { del, get, post, query } from './api.js';
import { authorName, GUIDELINES, renderCard } from './cards.js';
import { askPick, askReason } from './dialogs.js';
import { clear, field, h } from './dom.js';
import { t } from './i18n.js';
import { precisionPanel } from './precision.js';

export const QUEUES = ['pending', 'reported', 'rejected', 'all'];

export function queueView(ui, root, queue, params) {
  const state = { cards: [], cursor: null, selected: new Set(), filters: { ...params } };
  const label = t(`queue.${queue}`);
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('queue.tabs') },
    ...QUEUES.map((key, i) => h('a', {
      role: 'tab', href: `#/queue/${key}${query(state.filters)}`, id: `tab-${key}`,
      'aria-selected': key === queue ? 'true' : 'false', 'aria-controls': 'queue-panel',
      'aria-keyshortcuts': String(i + 1), tabindex: key === queue ? '0' : '-1',
      dataset: { queue: key },
    }, h('span', { text: t(`queue.${key}`) }), ' ', h('span', { class: 'count', dataset: { count: key } }))));
  tabs.addEventListener('keydown', (event) => {
    if (!['ArrowLeft', 'ArrowRight'].includes(event.key)) return;
    const links = [...tabs.querySelectorAll('[role=tab]')];
    const i = links.indexOf(document.activeElement);
    // Right to left, the tabs run the other way and so do the arrow keys.
    const forward = (event.key === 'ArrowRight') !== (document.documentElement.dir === 'rtl');
    const next = links[(i + (forward ? 1 : links.length - 1)) % links.length];
    next.focus();
  });

  const f = state.filters;
  const story = h('input', { type: 'text', name: 'story_id', value: f.story_id || '', list: 'story-ids' });
  const stream = h('select', { name: 'stream' },
    h('option', { value: '', text: t('filter.bothStreams') }),
    h('option', { value: 'open', text: t('stream.open') }),
    h('option', { value: 'premium', text: t('stream.premium') }));
  stream.value = f.stream || '';
  const guideline = h('select', { name: 'guideline' }, h('option', { value: '', text: t('filter.anyGuideline') }),
    ...GUIDELINES.map((k) => h('option', { value: k, text: t(`guideline.${k}`) })));
  guideline.value = f.guideline || '';
  const user = h('input', { type: 'number', name: 'user_id', min: '1', value: f.user_id || '' });
  const sort = h('select', { name: 'sort' },
    h('option', { value: 'newest', text: t('sort.newest') }),
    h('option', { value: 'oldest', text: t('sort.oldest') }));
  sort.value = f.sort || 'newest';
  const storyIds = h('datalist', { id: 'story-ids' });
  get('/api/v1/moderation/stories').then(({ stories }) => {
    for (const s of stories) storyIds.append(h('option', { value: s.id, label: s.title || s.id }));
  }).catch(() => {});
  const filters = h('form', { class: 'filters', 'aria-label': t('filter.label') },
    field(t('filter.story'), story), storyIds, field(t('filter.stream'), stream),
    field(t('filter.guideline'), guideline), field(t('filter.user'), user), field(t('filter.order'), sort),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', text: t('filter.apply') }),
      h('a', { href: `#/queue/${queue}`, class: 'link', text: t('filter.clear') })));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    ui.go(`#/queue/${queue}${query({
      story_id: story.value.trim(), stream: stream.value, guideline: guideline.value,
      user_id: user.value, sort: sort.value,
    })}`);
  });

  const bulkInfo = h('span', { class: 'meta', 'aria-live': 'polite' });
  const bulkApprove = h('button', { type: 'button', class: 'approve', text: t('bulk.approve') });
  const bulkReject = h('button', { type: 'button', class: 'reject', text: t('bulk.reject') });
  const selectAll = h('input', { type: 'checkbox', id: 'select-all' });
  const bulk = h('div', { class: 'bulk', role: 'group', 'aria-label': t('bulk.label') },
    h('div', { class: 'field check' }, selectAll, h('label', { for: 'select-all', text: t('bulk.selectAll') })),
    bulkInfo, bulkApprove, bulkReject);
  const list = h('div', { class: 'cards', id: 'queue-cards' });
  const more = h('button', { type: 'button', class: 'secondary', text: t('loadMore'), hidden: true });
  const fresh = h('button', { type: 'button', class: 'link', hidden: true });
  const panel = h('section', { id: 'queue-panel', role: 'tabpanel', 'aria-labelledby': `tab-${queue}` },
    h('h1', { text: t(`heading.${queue}`) }), filters, fresh, bulk, list, more,
    queue === 'pending' ? precisionPanel() : null);
  clear(root).append(tabs, panel);

  function syncBulk() {
    const n = state.selected.size;
    bulkInfo.textContent = n ? t('bulk.selected', { count: n }) : t('bulk.none');
    bulkApprove.disabled = bulkReject.disabled = n === 0;
    selectAll.checked = n > 0 && n === state.cards.length;
  }

  function paint() {
    clear(list);
    if (!state.cards.length) list.append(h('p', { class: 'empty', text: t(`empty.${queue}`) }));
    for (const card of state.cards) list.append(cardFor(card));
    more.hidden = !state.cursor;
    syncBulk();
  }

  function cardFor(card) {
    const el = renderCard(card, {
      selected: state.selected.has(card.id),
      actions: {
        approve: () => decide(card, 'approve'),
        reject: () => decide(card, 'reject'),
        ban: async () => { if (await banUser(ui, card.author, card)) await reload(card.id); },
        suspend: async () => { if (await suspendUser(ui, card.author)) await reload(card.id); },
        shadowban: async () => { if (await shadowbanUser(ui, card.author)) await reload(card.id); },
        feature: () => pick(card, true),
        unfeature: () => pick(card, false),
      },
    });
    const box = el.querySelector('input.select');
    if (box) {
      box.addEventListener('change', () => {
        if (box.checked) state.selected.add(card.id); else state.selected.delete(card.id);
        el.classList.toggle('selected', box.checked);
        syncBulk();
      });
    }
    return el;
  }

  async function load(append = false) {
    list.setAttribute('aria-busy', 'true');
    try {
      const data = await get(`/api/v1/moderation/queue${query({
        queue, ...state.filters, cursor: append ? state.cursor : null,
      })}`);
      state.cards = append ? [...state.cards, ...data.comments] : data.comments;
      state.cursor = data.next_cursor;
      ui.setCounts(data.counts);
      state.known = data.counts[queue];
      fresh.hidden = true;
      paint();
    } catch (err) { ui.fail(err); } finally { list.setAttribute('aria-busy', 'false'); }
  }

  async function reload(focusId) {
    await load();
    const el = list.querySelector(`[data-id="${focusId}"]`) || list.querySelector('.card');
    if (el) el.focus();
  }

  function stays(card) {
    if (queue === 'all') return true;
    if (queue === 'pending') return card.status === 'pending';
    if (queue === 'reported') return card.report_count > 0 && card.status !== 'rejected';
    return card.status === 'rejected';
  }

  async function decide(card, action, focusNext = true) {
    let reason;
    if (action === 'reject') {
      reason = await askReason(authorName(card));
      if (!reason) return;
    }
    const index = state.cards.findIndex((c) => c.id === card.id);
    try {
      // The status this moderator saw: if someone else decided meanwhile the server says 409.
      const seen = { expected_status: card.status };
      const updated = await post(`/api/v1/moderation/comments/${card.id}/${action}`,
        action === 'reject' ? { reason, ...seen } : seen);
      state.selected.delete(card.id);
      if (stays(updated)) state.cards[index] = { ...card, ...updated, author: card.author };
      else state.cards.splice(index, 1);
    } catch (err) {
      ui.fail(err);
      if (err.status === 409 || err.status === 404) state.cards.splice(index, 1);
    }
    paint();
    const counts = await ui.refreshCounts();
    const left = counts ? counts[queue] : state.cards.length;
    ui.announce(t(action === 'approve' ? 'decided.approved' : 'decided.rejected', { count: left, queue: label }));
    if (focusNext) {
      const cards = list.querySelectorAll('.card');
      const target = cards[Math.min(index, cards.length - 1)];
      const empty = list.querySelector('.empty');
      if (target) target.focus();
      else if (empty) { empty.tabIndex = -1; empty.focus(); }
    }
  }

  async function pick(card, featured) {
    const url = `/api/v1/moderation/comments/${card.id}/feature`;
    try {
      if (featured) {
        const got = await askPick(authorName(card), card.feature_note);
        if (!got) return;
        await post(url, got);
      } else await del(url);
      await reload(card.id);
      ui.announce(t(featured ? 'card.featuredDone' : 'card.unfeaturedDone'));
    } catch (err) { ui.fail(err); }
  }

  async function decideSelected(action) {
    const ids = state.cards.filter((c) => state.selected.has(c.id)).map((c) => c.id);
    if (!ids.length) return;
    let reason = null;
    if (action === 'reject') {
      reason = await askReason('', ids.length);
      if (!reason) return;
    }
    try {
      const out = await post('/api/v1/moderation/comments/bulk', { ids, action, reason });
      state.selected.clear();
      const failed = out.failed.length ? t('bulk.failed', { count: out.failed.length }) : '';
      await load();
      const counts = await ui.refreshCounts();
      const left = t('bulk.left', { count: counts ? counts[queue] : state.cards.length, queue: label });
      ui.announce([t(action === 'approve' ? 'bulk.approved' : 'bulk.rejected', { count: out.done.length }),
        failed, left].filter(Boolean).join(' '));
    } catch (err) { ui.fail(err); }
  }

  selectAll.addEventListener('change', () => {
    state.selected = new Set(selectAll.checked ? state.cards.map((c) => c.id) : []);
    paint();
  });
  bulkApprove.addEventListener('click', () => decideSelected('approve'));
  bulkReject.addEventListener('click', () => decideSelected('reject'));
  more.addEventListener('click', () => load(true));
  fresh.addEventListener('click', () => load());

  function focused() {
    const el = document.activeElement && document.activeElement.closest('.card');
    return el ? state.cards.find((c) => String(c.id) === el.dataset.id) : null;
  }

  return {
    load,
    filters: state.filters,
    onCounts(counts) {
      if (state.known !== undefined && counts[queue] > state.known) {
        fresh.textContent = t('fresh', { count: counts[queue] - state.known });
        fresh.hidden = false;
      }
    },
    key(k) {
      const cards = [...list.querySelectorAll('.card')];
      const current = document.activeElement && document.activeElement.closest('.card');
      const i = cards.indexOf(current);
      if (k === 'j' || k === 'k') {
        const next = cards[i < 0 ? 0 : Math.max(0, Math.min(cards.length - 1, i + (k === 'j' ? 1 : -1)))];
        if (next) { next.focus(); next.scrollIntoView({ block: 'nearest' }); }
        return true;
      }
      const card = focused();
      if (!card) return false;
      if (k === 'a') decide(card, 'approve');
      else if (k === 'r') decide(card, 'reject');
      else if (k === 'b') banUser(ui, card.author, card).then((ok) => ok && reload(card.id));
      else if (k === 'x') current.querySelector('input.select')?.click();
      else return false;
      return true;
    },
  };
}
