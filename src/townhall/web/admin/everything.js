// Decide every comment matching the queue's filters: preview the count, confirm, act on
// exactly that set, then offer Undo until the server's undo window closes.
import { post } from './api.js';
import { askReason, ask } from './dialogs.js';
import { h } from './dom.js';
import { t, when } from './i18n.js';

export function everythingBar(ui, { queue, filters, after }) {
  const info = h('span', { class: 'meta' });
  const approve = h('button', { type: 'button', class: 'secondary', text: t('all.approve') });
  const reject = h('button', { type: 'button', class: 'secondary', text: t('all.reject') });
  const undoText = h('span', {});
  const undo = h('button', { type: 'button', class: 'link', text: t('undo.button') });
  const undoBar = h('p', { class: 'undo-bar', hidden: true }, undoText, ' ', undo);
  const bar = h('div', { class: 'bulk all', role: 'group', 'aria-label': t('all.label') }, approve, reject, info);
  let undoToken = null;
  let undoTimer = null;

  const filter = () => {
    const f = { queue };
    for (const [k, v] of Object.entries(filters)) {
      if (v === '' || v === undefined || v === null || ['sort', 'cursor', 'limit', 'view'].includes(k)) continue;
      f[k] = ['score_min', 'score_max'].includes(k) ? Number(v)
        : ['user_id', 'min_age_hours', 'max_age_hours'].includes(k) ? Number(v) : v;
    }
    return f;
  };

  function showUndo(text, until) {
    undoText.textContent = `${text} ${t('undo.until', { time: when(until) })}`;
    undoBar.hidden = false;
    clearTimeout(undoTimer);
    const left = Date.parse(until) - Date.now();
    undoTimer = setTimeout(() => { undoBar.hidden = true; undoToken = null; }, Math.max(0, left));
  }

  async function run(action) {
    let preview;
    try {
      preview = await post('/api/v1/moderation/bulk', { filter: filter(), action, dry_run: true });
    } catch (err) { ui.fail(err); return; }
    if (!preview.count) { ui.announce(t('all.none')); info.textContent = t('all.none'); return; }
    let reason = null;
    if (action === 'reject') {
      reason = await askReason('', preview.count);
      if (!reason) return;
    }
    const ok = await ask({
      title: t(action === 'approve' ? 'all.confirmApprove' : 'all.confirmReject', { count: preview.count }),
      text: t('all.confirmText'),
      ok: t(action === 'approve' ? 'all.approveNow' : 'all.rejectNow', { count: preview.count }),
    });
    if (!ok) return;
    try {
      const out = await post('/api/v1/moderation/bulk', {
        filter: filter(), action, reason, snapshot_token: preview.snapshot_token,
      });
      undoToken = out.undo_token;
      const done = [t(action === 'approve' ? 'bulk.approved' : 'bulk.rejected', { count: out.count })];
      if (out.skipped) done.push(t('all.skipped', { count: out.skipped }));
      showUndo(done.join(' '), out.undo_until);
      await after();
      undo.focus();
    } catch (err) { ui.fail(err); }
  }

  undo.addEventListener('click', async () => {
    if (!undoToken) return;
    try {
      const out = await post('/api/v1/moderation/undo', { undo_token: undoToken });
      undoToken = null;
      clearTimeout(undoTimer);
      undoBar.hidden = true;
      await after();
      const text = [t('undo.done', { count: out.count })];
      if (out.skipped) text.push(t('all.skipped', { count: out.skipped }));
      ui.announce(text.join(' '));
      info.textContent = text.join(' ');
      approve.focus();
    } catch (err) { ui.fail(err); }
  });
  approve.addEventListener('click', () => run('approve'));
  reject.addEventListener('click', () => run('reject'));

  return {
    element: h('div', {}, bar, undoBar),
    setCount(n) {
      info.textContent = t('all.matching', { count: n });
      approve.disabled = reject.disabled = !n;
    },
  };
}
