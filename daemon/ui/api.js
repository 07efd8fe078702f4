// The one way the UI talks to the daemon: the same /api/v1 routes every client uses. The
// session cookie goes along by itself (same origin); every POST echoes the session's CSRF
// token. A 401 anywhere means the session has ended: the app shows the login again.
let csrf = '';
let onSessionEnded = () => {};

export function setCsrf(token) { csrf = token ?? ''; }
export function whenSessionEnds(fn) { onSessionEnded = fn; }

export class ApiError extends Error {
  constructor(status, code, message, retryAfter, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.body = body;  // the whole answer (a pack refusal carries the parcel)
  }
}

async function send(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) {
    const err = new ApiError(res.status, json?.code ?? 'http_' + res.status,
      json?.message ?? text.slice(0, 200), Number(res.headers.get('Retry-After')) || 0, json);
    if (res.status === 401 && path !== '/api/v1/session') onSessionEnded(err);
    throw err;
  }
  return json;
}

export const get = (path) => send('GET', path);
export const post = (path, body) => send('POST', path, body ?? {});
