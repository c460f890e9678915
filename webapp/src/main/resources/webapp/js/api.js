// Every call to the JSON API goes through here. A failure always becomes an ApiError whose message is a sentence a
// person can act on: the problem document's `detail` when the server sent one (RFC 9457), else a plain fallback.

export class ApiError extends Error {
  constructor(status, problem = {}, retryAfter = null) {
    super(problem.detail || problem.title || fallback(status));
    this.name = 'ApiError';
    this.status = status;
    this.type = problem.type || null;
    this.detail = problem.detail || null;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.retryAfter = retryAfter === null ? null : Number(retryAfter);
  }

  /** The field errors as { field: sentence }, for showing next to form inputs. */
  fieldErrors() {
    const out = {};
    for (const e of this.errors) out[e.field] = e.detail;
    return out;
  }
}

function fallback(status) {
  if (status === 0) return 'Cannot reach the server. Check your connection and try again.';
  if (status === 401) return 'Please log in first.';
  if (status === 403) return 'You are not allowed to do that.';
  if (status === 404) return 'That does not exist (any more).';
  if (status === 409) return 'That conflicts with something that already exists.';
  if (status === 413) return 'That is too large for the server to accept.';
  if (status === 429) return 'Too many attempts; wait a moment and try again.';
  if (status >= 500) return 'The server had a problem handling this; try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}

/**
 * api('/api/channels', { method: 'POST', body: {...} }) → parsed JSON, or null for 204.
 * Cookies go along (same origin), so browsers authenticate with the HttpOnly session cookie; the browser adds the
 * Origin header the server's CSRF check wants on every state-changing fetch.
 */
export async function api(path, { method = 'GET', body, signal, headers = {}, keepalive = false } = {}) {
  const init = { method, signal, keepalive, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0);
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  if (!response.ok) {
    let problem = {};
    if (type.includes('json')) {
      try { problem = await response.json(); } catch { /* an empty or broken body keeps the fallback sentence */ }
    }
    // New Terms not accepted yet: the app shell sends the person to /accept-terms (the embed has no shell and ignores it).
    if (response.status === 403 && problem.type === 'urn:cascade:terms-not-accepted') {
      window.dispatchEvent(new CustomEvent('cascade:terms-required'));
    }
    throw new ApiError(response.status, problem, response.headers.get('Retry-After'));
  }
  return type.includes('json') ? response.json() : response.text();
}

/** The sentence to show for any error (ApiError or not), with field errors spelled out. */
export function describe(error) {
  if (!error) return 'Something went wrong.';
  if (error instanceof ApiError) {
    const fields = error.errors.filter(e => e.field && e.detail);
    if (fields.length > 1) return `${error.message} ${fields.map(e => `${e.field}: ${e.detail}.`).join(' ')}`;
    return error.message;
  }
  if (error.name === 'NotAllowedError') return 'Permission was denied. Allow camera and microphone access in your browser, then try again.';
  if (error.name === 'NotFoundError') return 'No camera or microphone was found.';
  if (error.name === 'NotReadableError') return 'The camera or microphone is in use by another application.';
  return error.message || String(error);
}

/** Query string from an object, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
