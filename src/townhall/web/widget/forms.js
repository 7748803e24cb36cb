// Forms a reader fills in once: sign in, register, and choosing a commenting name.
import { btn, h } from './dom.js';

/** Replace the account box with the sign-in (`login`) or registration (`register`) form. */
export function authForm(w, mode) {
  const { problemText, t } = w.i18n;
  const reg = mode === 'register';
  const err = h('p', { class: 'err', role: 'alert' });
  const email = h('input', { type: 'email', id: 'th-email', autocomplete: 'email', required: true });
  const pw = h('input', { type: 'password', id: 'th-pw', required: true,
    autocomplete: reg ? 'new-password' : 'current-password' });
  const nm = reg ? h('input', { type: 'text', id: 'th-rname', autocomplete: 'nickname', maxlength: '30' }) : null;
  const submit = h('button', { type: 'submit', part: 'button', class: 'primary' },
    t(reg ? 'auth.create' : 'signIn'));
  const form = h('form', { class: 'auth', 'aria-label': t(reg ? 'register' : 'signIn'), novalidate: true },
    h('h3', null, t(reg ? 'auth.registerTitle' : 'auth.signInTitle')),
    h('div', { class: 'field' }, h('label', { for: 'th-email' }, t('auth.email')), email),
    h('div', { class: 'field' }, h('label', { for: 'th-pw' }, t('auth.password')), pw),
    reg ? h('div', { class: 'field' }, h('label', { for: 'th-rname' }, t('auth.name')), nm) : null,
    err,
    h('div', { class: 'row' }, submit, btn(t('auth.cancel'), { class: 'secondary', onclick: () => {
      w.renderAccount();
      const b = w.account.querySelector(reg ? '.secondary' : '.primary');
      if (b) b.focus();
    } })),
    h('p', { class: 'switch' }, t(reg ? 'auth.haveAccount' : 'auth.newHere'), ' ',
      btn(t(reg ? 'signIn' : 'register'), { class: 'link', onclick: () => authForm(w, reg ? 'login' : 'register') })),
    reg ? null : h('p', { class: 'switch' }, btn(t('auth.forgot'), { class: 'link', onclick: () => forgot(w, email, err) })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    if (!email.value || !pw.value) { err.textContent = t('auth.missing'); return; }
    submit.disabled = true;
    try {
      const body = { email: email.value.trim(), password: pw.value };
      if (reg && nm.value.trim()) body.name = nm.value.trim();
      // Registering answers the same for a new and a taken address; signing in tells.
      if (reg) await w.call('/auth/register', { method: 'POST', body });
      const out = await w.call('/auth/login', { method: 'POST',
        body: { email: body.email, password: body.password } });
      w.setSession({ token: out.token, user: out.user, via: 'local' });
      w.announce(out.user.name ? t('signedInAs', { name: out.user.name }) : t('signedIn'));
      const next = w.root.querySelector('.account input, .composer textarea');
      if (next) next.focus();
    } catch (x) {
      submit.disabled = false;
      err.textContent = problemText(x, 'auth');
    }
  });
  w.account.replaceChildren(form);
  email.focus();
}

/** "Forgot your password?": e-mail a reset link to the address typed in (if it has an account). */
async function forgot(w, email, err) {
  const { problemText, t } = w.i18n;
  err.textContent = '';
  if (!email.value.trim()) { err.textContent = t('auth.forgotEmail'); email.focus(); return; }
  try {
    await w.call('/auth/password-reset', { method: 'POST', body: { email: email.value.trim() } });
    w.announce(t('auth.forgotSent'));
  } catch (x) {
    err.textContent = problemText(x, 'auth');
  }
}

/** The one-field form for choosing a commenting name, checking availability while typing. */
export function nameForm(w) {
  const { problemText, t } = w.i18n;
  const hint = h('p', { id: 'th-name-hint', class: 'hint' }, t('name.hint'));
  const err = h('p', { id: 'th-name-err', class: 'err', role: 'alert' });
  const input = h('input', { id: 'th-name', type: 'text', maxlength: '30', autocomplete: 'nickname',
    'aria-describedby': 'th-name-hint th-name-err' });
  const save = h('button', { type: 'submit', part: 'button', class: 'primary' }, t('name.save'));
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    input.removeAttribute('aria-invalid');
    err.textContent = '';
    const v = input.value.trim();
    if (v.length < 3) return;
    timer = setTimeout(async () => {
      try {
        const r = await w.call(`/names/check?name=${encodeURIComponent(v)}`);
        if (input.value.trim() !== v) return;
        if (r.available) hint.textContent = t('name.available', { name: v });
        else err.textContent = problemText({ code: 'name-invalid', field: 'name', rule: r.rule }, 'name');
      } catch { /* the Save answer is authoritative */ }
    }, 350);
  });
  const form = h('form', { class: 'nameform', 'aria-label': t('name.form') },
    h('p', { class: 'cta' }, t('needName')),
    h('div', { class: 'field' }, h('label', { for: 'th-name' }, t('name.label')),
      h('div', { class: 'row' }, input, save)), hint, err);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearTimeout(timer);
    err.textContent = '';
    save.disabled = true;
    try {
      const user = await w.call('/me/name', { method: 'PUT', body: { name: input.value.trim() } });
      w.setSession({ ...w.session, user });
      w.announce(t('name.saved', { name: user.name }));
      const ta = w.root.querySelector('.composer textarea');
      if (ta) ta.focus();
    } catch (x) {
      save.disabled = false;
      err.textContent = problemText(x, 'name');
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  });
  return form;
}
