// Who the reader is: the session token and user, shared by every element on the page and, for
// local accounts, by every page and tab of the publisher's site.
//
// Local accounts live in localStorage of the publisher's origin, so a reader signed in on one
// article is signed in on the next and in other tabs; signing out anywhere removes it and the
// `storage` event tells the other tabs at once. Publisher (SSO) sessions stay in sessionStorage:
// the publisher's page vouches for its reader on every page through the sso-token attribute.
// Why this is safe, and what it means if the publisher's page is compromised: docs/widget.md.
import { ORIGIN } from './api.js';

const KEY = `townhall:${ORIGIN}:session`;
const EVENT = 'townhall-session';

const stores = () => {
  try { return [localStorage, sessionStorage]; } catch { return []; } // storage disabled
};

/** The stored session ({token, user, via, sso?}) or null. */
export function readSession() {
  for (const store of stores()) {
    try {
      const s = JSON.parse(store.getItem(KEY));
      if (s && s.token) return s;
    } catch { /* unreadable: treat as signed out */ }
  }
  return null;
}

/** Store (or with null, forget) the session and tell every element on the page. */
export function writeSession(s) {
  for (const store of stores()) {
    try {
      const mine = s && (store === localStorage) === (s.via === 'local');
      if (mine) store.setItem(KEY, JSON.stringify(s));
      else store.removeItem(KEY);
    } catch { /* full or disabled: the session lives in memory only */ }
  }
  document.dispatchEvent(new CustomEvent(EVENT));
}

/** Call `fn` whenever the session changes, here or in another tab; returns how to stop. */
export function onSessionChange(fn) {
  const other = (e) => { if (e.key === KEY || e.key === null) fn(); };
  document.addEventListener(EVENT, fn);
  window.addEventListener('storage', other);
  return () => {
    document.removeEventListener(EVENT, fn);
    window.removeEventListener('storage', other);
  };
}
