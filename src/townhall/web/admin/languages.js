// Languages: which automatic checks cover which language (staff), and the publisher's own
// texts for the comment section and the dashboard, per language (admins).
import { get, patch } from './api.js';
import { clear, field, h } from './dom.js';
import { label, list, problemText, shippedLanguages, t } from './i18n.js';

const CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'];
const SHOWN = 40; // rows drawn at once; the filter finds the rest

/** Plural categories of a language, in CLDR order. */
const categories = (code) => {
  const found = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
  return CATEGORIES.filter((c) => found.includes(c));
};

function coverageTable(cov) {
  const names = Object.fromEntries(shippedLanguages().map((l) => [l.code, l.name]));
  const langs = (codes) => (codes === 'all' ? t('coverage.all') : list(codes.map((c) => names[c] || c)));
  return [
    h('p', { text: t('coverage.intro') }),
    h('table', { class: 'coverage' },
      h('caption', { text: t('coverage.title') }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('coverage.check') }),
        h('th', { scope: 'col', text: t('coverage.languages') }))),
      h('tbody', {}, ...cov.checks.map((c) => h('tr', {},
        h('td', { text: label(`check.${c.check}`, c.check) }),
        h('td', { text: c.wording ? t('coverage.wording', { languages: langs(c.wording) }) : langs(c.languages) }))))),
    h('p', { text: t('coverage.other', {
      what: t(cov.other_languages === 'hold' ? 'coverage.held' : 'coverage.published') }) }),
  ];
}

/** The texts editor: one row per message id of a surface, in one language. */
function textsEditor(ui, site) {
  const overrides = JSON.parse(JSON.stringify(site.messages || {}));
  const surface = h('select', { name: 'surface' },
    h('option', { value: 'widget', text: t('overrides.widget') }),
    h('option', { value: 'dashboard', text: t('overrides.dashboard') }));
  const language = h('select', { name: 'language' }, ...shippedLanguages()
    .map((l) => h('option', { value: l.code, lang: l.code, text: l.name })));
  language.value = site.language;
  const filter = h('input', { type: 'search', name: 'filter' });
  const rows = h('div', { class: 'overrides' });
  const status = h('p', { class: 'meta', 'aria-live': 'polite' });
  let shipped = {};
  let english = {};

  const own = () => ((overrides[surface.value] || {})[language.value] || {});
  const asText = (v) => (typeof v === 'object' ? categories(language.value).map((c) => v[c] || '').join('\n') : v);

  function keep(id, raw) {
    const forms = categories(language.value);
    const value = typeof english[id] === 'object' && raw
      ? Object.fromEntries(raw.split('\n').map((line, i) => [forms[i], line]).filter(([c]) => c)) : raw;
    const byLang = (overrides[surface.value] ||= {});
    const mine = (byLang[language.value] ||= {});
    if (raw) mine[id] = value; else delete mine[id];
    status.textContent = t('overrides.changed', { count: Object.keys(mine).length });
  }

  function draw() {
    const q = filter.value.trim().toLowerCase();
    const mine = own();
    const ids = Object.keys(english).filter((id) => !q || id.toLowerCase().includes(q) ||
      JSON.stringify(english[id]).toLowerCase().includes(q) ||
      JSON.stringify(shipped[id] || '').toLowerCase().includes(q));
    // Changed texts first, so they are never cut off by the limit.
    ids.sort((a, b) => (b in mine) - (a in mine));
    clear(rows).append(...ids.slice(0, SHOWN).map((id) => {
      const plural = typeof english[id] === 'object';
      const input = plural
        ? h('textarea', { rows: String(categories(language.value).length), dataset: { id } })
        : h('input', { type: 'text', dataset: { id } });
      input.value = id in mine ? asText(mine[id]) : '';
      input.placeholder = asText(shipped[id] ?? english[id]);
      input.setAttribute('aria-label', id);
      input.lang = language.value;
      input.dir = 'auto';
      input.addEventListener('input', () => { input.removeAttribute('aria-invalid'); keep(id, input.value.trim()); });
      return h('div', { class: 'override-row' },
        h('code', { text: id }),
        h('div', {}, input,
          h('p', { class: 'ref', lang: language.value, dir: 'auto', text: t('overrides.original', { text: asText(shipped[id] ?? english[id]) }) }),
          plural ? h('p', { class: 'hint', text: t('overrides.plural', { forms: categories(language.value).join(', ') }) }) : null));
    }));
    status.textContent = [t('overrides.shown', { count: Math.min(ids.length, SHOWN) }),
      t('overrides.changed', { count: Object.keys(mine).length })].join(' ');
  }

  async function load() {
    try {
      [shipped, english] = await Promise.all([
        get(`/api/v1/i18n/${surface.value}/${language.value}?shipped=true`),
        get(`/api/v1/i18n/${surface.value}/en?shipped=true`)]);
    } catch (err) { ui.fail(err); return; }
    draw();
  }

  surface.addEventListener('change', load);
  language.addEventListener('change', load);
  filter.addEventListener('input', draw);
  const form = h('form', { class: 'settings', 'aria-labelledby': 'texts-title' },
    h('h2', { id: 'texts-title', text: t('overrides.title') }),
    h('p', { text: t('overrides.intro') }),
    h('div', { class: 'inline' }, field(t('overrides.surface'), surface), field(t('overrides.language'), language),
      field(t('overrides.filter'), filter)),
    status, rows,
    h('button', { type: 'submit', text: t('overrides.save') }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await patch('/api/v1/admin/site', { messages: overrides });
      ui.announce(t('overrides.saved'));
    } catch (err) {
      ui.fail(err);
      // The refused entry is named messages.<surface>.<lang>.<id>: mark it when it is shown.
      const where = ((((err.problem || {}).errors || [])[0] || {}).field || '').split('.');
      const input = where.length > 3 ? rows.querySelector(`[data-id="${CSS.escape(where.slice(3).join('.'))}"]`) : null;
      if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
      status.textContent = problemText(err);
    }
  });
  load();
  return form;
}

/** The Languages page. */
export async function languagesView(ui, root) {
  const heading = h('h1', { tabindex: '-1', text: t('nav.languages') });
  clear(root).append(heading);
  try {
    root.append(...coverageTable(await get('/api/v1/moderation/languages')));
    if (ui.me.role === 'admin') root.append(textsEditor(ui, await get('/api/v1/admin/site')));
  } catch (err) { ui.fail(err); }
  heading.focus();
}
