// Story settings (staff) and site settings (admins).
import { get, patch, post, query } from './api.js';
import { ask } from './dialogs.js';
import { clear, field, h, when } from './dom.js';

export async function storiesView(ui, root, params) {
  const q = h('input', { type: 'search', name: 'q', value: params.q || '' });
  const form = h('form', { role: 'search', 'aria-label': 'Stories' },
    field('Search or jump to story', q), h('button', { type: 'submit', text: 'Search' }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ui.go(`#/stories${query({ q: q.value.trim() })}`);
  });
  const list = h('ul', { class: 'plain' });
  clear(root).append(h('h1', { text: 'Stories' }), form, list);
  try {
    const { stories } = await get(`/api/v1/moderation/stories${query({ q: params.q })}`);
    if (!stories.length) list.append(h('li', { text: 'No stories found.' }));
    for (const s of stories) {
      const flags = [s.is_closed_now ? 'closed' : 'open', s.premoderate ? 'pre-moderated' : null]
        .filter(Boolean).join(', ');
      list.append(h('li', {},
        h('a', { href: `#/stories/${encodeURIComponent(s.id)}`, text: s.title || s.id }),
        h('span', { class: 'meta', text: ` (${s.id}; ${flags}; created ${when(s.created_at)})` })));
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
  const form = h('form', { 'aria-labelledby': 'story-title', class: 'settings' },
    field('Closed for comments', closed),
    field('Pre-moderate every comment', premod),
    field('Premium stream', premium),
    field('Close automatically after (days)', days, 'Leave empty to keep the story open.'),
    field('Title', title, 'Plain text, as readers and moderators see it.'),
    field('Address', url, 'The article’s http(s) address on one of the site’s own origins.'),
    h('button', { type: 'submit', text: 'Save story settings' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const out = await patch(`/api/v1/moderation/stories/${encodeURIComponent(key)}`, {
        is_closed: closed.checked, premoderate: premod.checked, premium_enabled: premium.checked,
        auto_close_days: days.value ? Number(days.value) : null,
        ...(title.value.trim() !== (s.title ?? '') ? { title: title.value.trim() || null } : {}),
        ...(url.value.trim() !== (s.url ?? '') ? { url: url.value.trim() || null } : {}),
      });
      ui.announce(`Saved. ${out.title || out.id} is ${out.is_closed_now ? 'closed' : 'open'}`
        + `${out.premoderate ? ' and pre-moderated' : ''}.`);
    } catch (err) { ui.fail(err); }
  });
  const heading = h('h1', { id: 'story-title', tabindex: '-1', text: s.title || s.id });
  clear(root).append(
    h('p', {}, h('a', { href: '#/stories', text: '← All stories' })), heading,
    h('p', { class: 'meta', text: `Story id ${s.id}` }),
    h('p', {}, h('a', { href: `#/queue/all${query({ story_id: s.id })}`, text: 'Moderate this story' })),
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
  return out;
}

export async function siteView(ui, root) {
  let s;
  try { s = await get('/api/v1/admin/site'); } catch (err) { ui.fail(err); return; }
  const m = s.moderation;
  const text = (name, value, attrs = {}) => h('input', { type: 'text', name, value: value ?? '', ...attrs });
  const num = (name, value, attrs = {}) => h('input', { type: 'number', name, value: value ?? '', ...attrs });
  const area = (name, value, rows = 4) => h('textarea', { name, rows: String(rows) }, value.join('\n'));
  const f = {
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
  };
  const form = h('form', { class: 'settings', 'aria-labelledby': 'site-title' },
    h('fieldset', {}, h('legend', { text: 'Reader-facing text' }),
      field('Premium label', f.premium_label, `Shown as the Premium tab; empty means “${s.name} Premium”.`),
      field('“Learn more” address', f.learn_more_url),
      field('Community guidelines (one per line)', f.guidelines),
      field('Full guidelines address', f.guidelines_url)),
    h('fieldset', {}, h('legend', { text: 'Rules' }),
      field('Reports that hide a comment', f.report_threshold),
      field('Edit window (seconds)', f.edit_window_seconds),
      field('Allowed embedding origins (one per line)', f.allowed_origins)),
    h('fieldset', {}, h('legend', { text: 'Pre-moderation' }),
      field('Banned words (reject; one per line)', f.banned_words),
      field('Suspect words (hold; one per line)', f.suspect_words),
      field('Toxicity score that holds a comment (0–1)', f.toxicity_hold),
      field('Links allowed per comment', f.max_links)),
    h('button', { type: 'submit', text: 'Save site settings' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await patch('/api/v1/admin/site', {
        premium_label: f.premium_label.value.trim(),
        learn_more_url: f.learn_more_url.value.trim(),
        guidelines: lines(f.guidelines.value),
        guidelines_url: f.guidelines_url.value.trim(),
        report_threshold: Number(f.report_threshold.value),
        edit_window_seconds: Number(f.edit_window_seconds.value),
        allowed_origins: lines(f.allowed_origins.value),
        moderation: changedRules(m, f),
      });
      ui.announce('Site settings saved. They apply to readers within seconds.');
    } catch (err) { ui.fail(err); }
  });
  const previous = h('p', { 'aria-live': 'polite' });
  const revoke = h('button', { type: 'button', class: 'secondary', text: 'Revoke previous SSO secret' });
  const showPrevious = (has) => {
    previous.textContent = has
      ? 'The previous secret is still accepted until the next rotation.'
      : 'Only the current secret is accepted.';
    revoke.hidden = !has;
  };
  showPrevious(s.has_previous_sso_secret);
  const secretOut = h('div', { 'aria-live': 'polite' });
  const rotate = h('button', { type: 'button', class: 'secondary', text: 'Rotate SSO secret' });
  rotate.addEventListener('click', async () => {
    const ok = await ask({
      title: 'Rotate the SSO secret?',
      text: 'A new secret is made and shown once. The current one keeps working until the next rotation.',
      ok: 'Rotate',
    });
    if (!ok) return;
    try {
      const { sso_secret: secret } = await post('/api/v1/admin/site/sso-secret');
      const out = h('input', { type: 'text', readonly: true, value: secret, size: '50' });
      clear(secretOut).append(field('New SSO secret (copy it now; it is not shown again)', out));
      showPrevious(true);
      out.focus();
      out.select();
    } catch (err) { ui.fail(err); }
  });
  revoke.addEventListener('click', async () => {
    const ok = await ask({
      title: 'Revoke the previous SSO secret?',
      text: 'Tokens signed with it stop working at once, and it can never be installed again. Do this when it has leaked.',
      ok: 'Revoke',
    });
    if (!ok) return;
    try {
      const out = await post('/api/v1/admin/site/sso-secret/revoke-previous');
      showPrevious(out.has_previous_sso_secret);
      ui.announce('The previous SSO secret is revoked.');
    } catch (err) { ui.fail(err); }
  });
  const heading = h('h1', { id: 'site-title', tabindex: '-1', text: `Site settings – ${s.name}` });
  clear(root).append(heading, form,
    h('h2', { text: 'Single sign-on' }),
    h('p', { text: s.has_sso_secret ? 'An SSO secret is set.' : 'No SSO secret is set.' }),
    previous, rotate, revoke, secretOut);
  heading.focus();
}
