// E-mail and webhooks: the outbox's queue and failures (staff), webhooks (admins).
import { api, get, post } from './api.js';
import { clear, field, h } from './dom.js';
import { t, when } from './i18n.js';

const EVENTS = ['comment.created', 'comment.held', 'comment.decided', 'report.created', 'user.banned'];

function failureLine(d) {
  return h('li', {}, h('code', { text: d.event }), ' ',
    h('span', { text: t('delivery.failure', { status: t(`delivery.status.${d.status}`), attempts: d.attempts, error: d.last_error || '' }) }), ' ',
    h('span', { class: 'meta', text: when(d.created_at) }));
}

export async function deliveryView(ui, root) {
  const heading = h('h1', { id: 'delivery-title', tabindex: '-1', text: t('delivery.title') });
  clear(root).append(heading);
  let box;
  try { box = await get('/api/v1/admin/outbox'); } catch (err) { ui.fail(err); return; }
  const summary = h('section', { 'aria-labelledby': 'outbox-title', class: 'panel' },
    h('h2', { id: 'outbox-title', text: t('delivery.queue') }),
    h('p', { class: 'outbox-counts' },
      h('strong', { text: t('delivery.pending', { count: box.pending }) }), ' · ',
      h('span', { text: t('delivery.failed', { count: box.failed }) })),
    box.mail_configured ? null : h('p', { class: 'hint', text: t('delivery.noMail') }),
    h('h3', { text: t('delivery.failures') }),
    box.recent_failures.length
      ? h('ul', { class: 'plain' }, box.recent_failures.map(failureLine))
      : h('p', { text: t('delivery.none') }));
  root.append(summary);
  if (ui.me.role === 'admin') await webhooksPanel(ui, root);
  heading.focus();
}

async function webhooksPanel(ui, root) {
  const panel = h('section', { 'aria-labelledby': 'webhooks-title', class: 'panel' },
    h('h2', { id: 'webhooks-title', text: t('webhooks.title') }));
  root.append(panel);
  let hooks = [];
  try { ({ webhooks: hooks } = await get('/api/v1/admin/webhooks')); } catch (err) { ui.fail(err); return; }
  const list = h('ul', { class: 'plain webhooks' });
  if (!hooks.length) list.append(h('li', { text: t('webhooks.none') }));
  for (const w of hooks) list.append(hookItem(ui, w));
  panel.append(list, addForm(ui, panel));
}

function hookItem(ui, w) {
  const log = h('ul', { class: 'plain deliveries' });
  const test = h('button', { type: 'button', class: 'secondary', text: t('webhooks.test') });
  test.addEventListener('click', async () => {
    try { await post(`/api/v1/admin/webhooks/${w.id}/test`); ui.announce(t('webhooks.testQueued')); await showLog(); } catch (err) { ui.fail(err); }
  });
  const remove = h('button', { type: 'button', class: 'secondary', text: t('webhooks.remove') });
  remove.addEventListener('click', async () => {
    try { await api('DELETE', `/api/v1/admin/webhooks/${w.id}`); ui.announce(t('webhooks.removed')); ui.go('#/delivery'); } catch (err) { ui.fail(err); }
  });
  async function showLog() {
    try {
      const { deliveries } = await get(`/api/v1/admin/webhooks/${w.id}/deliveries`);
      clear(log).append(...deliveries.slice(0, 10).map(failureLine));
    } catch (err) { ui.fail(err); }
  }
  showLog();
  return h('li', { class: 'webhook' },
    h('p', {}, h('code', { text: w.url }), ' ', h('span', { class: 'meta', text: `${w.events.join(', ')} · ${w.format}` })),
    h('div', { class: 'buttons' }, test, remove),
    h('h3', { text: t('webhooks.deliveries') }), log);
}

function addForm(ui, panel) {
  const url = h('input', { type: 'url', name: 'url', required: true, maxlength: '2048', placeholder: 'https://' });
  const boxes = EVENTS.map((e) => h('input', { type: 'checkbox', name: 'events', value: e }));
  const slack = h('input', { type: 'checkbox', name: 'slack' });
  const secret = h('p', { class: 'secret', role: 'status' });
  const form = h('form', { class: 'settings', 'aria-labelledby': 'webhook-add' },
    h('h3', { id: 'webhook-add', text: t('webhooks.add') }),
    field(t('webhooks.url'), url),
    h('fieldset', {}, h('legend', { text: t('webhooks.events') }), ...boxes.map((b) => field(b.value, b))),
    field(t('webhooks.slack'), slack),
    h('button', { type: 'submit', text: t('webhooks.add') }), secret);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const made = await post('/api/v1/admin/webhooks', {
        url: url.value.trim(), events: boxes.filter((b) => b.checked).map((b) => b.value),
        format: slack.checked ? 'slack' : 'json',
      });
      panel.querySelector('.webhooks').append(hookItem(ui, made));
      secret.textContent = t('webhooks.secret', { secret: made.secret });
      form.reset();
    } catch (err) { ui.fail(err); }
  });
  return form;
}
