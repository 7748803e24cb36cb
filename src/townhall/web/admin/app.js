// Dashboard shell: sign-in, sections, queue counts kept fresh, keyboard shortcuts.
import { ApiError, get, post, session } from './api.js';
import { auditView } from './audit.js';
import { deliveryView } from './delivery.js';
import { chooseLanguage, currentLanguage, list, loadLanguage, problemText, shippedLanguages, t } from './i18n.js';
import { languagesView } from './languages.js';
import { QUEUES, queueView } from './queue.js';
import { siteView, storiesView, storyView } from './settings.js';
import { userView, usersView } from './users.js';

const $ = (id) => document.getElementById(id);
const POLL_MS = 10_000;
const KEYS_PREF = 'townhall:admin:keys';
let current = null; // the queue view on screen, if any
let poll = null;
let alertTimer = null;

const ui = {
  me: null,
  announce(text) {
    const el = $('status');
    el.textContent = '';
    setTimeout(() => { el.textContent = text; }, 50);
  },
  fail(err) {
    if (err instanceof ApiError && err.status === 401) { signOut(t('signIn.ended')); return; }
    const el = $('alert');
    el.textContent = err instanceof ApiError ? problemText(err) : t('problem.other');
    if (!(err instanceof ApiError)) console.error(err);
    el.classList.add('shown');
    clearTimeout(alertTimer);
    alertTimer = setTimeout(() => el.classList.remove('shown'), 8000);
  },
  go(hash) {
    if (location.hash === hash) route(); else location.hash = hash;
  },
  setCounts(counts) {
    for (const key of QUEUES) {
      for (const el of document.querySelectorAll(`[data-count="${key}"]`)) {
        el.textContent = t('queue.count', { count: counts[key] });
      }
    }
    if (current) current.onCounts(counts);
  },
  async refreshCounts() {
    if (!ui.me) return null;
    try {
      const params = current ? current.filters : {};
      const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString();
      const counts = await get(`/api/v1/moderation/counts${q ? `?${q}` : ''}`);
      ui.setCounts(counts);
      return counts;
    } catch (err) {
      if (err.status === 401) ui.fail(err);
      return null;
    }
  },
};

const ATTACK = 'security.staff_sign_in_attack';
const DAY_MS = 24 * 3600 * 1000;

// Repeated failed sign-ins on staff accounts are audited; staff see them here at once.
async function checkAttacks() {
  const box = $('security-alert');
  let entries = [];
  try {
    ({ entries } = await get(`/api/v1/moderation/audit?action=${ATTACK}&limit=20`));
  } catch { return; }
  const recent = entries.filter((e) => Date.now() - Date.parse(e.created_at) < DAY_MS);
  if (!recent.length) { box.hidden = true; return; }
  const names = [...new Set(recent.map((e) => (e.after && e.after.account) || t('attack.user', { id: e.target_id })))];
  box.replaceChildren(
    `${t('attack.text', { accounts: list(names) })} `,
    Object.assign(document.createElement('a'), { href: `#/audit?action=${ATTACK}`, textContent: t('attack.audit') }));
  box.hidden = false;
}

function show(id) {
  for (const s of ['sign-in', 'denied', 'view']) $(s).hidden = s !== id;
  const signedIn = id === 'view';
  $('nav').hidden = !signedIn;
  $('who').hidden = id === 'sign-in';
}

function signOut(message = '') {
  const s = session.get();
  if (s && s.token) post('/api/v1/auth/logout').catch(() => {});
  session.clear();
  ui.me = null;
  clearInterval(poll);
  current = null;
  $('security-alert').hidden = true;
  show('sign-in');
  $('sign-in-error').textContent = message;
  $('email').focus();
}

async function start() {
  try {
    ui.me = await get('/api/v1/me');
  } catch (err) {
    signOut(err.status === 401 ? '' : problemText(err));
    return;
  }
  $('who-name').textContent = t('who.role', { name: ui.me.name || ui.me.email, role: t(`role.${ui.me.role}`) });
  try {
    await get('/api/v1/moderation/counts');
  } catch (err) {
    if (err.status === 403) { show('denied'); $('denied-title').focus(); return; }
    ui.fail(err);
  }
  for (const el of document.querySelectorAll('[data-admin]')) el.hidden = ui.me.role !== 'admin';
  show('view');
  clearInterval(poll);
  poll = setInterval(() => {
    if (!document.hidden) { ui.refreshCounts(); checkAttacks(); }
  }, POLL_MS);
  checkAttacks();
  await route();
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '') || 'queue/pending';
  const [path, qs] = raw.split('?');
  const params = Object.fromEntries(new URLSearchParams(qs || ''));
  return { parts: path.split('/').map(decodeURIComponent), params };
}

async function route() {
  if (!ui.me || $('view').hidden) return;
  const { parts, params } = parseHash();
  const root = $('view');
  current = null;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.view === parts[0]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const title = (id) => { document.title = t('page.titleOf', { view: t(id) }); };
  if (parts[0] === 'queue') {
    const queue = QUEUES.includes(parts[1]) ? parts[1] : 'pending';
    title(`queue.${queue}`);
    current = queueView(ui, root, queue, params);
    await current.load();
  } else if (parts[0] === 'users' && parts[1]) {
    title('user.title');
    await userView(ui, root, Number(parts[1]));
  } else if (parts[0] === 'users') {
    title('users.title');
    await usersView(ui, root, params);
  } else if (parts[0] === 'stories' && parts[1]) {
    title('story.title');
    await storyView(ui, root, parts[1]);
  } else if (parts[0] === 'stories') {
    title('stories.title');
    await storiesView(ui, root, params);
  } else if (parts[0] === 'site' && ui.me.role === 'admin') {
    title('site.short');
    await siteView(ui, root);
  } else if (parts[0] === 'audit') {
    title('audit.title');
    await auditView(ui, root, params);
  } else if (parts[0] === 'delivery') {
    title('delivery.title');
    await deliveryView(ui, root);
  } else if (parts[0] === 'languages') {
    title('nav.languages');
    await languagesView(ui, root);
  } else {
    ui.go('#/queue/pending');
  }
}

function keysEnabled() { return localStorage.getItem(KEYS_PREF) !== 'off'; }

function onKey(event) {
  if (!ui.me || $('view').hidden || event.ctrlKey || event.metaKey || event.altKey) return;
  if (document.querySelector('dialog[open]')) return;
  const t = event.target;
  if (t.closest('input, textarea, select, [contenteditable]')) return;
  if (!keysEnabled()) return;
  const k = event.key;
  if (k === '?') { event.preventDefault(); $('help').showModal(); return; }
  if (k === '/') { event.preventDefault(); ui.go('#/users'); setTimeout(() => $('user-search')?.focus(), 100); return; }
  const n = Number(k);
  if (n >= 1 && n <= QUEUES.length) { ui.go(`#/queue/${QUEUES[n - 1]}`); return; }
  if (current && current.key(k)) event.preventDefault();
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = $('email').value.trim();
  const password = $('password').value;
  if (!email || !password) { $('sign-in-error').textContent = t('signIn.missing'); return; }
  try {
    const out = await post('/api/v1/auth/login', { email, password });
    session.set({ token: out.token });
    $('password').value = '';
    $('sign-in-error').textContent = '';
    await start();
  } catch (err) {
    $('sign-in-error').textContent = err.status === 401 ? t('signIn.wrong') : problemText(err);
  }
});
$('sign-out').addEventListener('click', () => signOut());
$('denied-sign-out').addEventListener('click', () => signOut());
$('help-button').addEventListener('click', () => $('help').showModal());
$('keys-enabled').checked = keysEnabled();
$('keys-enabled').addEventListener('change', (e) => {
  localStorage.setItem(KEYS_PREF, e.target.checked ? 'on' : 'off');
});
window.addEventListener('hashchange', route);
document.addEventListener('keydown', onKey);

/** The language menu in the top bar; a new choice redraws the current screen in it. */
function languageMenu() {
  const menu = $('language');
  menu.replaceChildren(...shippedLanguages().map((l) => {
    const o = document.createElement('option');
    o.value = l.code;
    o.lang = l.code;
    o.textContent = l.name;
    return o;
  }));
  menu.value = currentLanguage();
}

$('language').addEventListener('change', async (e) => {
  chooseLanguage(e.target.value);
  await loadLanguage(e.target.value);
  languageMenu();
  if (ui.me) {
    $('who-name').textContent = t('who.role', { name: ui.me.name || ui.me.email, role: t(`role.${ui.me.role}`) });
    if (!$('security-alert').hidden) checkAttacks();
    await route();
  }
});

loadLanguage().then(() => {
  languageMenu();
  if (session.get()) start(); else signOut();
});
