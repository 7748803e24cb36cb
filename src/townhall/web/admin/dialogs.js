// One modal confirm dialog (native <dialog>: focus is trapped and Esc cancels),
// optionally with extra fields; resolves to the collected value or null.
import { clear, field, h } from './dom.js';

const dialog = () => document.getElementById('confirm');

export function ask({ title, text = '', ok = 'Confirm', extra = null, collect = () => true }) {
  const d = dialog();
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = ok;
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

export const REJECT_REASONS = [
  'Personal abuse',
  'Swearing or obscenity',
  'Discriminatory language',
  'Reveals private information',
  'Impersonation',
  'Spam or advertising',
  'Off topic',
];

export async function askReason(name, count = 1) {
  // No reason is chosen for the moderator: a default would be logged as their decision.
  const select = h('select', { name: 'preset' },
    h('option', { value: '', text: 'Choose a reason' }),
    ...REJECT_REASONS.map((r) => h('option', { value: r, text: r })),
    h('option', { value: 'other', text: 'Other (write below)' }));
  select.value = '';
  const note = h('textarea', { name: 'reason', rows: '3', maxlength: '500' });
  const extra = h('div', {}, field('Reason', select), field('Details (optional unless Other)', note));
  return ask({
    title: count > 1 ? `Reject ${count} comments?` : `Reject comment by ${name}?`,
    text: 'Readers stop seeing it at once. The reason is kept in the audit log.',
    ok: 'Reject',
    extra,
    collect: () => {
      const details = note.value.trim();
      if (!select.value) throw new Error('Choose a reason for the rejection.');
      if (select.value === 'other' && !details) throw new Error('Write the reason under Details.');
      return [select.value === 'other' ? '' : select.value, details].filter(Boolean).join(': ');
    },
  });
}

export const DURATIONS = [
  [1, '1 hour'], [24, '1 day'], [72, '3 days'], [168, '7 days'], [720, '30 days'],
];

export async function askSuspend(name) {
  const select = h('select', { name: 'hours' },
    ...DURATIONS.map(([v, label]) => h('option', { value: String(v), text: label })));
  select.value = '24';
  const reason = h('input', { type: 'text', name: 'reason', maxlength: '500' });
  return ask({
    title: `Suspend ${name}?`,
    text: 'They can read but not post, like or report until the suspension ends, and are told until when.',
    ok: 'Suspend',
    extra: h('div', {}, field('Duration', select), field('Reason (optional)', reason)),
    collect: () => ({ hours: Number(select.value), reason: reason.value.trim() || null }),
  });
}

export async function askBan(name, withComment) {
  return ask({
    title: `Ban ${name}?`,
    text: 'Once banned, this user will no longer be able to comment, use reactions, or report comments.'
      + (withComment ? ' This comment will also be rejected.' : ''),
    ok: 'Ban user',
  });
}

export async function askShadowban(name) {
  return ask({
    title: `Shadow-ban ${name}?`,
    text: 'Their comments stay visible to them but are hidden from everyone else. They are not told.',
    ok: 'Shadow-ban',
  });
}
