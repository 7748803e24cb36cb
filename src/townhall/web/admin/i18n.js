// The dashboard's words: one catalogue per language (src/townhall/i18n/dashboard/<lang>.json,
// with the site's own overrides), fetched from /api/v1/i18n before the first screen is drawn.
// The language is the moderator's choice (kept in this browser), else the browser's first
// shipped language, else English. Plural messages are keyed by Intl.PluralRules category;
// dates go through Intl.DateTimeFormat in the same locale.

const PREF = 'townhall:admin:lang';
let languages = [{ code: 'en', name: 'English', dir: 'ltr' }];
let cat = {};
let lang = 'en';
let plurals = new Intl.PluralRules('en');
let numbers = new Intl.NumberFormat('en');
let dates = null;

/** The shipped language for a BCP 47 tag ("de-AT" → "de", "pt" → "pt-BR"), else null. */
function resolve(tag) {
  if (!tag) return null;
  const want = String(tag).toLowerCase();
  const base = want.split('-')[0];
  const codes = languages.map((l) => l.code);
  return codes.find((c) => c.toLowerCase() === want) || codes.find((c) => c.toLowerCase() === base) ||
    codes.find((c) => c.toLowerCase().split('-')[0] === base) || null;
}

async function fetchJson(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(String(res.status));
  return res.json();
}

/** Load the language list and the catalogue for `wanted` (or the stored or browser choice). */
export async function loadLanguage(wanted = null) {
  try { languages = (await fetchJson('/api/v1/i18n')).languages; } catch { /* English only */ }
  let stored = null;
  try { stored = localStorage.getItem(PREF); } catch { /* storage off */ }
  lang = resolve(wanted) || resolve(stored) ||
    (navigator.languages || [navigator.language]).map(resolve).find(Boolean) || 'en';
  try {
    cat = await fetchJson(`/api/v1/i18n/dashboard/${lang}`);
  } catch {
    lang = 'en';
    cat = await fetchJson('/api/v1/i18n/dashboard/en').catch(() => ({}));
  }
  const info = languages.find((l) => l.code === lang) || { dir: 'ltr' };
  plurals = new Intl.PluralRules(lang);
  numbers = new Intl.NumberFormat(lang);
  dates = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  document.documentElement.lang = lang;
  document.documentElement.dir = info.dir;
  translatePage();
  return lang;
}

/** Remember the moderator's language for this browser. */
export function chooseLanguage(code) {
  try { localStorage.setItem(PREF, code); } catch { /* storage off */ }
}

/** The shipped languages: [{code, name, dir}]. */
export const shippedLanguages = () => languages;

/** The language in use. */
export const currentLanguage = () => lang;

/**
 * The message `id` with `{placeholders}` filled from `params`; `count` picks the plural form.
 * The widget's messages.js fills messages the same way: the widget is one bundled script for
 * publishers' pages and the dashboard plain modules of its own origin, so they share no file.
 */
export function t(id, params = {}) {
  let m = cat[id] ?? id;
  if (typeof m === 'object') m = m[plurals.select(params.count)] ?? m.other;
  return m.replace(/\{(\w+)\}/g, (all, k) => {
    if (!(k in params)) return all;
    const v = params[k];
    return typeof v === 'number' ? numbers.format(v) : String(v);
  });
}

/** Whether the catalogue has a message `id`. */
export const has = (id) => id in cat;

/** `id` when the catalogue has it, else `fallback` as it is (for labels of open-ended codes). */
export const label = (id, fallback) => (has(id) ? t(id) : fallback);

/** Items joined as a list in the dashboard's language ("a, b and c"). */
export function list(items) {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items.map(String));
}

/** A date and time in the dashboard's language. */
export function when(iso) {
  if (!iso) return '';
  return (dates || new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }))
    .format(new Date(iso));
}

/** Put the catalogue's words into the static page: data-i18n (text) and data-i18n-* (attributes). */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = t(title.dataset.i18n);
}

/** What to tell a moderator about a refused or failed request: never the server's own words. */
export function problemText(err) {
  const p = (err && err.problem) || {};
  const code = p.code || (err && err.status === 0 ? 'network' : '');
  if (code === 'validation' || code === 'name-invalid') {
    const first = (p.errors || [])[0] || {};
    const field = first.field || p.field || '';
    const rule = first.rule || p.rule || '';
    if (has(`rule.${rule}`)) return t(`rule.${rule}`, { field });
    return t('problem.validation', { field });
  }
  if (code === 'rate-limited') return t('problem.rate-limited', { count: Math.max(1, Number(p.retry_after) || 30) });
  if (code && has(`problem.${code}`)) return t(`problem.${code}`);
  return t('problem.other');
}
