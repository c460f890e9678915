// The proof that this browser passed the age gate of mature channels (POST /api/age-gate): kept for the browser
// session and sent as ?age= on WHEP and live HLS, which answer 403 urn:cascade:age-gate for a mature channel without it.
const KEY = 'cascade-age-proof';
// Asked for anew a minute before it lapses, so a player that starts now is not refused halfway through its set-up.
const MARGIN_MS = 60_000;

export function ageProof() {
  try {
    const p = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (p && typeof p.token === 'string' && Date.parse(p.expiresAt) - MARGIN_MS > Date.now()) return p.token;
  } catch { /* storage off or a broken entry: no proof */ }
  return null;
}

export function rememberAgeProof({ token, expiresAt }) {
  try { sessionStorage.setItem(KEY, JSON.stringify({ token, expiresAt })); } catch { /* storage off: asked again next time */ }
}

/** `url` with the proof added when this browser holds one. */
export function withAgeProof(url) {
  const token = ageProof();
  if (!token) return url;
  return `${url}${url.includes('?') ? '&' : '?'}age=${encodeURIComponent(token)}`;
}
