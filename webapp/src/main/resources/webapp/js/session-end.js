// Ending a WHIP or WHEP session from the browser: DELETE on the session URL (RFC 9725 §4.3), and only once the node
// has answered, close the RTCPeerConnection. The order matters: closing the connection sends DTLS close_notify over
// UDP, on which the node ends the session by itself, so a DELETE still on its way over HTTP (slower, and more so on
// a busy machine) would find the session gone and be answered 404, which Chromium logs as a console error.

/**
 * True when the node has ended the session as far as this connection can tell: its close_notify closed DTLS, ICE
 * consent failed, or the connection was closed here (which sent our own close_notify). Such a session needs no DELETE.
 */
export function connectionEnded(pc) {
  if (!pc) return false;
  if (pc.connectionState === 'failed' || pc.connectionState === 'closed') return true;
  const transport = pc.getReceivers()[0]?.transport || pc.getSenders()[0]?.transport;
  return transport?.state === 'closed' || transport?.state === 'failed';
}

/**
 * Leaves the session at `location`: DELETE (kept alive through page unload, `headers` added), then closes `pc` when
 * the node has answered or cannot be reached. Without a location, or on a connection that has already ended, there is
 * nothing to DELETE and `pc` closes at once. On page unload the browser closes `pc` itself.
 */
export function endSession(pc, location, headers = {}) {
  if (!location || connectionEnded(pc)) {
    pc?.close();
    return;
  }
  fetch(location, { method: 'DELETE', keepalive: true, headers })
    .catch(() => { /* unreachable: ICE consent expiry ends the session on the node anyway */ })
    .finally(() => pc?.close());
}
