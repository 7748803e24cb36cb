// The account box above the list (signed out, no name yet, banned, suspended, signed in) and
// what goes under it: the composer, or the reason there is none.
import { bellBar } from './bell.js';
import { composer } from './composer.js';
import { btn, h, uid } from './dom.js';
import { authForm, nameForm } from './forms.js';
import { learnMore, premiumName } from './shell.js';
import { toggleSpace } from './space.js';

/** Draw the account box and the composer area for the current reader, story and stream. */
export function renderAccount(w) {
  const { fullDate, t } = w.i18n;
  const u = w.user;
  const site = w.site;
  w.account.replaceChildren();
  if (!u || !w.space.hidden) { w.space.replaceChildren(); w.space.hidden = true; }
  w.composerArea.replaceChildren();
  if (!u) {
    const box = h('div', { class: 'signin' }, h('p', { class: 'cta' }, t('signInCta')));
    if (site.local_accounts) {
      box.append(h('div', { class: 'row' },
        btn(t('signIn'), { class: 'primary', onclick: () => authForm(w, 'login') }),
        btn(t('register'), { class: 'secondary', onclick: () => authForm(w, 'register') })));
    } else {
      box.append(btn(t('signIn'), { class: 'primary', onclick: () => w.dispatchEvent(
        new CustomEvent('townhall-login', { bubbles: true, composed: true })) }));
    }
    w.account.append(box);
  } else if (u.status === 'banned') {
    w.account.append(h('div', { class: 'banner', part: 'notice' }, h('p', null, t('banned')), whoAmI(w)));
  } else if (u.status === 'suspended') {
    const back = u.suspended_until ? t('rejoinOn', { date: fullDate(u.suspended_until) }) : t('rejoinLater');
    w.account.append(h('div', { class: 'banner', part: 'notice' },
      h('p', null, t('suspended'), ' ', back), whoAmI(w)));
  } else if (!u.name) {
    w.account.append(nameForm(w));
  } else {
    w.account.append(whoAmI(w), bellBar(w));
  }
  if (w.story && w.story.is_closed) {
    w.composerArea.append(h('p', { class: 'info', part: 'notice' }, t('closed')));
    return;
  }
  if (!u || !u.name || (u.status && u.status !== 'active')) return;
  if (w.stream === 'premium' && !u.premium) {
    w.composerArea.append(premiumRefusal(w, 'premium.comment'));
    return;
  }
  w.composerArea.append(composer(w, { key: w.draftKey(w.stream), label: t('compose.label'),
    submit: t('compose.submit'), formLabel: t('compose.form') }));
  if (u.email) w.composerArea.append(notifyBox(w));
}

/** "Notify me of replies": the reader's e-mail choice, saved the moment it changes. */
function notifyBox(w) {
  const { t } = w.i18n;
  const box = h('input', { type: 'checkbox', id: uid(), class: 'notify-box', disabled: true });
  const row = h('div', { class: 'notify' }, box, h('label', { for: box.id }, t('notify.replies')));
  w.call('/me/preferences').then((p) => {
    box.checked = !!p.notify_replies;
    box.disabled = false;
  }).catch(() => { box.disabled = false; });
  box.addEventListener('change', async () => {
    const wanted = box.checked;
    box.disabled = true;
    try {
      const p = await w.call('/me/preferences', { method: 'PATCH', body: { notify_replies: wanted } });
      box.checked = !!p.notify_replies;
      w.announce(t(box.checked ? 'notify.on' : 'notify.off'));
    } catch {
      box.checked = !wanted;
      w.announce(t('notify.failed'));
    } finally {
      box.disabled = false;
    }
  });
  return row;
}

/** "Signed in as NAME. Not you? Sign out" (no Sign out for publisher sign-in: the page owns it). */
function whoAmI(w) {
  const { parts, t } = w.i18n;
  const u = w.user;
  const out = w.session.via === 'sso' ? null : btn(t('signOut'), { class: 'link', onclick: () => w.signOut() });
  const mine = btn(t('space.open'), { class: 'link', 'aria-expanded': 'false', 'aria-controls': 'th-space',
    onclick: () => toggleSpace(w, mine) });
  return h('p', { class: 'who-am-i' }, ...parts('signedInAs', { name: h('strong', null, u.name || u.email || '') }),
    out ? h('span', { class: 'notyou' }, ' ', t('notYou'), ' ', out) : null, ' ', mine);
}

/** Why a non-subscriber cannot take part in the Premium stream, with the "Learn more" link. */
export function premiumRefusal(w, id) {
  const p = h('p', { class: 'info', part: 'notice' }, w.i18n.t(id, { premium: premiumName(w) }));
  if (w.site.learn_more_url) p.append(' ', learnMore(w));
  return p;
}

/** Tell a signed-out reader why nothing happened and take them to the sign-in box. */
export function needSignIn(w, action) {
  w.announce(w.i18n.t(`signInTo.${action}`));
  const target = w.account.querySelector('button, input');
  if (target) { target.focus(); target.scrollIntoView({ block: 'center' }); }
}
