// Who the reader is: the session token and user, shared by every element on the page.
import { ORIGIN } from './api.js';

const KEY = `townhall:${ORIGIN}:session`;
const EVENT = 'townhall-session';

/** The stored session ({token, user, via, sso?}) or null. */
export function readSession() {
  try { return JSON.parse(sessionStorage.getItem(KEY)) || null; } catch { return null; }
}

/** Store (or with null, forget) the session and tell every element on the page. */
export function writeSession(s) {
  try {
    if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
    else sessionStorage.removeItem(KEY);
  } catch { /* storage disabled: the session lives in memory only */ }
  document.dispatchEvent(new CustomEvent(EVENT));
}

/** Call `fn` whenever the session changes; returns the function that stops listening. */
export function onSessionChange(fn) {
  document.addEventListener(EVENT, fn);
  return () => document.removeEventListener(EVENT, fn);
}
