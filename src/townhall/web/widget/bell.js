// The bell for signed-in readers (replies, decisions, staff replies on followed stories,
// picks) and "Follow this story". Kept fresh by the story's live events and a slow poll.
import { storyPath } from './api.js';
import { btn, h, uid } from './dom.js';

const POLL_MS = 60000;

function itemText(w, n) {
  const { t } = w.i18n;
  const d = n.data || {};
  switch (n.kind) {
    case 'reply': return t('bell.reply', { name: d.author_name || '' });
    case 'decision': return t(d.outcome === 'published' ? 'bell.published' : 'bell.rejected');
    case 'staff_reply': return t('bell.staffReply', { name: d.author_name || '' });
    case 'pick': return t('bell.pick');
    default: return n.kind;
  }
}

function item(w, n) {
  const d = n.data || {};
  const story = d.story || {};
  const head = h('strong', null, itemText(w, n));
  const where = story.title || story.id || '';
  // Only http(s) links: story addresses come from the publisher's own pages.
  const link = d.url && /^https?:\/\//i.test(d.url) ? h('a', { href: d.url }, where || d.url) : where;
  return h('li', { class: n.read ? 'read' : 'unread' }, head, ' ', link,
    d.excerpt ? h('p', { class: 'excerpt' }, d.excerpt) : null);
}

/** The bell and the follow button, for the account box of a signed-in reader. */
export function bellBar(w) {
  const { t } = w.i18n;
  const panelId = uid();
  const unread = h('span', { class: 'unread' });
  const bell = btn(t('bell.button'), { class: 'secondary bell', 'aria-expanded': 'false', 'aria-controls': panelId });
  bell.append(' ', unread);
  const list = h('ul', { class: 'bell-list' });
  const markAll = btn(t('bell.markRead'), { class: 'link' });
  const panel = h('div', { id: panelId, class: 'bell-panel', hidden: true }, list, markAll);
  const follow = btn(t('follow.story'), { class: 'secondary', 'aria-pressed': 'false' });
  let items = [];

  const draw = (data) => {
    items = data.notifications;
    unread.textContent = data.unread ? t('bell.unread', { count: data.unread }) : '';
    // The list is drawn only while open: closed, it holds no second copy of anyone's text.
    list.replaceChildren(...(panel.hidden ? [] : items.length ? items.map((n) => item(w, n))
      : [h('li', null, t('bell.empty'))]));
    markAll.hidden = !data.unread;
  };
  const refresh = async () => {
    try { draw(await w.call('/me/notifications?limit=20')); } catch { /* offline: keep what we have */ }
  };
  bell.addEventListener('click', () => {
    const open = panel.hidden;
    panel.hidden = !open;
    bell.setAttribute('aria-expanded', String(open));
    if (open) refresh(); else list.replaceChildren();
  });
  markAll.addEventListener('click', async () => {
    try {
      await w.call('/me/notifications/read', { method: 'POST', body: {} });
      await refresh();
      bell.focus();
    } catch { /* try again later */ }
  });
  const path = `/me/follows/${encodeURIComponent(w.storyId)}`;
  follow.addEventListener('click', async () => {
    const wanted = follow.getAttribute('aria-pressed') !== 'true';
    try {
      // A story is known to the server once its first comment exists.
      const out = await w.call(path, { method: wanted ? 'PUT' : 'DELETE' });
      follow.setAttribute('aria-pressed', String(out.following));
      w.announce(t(out.following ? 'follow.on' : 'follow.off'));
    } catch { w.announce(t('follow.failed')); }
  });
  w.call(path).then((out) => follow.setAttribute('aria-pressed', String(out.following))).catch(() => {});
  refresh();
  clearInterval(w.bellTimer);
  w.bellTimer = setInterval(() => { if (!document.hidden && bell.isConnected) refresh(); }, POLL_MS);
  // A live comment on this story may be a reply to this reader: look again, once a burst settles.
  w.refreshBell = () => { clearTimeout(w.bellSoon); w.bellSoon = setTimeout(refresh, 1500); };
  return h('div', { class: 'bell-bar' }, h('div', { class: 'row' }, bell, follow), panel);
}

