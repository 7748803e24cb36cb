// <townhall-comments story-id="…" story-url="…" story-title="…">: the element's life cycle,
// who is reading, and loading pages of comments. Rendering, writing and live updates live in
// their own modules; each receives the element.
import { premiumRefusal, renderAccount } from './account.js';
import { ApiError, ORIGIN, apiBase, request, storyPath } from './api.js';
import { btn, h } from './dom.js';
import { dropFresh, isLive, pruneFresh, showFresh, startLive, stopLive } from './live.js';
import { Messages, isLoaded, load, resolve } from './messages.js';
import { onSessionChange, readSession, writeSession } from './session.js';
import { build, premiumName, renderCounts, renderMeta, skeleton } from './shell.js';
import { adoptStyles } from './style.js';
import { renderPicks, renderPinned } from './editorial.js';
import { tick } from './clock.js';
import { focusComment, placeReply, replace, thread } from './thread.js';

const TICK_MS = 15000; // relative times and edit countdowns are redrawn this often

/** Whether two sets of messages say the same words (language, locale and overrides). */
const sameWords = (a, b) => a.code === b.code && a.tag === b.tag &&
  JSON.stringify(a.overrides) === JSON.stringify(b.overrides);

class TownhallComments extends HTMLElement {
  static get observedAttributes() { return ['sso-token', 'theme', 'lang']; }

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    adoptStyles(this.root);
    this.i18n = new Messages('en');
    this.stream = 'open';
    this.sort = 'newest';
    this.view = 'threaded';
    this.answered = false;
    this.site = null;
    this.story = null;
    this.cursor = null;
    this.seen = new Set();
    this.comments = new Map();
    this.fresh = [];
    // Commenters this reader muted (id → {id, name}), and muted comments shown on request.
    this.muted = new Map();
    this.shownMuted = new Set();
    this.counts = { open: 0, premium: 0 };
    this.seq = 0;
    this.session = readSession();
  }

  get storyId() { return this.getAttribute('story-id') || location.pathname; }

  get api() { return apiBase(this.getAttribute('server')); }

  get pageSize() { return Math.min(100, Math.max(1, Number(this.getAttribute('page-size')) || 20)); }

  get user() { return this.session && this.session.user; }

  /** Who is asking, as far as the list's contents go (mine, liked, allowed actions). */
  readerKey() {
    const s = this.session;
    const u = (s && s.user) || {};
    return s ? `${s.token}|${u.status}|${u.premium}|${u.name}` : '';
  }

  draftKey(suffix) { return `townhall:${ORIGIN}:draft:${this.storyId}:${suffix}`; }

  /** The language tag the page asks for: the element's lang, the page's, then the site's. */
  wantedTag() {
    const own = this.getAttribute('lang') || document.documentElement.lang;
    if (resolve(own)) return own;
    return (this.site && resolve(this.site.language) && this.site.language) || own || 'en';
  }

  /** Messages for the wanted language when its catalogue is here, with the site's overrides. */
  messagesFor(tag) {
    const code = resolve(tag) || 'en';
    const ready = isLoaded(code) ? code : 'en';
    const all = (this.site && this.site.messages) || {};
    return new Messages(ready, tag, all[ready]);
  }

  /**
   * Speak the wanted language: fetch its catalogue if need be, and when the words change,
   * redraw the section (reloading the list when it was shown). Several calls share one fetch.
   */
  async localise() {
    const tag = this.wantedTag();
    const code = resolve(tag) || 'en';
    if (!isLoaded(code)) await load(code, this.api);
    if (!this.built) return;
    const next = this.messagesFor(tag);
    if (sameWords(next, this.i18n)) return;
    this.i18n = next;
    this.applyDirection();
    if (!this.site) { build(this); return; }
    // Everything on screen is in the old words: build the frame again and reload the page.
    stopLive(this);
    this.site = null;
    build(this);
    await this.load();
  }

  /** Lay the element out in the writing direction of the language shown (its section says both). */
  applyDirection() {
    this.setAttribute('dir', this.i18n.dir);
  }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.i18n = this.messagesFor(this.wantedTag());
    build(this);
    this.applyDirection();
    this.unlisten = onSessionChange(() => this.sessionChanged());
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
    clearInterval(this.ticker);
    clearInterval(this.bellTimer);
    stopLive(this);
    if (this.unlisten) this.unlisten();
    this.built = false;
    this.started = false;
    this.site = null;
    this.story = null;
    this.seq++;
    this.root.replaceChildren();
  }

  attributeChangedCallback(name, old, value) {
    if (old === value || !this.built) return;
    if (name === 'lang') { if (this.started) this.localise(); return; }
    if (name !== 'sso-token') return;
    if (value) this.exchange(value);
    else if (this.session && this.session.via === 'sso') this.signOut();
  }

  start() {
    if (this.started) return;
    this.started = true;
    // The catalogue (when not English) is fetched alongside the first page, not before it.
    this.localising = this.localise();
    // Read the list once, as the signed-in reader when a publisher token is being exchanged.
    Promise.resolve(this.pendingAuth).then(() => this.load());
    // A stored session may be stale (banned, suspended, renamed since): ask who we are.
    if (!this.pendingAuth && this.session && this.session.token) this.refreshMe();
    this.ticker = setInterval(() => { if (!document.hidden && this.site) tick(this); }, TICK_MS);
  }

  /* ---------- who is reading ---------- */

  /** An API request as the current reader; a refused token signs them out. */
  async call(path, opts = {}) {
    const token = this.session && this.session.token;
    try {
      return await request(this.api, path, { ...opts, token });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && token && !path.startsWith('/auth/')) {
        this.setSession(null);
      }
      throw err;
    }
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
    this.announce(this.i18n.t('signedOut'));
  }

  async refreshMe() {
    try {
      const user = await this.call('/me');
      if (!this.session || JSON.stringify(user) === JSON.stringify(this.session.user)) return;
      this.setSession({ ...this.session, user });
    } catch { /* keep what we have */ }
  }

  /** The commenters this reader muted, read once per session (again with `force`). */
  async loadMuted(force = false) {
    const token = this.session && this.session.token;
    if (!token) { this.muted = new Map(); this.mutedFor = null; return this.muted; }
    if (force || this.mutedFor !== token) {
      try {
        const out = await this.call('/me/muted');
        this.muted = new Map(out.muted.map((m) => [m.id, m]));
        this.mutedFor = token;
      } catch { /* nothing collapses rather than nothing loads */ }
    }
    return this.muted;
  }

  /* ---------- what the other modules share ---------- */

  renderAccount() { renderAccount(this); }

  /** Say `msg` in the status region, which is also shown as a toast (`kind`: ok or error). */
  announce(msg, kind = 'ok') {
    const s = this.status;
    clearTimeout(this.toastTimer);
    s.textContent = '';
    s.dataset.kind = kind;
    // A fresh text node after a tick makes screen readers repeat identical messages.
    setTimeout(() => { s.textContent = msg; }, 30);
    this.toastTimer = setTimeout(() => { s.textContent = ''; }, 8000);
  }

  /** The current stream's total, from a page or a live count event. */
  showCount(total) {
    this.counts[this.stream] = total;
    renderCounts(this);
  }

  bump(delta) {
    // With a live stream open the server's own count events are authoritative.
    if (!isLive(this)) this.showCount(Math.max(0, (this.counts[this.stream] || 0) + delta));
  }

  thread(c) { return thread(this, c); }

  placeReply(rootLi, c) { return placeReply(this, rootLi, c); }

  replace(c) { replace(this, c); }

  focusComment(li, how) { focusComment(li, how); }

  showFresh() { showFresh(this); }

  dropFresh(id) { dropFresh(this, id); }

  /* ---------- loading the list ---------- */

  async load({ append = false, focusList = false } = {}) {
    const seq = ++this.seq;
    const t = (...a) => this.i18n.t(...a);
    const q = new URLSearchParams({ stream: this.stream, sort: this.sort, limit: String(this.pageSize) });
    if (this.view === 'flat') q.set('view', 'flat');
    if (this.answered && this.story && this.story.qa_mode) q.set('answered', 'true');
    if (append && this.cursor) q.set('cursor', this.cursor);
    if (append) { this.moreBtn.disabled = true; this.moreBtn.textContent = t('loadingShort'); }
    else if (!this.site) skeleton(this);
    else { this.list.setAttribute('aria-busy', 'true'); this.moreBtn.disabled = true; }
    // Subscribe before reading so nothing posted in between is missed.
    if (!append && this.liveFor !== this.stream) startLive(this);
    let page;
    const muted = this.loadMuted();
    try {
      const token = this.readerKey();
      page = await this.call(`${storyPath(this.storyId)}/comments?${q}`);
      await muted;
      if (!append) this.listToken = token;
    } catch (err) {
      if (seq === this.seq) this.loadFailed(err, append);
      return;
    }
    if (seq !== this.seq) return;
    const first = !this.site;
    // Words first: the catalogue asked for alongside this page, then the site's language and
    // the publisher's overrides, which came with it.
    if (first) await this.localising;
    if (seq !== this.seq) return;
    this.site = page.site;
    this.story = page.story;
    if (first) {
      const tag = this.wantedTag();
      if (!isLoaded(resolve(tag) || 'en')) await load(resolve(tag), this.api);
      if (seq !== this.seq) return;
      const next = this.messagesFor(tag);
      if (!sameWords(next, this.i18n)) {
        this.i18n = next;
        this.applyDirection();
        build(this);
      }
      renderMeta(this);
    }
    this.cursor = page.next_cursor;
    if (page.story.counts) this.counts = { ...page.story.counts };
    this.showCount(page.total);
    const active = this.root.activeElement;
    const keep = !append && active && active.closest('.list') && active.closest('li.c');
    if (!append) {
      renderPicks(this, page.featured);
      renderPinned(this, page.pinned);
      this.seen.clear();
      this.list.replaceChildren();
      if (first) this.renderAccount();
    }
    const before = this.list.children.length;
    for (const c of page.comments) this.list.append(thread(this, c));
    // Events that arrived while the page was loading may already be in it.
    if (!append) pruneFresh(this);
    this.list.setAttribute('aria-busy', 'false');
    this.stateEl.replaceChildren();
    if (!this.list.children.length) {
      this.stateEl.append(h('p', { class: 'empty', part: 'notice' },
        q.has('answered') ? t('qa.none')
          : this.stream === 'premium' ? t('emptyPremium', { premium: premiumName(this) }) : t('empty')));
    }
    this.moreBtn.hidden = !this.cursor;
    this.moreBtn.disabled = false;
    this.moreBtn.textContent = t('loadMore');
    this.footer.hidden = this.list.children.length < 5;
    if (append) {
      const added = this.list.children[before];
      if (added) focusComment(added);
      this.announce(t('moreLoaded', { count: this.list.children.length - before }));
    } else if (focusList) {
      this.listHead.focus();
    } else if (keep) {
      const again = this.root.getElementById(keep.id);
      if (again) focusComment(again, 'none');
    }
    if (first) this.followPermalink();
  }

  loadFailed(err, append) {
    const { t } = this.i18n;
    this.moreBtn.disabled = false;
    this.moreBtn.textContent = t('loadMore');
    if (err.status === 404 && err.code !== 'network' && !this.site) {
      if (!this.warned) console.warn('townhall: story not found', this.storyId);
      this.warned = true;
      this.hidden = true;
      return;
    }
    if (append) { this.announce(t('loadError'), 'error'); return; }
    this.list.setAttribute('aria-busy', 'false');
    this.list.replaceChildren();
    this.moreBtn.hidden = true;
    if (err.code === 'premium-required' && this.site) {
      this.stateEl.replaceChildren(premiumRefusal(this, 'premium.read'));
      return;
    }
    // The server-rendered comments, when the page has them, stay readable above the error.
    const shown = this.stateEl.querySelector(':scope > .static');
    this.stateEl.replaceChildren(...(shown ? [shown] : []), h('div', { class: 'error', part: 'notice' },
      h('p', null, t('loadError')),
      btn(t('tryAgain'), { class: 'secondary', onclick: () => this.load() })));
  }

  async followPermalink() {
    const { t } = this.i18n;
    const m = /^#comment-(\d+)$/.exec(location.hash);
    if (!m || this.followed) return;
    this.followed = true;
    const find = () => this.root.getElementById(`comment-${m[1]}`);
    for (let i = 0; i < 5 && !find() && this.cursor; i++) await this.load({ append: true });
    // A reply may sit behind "Show more replies": open those threads until it turns up.
    for (const b of [...this.list.querySelectorAll('.more-replies')].slice(0, 20)) {
      if (find()) break;
      await b.open(false);
    }
    const el = find();
    if (el) { focusComment(el, 'center'); return; }
    this.notice.replaceChildren(h('div', { class: 'info', part: 'notice' }, h('p', null, t('missing')),
      btn(t('viewAll'), { class: 'link', onclick: () => { this.notice.replaceChildren(); this.listHead.focus(); } })));
  }
}

if (!customElements.get('townhall-comments')) customElements.define('townhall-comments', TownhallComments);
