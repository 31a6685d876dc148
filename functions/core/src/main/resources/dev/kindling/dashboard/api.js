// The admin API, with the token the person signed in with. The token lives in this module's memory only:
// never in a URL, a cookie or the browser's storage, so a reload signs out and nothing else can read it.

let token = null;
let session = null;

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** Signs in: asks GET /admin/session which shop and role the token has, and the shop's currency (its email settings). */
export async function signIn(candidate) {
  token = candidate;
  try {
    const [who, email] = await Promise.all([get('/admin/session'), get('/admin/email/settings')]);
    session = { ...who, currency: email.settings?.currency ?? 'USD' };
    return session;
  } catch (e) {
    token = null;
    throw e;
  }
}

export function signOut() {
  token = null;
  session = null;
}

export const current = () => session;
/** Whether this token may change anything; read tokens see no edit controls. */
export const canChange = () => Boolean(session?.canChange);

export async function call(method, path, body, contentType = 'application/json') {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  const init = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
    init.body = typeof body === 'string' || body instanceof Blob ? body : JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = { message: text }; }
  if (response.status === 401) {
    signOut();
    window.dispatchEvent(new CustomEvent('kindling:signed-out'));
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body ?? {});
export const put = (path, body, type) => call('PUT', path, body, type);
export const del = (path) => call('DELETE', path);

/** A path with its query, each value encoded. */
export function path(base, query = {}) {
  const q = Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return q ? `${base}?${q}` : base;
}

/** A path segment, encoded (ids typed by people). */
export const seg = (s) => encodeURIComponent(s);
