// Writing: the comment composer, replies and edits, with drafts kept per story in
// sessionStorage so a failed post, a sign-in or a reload loses nothing.
import { storyPath } from './api.js';
import { countdown } from './clock.js';
import { btn, h, uid } from './dom.js';
import { explain, heldText } from './held.js';
import { draftFor, precheck } from './precheck.js';
import { learnMore, premiumName } from './shell.js';

const drafts = {
  get(k) { try { return sessionStorage.getItem(k) || ''; } catch { return ''; } },
  set(k, v) { try { if (v) sessionStorage.setItem(k, v); else sessionStorage.removeItem(k); } catch { /* off */ } },
};

/**
 * A composer form. `onSubmit(body)` sends it (default: post to the story, as a reply to
 * `parent` if given); `onCancel(discard)` closes a reply or edit box.
 */
export function composer(w, { key, label, submit, formLabel, parent = null, onCancel = null, initial = '', onSubmit = null,
  anywayLabel = null }) {
  const { t } = w.i18n;
  const max = (w.site && w.site.max_body) || 5000;
  const id = uid();
  const ta = h('textarea', { id, rows: parent ? '3' : '4', maxlength: String(max),
    'aria-describedby': `${id}-n`, part: 'textarea' });
  ta.value = initial || drafts.get(key);
  const count = h('span', { id: `${id}-n`, class: 'counter' });
  const err = h('div', { class: 'err', role: 'alert' });
  const send = h('button', { type: 'submit', part: 'button', class: 'primary' }, submit);
  const upd = () => {
    const left = max - ta.value.length;
    count.textContent = t('compose.left', { count: left });
    count.classList.toggle('low', left < 100);
  };
  upd();
  const check = precheck(w, { ta, draft: draftFor(w, parent), anywayLabel: anywayLabel || t('check.anyway'),
    anyway: (body) => deliver(body) });
  ta.addEventListener('input', () => { upd(); if (!initial) drafts.set(key, ta.value); if (!busy) check.input(); });
  const form = h('form', { class: 'composer', part: 'composer', 'aria-label': formLabel, novalidate: true },
    h('label', { for: id }, label), ta,
    h('div', { class: 'row' }, count, h('span', { class: 'grow' }),
      onCancel ? btn(t('compose.cancel'), { class: 'secondary', onclick: () => onCancel(false) }) : null, send),
    check.el, err);
  if (onCancel) {
    let armed = false;
    form.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      if (!ta.value.trim() || armed) { onCancel(true); return; }
      armed = true;
      err.textContent = t('compose.escape');
    });
  }
  let busy = false;
  /** Send `body` (checked first unless `checked`), keeping the text if it fails. */
  async function deliver(body, checked = true) {
    if (busy) return;
    err.textContent = '';
    if (!body.trim()) { err.textContent = t('rule.body.required'); ta.focus(); return; }
    busy = true;
    send.disabled = true;
    send.textContent = t('compose.posting');
    form.setAttribute('aria-busy', 'true');
    try {
      if (!checked && !(await check.gate(body))) { send.disabled = false; return; }
      await (onSubmit || ((b) => post(w, b, parent)))(body);
      if (!initial) drafts.set(key, '');
      check.reset();
      ta.value = '';
      upd();
      send.disabled = false;
    } catch (x) {
      err.textContent = postError(w, x, initial ? 'edit' : 'post');
      if (x.code === 'comment-rejected') err.append(...explain(w, x.data, { advice: 'fix', text: body }));
      if (x.code === 'premium-required' && w.site.learn_more_url) err.append(' ', learnMore(w));
      if (x.code === 'rate-limited') {
        setTimeout(() => { send.disabled = false; }, Math.max(1, x.retryAfter || 30) * 1000);
      } else send.disabled = false;
    } finally {
      busy = false;
      send.textContent = submit;
      form.removeAttribute('aria-busy');
    }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    deliver(ta.value, false);
  });
  return form;
}

/** The message for a refused post or edit, after bringing what the widget knows up to date. */
function postError(w, x, action) {
  const { problemText, t } = w.i18n;
  const premium = premiumName(w);
  switch (x.code) {
    case 'comment-rejected':
      return `${t('rejected')}.`;
    case 'story-closed':
      w.story.is_closed = true;
      setTimeout(() => w.renderAccount(), 0);
      break;
    case 'premium-required': case 'banned': case 'suspended': case 'name-required':
      w.refreshMe();
      break;
    default:
  }
  return problemText(x, action, { premium });
}

/** Post a comment or reply, show it in place and move focus to it. */
export async function post(w, body, parent) {
  const { t } = w.i18n;
  const c = await w.call(`${storyPath(w.storyId)}/comments`, {
    method: 'POST',
    body: { body, stream: w.stream, parent_id: parent ? parent.id : null,
      story_url: w.getAttribute('story-url') || location.href.split('#')[0],
      story_title: w.getAttribute('story-title') || document.title },
  });
  heldText.set(w, c, body);
  let li;
  if (parent) {
    const rootLi = w.root.getElementById(`comment-${parent.root_id || parent.id}`) ||
      w.root.getElementById(`comment-${parent.id}`);
    li = w.placeReply(rootLi, c);
  } else {
    li = w.thread(c);
    w.list.prepend(li);
    w.stateEl.replaceChildren();
  }
  // The live stream may have announced this comment before the POST answered.
  w.dropFresh(c.id);
  if (c.status === 'published') w.bump(1);
  w.focusComment(li);
  w.announce(t(c.status === 'pending' ? 'pending' : parent ? 'replied' : 'posted'));
  return c;
}

/** The reply box under comment `c`, opened from its Reply button `trigger`. */
export function openReply(w, c, trigger) {
  const { t } = w.i18n;
  const art = trigger.closest('article');
  const name = c.author ? c.author.name : '';
  const key = w.draftKey(`reply-${c.id}`);
  const close = () => {
    box.remove();
    trigger.setAttribute('aria-expanded', 'false');
    trigger.focus();
  };
  const box = h('div', { class: 'reply-box' }, composer(w, {
    key, label: t('reply.label'), submit: t('reply.submit'), formLabel: t('reply.form', { name }), parent: c,
    onCancel: (discard) => { if (discard) drafts.set(key, ''); close(); },
    onSubmit: async (b) => { await post(w, b, c); box.remove(); trigger.setAttribute('aria-expanded', 'false'); },
  }));
  art.append(box);
  trigger.setAttribute('aria-expanded', 'true');
  box.querySelector('textarea').focus();
}

/** The editor for the reader's own comment `c`, in place of its text. */
export function openEdit(w, c, trigger) {
  const { t } = w.i18n;
  const art = trigger.closest('article');
  if (art.querySelector('.reply-box')) return;
  const body = art.querySelector('.body');
  const hint = h('p', { class: 'hint', 'data-until': c.editable_until, 'data-left': 'edit.left' });
  countdown(w, hint);
  const close = () => { box.remove(); body.hidden = false; trigger.focus(); };
  const box = h('div', { class: 'reply-box' },
    hint,
    composer(w, {
      key: w.draftKey(`edit-${c.id}`), label: t('edit.label'), submit: t('edit.submit'),
      formLabel: t('edit.form'), initial: body.textContent, anywayLabel: t('check.saveAnyway'),
      onCancel: close,
      onSubmit: async (b) => {
        const out = await w.call(`/comments/${c.id}`, { method: 'PATCH', body: { body: b } });
        heldText.set(w, out, b);
        w.replace(out);
        w.announce(t(out.status === 'pending' ? 'pending' : 'updated'));
        w.focusComment(w.root.getElementById(`comment-${c.id}`));
      },
    }));
  body.hidden = true;
  body.after(box);
  box.querySelector('textarea').focus();
}
