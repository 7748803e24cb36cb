// The townhall HTTP API as the widget uses it: JSON in, JSON or RFC 9457 problem details out.

// Read while embed.js runs: the townhall origin it was served from is the default API server.
const SCRIPT = document.currentScript || document.querySelector('script[src*="embed.js"]');

/** The townhall origin (where embed.js came from). */
export const ORIGIN = new URL(SCRIPT ? SCRIPT.src : '/embed.js', location.href).origin;

/** A refused or failed request: `code` is the problem's stable code, or "network". */
export class ApiError extends Error {
  constructor(status, data, retryAfter = 0) {
    super((data && data.detail) || (status ? String(status) : 'network'));
    this.status = status;
    this.data = data || {};
    this.code = this.data.code || (status ? String(status) : 'network');
    this.retryAfter = retryAfter;
  }

  /** The first invalid field and the rule it broke, when the server names them. */
  get field() { return ((this.data.errors || [])[0] || {}).field || ''; }

  get rule() { return this.data.rule || ((this.data.errors || [])[0] || {}).rule || ''; }
}

/** The API root for an element's `server` attribute (default: this origin). */
export const apiBase = (server) => `${(server || ORIGIN).replace(/\/$/, '')}/api/v1`;

/** The path of a story's resources; ids may hold slashes, so they are encoded whole. */
export const storyPath = (id) => `/stories/${encodeURIComponent(id)}`;

/**
 * One request; resolves to the JSON answer (null for 204) or throws an ApiError. `signal`
 * (an AbortSignal) cancels it; a cancelled request throws an ApiError with code "network".
 */
export async function request(base, path, { method = 'GET', body, token, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    // No cookies travel: the session is the bearer token, so a third-party context changes nothing.
    res = await fetch(base + path, {
      method, headers, credentials: 'omit', mode: 'cors', signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (res.status === 204) return null;
  let data = null;
  try { data = await res.json(); } catch { /* empty or non-JSON body */ }
  if (!res.ok) {
    const wait = Number((data && data.retry_after) || res.headers.get('Retry-After')) || 0;
    throw new ApiError(res.status, data, wait);
  }
  return data;
}
