// Every string a reader sees or hears comes from a message catalogue keyed by message id
// (src/townhall/i18n/widget/<lang>.json). `{name}` placeholders are filled by t(); a message
// that depends on a number is an object keyed by Intl.PluralRules category. Times and dates
// go through Intl.RelativeTimeFormat and Intl.DateTimeFormat in the reader's locale.
//
// English is in the bundle. Another language is fetched once from the townhall origin when an
// element first needs it (a small JSON file under a content-hashed address, so browsers keep
// it), and the publisher's overrides for that language come with the first page of comments.
// Each element has its own Messages, so two sections on one page may speak two languages.
import EN from '../../i18n/widget/en.json';

// Content hashes of the shipped catalogues, filled in by the bundler (scripts/widget.mjs).
// eslint-disable-next-line no-undef
const VERSIONS = __CATALOGUE_VERSIONS__;
// The shipped languages' code, direction and locale, from src/townhall/i18n/languages.json.
// eslint-disable-next-line no-undef
const LANGUAGES = __LANGUAGES__;
const BY_CODE = Object.fromEntries(LANGUAGES.map((l) => [l.code, l]));
const loaded = { en: EN };
const loading = {};

/** The shipped language for a BCP 47 tag ("de-AT" → "de", "pt" → "pt-BR"), else null. */
export function resolve(tag) {
  if (!tag || !/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(tag.trim())) return null;
  const want = tag.trim().toLowerCase();
  const base = want.split('-')[0];
  const codes = LANGUAGES.map((l) => l.code);
  return codes.find((c) => c.toLowerCase() === want) || codes.find((c) => c.toLowerCase() === base) ||
    codes.find((c) => c.toLowerCase().split('-')[0] === base) || null;
}

/** Whether a language's catalogue is already here. */
export const isLoaded = (code) => code in loaded;

/** Fetch a shipped catalogue from `api` (once per page); resolves to false when it failed. */
export function load(code, api) {
  if (loaded[code]) return Promise.resolve(true);
  if (!loading[code]) {
    loading[code] = fetch(`${api}/i18n/widget/${code}?v=${VERSIONS[code] || ''}`, {
      credentials: 'omit', mode: 'cors', headers: { Accept: 'application/json' },
    }).then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((cat) => { loaded[code] = cat; return true; })
      .catch(() => { delete loading[code]; return false; });
  }
  return loading[code];
}

// Problem codes the server sends, and what the reader is told. An entry may be specific to
// what the reader was doing (`like:own-comment`). Validation problems go by field and rule.
const PROBLEMS = {
  // Offline: "Your comment was not posted. Try again." says more than "could not reach".
  'auth:network': 'problem.network',
  'name:network': 'problem.network',
  'rate-limited': 'problem.slowDown',
  'post:rate-limited': 'problem.rateLimited',
  'edit:rate-limited': 'problem.rateLimited',
  'auth:rate-limited': 'problem.tooManyAttempts',
  'story-closed': 'closed',
  'story-archived': 'problem.archived',
  banned: 'banned',
  suspended: 'suspended',
  'name-required': 'problem.nameRequired',
  'premium-required': 'premium.comment',
  unauthenticated: 'problem.signInAgain',
  'invalid-token': 'problem.signInAgain',
  'invalid-credentials': 'auth.mismatch',
  'edit-window-closed': 'editExpired',
  'like:own-comment': 'problem.ownLike',
  'report:own-comment': 'problem.ownReport',
  'already-reported': 'report.already',
  'comment-rejected': 'rejected',
  'payload-too-large': 'problem.tooLarge',
  'not-found': 'problem.notFound',
  'load:not-found': 'fail.load',
  forbidden: 'problem.forbidden',
  'origin-not-allowed': 'problem.origin',
  'live-unavailable': 'problem.busy',
  'shutting-down': 'problem.busy',
  'confirmation-failed': 'account.notConfirmed',
};

/**
 * The messages of one language for one element. `tag` is what the page asked for ("de-AT"),
 * `code` the shipped catalogue that serves it ("de"), `overrides` the publisher's own texts for
 * that language. Methods are bound, so modules may destructure them.
 */
export class Messages {
  constructor(code, tag = code, overrides = null) {
    const lang = BY_CODE[code] || BY_CODE.en;
    this.code = lang.code;
    this.dir = lang.dir;
    // The page's own tag when it names this language ("de-AT" formats dates the Austrian way).
    this.tag = tag && resolve(tag) === lang.code ? tag : lang.code;
    this.locale = this.tag === lang.code ? lang.locale : this.tag;
    this.overrides = overrides || null;
    const cat = { ...EN, ...(loaded[lang.code] || {}), ...(overrides || {}) };
    const plurals = new Intl.PluralRules(this.locale);
    const numbers = new Intl.NumberFormat(this.locale);
    const rtf = new Intl.RelativeTimeFormat(this.locale, { numeric: 'auto' });
    const day = new Intl.DateTimeFormat(this.locale, { day: 'numeric', month: 'long', year: 'numeric' });
    const full = new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeStyle: 'short' });

    /** Whether the catalogue has a message `id`. */
    this.has = (id) => id in cat;

    /** The ids starting with `prefix`, in the catalogue's order (the default guidelines). */
    this.ids = (prefix) => Object.keys(cat).filter((id) => id.startsWith(prefix));

    /** The message `id` with `{placeholders}` filled from `params`; `count` picks the plural form. */
    this.t = (id, params = {}) => {
      let m = cat[id] ?? id;
      if (typeof m === 'object') m = m[plurals.select(params.count)] ?? m.other;
      return m.replace(/\{(\w+)\}/g, (all, k) => {
        if (!(k in params)) return all;
        const v = params[k];
        return typeof v === 'number' ? numbers.format(v) : String(v);
      });
    };

    /** The message `id` as a list of strings and the `nodes` standing for its placeholders. */
    this.parts = (id, nodes) => this.t(id).split(/(\{\w+\})/).filter(Boolean).map((s) => {
      const k = /^\{(\w+)\}$/.exec(s);
      return k && k[1] in nodes ? nodes[k[1]] : s;
    });

    /** How long ago `iso` was, in words ("5 minutes ago", "1 minute ago" from 45 s); a date after two weeks. */
    this.ago = (iso, now = Date.now()) => {
      const s = (Date.parse(iso) - now) / 1000;
      const abs = Math.abs(s);
      if (abs < 45) return this.t('time.now');
      if (abs > 86400 * 14) return day.format(new Date(iso));
      const [unit, size, most] = abs >= 86400 ? ['day', 86400, 14] : abs >= 3600 ? ['hour', 3600, 23] : ['minute', 60, 59];
      const n = Math.min(most, Math.max(1, Math.round(abs / size)));
      return rtf.format(s < 0 ? -n : n, unit);
    };

    /** The date and time of `iso` in full ("25 November 2026 at 14:05"). */
    this.fullDate = (iso) => full.format(new Date(iso));

    /**
     * What to tell the reader about a failed `action` (load, post, edit, like, report, delete,
     * name, auth). `params` fills placeholders such as {premium}. Never the server's own wording.
     */
    this.problemText = (err, action, params = {}) => {
      const code = err.code || 'network';
      if (code === 'validation' || code === 'name-invalid') {
        const { field, rule } = err;
        const id = [`rule.${field}.${rule}`, `rule.${action}.${rule}`].find(this.has);
        if (id) return this.t(id, params);
      }
      const id = PROBLEMS[`${action}:${code}`] || PROBLEMS[code];
      if (code === 'rate-limited') return this.t(id, { count: Math.max(1, err.retryAfter || 30) });
      if (id) return this.t(id, params);
      return this.t(`fail.${action}`, params);
    };
  }
}
