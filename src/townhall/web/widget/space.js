// The reader's own space, opened from the account box: their comments on every story, the
// commenters they muted, downloading their data, changing their password and deleting their
// account. Muting itself (collapsing a muted author's comments) is in mute.js.
import { whyRemoved } from './appeal.js';
import { bodyFragment, btn, h } from './dom.js';
import { unmute } from './mute.js';

/** Open or close the panel under the account box; `trigger` is the "Your account" button. */
export function toggleSpace(w, trigger) {
  const open = trigger.getAttribute('aria-expanded') === 'true';
  trigger.setAttribute('aria-expanded', String(!open));
  if (open) { w.space.replaceChildren(); w.space.hidden = true; return; }
  w.space.hidden = false;
  const { t } = w.i18n;
  const mine = h('ol', { class: 'mine' });
  const more = btn(t('mine.more'), { class: 'secondary', hidden: true });
  const mutedList = h('ul', { class: 'muted-list' });
  const local = w.session.via === 'local';
  const head = h('h3', { tabindex: '-1' }, t('mine.title'));
  w.space.replaceChildren(
    h('section', { 'aria-labelledby': 'th-sp-mine' }, h('span', { id: 'th-sp-mine', hidden: true }, t('mine.title')), head, mine, more),
    h('section', null, h('h3', null, t('muted.title')), mutedList),
    h('section', null, h('h3', null, t('data.title')),
      btn(t('data.download'), { class: 'secondary', onclick: (e) => download(w, e.currentTarget) })),
    local ? passwordForm(w) : null,
    h('section', null, h('h3', null, t('account.delete')),
      btn(t('account.delete'), { class: 'danger-btn', onclick: (e) => deleteAccount(w, e.currentTarget) })));
  let cursor = '';
  const page = async () => {
    more.disabled = true;
    try {
      const q = new URLSearchParams({ limit: '20' });
      if (cursor) q.set('cursor', cursor);
      const out = await w.call(`/me/comments?${q}`);
      for (const c of out.comments) mine.append(myComment(w, c));
      if (!mine.children.length) mine.append(h('li', { class: 'hint' }, t('mine.empty')));
      cursor = out.next_cursor;
      more.hidden = !cursor;
    } catch {
      w.announce(t('mine.error'), 'error');
    }
    more.disabled = false;
  };
  more.addEventListener('click', page);
  page();
  renderMuted(w, mutedList);
  head.focus();
}

/**
 * One of the reader's comments: where, when, its status (and why), its text, a link to it; a
 * removed one can open its statement of reasons and be appealed.
 */
function myComment(w, c) {
  const { ago, fullDate, t } = w.i18n;
  const story = c.story.title || c.story.id;
  const where = c.story.url ? h('a', { href: c.story.url }, story) : h('span', null, story);
  const li = h('li', { class: `mine-c st-${c.status}` },
    h('p', { class: 'meta' }, ...w.i18n.parts('mine.on', { story: where }), ' · ',
      h('time', { datetime: c.created_at, title: fullDate(c.created_at) }, ago(c.created_at)), ' · ',
      h('strong', { class: 'status' }, t(`status.${c.status}`))));
  if (c.moderation && c.moderation.reason) li.append(h('p', { class: 'hint' }, t('mine.reason', { reason: c.moderation.reason })));
  if (c.status === 'rejected') li.append(whyRemoved(w, c));
  if (c.body_html) li.append(h('div', { class: 'body', dir: 'auto' }, bodyFragment(c.body_html)));
  if (c.link) li.append(h('a', { href: c.link, class: 'view' }, t('mine.view')));
  return li;
}

/** The muted commenters, each with an Unmute button. */
export async function renderMuted(w, ul) {
  const { t } = w.i18n;
  ul.replaceChildren();
  for (const m of (await w.loadMuted(true)).values()) {
    const b = btn(t('unmute'), { class: 'link', 'aria-label': t('unmuteLabel', { name: m.name }),
      onclick: async () => { await unmute(w, m.id, m.name); renderMuted(w, ul); } });
    ul.append(h('li', null, h('span', { dir: 'auto' }, m.name), ' ', b));
  }
  if (!ul.children.length) ul.append(h('li', { class: 'hint' }, t('muted.empty')));
}

/** Fetch the reader's data and hand it to the browser as a file. */
async function download(w, button) {
  const { t } = w.i18n;
  button.disabled = true;
  try {
    const res = await fetch(`${w.api}/me/export`, {
      credentials: 'omit', mode: 'cors', headers: { Authorization: `Bearer ${w.session.token}` },
    });
    if (!res.ok) throw new Error(String(res.status));
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: 'townhall-my-data.json', hidden: true });
    w.root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    w.announce(t('data.ready'));
  } catch {
    w.announce(t('data.error'), 'error');
  }
  button.disabled = false;
}

function passwordForm(w) {
  const { problemText, t } = w.i18n;
  const cur = h('input', { type: 'password', id: 'th-pw-cur', autocomplete: 'current-password', required: true });
  const nw = h('input', { type: 'password', id: 'th-pw-new', autocomplete: 'new-password', required: true });
  const err = h('p', { class: 'err', role: 'alert' });
  const form = h('form', { 'aria-label': t('password.title'), novalidate: true },
    h('h3', null, t('password.title')),
    h('div', { class: 'field' }, h('label', { for: 'th-pw-cur' }, t('password.current')), cur),
    h('div', { class: 'field' }, h('label', { for: 'th-pw-new' }, t('password.new')), nw),
    err, h('button', { type: 'submit', part: 'button', class: 'secondary' }, t('password.save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      await w.call('/me/password', { method: 'PUT', body: { current_password: cur.value, new_password: nw.value } });
      cur.value = '';
      nw.value = '';
      w.announce(t('password.done'));
    } catch (x) {
      err.textContent = problemText(x, 'password');
    }
  });
  return form;
}

/**
 * Ask which way the comments go and for confirmation (the password, or for publisher sign-in
 * the page's current token), then delete the account and sign out.
 */
function deleteAccount(w, invoker) {
  const { problemText, t } = w.i18n;
  const local = w.session.via === 'local';
  const pw = local ? h('input', { type: 'password', id: 'th-del-pw', autocomplete: 'current-password' }) : null;
  const err = h('p', { class: 'err', role: 'alert' });
  const choice = (value, label) => h('div', { class: 'opt' },
    h('input', { type: 'radio', name: 'th-del-c', id: `th-del-${value}`, value, checked: value === 'delete' }),
    h('label', { for: `th-del-${value}` }, label));
  const cancel = h('button', { type: 'button', part: 'button', class: 'secondary' }, t('cancel'));
  const ok = h('button', { type: 'submit', part: 'button', class: 'danger-btn' }, t('account.deleteAction'));
  const form = h('form', { method: 'dialog' },
    h('fieldset', null, h('legend', null, t('account.commentsLegend')),
      choice('delete', t('account.deleteComments')), choice('keep', t('account.keepComments'))),
    pw ? h('div', { class: 'field' }, h('label', { for: 'th-del-pw' }, t('account.password')), pw) : null,
    err, h('div', { class: 'btns' }, cancel, ok));
  const dlg = h('dialog', { part: 'dialog', 'aria-labelledby': 'th-del-t', 'aria-describedby': 'th-del-d' },
    h('h2', { id: 'th-del-t' }, t('account.deleteTitle')), h('p', { id: 'th-del-d' }, t('account.deleteText')), form);
  w.root.append(dlg);
  cancel.addEventListener('click', () => dlg.close());
  dlg.addEventListener('close', () => { dlg.remove(); if (invoker.isConnected) invoker.focus(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    const body = { comments: form.querySelector('input[name=th-del-c]:checked').value };
    if (local) body.password = pw.value;
    else body.sso_token = w.getAttribute('sso-token') || '';
    ok.disabled = true;
    try {
      await w.call('/me', { method: 'DELETE', body });
    } catch (x) {
      ok.disabled = false;
      err.textContent = problemText(x, 'deleteAccount');
      return;
    }
    dlg.close();
    w.space.replaceChildren();
    w.space.hidden = true;
    w.setSession(null);
    w.announce(t('account.deleted'));
    w.listHead.focus();
  });
  dlg.showModal();
  cancel.focus();
}
