// One modal confirm dialog (native <dialog>: focus is trapped and Esc cancels),
// optionally with extra fields; resolves to the collected value or null.
import { clear, field, h } from './dom.js';
import { t } from './i18n.js';

const dialog = () => document.getElementById('confirm');

export function ask({ title, text = '', ok = null, extra = null, collect = () => true }) {
  const d = dialog();
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = ok || t('confirm');
  const error = document.getElementById('confirm-error');
  error.textContent = '';
  const box = clear(document.getElementById('confirm-extra'));
  if (extra) box.append(extra);
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const form = document.getElementById('confirm-form');
    let value = null;
    const onSubmit = (event) => {
      if (event.submitter && event.submitter.value !== 'ok') return;
      try {
        value = collect();
      } catch (err) {
        event.preventDefault();
        error.textContent = err.message;
        return;
      }
    };
    const onClose = () => {
      form.removeEventListener('submit', onSubmit);
      d.removeEventListener('close', onClose);
      if (opener && opener.isConnected) opener.focus();
      resolve(d.returnValue === 'ok' ? value : null);
    };
    form.addEventListener('submit', onSubmit);
    d.addEventListener('close', onClose);
    d.returnValue = '';
    d.showModal();
    const first = box.querySelector('input, textarea, select');
    if (first) first.focus();
  });
}

// The preset reasons; the moderator's language is what the audit log keeps.
export const REJECT_REASONS = [
  'abuse', 'swearing', 'discrimination', 'private_info', 'impersonation', 'spam', 'offTopic',
];

export async function askReason(name, count = 1) {
  // No reason is chosen for the moderator: a default would be logged as their decision.
  const select = h('select', { name: 'preset' },
    h('option', { value: '', text: t('rejectReason.choose') }),
    ...REJECT_REASONS.map((r) => h('option', { value: r, text: t(`rejectReason.${r}`) })),
    h('option', { value: 'other', text: t('rejectReason.other') }));
  select.value = '';
  const note = h('textarea', { name: 'reason', rows: '3', maxlength: '500' });
  const extra = h('div', {}, field(t('rejectReason.label'), select), field(t('rejectReason.details'), note));
  return ask({
    title: count > 1 ? t('reject.titleMany', { count }) : t('reject.title', { name }),
    text: t('reject.text'),
    ok: t('reject'),
    extra,
    collect: () => {
      const details = note.value.trim();
      if (!select.value) throw new Error(t('rejectReason.missing'));
      if (select.value === 'other' && !details) throw new Error(t('rejectReason.write'));
      const preset = select.value === 'other' ? '' : t(`rejectReason.${select.value}`);
      return [preset, details].filter(Boolean).join(': ');
    },
  });
}

// Hours, offered as hours below a day and as days from one day on.
export const DURATIONS = [1, 24, 72, 168, 720];
const duration = (hours) => (hours < 24 ? t('duration.hours', { count: hours })
  : t('duration.days', { count: hours / 24 }));

export async function askSuspend(name) {
  const select = h('select', { name: 'hours' },
    ...DURATIONS.map((v) => h('option', { value: String(v), text: duration(v) })));
  select.value = '24';
  const reason = h('input', { type: 'text', name: 'reason', maxlength: '500' });
  return ask({
    title: t('suspend.title', { name }),
    text: t('suspend.text'),
    ok: t('suspend'),
    extra: h('div', {}, field(t('suspend.duration'), select), field(t('suspend.reason'), reason)),
    collect: () => ({ hours: Number(select.value), reason: reason.value.trim() || null }),
  });
}

export async function askBan(name, withComment) {
  return ask({
    title: t('ban.title', { name }),
    text: [t('ban.text'), withComment ? t('ban.alsoComment') : ''].filter(Boolean).join(' '),
    ok: t('ban'),
  });
}

export async function askShadowban(name) {
  return ask({
    title: t('shadowban.title', { name }),
    text: t('shadowban.text'),
    ok: t('shadowban'),
  });
}

export async function askPick(name, note) {
  const input = h('textarea', { name: 'note', rows: '2', maxlength: '500' }, note || '');
  return ask({
    title: t('card.feature'),
    text: name,
    ok: t('card.feature'),
    extra: h('div', {}, field(t('card.featureNote'), input)),
    collect: () => ({ note: input.value.trim() || null }),
  });
}

// Erasing an account on the reader's request: their comments go, or stay without the name.
export async function askErase(name) {
  const choice = h('select', { name: 'comments' },
    h('option', { value: 'delete', text: t('erase.delete') }),
    h('option', { value: 'keep', text: t('erase.keep') }));
  return ask({
    title: t('erase.title', { name }),
    text: t('erase.text'),
    ok: t('erase'),
    extra: h('div', {}, field(t('erase.comments'), choice)),
    collect: () => ({ comments: choice.value }),
  });
}
