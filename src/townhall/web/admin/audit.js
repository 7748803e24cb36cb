// The audit log: filters, pages, CSV export.
import { api, get, query } from './api.js';
import { clear, field, h } from './dom.js';
import { label, t, when } from './i18n.js';

const show = (v) => (v === null || v === undefined ? '' : JSON.stringify(v));

export async function auditView(ui, root, params) {
  const inputs = {
    action: h('input', { type: 'text', name: 'action', value: params.action || '', list: 'audit-actions' }),
    actor_id: h('input', { type: 'number', name: 'actor_id', min: '1', value: params.actor_id || '' }),
    target_type: h('select', { name: 'target_type' }, ...['', 'comment', 'user', 'story', 'site']
      .map((v) => h('option', { value: v, text: v ? t(`target.${v}`) : t('audit.anyTarget') }))),
    target_id: h('input', { type: 'text', name: 'target_id', value: params.target_id || '' }),
  };
  inputs.target_type.value = params.target_type || '';
  const actions = h('datalist', { id: 'audit-actions' }, ...['comment.approve', 'comment.reject',
    'comment.auto_pending', 'comment.auto_hidden', 'comment.delete', 'user.ban', 'user.suspend',
    'user.shadowban', 'user.restore', 'user.update', 'story.settings', 'site.settings',
    'site.sso_secret_rotated', 'site.sso_secret_revoked', 'security.staff_sign_in_attack'].map((a) => h('option', { value: a })));
  const filters = () => Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim()]));
  const form = h('form', { class: 'filters', 'aria-label': t('audit.filter') },
    field(t('audit.action'), inputs.action), field(t('audit.actor'), inputs.actor_id),
    field(t('audit.target'), inputs.target_type), field(t('audit.targetId'), inputs.target_id), actions,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', text: t('filter.apply') })));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ui.go(`#/audit${query(filters())}`);
  });
  const exportButton = h('button', { type: 'button', class: 'secondary', text: t('audit.export') });
  exportButton.addEventListener('click', async () => {
    try {
      const res = await api('GET', `/api/v1/moderation/audit.csv${query(filters())}`, undefined, { raw: true });
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: 'audit-log.csv', hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      ui.announce(t('audit.exported'));
    } catch (err) { ui.fail(err); }
  });
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', text: t('loadMore'), hidden: true });
  const table = h('table', { class: 'audit' }, h('caption', { text: t('audit.caption') }),
    h('thead', {}, h('tr', {}, ...['audit.time', 'audit.actorCol', 'audit.action', 'audit.target', 'audit.before',
      'audit.after'].map((id) => h('th', { scope: 'col', text: t(id) })))), body);
  clear(root).append(h('h1', { text: t('audit.title') }), form, exportButton, table, more);
  let cursor = null;
  async function load() {
    try {
      const data = await get(`/api/v1/moderation/audit${query({ ...params, cursor })}`);
      for (const e of data.entries) {
        body.append(h('tr', {},
          h('td', {}, h('time', { datetime: e.created_at, text: when(e.created_at) })),
          h('td', { text: e.actor_name || t('user.system') }),
          h('td', { text: e.action }),
          h('td', { text: `${label(`target.${e.target_type}`, e.target_type)} ${e.target_id || ''}` }),
          h('td', {}, h('code', { text: show(e.before) })),
          h('td', {}, h('code', { text: show(e.after) }))));
      }
      if (!body.children.length) body.append(h('tr', {}, h('td', { colspan: '6', text: t('audit.none') })));
      cursor = data.next_cursor;
      more.hidden = !cursor;
    } catch (err) { ui.fail(err); }
  }
  more.addEventListener('click', load);
  await load();
}
