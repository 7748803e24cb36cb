// Earned trust on the user page: the reader's level and why, and staff setting it by hand.
import { put } from './api.js';
import { field, h } from './dom.js';
import { t, when } from './i18n.js';

export function trustText(trust) {
  if (!trust) return '';
  const f = trust.figures || {};
  const level = t(`trust.level.${trust.level}`);
  let why;
  if (trust.why === 'staff') why = t('trust.why.staff', { by: f.by || t('user.system') }) + (f.reason ? ` – ${f.reason}` : '');
  else if (trust.why === 'rejections') why = t('trust.why.rejections', { count: f.rejected, days: f.days });
  else if (trust.why === 'probation_count') why = t('trust.why.probationCount', { published: f.published, needed: f.needed });
  else if (trust.why === 'probation_hours') why = t('trust.why.probationHours', { hours: f.hours });
  else if (trust.level === 'trusted') why = t('trust.why.trusted', { published: f.published, rejected: f.rejected, days: f.days });
  else why = t('trust.why.record', { published: f.published, rejected: f.rejected, days: f.days, needed: f.needed });
  const until = trust.until ? ` (${t('trust.until', { when: when(trust.until) })})` : '';
  return `${level}${until}: ${why}`;
}

export function trustForm(ui, user, name, redraw) {
  const level = h('select', { name: 'level' },
    h('option', { value: 'auto', text: t('trust.auto') }),
    h('option', { value: 'trusted', text: t('trust.level.trusted') }),
    h('option', { value: 'premoderated', text: t('trust.level.premoderated') }));
  const hours = h('input', { type: 'number', name: 'hours', min: '1', max: '8760' });
  const reason = h('input', { type: 'text', name: 'reason', maxlength: '500' });
  const form = h('form', { 'aria-label': t('trust.form'), class: 'inline' },
    field(t('trust.field'), level), field(t('trust.hours'), hours), field(t('trust.reason'), reason),
    h('button', { type: 'submit', text: t('trust.save') }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const body = { level: level.value };
      if (hours.value) body.hours = Number(hours.value);
      if (reason.value.trim()) body.reason = reason.value.trim();
      const out = await put(`/api/v1/moderation/users/${user.id}/trust`, body);
      ui.announce(t('trust.saved', { name, level: t(`trust.level.${out.level}`) }));
      await redraw();
    } catch (err) { ui.fail(err); }
  });
  return form;
}
