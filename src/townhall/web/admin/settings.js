// Story settings (staff) and site settings (admins).
import { get, patch, post, query } from './api.js';
import { ask } from './dialogs.js';
import { clear, field, h } from './dom.js';
import { shippedLanguages, t, when } from './i18n.js';

export async function storiesView(ui, root, params) {
  const q = h('input', { type: 'search', name: 'q', value: params.q || '' });
  const form = h('form', { role: 'search', 'aria-label': t('stories.title') },
    field(t('stories.search'), q), h('button', { type: 'submit', text: t('search') }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ui.go(`#/stories${query({ q: q.value.trim() })}`);
  });
  const list = h('ul', { class: 'plain' });
  clear(root).append(h('h1', { text: t('stories.title') }), form, list);
  try {
    const { stories } = await get(`/api/v1/moderation/stories${query({ q: params.q })}`);
    if (!stories.length) list.append(h('li', { text: t('stories.none') }));
    for (const s of stories) {
      const flags = [t(s.is_closed_now ? 'stories.closed' : 'stories.open'),
        s.premoderate ? t('stories.premoderated') : null].filter(Boolean).join(', ');
      list.append(h('li', {},
        h('a', { href: `#/stories/${encodeURIComponent(s.id)}`, text: s.title || s.id }), ' ',
        h('span', { class: 'meta', text: t('stories.meta', { id: s.id, flags, when: when(s.created_at) }) })));
    }
  } catch (err) { ui.fail(err); }
}

export async function storyView(ui, root, key) {
  let s;
  try { s = await get(`/api/v1/moderation/stories/${encodeURIComponent(key)}`); } catch (err) {
    ui.fail(err); return;
  }
  const closed = h('input', { type: 'checkbox', name: 'is_closed', checked: s.is_closed });
  const premod = h('input', { type: 'checkbox', name: 'premoderate', checked: s.premoderate });
  const premium = h('input', { type: 'checkbox', name: 'premium_enabled', checked: s.premium_enabled });
  const days = h('input', { type: 'number', name: 'auto_close_days', min: '1', max: '3650',
    value: s.auto_close_days ?? '' });
  const title = h('input', { type: 'text', name: 'title', maxlength: '300', value: s.title ?? '' });
  const url = h('input', { type: 'text', inputmode: 'url', name: 'url', maxlength: '2000', value: s.url ?? '' });
  const prompt = h('textarea', { name: 'prompt', rows: '2', maxlength: '500' }, s.prompt ?? '');
  const pinned = h('input', { type: 'number', name: 'pinned_comment_id', min: '1', value: s.pinned_comment_id ?? '' });
  const likesClosed = h('input', { type: 'checkbox', name: 'likes_closed', checked: s.likes_closed });
  const qa = h('input', { type: 'checkbox', name: 'qa_mode', checked: s.qa_mode });
  const form = h('form', { 'aria-labelledby': 'story-title', class: 'settings' },
    field(t('story.closed'), closed),
    field(t('story.premoderate'), premod),
    field(t('story.premium'), premium),
    field(t('story.autoClose'), days, t('story.autoCloseHint')),
    field(t('story.titleField'), title, t('story.titleHint')),
    field(t('story.url'), url, t('story.urlHint')),
    field(t('story.prompt'), prompt, t('story.promptHint')),
    field(t('story.pinned'), pinned, t('story.pinnedHint')),
    field(t('story.likesClosed'), likesClosed),
    field(t('story.qaMode'), qa, t('story.qaHint')),
    h('button', { type: 'submit', text: t('story.save') }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const out = await patch(`/api/v1/moderation/stories/${encodeURIComponent(key)}`, {
        is_closed: closed.checked, premoderate: premod.checked, premium_enabled: premium.checked,
        auto_close_days: days.value ? Number(days.value) : null,
        prompt: prompt.value.trim() || null,
        pinned_comment_id: pinned.value ? Number(pinned.value) : null,
        likes_closed: likesClosed.checked,
        qa_mode: qa.checked,
        ...(title.value.trim() !== (s.title ?? '') ? { title: title.value.trim() || null } : {}),
        ...(url.value.trim() !== (s.url ?? '') ? { url: url.value.trim() || null } : {}),
      });
      const which = `story.saved${out.is_closed_now ? 'Closed' : 'Open'}${out.premoderate ? 'Premod' : ''}`;
      ui.announce(t(which, { title: out.title || out.id }));
    } catch (err) { ui.fail(err); }
  });
  const heading = h('h1', { id: 'story-title', tabindex: '-1', text: s.title || s.id });
  clear(root).append(
    h('p', {}, h('a', { href: '#/stories', text: t('story.back') })), heading,
    h('p', { class: 'meta', text: t('story.id', { id: s.id }) }),
    h('p', {}, h('a', { href: `#/queue/all${query({ story_id: s.id })}`, text: t('story.moderate') })),
    form);
  heading.focus();
}

const lines = (v) => v.split('\n').map((x) => x.trim()).filter(Boolean);

// Only rules the admin changed are stored, so untouched lists keep following the defaults.
function changedRules(m, f) {
  const out = {};
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  for (const key of ['banned_words', 'suspect_words']) {
    const value = lines(f[key].value);
    if (!same(value, m[key])) out[key] = value;
  }
  for (const key of ['toxicity_hold', 'max_links']) {
    const value = Number(f[key].value);
    if (value !== m[key]) out[key] = value;
  }
  if (f.other_languages.value !== m.other_languages) out.other_languages = f.other_languages.value;
  return out;
}

export async function siteView(ui, root) {
  let s;
  try { s = await get('/api/v1/admin/site'); } catch (err) { ui.fail(err); return; }
  const m = s.moderation;
  const text = (name, value, attrs = {}) => h('input', { type: 'text', name, value: value ?? '', ...attrs });
  const num = (name, value, attrs = {}) => h('input', { type: 'number', name, value: value ?? '', ...attrs });
  const area = (name, value, rows = 4) => h('textarea', { name, rows: String(rows) }, value.join('\n'));
  const language = h('select', { name: 'language' }, ...shippedLanguages()
    .map((l) => h('option', { value: l.code, lang: l.code, text: l.name })));
  language.value = s.language;
  const other = h('select', { name: 'other_languages' },
    h('option', { value: 'publish', text: t('site.otherPublish') }),
    h('option', { value: 'hold', text: t('site.otherHold') }));
  other.value = m.other_languages || 'publish';
  const f = {
    language,
    other_languages: other,
    heading: text('heading', s.heading, { maxlength: '80' }),
    call_to_action: text('call_to_action', s.call_to_action, { maxlength: '200' }),
    premium_label: text('premium_label', s.premium_label, { maxlength: '80' }),
    learn_more_url: text('learn_more_url', s.learn_more_url),
    guidelines: area('guidelines', s.guidelines),
    guidelines_url: text('guidelines_url', s.guidelines_url),
    report_threshold: num('report_threshold', s.report_threshold, { min: '1', max: '1000' }),
    edit_window_seconds: num('edit_window_seconds', s.edit_window_seconds, { min: '0', max: '86400' }),
    allowed_origins: area('allowed_origins', s.allowed_origins, 3),
    banned_words: area('banned_words', m.banned_words, 6),
    suspect_words: area('suspect_words', m.suspect_words, 6),
    toxicity_hold: num('toxicity_hold', m.toxicity_hold, { min: '0', max: '1', step: 'any' }),
    max_links: num('max_links', m.max_links, { min: '0', max: '100' }),
    alert_pending_threshold: num('alert_pending_threshold', s.alert_pending_threshold, { min: '0', max: '100000' }),
    alert_on_reports: h('input', { type: 'checkbox', name: 'alert_on_reports', checked: s.alert_on_reports }),
    alert_every_minutes: num('alert_every_minutes', s.alert_every_minutes, { min: '1', max: '1440' }),
  };
  const form = h('form', { class: 'settings', 'aria-labelledby': 'site-title' },
    h('fieldset', {}, h('legend', { text: t('site.readerText') }),
      field(t('site.language'), f.language, t('site.languageHint')),
      field(t('site.heading'), f.heading, t('site.headingHint')),
      field(t('site.cta'), f.call_to_action, t('site.ctaHint')),
      field(t('site.premiumLabel'), f.premium_label, t('site.premiumHint', { name: s.name })),
      field(t('site.learnMore'), f.learn_more_url),
      field(t('site.guidelines'), f.guidelines, t('site.guidelinesHint')),
      field(t('site.guidelinesUrl'), f.guidelines_url)),
    h('fieldset', {}, h('legend', { text: t('site.rules') }),
      field(t('site.threshold'), f.report_threshold),
      field(t('site.editWindow'), f.edit_window_seconds),
      field(t('site.origins'), f.allowed_origins)),
    h('fieldset', {}, h('legend', { text: t('site.premoderation') }),
      field(t('site.banned'), f.banned_words),
      field(t('site.suspect'), f.suspect_words),
      field(t('site.toxicity'), f.toxicity_hold),
      field(t('site.links'), f.max_links),
      field(t('site.otherLanguages'), f.other_languages)),
    h('fieldset', {}, h('legend', { text: t('site.alerts') }),
      field(t('site.alertPending'), f.alert_pending_threshold, t('site.alertPendingHint')),
      field(t('site.alertReports'), f.alert_on_reports),
      field(t('site.alertEvery'), f.alert_every_minutes)),
    h('button', { type: 'submit', text: t('site.save') }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await patch('/api/v1/admin/site', {
        language: f.language.value,
        heading: f.heading.value.trim(),
        call_to_action: f.call_to_action.value.trim(),
        premium_label: f.premium_label.value.trim(),
        learn_more_url: f.learn_more_url.value.trim(),
        guidelines: lines(f.guidelines.value),
        guidelines_url: f.guidelines_url.value.trim(),
        report_threshold: Number(f.report_threshold.value),
        edit_window_seconds: Number(f.edit_window_seconds.value),
        allowed_origins: lines(f.allowed_origins.value),
        moderation: changedRules(m, f),
        alert_pending_threshold: Number(f.alert_pending_threshold.value),
        alert_on_reports: f.alert_on_reports.checked,
        alert_every_minutes: Number(f.alert_every_minutes.value),
      });
      ui.announce(t('site.saved'));
    } catch (err) { ui.fail(err); }
  });
  const previous = h('p', { 'aria-live': 'polite' });
  const revoke = h('button', { type: 'button', class: 'secondary', text: t('site.revoke') });
  const showPrevious = (has) => {
    previous.textContent = t(has ? 'site.previousKept' : 'site.previousNone');
    revoke.hidden = !has;
  };
  showPrevious(s.has_previous_sso_secret);
  const secretOut = h('div', { 'aria-live': 'polite' });
  const rotate = h('button', { type: 'button', class: 'secondary', text: t('site.rotate') });
  rotate.addEventListener('click', async () => {
    const ok = await ask({ title: t('site.rotateTitle'), text: t('site.rotateText'), ok: t('site.rotateOk') });
    if (!ok) return;
    try {
      const { sso_secret: secret } = await post('/api/v1/admin/site/sso-secret');
      const out = h('input', { type: 'text', readonly: true, value: secret, size: '50' });
      clear(secretOut).append(field(t('site.newSecret'), out));
      showPrevious(true);
      out.focus();
      out.select();
    } catch (err) { ui.fail(err); }
  });
  revoke.addEventListener('click', async () => {
    const ok = await ask({ title: t('site.revokeTitle'), text: t('site.revokeText'), ok: t('site.revokeOk') });
    if (!ok) return;
    try {
      const out = await post('/api/v1/admin/site/sso-secret/revoke-previous');
      showPrevious(out.has_previous_sso_secret);
      ui.announce(t('site.revoked'));
    } catch (err) { ui.fail(err); }
  });
  const heading = h('h1', { id: 'site-title', tabindex: '-1', text: t('site.title', { name: s.name }) });
  clear(root).append(heading, form,
    h('h2', { text: t('site.sso') }),
    h('p', { text: t(s.has_sso_secret ? 'site.hasSecret' : 'site.noSecret') }),
    previous, rotate, revoke, secretOut);
  heading.focus();
}
