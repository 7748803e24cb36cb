/* townhall comment widget: <townhall-comments story-id="…" story-url="…" story-title="…">.
 * Classic script (works with async/defer); dialogs are loaded lazily from dialogs.js. */
(() => {
  'use strict';
  if (!window.customElements || customElements.get('townhall-comments')) return;

  const SCRIPT = document.currentScript || document.querySelector('script[src*="embed.js"]');
  const SRC = new URL(SCRIPT ? SCRIPT.src : '/embed.js', location.href);
  const ORIGIN = SRC.origin;
  const STATIC = SRC.pathname.endsWith('/static/embed.js')
    ? new URL('./', SRC).href
    : new URL('static/', new URL('./', SRC)).href;
  const SESSION_KEY = `townhall:${ORIGIN}:session`;
  const SESSION_EVENT = 'townhall-session';
  const TEXT = {
    intro: 'Share your thoughts and debate the big issues',
    empty: 'There are no comments yet - be the first to add your thoughts',
    emptyPremium: (p) => `There are no ${p} comments yet - be the first to add your thoughts`,
    needName: 'Create a commenting name to join the debate',
    signIn: 'Sign in and Join the Conversation',
    loadError: 'Comments could not be loaded.',
    postError: 'Your comment was not posted. Try again.',
    pending: 'Your comment is awaiting review',
    rejected: 'This comment has been rejected for violating our guidelines',
    closed: 'Comments are closed on this story.',
    banned: 'Your account has been banned from commenting.',
    suspended: 'Your account has been temporarily suspended from commenting.',
    deleted: 'This comment has been deleted',
    removed: 'This comment has been removed by a moderator for violating our community guidelines.',
    accountGone: 'This comment is no longer available. The commenter has deleted their account.',
    missing: 'This comment has been removed or does not exist.',
  };
  const SORTS = [
    ['newest', 'Newest first'],
    ['oldest', 'Oldest first'],
    ['most_liked', 'Most liked'],
  ];
  const NAME_RULES = {
    'too-short': 'Commenting names need at least 3 characters.',
    'too-long': 'Commenting names can have at most 30 characters.',
    characters: 'That name contains characters we cannot accept.',
    taken: 'That name is already taken.',
    confusable: 'That name is too similar to an existing commenting name.',
    reserved: 'That name is reserved.',
    profane: 'That name is not allowed under our community guidelines.',
  };

  /* ---------- small helpers ---------- */

  function h(tag, props, ...kids) {
    const el = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v == null || v === false) continue;
        if (k === 'text') el.textContent = v;
        else if (k === 'class') el.className = v;
        else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const kid of kids.flat()) if (kid != null && kid !== false) el.append(kid);
    return el;
  }

  const btn = (text, props = {}) =>
    h('button', { type: 'button', part: 'button', ...props }, text);

  const icon = (d) => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'ic');
    const path = document.createElementNS(svg.namespaceURI, 'path');
    path.setAttribute('d', d);
    svg.append(path);
    return svg;
  };
  const ICONS = {
    like: 'M12 21s-7.5-4.6-9.6-9.3C1 8.4 3.1 5 6.6 5c2 0 3.4 1.1 4.1 2.3h2.6C14 6.1 15.4 5 17.4 5c3.5 0 5.6 3.4 4.2 6.7C19.5 16.4 12 21 12 21z',
    reply: 'M10 8V4L3 11l7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11z',
    share: 'M18 16a3 3 0 0 0-2.4 1.2l-6.7-3.4a3 3 0 0 0 0-1.6l6.7-3.4A3 3 0 1 0 15 7l-6.7 3.4a3 3 0 1 0 0 3.2L15 17a3 3 0 1 0 3-1z',
    flag: 'M5 21V4h9l1 2h5v10h-7l-1-2H7v7z',
    edit: 'M4 17.3V20h2.7l8-8-2.7-2.7-8 8zM19.7 7.3a1 1 0 0 0 0-1.4l-1.6-1.6a1 1 0 0 0-1.4 0l-1.3 1.3 3 3 1.3-1.3z',
    bin: 'M7 21a2 2 0 0 1-2-2V7h14v12a2 2 0 0 1-2 2H7zM9 9v9h2V9H9zm4 0v9h2V9h-2zM4 4h5l1-1h4l1 1h5v2H4V4z',
  };

  /* Defence in depth: the server already sanitises body_html; keep only a tiny allow-list. */
  const KEEP = new Set(['p', 'br', 'a', 'em', 'strong']);
  const DROP = new Set(['script', 'style', 'svg', 'math', 'iframe', 'object', 'embed', 'template',
    'noscript', 'img', 'video', 'audio', 'form', 'input', 'button', 'textarea', 'select', 'link', 'meta']);
  function scrub(node) {
    for (const n of [...node.childNodes]) {
      if (n.nodeType === 3) continue;
      if (n.nodeType !== 1) { n.remove(); continue; }
      const tag = n.localName;
      if (!KEEP.has(tag)) {
        if (DROP.has(tag)) n.remove();
        else { scrub(n); n.replaceWith(...n.childNodes); }
        continue;
      }
      for (const a of [...n.attributes]) if (!(tag === 'a' && a.name === 'href')) n.removeAttribute(a.name);
      if (tag === 'a') {
        if (!/^(https?:|mailto:)/i.test(n.getAttribute('href') || '')) n.removeAttribute('href');
        n.setAttribute('rel', 'nofollow ugc noopener');
        n.setAttribute('target', '_blank');
      }
      scrub(n);
    }
  }
  function bodyFragment(html) {
    const t = document.createElement('template');
    t.innerHTML = html || '';
    scrub(t.content);
    return t.content;
  }

  const RTF = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  function ago(iso) {
    const s = (Date.parse(iso) - Date.now()) / 1000;
    const abs = Math.abs(s);
    if (abs < 45) return 'just now';
    for (const [unit, size] of [['day', 86400], ['hour', 3600], ['minute', 60]]) {
      if (abs >= size) {
        if (unit === 'day' && abs > 86400 * 14) break;
        return RTF.format(Math.round(s / size), unit);
      }
    }
    return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
  }
  const fullDate = (iso) =>
    new Date(iso).toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short' });
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

  function readSession() {
    try { return JSON.parse(sessionStorage.getItem(SESSION_KEY)) || null; } catch { return null; }
  }
  function writeSession(s) {
    try {
      if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
      else sessionStorage.removeItem(SESSION_KEY);
    } catch { /* storage disabled: the session lives in memory only */ }
    document.dispatchEvent(new CustomEvent(SESSION_EVENT));
  }
  const store = {
    get(k) { try { return sessionStorage.getItem(k) || ''; } catch { return ''; } },
    set(k, v) { try { if (v) sessionStorage.setItem(k, v); else sessionStorage.removeItem(k); } catch { /* ignore */ } },
  };

  let dialogs;
  const loadDialogs = () => (dialogs ||= import(`${STATIC}dialogs.js`));

  let sheet;
  function styleFor(root) {
    if (!sheet && 'adoptedStyleSheets' in Document.prototype) {
      try { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); } catch { sheet = null; }
    }
    if (sheet) root.adoptedStyleSheets = [sheet];
    else root.append(h('style', { text: CSS }));
  }

  /* ---------- the element ---------- */

  class TownhallComments extends HTMLElement {
    static get observedAttributes() { return ['sso-token', 'theme']; }

    constructor() {
      super();
      this.root = this.attachShadow({ mode: 'open' });
      styleFor(this.root);
      this.stream = 'open';
      this.sort = 'newest';
      this.site = null;
      this.story = null;
      this.cursor = null;
      this.seen = new Set();
      this.fresh = [];
      this.seq = 0;
      this.session = readSession();
      this.onSession = () => this.sessionChanged();
    }

    get storyId() { return this.getAttribute('story-id') || location.pathname; }
    get api() { return `${(this.getAttribute('server') || ORIGIN).replace(/\/$/, '')}/api/v1`; }
    get pageSize() { return Math.min(100, Math.max(1, Number(this.getAttribute('page-size')) || 20)); }
    get user() { return this.session && this.session.user; }
    readerKey() {
      const s = this.session;
      const u = (s && s.user) || {};
      return s ? `${s.token}|${u.status}|${u.premium}|${u.name}` : '';
    }
    draftKey(suffix) { return `townhall:${ORIGIN}:draft:${this.storyId}:${suffix}`; }

    connectedCallback() {
      if (this.built) return;
      this.built = true;
      this.build();
      document.addEventListener(SESSION_EVENT, this.onSession);
      const sso = this.getAttribute('sso-token');
      if (sso) this.pendingAuth = this.exchange(sso);
      else if (this.session && this.session.via === 'sso' &&
        !document.querySelector('townhall-comments[sso-token]:not([sso-token=""])')) {
        // The publisher no longer vouches for this reader: drop the session it gave us.
        this.session = null;
        writeSession(null);
      }
      const permalink = /^#comment-\d+$/.test(location.hash);
      if (permalink || !('IntersectionObserver' in window)) { this.start(); return; }
      this.io = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) { this.io.disconnect(); this.start(); }
      }, { rootMargin: '100% 0px' });
      this.io.observe(this);
    }

    disconnectedCallback() {
      if (this.io) this.io.disconnect();
      this.stopLive();
      document.removeEventListener(SESSION_EVENT, this.onSession);
      this.built = false;
      this.started = false;
      this.site = null;
      this.story = null;
      this.seq++;
      this.root.replaceChildren();
    }

    attributeChangedCallback(name, old, value) {
      if (name !== 'sso-token' || old === value || !this.built) return;
      if (value) this.exchange(value);
      else if (this.session && this.session.via === 'sso') this.signOut();
    }

    start() {
      if (this.started) return;
      this.started = true;
      // Read the list once, as the signed-in reader when a publisher token is being exchanged.
      Promise.resolve(this.pendingAuth).then(() => this.load());
      // A stored session may be stale (banned, suspended, renamed since): ask who we are.
      if (!this.pendingAuth && this.session && this.session.token) this.refreshMe();
    }

    /* ---------- network ---------- */

    async call(path, { method = 'GET', body } = {}) {
      const headers = { Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const token = this.session && this.session.token;
      if (token) headers.Authorization = `Bearer ${token}`;
      let res;
      try {
        res = await fetch(this.api + path, {
          method, headers, credentials: 'omit', mode: 'cors',
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch {
        throw Object.assign(new Error('network'), { status: 0, code: 'network' });
      }
      if (res.status === 204) return null;
      let data = null;
      try { data = await res.json(); } catch { /* empty or non-JSON body */ }
      if (!res.ok) {
        const err = Object.assign(new Error((data && data.detail) || res.statusText), {
          status: res.status, code: (data && data.code) || String(res.status), data: data || {},
          retryAfter: Number((data && data.retry_after) || res.headers.get('Retry-After')) || 0,
        });
        if (res.status === 401 && token && !path.startsWith('/auth/')) {
          this.session = null;
          writeSession(null);
        }
        throw err;
      }
      return data;
    }

    async exchange(jwt) {
      if (this.session && this.session.via === 'sso' && this.session.sso === jwt) return;
      try {
        const out = await this.call('/auth/sso', { method: 'POST', body: { token: jwt } });
        this.setSession({ token: out.token, user: out.user, via: 'sso', sso: jwt });
      } catch (err) {
        console.warn('townhall: SSO sign-in failed', err.code);
        if (this.session && this.session.via === 'sso') this.setSession(null);
      }
    }

    setSession(s) {
      this.session = s;
      writeSession(s);
    }

    sessionChanged() {
      this.session = readSession();
      if (!this.site) return;
      this.renderAccount();
      // Flags such as is_mine and liked_by_me, and which actions show, depend on who asks and
      // on their standing: reload the list when either changes.
      if (this.readerKey() !== this.listToken) this.load();
    }

    async signOut() {
      const had = this.session;
      this.setSession(null);
      if (had && had.token) {
        fetch(`${this.api}/auth/logout`, {
          method: 'POST', credentials: 'omit', headers: { Authorization: `Bearer ${had.token}` },
        }).catch(() => {});
      }
      this.announce('You have signed out');
    }

    async refreshMe() {
      try {
        const user = await this.call('/me');
        if (!this.session || JSON.stringify(user) === JSON.stringify(this.session.user)) return;
        this.setSession({ ...this.session, user });
      } catch { /* keep what we have */ }
    }

    /* ---------- shell ---------- */

    build() {
      this.status = h('div', { role: 'status', class: 'sr-only' });
      this.heading = h('h2', { id: 'th-h', part: 'heading', tabindex: '-1' }, 'Comments');
      this.countEl = h('span', { class: 'count' });
      this.heading.append(this.countEl);
      this.intro = h('p', { class: 'intro' }, TEXT.intro);
      this.guide = h('details', { part: 'guidelines', class: 'guide' },
        h('summary', null, 'Learn more'));
      this.tabs = h('div', { class: 'tabs', hidden: true });
      this.notice = h('div', { class: 'notice-area' });
      this.account = h('div', { class: 'account', part: 'account' });
      this.composerArea = h('div', { class: 'composer-area' });
      this.sortSel = h('select', { id: 'th-sort', onchange: () => {
        this.sort = this.sortSel.value;
        this.load({ focusList: true });
      } }, SORTS.map(([v, t]) => h('option', { value: v }, t)));
      this.toolbar = h('div', { class: 'toolbar', hidden: true },
        h('label', { for: 'th-sort' }, 'Sort by'), this.sortSel);
      this.newBtn = btn('', { class: 'newbar', hidden: true, onclick: () => this.showFresh() });
      this.listHead = h('h3', { class: 'sr-only', id: 'th-list', tabindex: '-1' }, 'Comment list');
      this.list = h('ol', { class: 'list', part: 'list', 'aria-labelledby': 'th-list', 'aria-busy': 'true' });
      this.stateEl = h('div', { class: 'state' });
      this.moreBtn = btn('Load more comments', { class: 'more', part: 'button load-more', hidden: true,
        onclick: () => this.load({ append: true }) });
      this.footer = h('p', { class: 'foot', hidden: true },
        btn('Top of comments', { class: 'link', onclick: () => {
          this.heading.focus({ preventScroll: true });
          this.heading.scrollIntoView({ block: 'start' });
        } }));
      this.panel = h('div', { id: 'th-panel', class: 'panel' },
        this.account, this.composerArea, this.toolbar, this.newBtn, this.listHead, this.list,
        this.stateEl, this.moreBtn, this.footer);
      const skip = btn('Skip to comment form', { class: 'skip', onclick: () => {
        const t = this.root.querySelector('.composer textarea, .account input, .account button');
        if (t) t.focus();
      } });
      this.section = h('section', { class: 'th', part: 'root', 'aria-labelledby': 'th-h' },
        skip,
        h('header', { class: 'head', part: 'header' }, this.heading,
          this.intro, this.guide),
        this.tabs, this.notice, this.panel, this.status);
      this.root.replaceChildren(this.section);
      this.skeleton();
    }

    skeleton() {
      this.list.setAttribute('aria-busy', 'true');
      this.list.replaceChildren(...[0, 1, 2].map(() => h('li', { class: 'sk', 'aria-hidden': 'true' },
        h('span', { class: 'sk-a' }), h('span', { class: 'sk-b' }), h('span', { class: 'sk-c' }))));
      this.stateEl.replaceChildren(h('p', { class: 'sr-only' }, 'Loading comments…'));
    }

    announce(msg) {
      this.status.textContent = '';
      // A fresh text node after a tick makes screen readers repeat identical messages.
      setTimeout(() => { this.status.textContent = msg; }, 30);
    }

    renderMeta() {
      const site = this.site;
      if (site.heading) this.heading.firstChild.textContent = site.heading;
      if (site.call_to_action) this.intro.textContent = site.call_to_action;
      const guide = h('div', { role: 'region', 'aria-label': 'Community guidelines', class: 'guide-body' },
        h('ul', null, (site.guidelines || []).map((g) => h('li', null, g))));
      if (site.guidelines_url) {
        guide.append(h('p', null, h('a', { href: site.guidelines_url, target: '_blank', rel: 'noopener' },
          'Read our community guidelines in full')));
      }
      this.guide.replaceChildren(this.guide.firstChild, guide);
      const premium = this.story && this.story.premium_enabled;
      this.tabs.hidden = !premium;
      if (premium) {
        const list = h('div', { role: 'tablist', 'aria-label': 'Comment streams', part: 'tabs' },
          [['premium', site.premium_label || 'Premium'], ['open', 'All comments']].map(([id, label]) => {
            const on = this.stream === id;
            return btn(label, {
              role: 'tab', id: `th-tab-${id}`, part: 'tab', 'data-stream': id, 'aria-controls': 'th-panel',
              'aria-selected': String(on), tabindex: on ? '0' : '-1', onclick: () => this.switchTo(id),
            });
          }));
        list.addEventListener('keydown', (e) => {
          const keys = { ArrowLeft: -1, ArrowRight: 1, Home: -2, End: 2 };
          if (!(e.key in keys)) return;
          e.preventDefault();
          const tabs = [...list.children];
          const i = tabs.indexOf(this.root.activeElement);
          const step = keys[e.key];
          const next = step === -2 ? 0 : step === 2 ? tabs.length - 1 : (i + step + tabs.length) % tabs.length;
          tabs[next].focus();
          this.switchTo(tabs[next].dataset.stream);
        });
        const more = site.learn_more_url
          ? h('a', { class: 'learn', part: 'learn-more', href: site.learn_more_url, target: '_blank', rel: 'noopener' },
            'Learn more')
          : null;
        this.tabs.replaceChildren(list, more || '');
        this.panel.setAttribute('role', 'tabpanel');
        this.panel.setAttribute('aria-labelledby', `th-tab-${this.stream}`);
      } else {
        this.panel.removeAttribute('role');
        this.panel.removeAttribute('aria-labelledby');
      }
      this.toolbar.hidden = false;
    }

    switchTo(stream) {
      if (stream === this.stream) return;
      this.stream = stream;
      for (const t of this.tabs.querySelectorAll('[role=tab]')) {
        const on = t.dataset.stream === stream;
        t.setAttribute('aria-selected', String(on));
        t.tabIndex = on ? 0 : -1;
      }
      this.panel.setAttribute('aria-labelledby', `th-tab-${stream}`);
      this.renderAccount();
      this.load();
    }

    /* ---------- loading the list ---------- */

    async load({ append = false, focusList = false } = {}) {
      const seq = ++this.seq;
      const q = new URLSearchParams({ stream: this.stream, sort: this.sort, limit: String(this.pageSize) });
      if (append && this.cursor) q.set('cursor', this.cursor);
      if (append) { this.moreBtn.disabled = true; this.moreBtn.textContent = 'Loading…'; }
      else if (!this.site) this.skeleton();
      else { this.list.setAttribute('aria-busy', 'true'); this.moreBtn.disabled = true; }
      // Subscribe before reading so nothing posted in between is missed.
      if (!append && this.liveFor !== this.stream) this.startLive();
      let page;
      try {
        const token = this.readerKey();
        page = await this.call(`/stories/${encodeURIComponent(this.storyId)}/comments?${q}`);
        if (!append) this.listToken = token;
      } catch (err) {
        if (seq !== this.seq) return;
        this.moreBtn.disabled = false;
        this.moreBtn.textContent = 'Load more comments';
        if (err.status === 404 && err.code !== 'network' && !this.site) {
          if (!this.warned) console.warn('townhall: story not found', this.storyId);
          this.warned = true;
          this.hidden = true;
          return;
        }
        if (append) { this.announce(TEXT.loadError); return; }
        if (err.code === 'premium-required' && this.site) {
          this.list.setAttribute('aria-busy', 'false');
          this.list.replaceChildren();
          this.moreBtn.hidden = true;
          this.stateEl.replaceChildren(this.premiumRefusal('read these comments'));
          return;
        }
        this.list.setAttribute('aria-busy', 'false');
        this.list.replaceChildren();
        this.moreBtn.hidden = true;
        this.stateEl.replaceChildren(h('div', { class: 'error', part: 'notice' },
          h('p', null, TEXT.loadError),
          btn('Try again', { class: 'secondary', onclick: () => this.load() })));
        return;
      }
      if (seq !== this.seq) return;
      const first = !this.site;
      this.site = page.site;
      this.story = page.story;
      if (first) this.renderMeta();
      this.cursor = page.next_cursor;
      this.total = page.total;
      this.countEl.textContent = ` (${page.total})`;
      const active = this.root.activeElement;
      const keep = !append && active && active.closest('.list') && active.closest('li.c');
      if (!append) {
        this.seen.clear();
        this.list.replaceChildren();
        if (first) this.renderAccount();
      }
      const before = this.list.children.length;
      for (const c of page.comments) this.list.append(this.thread(c));
      if (!append) {
        // Events that arrived while the page was loading may already be in it.
        this.fresh = this.fresh.filter((c) => !this.seen.has(c.id));
        this.updateNewBtn();
      }
      this.list.setAttribute('aria-busy', 'false');
      this.stateEl.replaceChildren();
      if (!this.list.children.length) {
        const p = this.site.premium_label || 'Premium';
        this.stateEl.append(h('p', { class: 'empty', part: 'notice' },
          this.stream === 'premium' ? TEXT.emptyPremium(p) : TEXT.empty));
      }
      this.moreBtn.hidden = !this.cursor;
      this.moreBtn.disabled = false;
      this.moreBtn.textContent = 'Load more comments';
      this.footer.hidden = this.list.children.length < 5;
      if (append) {
        const added = this.list.children[before];
        if (added) this.focusComment(added);
        this.announce(`${plural(this.list.children.length - before, 'more comment', 'more comments')} loaded`);
      } else if (focusList) {
        this.listHead.focus();
      } else if (keep) {
        const again = this.root.getElementById(keep.id);
        if (again) this.focusComment(again);
      }
      if (first) this.followPermalink();
    }

    async followPermalink() {
      const m = /^#comment-(\d+)$/.exec(location.hash);
      if (!m) return;
      const find = () => this.root.getElementById(`comment-${m[1]}`);
      for (let i = 0; i < 5 && !find() && this.cursor; i++) await this.load({ append: true });
      // A reply may sit behind "Show more replies": open those threads until it turns up.
      for (const b of [...this.list.querySelectorAll('.more-replies')].slice(0, 20)) {
        if (find()) break;
        await b.open(false);
      }
      const el = find();
      if (el) { this.focusComment(el, true); return; }
      this.notice.replaceChildren(h('div', { class: 'info', part: 'notice' }, h('p', null, TEXT.missing),
        btn('View all comments', { class: 'link', onclick: () => { this.notice.replaceChildren(); this.listHead.focus(); } })));
    }

    focusComment(li, scroll = false) {
      const art = li.querySelector('article');
      if (!art) return;
      art.tabIndex = -1;
      art.focus({ preventScroll: !scroll });
      if (scroll) art.scrollIntoView({ block: 'center' });
    }

    /* ---------- rendering comments ---------- */

    thread(c) {
      const li = this.item(c);
      const replies = c.replies || [];
      for (const r of replies) this.placeReply(li, r);
      const more = (c.reply_count || 0) - replies.length;
      if (more > 0) li.append(this.moreReplies(li, c, more));
      return li;
    }

    moreReplies(li, c, more) {
      const b = btn(`Show more replies (${more})`, { class: 'link more-replies' });
      // Kept on the button so a permalink search can open hidden replies too.
      b.open = async (focus = true) => {
        b.disabled = true;
        try {
          let cursor = '';
          let firstNew = null;
          do {
            const q = new URLSearchParams({ limit: '50' });
            if (cursor) q.set('cursor', cursor);
            const page = await this.call(`/comments/${c.id}/replies?${q}`);
            for (const r of page.comments) {
              if (this.seen.has(r.id)) continue;
              const el = this.placeReply(li, r);
              firstNew ||= el;
            }
            cursor = page.next_cursor;
          } while (cursor);
          b.remove();
          if (firstNew && focus) this.focusComment(firstNew);
        } catch {
          b.disabled = false;
          this.announce('Replies could not be loaded.');
        }
      };
      b.addEventListener('click', () => b.open());
      return b;
    }

    placeReply(rootLi, r) {
      const pid = `comment-${r.parent_id}`;
      // The thread may not be attached yet, so look inside it before the whole shadow root.
      const parent = (rootLi.id === pid ? rootLi : rootLi.querySelector(`#${pid}`)) ||
        this.root.getElementById(pid) || rootLi;
      const pDepth = Number(parent.dataset.depth || 0);
      const el = this.item(r, pDepth >= 3);
      const host = pDepth >= 3 ? parent.parentElement.closest('li') || rootLi : parent;
      let ol = host.querySelector(':scope > ol.replies');
      if (!ol) {
        ol = h('ol', { class: 'replies' });
        const moreBtn = host.querySelector(':scope > .more-replies');
        host.insertBefore(ol, moreBtn);
      }
      ol.append(el);
      return el;
    }

    item(c, flat = false) {
      this.seen.add(c.id);
      const depth = Math.min(c.depth || 0, 3);
      const li = h('li', { id: `comment-${c.id}`, class: `c d${depth}`, 'data-depth': depth, 'data-id': c.id });
      li.append(this.article(c, flat));
      this.comments ||= new Map();
      this.comments.set(c.id, c);
      return li;
    }

    article(c, flat) {
      const gone = c.deleted || c.status === 'deleted' || !c.author ||
        (c.status === 'rejected' && !c.is_mine);
      const name = c.author ? c.author.name || 'Anonymous' : '';
      const lid = `th-l-${c.id}`;
      if (gone) {
        return h('article', { class: 'tomb', part: 'comment tombstone', 'aria-labelledby': lid },
          h('p', { id: lid }, c.status === 'rejected' ? TEXT.removed
            : c.deleted || c.status === 'deleted' ? TEXT.deleted : TEXT.accountGone));
      }
      const when = ago(c.created_at);
      const art = h('article', { part: 'comment', class: c.status === 'published' ? '' : 'muted',
        'aria-labelledby': lid });
      const badge = c.author.badge === 'staff' ? 'Staff' : c.author.badge === 'subscriber' ? 'Subscriber' : '';
      art.append(h('header', { class: 'meta' },
        h('span', { class: 'av', 'aria-hidden': 'true', 'data-h': hue(name) }, initial(name)),
        h('span', { class: 'who' },
          h('strong', { class: 'name' }, name),
          badge ? h('span', { class: `badge ${c.author.badge}` }, badge) : null,
          h('time', { datetime: c.created_at, title: fullDate(c.created_at) }, when),
          c.edited ? h('span', { class: 'edited' }, 'Edited') : null),
        h('span', { id: lid, class: 'sr-only' },
          `${c.parent_id ? 'Reply' : 'Comment'} from ${name}, ${when}`),
        this.collapser(name)));
      const av = art.querySelector('.av');
      av.style.setProperty('--h', av.dataset.h);
      if ((flat || c.depth > 3) && c.in_reply_to) {
        art.append(h('p', { class: 'inreply' }, `Replying to ${c.in_reply_to}`));
      }
      const body = h('div', { class: 'body', part: 'comment-body' });
      body.append(bodyFragment(c.body_html));
      art.append(body);
      if (c.is_mine && c.status === 'pending') {
        art.append(h('p', { class: 'note' }, TEXT.pending));
      } else if (c.is_mine && c.status === 'rejected') {
        art.append(h('p', { class: 'note' }, TEXT.rejected));
      }
      if (c.status === 'published') art.append(this.actions(c, name));
      else if (c.is_mine) art.append(h('div', { class: 'actions' }, this.deleteBtn(c)));
      return art;
    }

    collapser(name) {
      const b = btn('', { class: 'fold', 'aria-expanded': 'true',
        'aria-label': `Hide comment by ${name} and its replies`, onclick: () => {
          const li = b.closest('li.c');
          const fold = li.classList.toggle('folded');
          b.setAttribute('aria-expanded', String(!fold));
          b.setAttribute('aria-label', `${fold ? 'Show' : 'Hide'} comment by ${name} and its replies`);
        } });
      b.append(h('span', { class: 'fold-ic', 'aria-hidden': 'true' }));
      return b;
    }

    actions(c, name) {
      const u = this.user;
      const blocked = u && u.status && u.status !== 'active';
      const row = h('div', { class: 'actions', part: 'actions' });
      const likes = h('span', { class: 'likes', id: `th-lc-${c.id}` }, plural(c.like_count || 0, 'like', 'likes'));
      if (c.is_mine || blocked) {
        row.append(h('span', { class: 'own-likes' }, icon(ICONS.like), likes));
      } else {
        const like = btn('', { class: 'act like', 'aria-pressed': String(!!c.liked_by_me),
          'aria-label': `Like comment by ${name}`, 'aria-describedby': likes.id,
          onclick: () => this.toggleLike(c, like, likes) });
        like.append(icon(ICONS.like), h('span', { 'aria-hidden': 'true' }, 'Like'));
        row.append(h('span', { class: 'likebox' }, like, likes));
      }
      if (!this.story.is_closed && !blocked && !(this.stream === 'premium' && u && !u.premium)) {
        const reply = btn('', { class: 'act', 'aria-label': `Reply to comment by ${name}`,
          'aria-expanded': 'false', onclick: () => this.openReply(c, reply) });
        reply.append(icon(ICONS.reply), h('span', { 'aria-hidden': 'true' }, 'Reply'));
        row.append(reply);
      }
      const share = btn('', { class: 'act', 'aria-label': `Share comment by ${name}`,
        onclick: () => this.share(c) });
      share.append(icon(ICONS.share), h('span', { 'aria-hidden': 'true' }, 'Share'));
      row.append(share);
      if (!c.is_mine && !blocked) {
        const done = !!c.reported_by_me;
        const rep = btn('', { class: 'act', 'aria-label': done ? 'Reported' : `Report comment by ${name}`,
          'aria-disabled': done ? 'true' : null, onclick: () => this.report(c, rep) });
        rep.append(icon(ICONS.flag), h('span', { 'aria-hidden': 'true' }, done ? 'Reported' : 'Report'));
        row.append(rep);
      }
      if (c.is_mine && c.editable_until && Date.parse(c.editable_until) > Date.now()) {
        const edit = btn('', { class: 'act', 'aria-label': 'Edit your comment', onclick: () => this.openEdit(c, edit) });
        edit.append(icon(ICONS.edit), h('span', { 'aria-hidden': 'true' }, 'Edit'));
        row.append(edit);
      }
      if (c.is_mine) row.append(this.deleteBtn(c));
      return row;
    }

    deleteBtn(c) {
      const del = btn('', { class: 'act danger', 'aria-label': 'Delete your comment',
        onclick: () => this.remove(c, del) });
      del.append(icon(ICONS.bin), h('span', { 'aria-hidden': 'true' }, 'Delete'));
      return del;
    }

    replace(c) {
      this.comments.set(c.id, c);
      const li = this.root.getElementById(`comment-${c.id}`);
      if (!li) return;
      const old = li.querySelector(':scope > article');
      const flat = !!old.querySelector('.inreply');
      old.replaceWith(this.article(c, flat));
    }

    /* ---------- account box and composer ---------- */

    needSignIn(what) {
      this.announce(`Sign in to ${what}`);
      const target = this.account.querySelector('button, input');
      if (target) { target.focus(); target.scrollIntoView({ block: 'center' }); }
    }

    renderAccount() {
      const u = this.user;
      const site = this.site;
      this.account.replaceChildren();
      this.composerArea.replaceChildren();
      const closed = this.story && this.story.is_closed;
      if (!u) {
        const box = h('div', { class: 'signin' }, h('p', { class: 'cta' }, TEXT.signIn));
        if (site.local_accounts) {
          box.append(h('div', { class: 'row' },
            btn('Sign in', { class: 'primary', onclick: () => this.authForm('login') }),
            btn('Register', { class: 'secondary', onclick: () => this.authForm('register') })));
        } else {
          box.append(btn('Sign in', { class: 'primary', onclick: () => this.dispatchEvent(
            new CustomEvent('townhall-login', { bubbles: true, composed: true })) }));
        }
        this.account.append(box);
      } else if (u.status === 'banned') {
        this.account.append(h('p', { class: 'banner', part: 'notice' }, TEXT.banned));
      } else if (u.status === 'suspended') {
        const until = u.suspended_until ? fullDate(u.suspended_until) : 'a later date';
        this.account.append(h('p', { class: 'banner', part: 'notice' }, TEXT.suspended, ' ',
          `Please rejoin the conversation on ${until}.`));
      } else if (!u.name) {
        this.account.append(this.nameForm());
      } else {
        const out = this.session.via === 'sso' ? null
          : btn('Sign out', { class: 'link', onclick: () => this.signOut() });
        this.account.append(h('p', { class: 'who-am-i' }, 'Signed in as ', h('strong', null, u.name),
          out ? h('span', { class: 'notyou' }, ' Not you? ', out) : null));
      }
      if (closed) {
        this.composerArea.append(h('p', { class: 'info', part: 'notice' }, TEXT.closed));
        return;
      }
      if (!u || !u.name || (u.status && u.status !== 'active')) return;
      if (this.stream === 'premium' && !u.premium) {
        this.composerArea.append(this.premiumRefusal());
        return;
      }
      this.composerArea.append(this.composer({ key: this.draftKey(this.stream), label: 'Add your comment',
        submit: 'Post comment', formLabel: 'Post a comment' }));
    }

    premiumRefusal(what = 'comment here') {
      const label = this.site.premium_label || 'Premium';
      const p = h('p', { class: 'info', part: 'notice' }, `Only ${label} subscribers can ${what}.`);
      if (this.site.learn_more_url) {
        p.append(' ', h('a', { href: this.site.learn_more_url, target: '_blank', rel: 'noopener',
          part: 'learn-more' }, 'Learn more'));
      }
      return p;
    }

    authForm(mode) {
      const reg = mode === 'register';
      const err = h('p', { class: 'err', role: 'alert' });
      const email = h('input', { type: 'email', id: 'th-email', autocomplete: 'email', required: true });
      const pw = h('input', { type: 'password', id: 'th-pw', required: true, minlength: reg ? '8' : null,
        autocomplete: reg ? 'new-password' : 'current-password' });
      const nm = reg ? h('input', { type: 'text', id: 'th-rname', autocomplete: 'nickname', maxlength: '30' }) : null;
      const submit = h('button', { type: 'submit', part: 'button', class: 'primary' }, reg ? 'Create account' : 'Sign in');
      const form = h('form', { class: 'auth', 'aria-label': reg ? 'Register' : 'Sign in', novalidate: true },
        h('h3', null, reg ? 'Create an account' : 'Sign in'),
        h('div', { class: 'field' }, h('label', { for: 'th-email' }, 'Email address'), email),
        h('div', { class: 'field' }, h('label', { for: 'th-pw' }, 'Password'), pw),
        reg ? h('div', { class: 'field' }, h('label', { for: 'th-rname' }, 'Commenting name (optional)'), nm) : null,
        err,
        h('div', { class: 'row' }, submit, btn('Cancel', { class: 'secondary', onclick: () => {
          this.renderAccount();
          const b = this.account.querySelector(reg ? '.secondary' : '.primary');
          if (b) b.focus();
        } })),
        h('p', { class: 'switch' }, reg ? 'Already registered? ' : 'New here? ',
          btn(reg ? 'Sign in' : 'Register', { class: 'link', onclick: () => this.authForm(reg ? 'login' : 'register') })));
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        err.textContent = '';
        if (!email.value || !pw.value) { err.textContent = 'Enter your email address and password.'; return; }
        submit.disabled = true;
        try {
          const body = { email: email.value.trim(), password: pw.value };
          if (reg && nm.value.trim()) body.name = nm.value.trim();
          // Registering answers the same for a new and a taken address; signing in tells.
          if (reg) await this.call('/auth/register', { method: 'POST', body });
          const out = await this.call('/auth/login', { method: 'POST',
            body: { email: body.email, password: body.password } });
          this.setSession({ token: out.token, user: out.user, via: 'local' });
          this.announce(`Signed in${out.user.name ? ` as ${out.user.name}` : ''}`);
          const next = this.root.querySelector('.account input, .composer textarea');
          if (next) next.focus();
        } catch (x) {
          submit.disabled = false;
          err.textContent = x.code === 'invalid-credentials' ? 'That email address and password do not match.'
            : x.code === 'network' ? 'Could not reach the server. Try again.' : fieldError(x);
        }
      });
      this.account.replaceChildren(form);
      email.focus();
    }

    nameForm() {
      const hint = h('p', { id: 'th-name-hint', class: 'hint' },
        '3 to 30 characters. This is how other readers will see you.');
      const err = h('p', { id: 'th-name-err', class: 'err', role: 'alert' });
      const input = h('input', { id: 'th-name', type: 'text', maxlength: '30', autocomplete: 'nickname',
        'aria-describedby': 'th-name-hint th-name-err' });
      const save = h('button', { type: 'submit', part: 'button', class: 'primary' }, 'Save');
      let timer;
      input.addEventListener('input', () => {
        clearTimeout(timer);
        input.removeAttribute('aria-invalid');
        err.textContent = '';
        const v = input.value.trim();
        if (v.length < 3) return;
        timer = setTimeout(async () => {
          try {
            const r = await this.call(`/names/check?name=${encodeURIComponent(v)}`);
            if (input.value.trim() !== v) return;
            if (r.available) hint.textContent = `“${v}” is available.`;
            else err.textContent = NAME_RULES[r.rule] || sentence(r.detail) || 'That name is not available.';
          } catch { /* the Save answer is authoritative */ }
        }, 350);
      });
      const form = h('form', { class: 'nameform', 'aria-label': 'Create a commenting name' },
        h('p', { class: 'cta' }, TEXT.needName),
        h('div', { class: 'field' }, h('label', { for: 'th-name' }, 'Commenting name'),
          h('div', { class: 'row' }, input, save)), hint, err);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        clearTimeout(timer);
        err.textContent = '';
        save.disabled = true;
        try {
          const user = await this.call('/me/name', { method: 'PUT', body: { name: input.value.trim() } });
          this.setSession({ ...this.session, user });
          this.announce(`Your commenting name is ${user.name}`);
          const ta = this.root.querySelector('.composer textarea');
          if (ta) ta.focus();
        } catch (x) {
          save.disabled = false;
          const rule = (x.data && (x.data.rule || (x.data.errors && x.data.errors[0] && x.data.errors[0].rule))) || '';
          err.textContent = x.code === 'network' ? 'Could not reach the server. Try again.'
            : NAME_RULES[rule] || sentence(x.data && x.data.detail) || fieldError(x);
          input.setAttribute('aria-invalid', 'true');
          input.focus();
        }
      });
      return form;
    }

    composer({ key, label, submit, formLabel, parent = null, onCancel = null, initial = '', onSubmit = null }) {
      const max = (this.site && this.site.max_body) || 5000;
      const uid = `th-${Math.random().toString(36).slice(2, 8)}`;
      const ta = h('textarea', { id: uid, rows: parent ? '3' : '4', maxlength: String(max),
        'aria-describedby': `${uid}-n`, part: 'textarea' });
      ta.value = initial || store.get(key);
      const count = h('span', { id: `${uid}-n`, class: 'counter' });
      const err = h('p', { class: 'err', role: 'alert' });
      const send = h('button', { type: 'submit', part: 'button', class: 'primary' }, submit);
      const upd = () => {
        const left = max - ta.value.length;
        count.textContent = plural(left, 'character remaining', 'characters remaining');
        count.classList.toggle('low', left < 100);
      };
      upd();
      ta.addEventListener('input', () => { upd(); if (!initial) store.set(key, ta.value); });
      const form = h('form', { class: 'composer', part: 'composer', 'aria-label': formLabel, novalidate: true },
        h('label', { for: uid }, label), ta,
        h('div', { class: 'row' }, count, h('span', { class: 'grow' }),
          onCancel ? btn('Cancel', { class: 'secondary', onclick: () => onCancel(false) }) : null, send),
        err);
      if (onCancel) {
        let armed = false;
        form.addEventListener('keydown', (e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault();
          if (!ta.value.trim() || armed) { onCancel(true); return; }
          armed = true;
          err.textContent = 'Press Escape again to discard your text.';
        });
      }
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const body = ta.value;
        err.textContent = '';
        if (!body.trim()) { err.textContent = 'Write something before posting.'; ta.focus(); return; }
        send.disabled = true;
        send.textContent = 'Posting…';
        form.setAttribute('aria-busy', 'true');
        try {
          const run = onSubmit || ((b) => this.post(b, parent));
          await run(body);
          if (!initial) store.set(key, '');
          ta.value = '';
          upd();
          send.disabled = false;
        } catch (x) {
          err.textContent = this.postError(x);
          if (x.code === 'premium-required' && this.site.learn_more_url) {
            err.append(' ', h('a', { href: this.site.learn_more_url, target: '_blank', rel: 'noopener' }, 'Learn more'));
          }
          if (x.code === 'rate-limited') {
            setTimeout(() => { send.disabled = false; }, Math.max(1, x.retryAfter || 30) * 1000);
          } else send.disabled = false;
        } finally {
          send.textContent = submit;
          form.removeAttribute('aria-busy');
        }
      });
      return form;
    }

    postError(x) {
      switch (x.code) {
        case 'comment-rejected': {
          const why = x.data.reason || '';
          return `${TEXT.rejected}${why ? `: ${why}` : '.'}`;
        }
        case 'rate-limited':
          return `You're commenting too fast. Try again in ${plural(Math.max(1, x.retryAfter || 30), 'second', 'seconds')}.`;
        case 'premium-required': {
          const l = (this.site && this.site.premium_label) || 'Premium';
          this.refreshMe();
          return `Only ${l} subscribers can comment here.`;
        }
        case 'story-closed':
          this.story.is_closed = true;
          setTimeout(() => this.renderAccount(), 0);
          return TEXT.closed;
        case 'banned': case 'suspended': case 'name-required':
          this.refreshMe();
          return x.message;
        case 'unauthenticated':
          return 'Please sign in again to post.';
        case 'edit-window-closed':
          return 'Edit time has expired. You can no longer edit this comment.';
        case 'validation':
          return fieldError(x);
        default:
          return TEXT.postError;
      }
    }

    async post(body, parent) {
      const c = await this.call(`/stories/${encodeURIComponent(this.storyId)}/comments`, {
        method: 'POST',
        body: { body, stream: this.stream, parent_id: parent ? parent.id : null,
          story_url: this.getAttribute('story-url') || location.href.split('#')[0],
          story_title: this.getAttribute('story-title') || document.title },
      });
      let li;
      if (parent) {
        const rootLi = this.root.getElementById(`comment-${parent.root_id || parent.id}`) ||
          this.root.getElementById(`comment-${parent.id}`);
        li = this.placeReply(rootLi, c);
      } else {
        li = this.thread(c);
        this.list.prepend(li);
        this.stateEl.replaceChildren();
      }
      // The live stream may have announced this comment before the POST answered.
      this.fresh = this.fresh.filter((f) => f.id !== c.id);
      this.updateNewBtn();
      if (c.status === 'published') {
        this.bump(1);
      }
      this.focusComment(li);
      this.announce(c.status === 'pending' ? TEXT.pending
        : parent ? 'Your reply has been posted' : 'Your comment has been posted');
      return c;
    }

    openReply(c, trigger) {
      const art = trigger.closest('article');
      const existing = art.querySelector('.reply-box');
      if (existing) { existing.querySelector('textarea').focus(); return; }
      if (!this.user || !this.user.name) { this.needSignIn('reply'); return; }
      const name = c.author ? c.author.name : '';
      const close = () => {
        box.remove();
        trigger.setAttribute('aria-expanded', 'false');
        trigger.focus();
      };
      const box = h('div', { class: 'reply-box' }, this.composer({
        key: this.draftKey(`reply-${c.id}`), label: 'Write a reply', submit: 'Post reply',
        formLabel: `Reply to ${name}`, parent: c,
        onCancel: (discard) => { if (discard) store.set(this.draftKey(`reply-${c.id}`), ''); close(); },
        onSubmit: async (b) => { await this.post(b, c); box.remove(); trigger.setAttribute('aria-expanded', 'false'); },
      }));
      art.append(box);
      trigger.setAttribute('aria-expanded', 'true');
      box.querySelector('textarea').focus();
    }

    openEdit(c, trigger) {
      const art = trigger.closest('article');
      if (art.querySelector('.reply-box')) return;
      const body = art.querySelector('.body');
      const left = Math.max(0, Math.round((Date.parse(c.editable_until) - Date.now()) / 60000));
      const close = () => { box.remove(); body.hidden = false; trigger.focus(); };
      const box = h('div', { class: 'reply-box' },
        h('p', { class: 'hint' }, `Edit: ${plural(left, 'minute', 'minutes')} remaining`),
        this.composer({
          key: this.draftKey(`edit-${c.id}`), label: 'Update your comment', submit: 'Save changes',
          formLabel: 'Edit your comment', initial: body.textContent,
          onCancel: close,
          onSubmit: async (b) => {
            const out = await this.call(`/comments/${c.id}`, { method: 'PATCH', body: { body: b } });
            this.replace(out);
            this.announce(out.status === 'pending' ? TEXT.pending : 'Your comment has been updated');
            this.focusComment(this.root.getElementById(`comment-${c.id}`));
          },
        }));
      body.hidden = true;
      body.after(box);
      box.querySelector('textarea').focus();
    }

    async toggleLike(c, button, label) {
      if (!this.user) { this.needSignIn('like comments'); return; }
      const on = button.getAttribute('aria-pressed') !== 'true';
      button.disabled = true;
      try {
        const r = await this.call(`/comments/${c.id}/like`, { method: on ? 'PUT' : 'DELETE' });
        c.like_count = r.like_count;
        c.liked_by_me = r.liked_by_me;
        button.setAttribute('aria-pressed', String(!!r.liked_by_me));
        label.textContent = plural(r.like_count, 'like', 'likes');
        this.announce(r.liked_by_me ? 'Liked' : 'Like removed');
      } catch (x) {
        this.announce(x.code === 'own-comment' ? 'You cannot like your own comment.' : 'That did not work. Try again.');
      } finally {
        button.disabled = false;
        button.focus();
      }
    }

    async share(c) {
      const base = (this.getAttribute('story-url') || location.href).split('#')[0];
      const link = `${base}#comment-${c.id}`;
      try {
        await navigator.clipboard.writeText(link);
        this.announce('Link copied');
      } catch {
        this.announce(`Copy this link: ${link}`);
      }
    }

    async report(c, button) {
      if (button.getAttribute('aria-disabled') === 'true') return;
      if (!this.user) { this.needSignIn('report comments'); return; }
      const { confirm } = await loadDialogs();
      const choice = await confirm(this.root, {
        title: 'Report Comment',
        text: 'Are you sure you want to mark this comment as inappropriate?',
        action: 'Report',
        reasons: (this.site.report_reasons || []),
        invoker: button,
      });
      if (!choice) return;
      try {
        await this.call(`/comments/${c.id}/reports`, { method: 'POST', body: { reason: choice.reason, note: choice.note } });
        this.announce("Thank you! We've received your report.");
      } catch (x) {
        if (x.code !== 'already-reported') {
          this.announce(x.code === 'own-comment' ? 'You cannot report your own comment.' : 'Your report was not sent. Try again.');
          return;
        }
        this.announce('You have already reported this comment.');
      }
      c.reported_by_me = true;
      button.setAttribute('aria-disabled', 'true');
      button.setAttribute('aria-label', 'Reported');
      button.lastChild.textContent = 'Reported';
      button.focus();
    }

    async remove(c, button) {
      const { confirm } = await loadDialogs();
      const ok = await confirm(this.root, {
        title: 'Delete Comment',
        text: 'Are you sure you want to delete this comment?',
        action: 'Delete',
        danger: true,
        invoker: button,
      });
      if (!ok) return;
      try {
        await this.call(`/comments/${c.id}`, { method: 'DELETE' });
      } catch {
        this.announce('Your comment was not deleted. Try again.');
        button.focus();
        return;
      }
      const li = this.root.getElementById(`comment-${c.id}`);
      const hasReplies = li && (li.querySelector('ol.replies li') || c.reply_count > 0);
      if (c.status === 'published') {
        this.bump(-1);
      }
      this.announce('Your comment has been deleted');
      if (!li) return;
      if (hasReplies) {
        this.replace({ ...c, deleted: true, status: 'deleted', body_html: '', author: null });
        this.focusComment(li);
      } else {
        const next = li.nextElementSibling || li.previousElementSibling;
        li.remove();
        if (next) this.focusComment(next); else this.listHead.focus();
        if (!this.list.children.length) this.load();
      }
    }

    /* ---------- live updates ---------- */

    bump(delta) {
      // With a live stream open the server's own count events are authoritative.
      if (this.es && this.es.readyState === EventSource.OPEN) return;
      this.total = Math.max(0, (this.total || 0) + delta);
      this.countEl.textContent = ` (${this.total})`;
    }

    startLive() {
      this.stopLive();
      this.liveFor = this.stream;
      this.fresh = [];
      this.updateNewBtn();
      if (!('EventSource' in window)) { this.poll(); return; }
      const url = `${this.api}/stories/${encodeURIComponent(this.storyId)}/events?stream=${this.stream}`;
      const es = new EventSource(url);
      this.es = es;
      es.addEventListener('comment', (e) => this.onLive(() => this.queue(JSON.parse(e.data))));
      es.addEventListener('likes', (e) => this.onLive(() => {
        const d = JSON.parse(e.data);
        const el = this.root.getElementById(`th-lc-${d.id}`);
        if (el) el.textContent = plural(d.like_count, 'like', 'likes');
      }));
      // An edit (or a re-approval) of a comment already on the page: new text in place,
      // keeping what only this reader knows (liked, reported, mine). Never under their focus.
      es.addEventListener('updated', (e) => this.onLive(() => {
        const d = JSON.parse(e.data);
        const c = this.comments && this.comments.get(d.id);
        const li = this.root.getElementById(`comment-${d.id}`);
        if (!c || !li || li.contains(this.root.activeElement)) return;
        this.replace({ ...c, body_html: d.body_html, edited: d.edited, edited_at: d.edited_at });
      }));
      const leave = (removed) => (e) => this.onLive(() => {
        const d = JSON.parse(e.data);
        const c = this.comments && this.comments.get(d.id);
        const li = this.root.getElementById(`comment-${d.id}`);
        this.fresh = this.fresh.filter((f) => f.id !== d.id);
        this.updateNewBtn();
        if (!c || c.deleted || !li) return;
        if (li.querySelector('ol.replies li')) {
          this.replace({ ...c, deleted: !removed, status: removed ? 'rejected' : 'deleted',
            is_mine: false, body_html: '', author: null });
        } else if (!li.contains(this.root.activeElement)) li.remove();
      });
      es.addEventListener('deleted', leave(false));
      // A comment hidden by moderation leaves open pages too, with the moderator's tombstone.
      es.addEventListener('removed', leave(true));
      es.addEventListener('count', (e) => this.onLive(() => {
        this.total = JSON.parse(e.data).total;
        this.countEl.textContent = ` (${this.total})`;
      }));
      es.onerror = () => {
        // A 404 or wrong content type closes the stream for good: fall back to polling quietly.
        if (es.readyState === EventSource.CLOSED && this.es === es) { this.es = null; this.poll(); }
      };
    }

    onLive(fn) { try { fn(); } catch { /* malformed event: ignore */ } }

    stopLive() {
      this.liveFor = null;
      if (this.es) { this.es.close(); this.es = null; }
      clearInterval(this.pollTimer);
      this.pollTimer = null;
    }

    poll() {
      clearInterval(this.pollTimer);
      this.pollTimer = setInterval(async () => {
        if (document.hidden) return;
        try {
          const q = new URLSearchParams({ stream: this.stream, sort: 'newest', limit: '10' });
          const page = await this.call(`/stories/${encodeURIComponent(this.storyId)}/comments?${q}`);
          for (const c of page.comments.reverse()) this.queue(c);
        } catch { /* offline: try again later */ }
      }, 60000);
    }

    queue(c) {
      if (!c || this.seen.has(c.id) || c.stream !== this.stream || c.is_mine) return;
      if (this.fresh.some((f) => f.id === c.id)) return;
      if (c.parent_id) {
        const parent = this.root.getElementById(`comment-${c.root_id || c.parent_id}`);
        if (!parent) return;
      }
      this.fresh.push(c);
      this.updateNewBtn();
      clearTimeout(this.announceTimer);
      this.announceTimer = setTimeout(() => {
        if (this.fresh.length) this.announce(`${plural(this.fresh.length, 'new comment', 'new comments')} available`);
      }, 1500);
    }

    updateNewBtn() {
      const n = this.fresh.length;
      this.newBtn.hidden = !n;
      this.newBtn.textContent = `View ${plural(n, 'new comment', 'new comments')}`;
    }

    showFresh() {
      const items = this.fresh.splice(0);
      this.updateNewBtn();
      let first = null;
      for (const c of items.reverse()) {
        if (this.seen.has(c.id)) continue;
        let li;
        if (c.parent_id) {
          const rootLi = this.root.getElementById(`comment-${c.root_id || c.parent_id}`);
          if (!rootLi) continue;
          li = this.placeReply(rootLi, c);
        } else {
          li = this.thread(c);
          if (this.sort === 'oldest') this.list.append(li); else this.list.prepend(li);
        }
        first = li;
      }
      this.stateEl.replaceChildren();
      if (first) this.focusComment(first, true);
    }
  }

  function fieldError(x) {
    const e = x.data && x.data.errors && x.data.errors[0];
    return sentence((e && e.message) || (x.data && x.data.detail) || x.message) || 'Something went wrong. Try again.';
  }
  function sentence(text) {
    if (!text) return '';
    const t = text.charAt(0).toUpperCase() + text.slice(1);
    return /[.!?]$/.test(t) ? t : `${t}.`;
  }
  function initial(name) { return (name.trim()[0] || '?').toUpperCase(); }
  function hue(name) {
    let n = 0;
    for (const ch of name) n = (n * 31 + ch.codePointAt(0)) % 360;
    return String(n);
  }

  const CSS = `
:host{display:block;min-height:24rem;contain:content;
--th-font-family:inherit;--th-font-size:1rem;--th-color-text:#1a1a1a;--th-color-muted:#5c5c5c;
--th-color-bg:#fff;--th-color-surface:#f5f5f5;--th-color-border:#d9d9d9;--th-color-accent:#c8102e;
--th-color-on-accent:#fff;--th-color-danger:#b00020;--th-color-focus:var(--th-color-accent);
--th-radius:4px;--th-spacing:1rem;--th-av-l:38%;--th-av-s:45%}
:host([hidden]){display:none}
:host([theme=dark]){--th-color-text:#ececec;--th-color-muted:#b4b4b4;--th-color-bg:#121212;
--th-color-surface:#1f1f1f;--th-color-border:#3d3d3d;--th-color-accent:#ff7a88;--th-color-on-accent:#1a0004;
--th-color-danger:#ff8a80;--th-av-l:72%;--th-av-s:55%;color-scheme:dark}
@media (prefers-color-scheme:dark){:host(:not([theme=light])){--th-color-text:#ececec;--th-color-muted:#b4b4b4;
--th-color-bg:#121212;--th-color-surface:#1f1f1f;--th-color-border:#3d3d3d;--th-color-accent:#ff7a88;
--th-color-on-accent:#1a0004;--th-color-danger:#ff8a80;--th-av-l:72%;--th-av-s:55%;color-scheme:dark}}
*{box-sizing:border-box}
[hidden]{display:none!important}
.th{font-family:var(--th-font-family);font-size:var(--th-font-size);line-height:1.5;color:var(--th-color-text);
background:var(--th-color-bg);padding:var(--th-spacing) 0;border-top:4px solid var(--th-color-text)}
.sr-only{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;margin:-1px}
:focus-visible{outline:3px solid var(--th-color-focus);outline-offset:2px}
article:focus{outline:none}article:focus-visible{outline:3px solid var(--th-color-focus)}
h2{font-size:1.6em;line-height:1.2;margin:.2em 0 .25em;font-weight:800;letter-spacing:-.01em}
h2:focus{outline:none}.count{font-weight:400;color:var(--th-color-muted)}
h3{font-size:1.1em;margin:0 0 .5em}
.intro{margin:0;font-size:1.05em}
a{color:var(--th-color-accent);text-underline-offset:2px}
button,input,select,textarea{font:inherit;color:inherit}
button{cursor:pointer;min-height:44px;border-radius:var(--th-radius);padding:.5em 1em;border:1px solid transparent;background:none}
button:disabled,[aria-disabled=true]{cursor:not-allowed;opacity:.7}
.primary{background:var(--th-color-accent);color:var(--th-color-on-accent);font-weight:700}
.primary:hover:not(:disabled){filter:brightness(1.08)}
.secondary{border-color:var(--th-color-text);font-weight:600}
.link{padding:.5em .25em;color:var(--th-color-accent);text-decoration:underline;text-underline-offset:2px;min-width:44px}
.skip{position:absolute;left:-9999px;background:var(--th-color-bg)}.skip:focus{position:static;display:inline-block;margin-bottom:.5em}
.guide summary{cursor:pointer;color:var(--th-color-accent);text-decoration:underline;min-height:44px;display:inline-flex;align-items:center;font-weight:600}
.guide-body{background:var(--th-color-surface);border-left:4px solid var(--th-color-accent);padding:.75em 1em;margin:.25em 0 .75em;font-size:.95em}
.guide-body ul{margin:0 0 .5em;padding-left:1.2em}.guide-body li{margin:.25em 0}
.tabs{display:flex;flex-wrap:wrap;align-items:center;gap:.25em 1em;border-bottom:1px solid var(--th-color-border);margin:1em 0}
[role=tablist]{display:flex;gap:.25em}
[role=tab]{border-radius:0;border:0;border-bottom:4px solid transparent;font-weight:700;padding:.6em .75em;color:var(--th-color-muted)}
[role=tab][aria-selected=true]{color:var(--th-color-text);border-bottom-color:var(--th-color-accent)}
.learn{font-size:.95em;padding:.6em 0;min-height:44px;display:inline-flex;align-items:center}
.account,.composer-area{margin:.75em 0}
.signin,.nameform,.auth,.banner,.info,.error,.empty{background:var(--th-color-surface);border-radius:var(--th-radius);padding:1em}
.cta{font-weight:700;margin:0 0 .5em;font-size:1.05em}
.row{display:flex;flex-wrap:wrap;gap:.5em;align-items:center}
.grow{flex:1}
.field{margin:0 0 .75em}.field label,.composer label{display:block;font-weight:700;margin-bottom:.25em}
input[type=text],input[type=email],input[type=password],textarea,select{border:1px solid var(--th-color-muted);border-radius:var(--th-radius);
background:var(--th-color-bg);padding:.6em;min-height:44px;max-width:100%}
input[type=text],input[type=email],input[type=password]{width:22em}
.nameform .row input{flex:1 1 12em;width:auto}
textarea{width:100%;resize:vertical;display:block;margin-bottom:.5em}
[aria-invalid=true]{border-color:var(--th-color-danger);border-width:2px}
.err{color:var(--th-color-danger);font-weight:600;margin:.5em 0 0}.err:empty{display:none}
.hint,.counter{color:var(--th-color-muted);font-size:.9em;margin:.4em 0 0}.counter.low{color:var(--th-color-danger)}
.switch{margin:.75em 0 0;font-size:.95em}
.who-am-i{margin:0;color:var(--th-color-muted)}.who-am-i strong{color:var(--th-color-text)}
.composer{margin:0}
.banner{border-left:4px solid var(--th-color-danger);margin:0}
.info{margin:0}
.toolbar{display:flex;align-items:center;justify-content:flex-end;gap:.5em;border-top:1px solid var(--th-color-border);padding-top:.75em;margin-top:1em}
.toolbar label{font-weight:600;color:var(--th-color-muted)}
.newbar{display:block;width:100%;margin:.75em 0;background:var(--th-color-text);color:var(--th-color-bg);font-weight:700}
.list,.replies{list-style:none;margin:0;padding:0}
.c{border-top:1px solid var(--th-color-border);padding:1em 0 0;margin:0 0 .25em}
.replies{margin-left:1.25em;border-left:2px solid var(--th-color-border);padding-left:1em}
.replies .c{border-top:0;padding-top:.5em}
article.muted{border-left:3px dashed var(--th-color-border);padding-left:.75em}article.muted .body{color:var(--th-color-muted)}
.meta{display:flex;align-items:center;gap:.6em}
.av{flex:none;width:2.25em;height:2.25em;border-radius:50%;display:inline-grid;place-items:center;font-weight:700;
color:#fff;background:hsl(var(--h,0) var(--th-av-s) var(--th-av-l))}
:host([theme=dark]) .av{color:#111}
@media (prefers-color-scheme:dark){:host(:not([theme=light])) .av{color:#111}}
.fold{margin-left:auto;min-width:44px;padding:0;color:var(--th-color-muted)}
.fold-ic{display:inline-block;width:.7em;height:.7em;border-right:2px solid;border-bottom:2px solid;transform:translateY(-25%) rotate(45deg)}
.folded>article .fold-ic{transform:translateY(25%) rotate(-135deg)}
.folded>article>:not(header),.folded>ol.replies,.folded>.more-replies{display:none}
.folded>article .meta{opacity:.75}
.who{display:flex;flex-wrap:wrap;align-items:baseline;gap:.15em .6em;min-width:0}
.name{font-weight:700;overflow-wrap:anywhere}
time,.edited{color:var(--th-color-muted);font-size:.875em}
.badge{font-size:.75em;font-weight:700;text-transform:uppercase;letter-spacing:.04em;padding:.1em .45em;border-radius:2px;
background:var(--th-color-text);color:var(--th-color-bg)}
.badge.subscriber{background:var(--th-color-accent);color:var(--th-color-on-accent)}
.inreply{margin:.4em 0 0;color:var(--th-color-muted);font-size:.9em}
.body{overflow-wrap:anywhere;margin:.4em 0 0}.body p{margin:0 0 .6em}
.note{margin:.25em 0;font-style:italic;color:var(--th-color-muted)}
.tomb p{margin:0;padding:.5em 0;color:var(--th-color-muted);font-style:italic}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:0 .25em;margin:0 0 .25em -.5em}
.act{display:inline-flex;align-items:center;gap:.35em;min-width:44px;padding:.4em .5em;color:var(--th-color-muted);font-size:.9em;font-weight:600}
.act:hover:not(:disabled){color:var(--th-color-text);background:var(--th-color-surface)}
.act.danger{color:var(--th-color-danger)}
.ic{width:1.15em;height:1.15em;fill:currentColor}
.like .ic{fill:none;stroke:currentColor;stroke-width:2}
.like[aria-pressed=true]{color:var(--th-color-accent)}.like[aria-pressed=true] .ic{fill:currentColor}
.likebox,.own-likes{display:inline-flex;align-items:center;gap:.1em}
.likes{color:var(--th-color-muted);font-size:.9em;margin-right:.5em}
.own-likes{padding-left:.5em;gap:.35em;color:var(--th-color-muted)}.own-likes .ic{fill:none;stroke:currentColor;stroke-width:2}
.reply-box{margin:.5em 0 1em}
.more,.more-replies{margin:.75em 0}
.more{display:block;width:100%;border:2px solid var(--th-color-text);font-weight:700}
.foot{margin:1em 0 0;text-align:right}
.state .empty,.state .error{margin:1em 0}.error p,.empty{margin:0 0 .5em}
.sk{border-top:1px solid var(--th-color-border);padding:1em 0;display:grid;gap:.5em}
.sk span{display:block;height:.9em;border-radius:3px;background:var(--th-color-surface);animation:sh 1.2s ease-in-out infinite alternate}
.sk-a{width:30%}.sk-b{width:90%}.sk-c{width:70%}
@keyframes sh{to{opacity:.45}}
@media (prefers-reduced-motion:reduce){.sk span{animation:none}*{scroll-behavior:auto}}
dialog{border:0;border-radius:calc(var(--th-radius)*2);padding:1.5em;max-width:32em;width:calc(100% - 2em);
background:var(--th-color-bg);color:var(--th-color-text);box-shadow:0 10px 40px rgba(0,0,0,.35)}
dialog::backdrop{background:rgba(0,0,0,.55)}
dialog h2{font-size:1.3em;margin:0 0 .5em}dialog p{margin:0 0 1em}
dialog fieldset{border:0;padding:0;margin:0 0 1em}dialog legend{font-weight:700;margin-bottom:.25em;padding:0}
dialog .opt{display:flex;align-items:center;gap:.5em;min-height:44px}
dialog .opt input{flex:none;width:1.2em;height:1.2em;margin:0 .25em;accent-color:var(--th-color-accent)}
dialog .note-label{display:block;font-weight:700;margin-bottom:.25em}
dialog .btns{display:flex;justify-content:flex-end;flex-wrap:wrap;gap:.5em;margin-top:1em}
dialog .danger-btn{background:var(--th-color-danger);color:var(--th-color-bg);font-weight:700}
@media (max-width:480px){[role=tab]{padding:.5em .4em;font-size:.95em}.tabs{gap:0 .75em}.replies{margin-left:.25em;padding-left:.6em}.replies .replies{margin-left:0}
dialog{margin:auto 0 0;width:100%;max-width:100%;border-radius:12px 12px 0 0}
input[type=text],input[type=email],input[type=password]{width:100%}.toolbar{justify-content:flex-start}}
`;

  customElements.define('townhall-comments', TownhallComments);
})();
