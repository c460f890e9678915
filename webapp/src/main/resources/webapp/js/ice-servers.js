// The node's ICE servers (STUN, and TURN with a credential minted for this page, valid a few minutes), fetched just
// before each offer: the WHIP/WHEP Link headers arrive with the answer, too late for the offer's own gathering.
// Without them the peer connection still has the node's UDP and ICE-TCP candidates, so a failed fetch does not stop
// playback or publishing.

/** RTCIceServer[] for a new RTCPeerConnection; [] when the node offers none or cannot be asked. */
export async function iceServers() {
  try {
    const response = await fetch('/api/ice-servers', { cache: 'no-store', signal: AbortSignal.timeout(3000) });
    if (!response.ok) return [];
    const body = await response.json();
    return Array.isArray(body.iceServers) ? body.iceServers : [];
  } catch {
    return [];
  }
}

/**
 * The path a connected peer connection took, from its selected candidate pair: 'udp' (direct), 'tcp' (ICE-TCP),
 * 'turn-udp', 'turn-tcp' or 'turn-tls' (relayed through TURN), or null before one is selected.
 */
export async function selectedPath(pc) {
  return (await selectedRoute(pc))?.path || null;
}

/**
 * The selected pair's path and, when relayed, the relay candidate: its address and port (the relayed address the TURN
 * server allocated, which is the address the node sees the session's media come from) and the transport to the relay
 * (udp, tcp, tls). The node cannot tell that transport itself (the relay talks to it over UDP either way), so the
 * player reports it in its QoE beacons. Null before a pair is selected.
 */
export async function selectedRoute(pc) {
  if (!pc) return null;
  let route = null;
  try {
    const report = await pc.getStats();
    const byId = new Map();
    report.forEach(s => byId.set(s.id, s));
    report.forEach(s => {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
      const local = byId.get(byId.get(s.selectedCandidatePairId)?.localCandidateId);
      if (!local) return;
      const path = pathOf(local);
      const address = local.address || local.ip;
      route = { path, relay: local.candidateType === 'relay' && address && local.port
        ? { address, port: local.port, protocol: local.relayProtocol || 'udp' } : null };
    });
  } catch { /* closed meanwhile */ }
  return route;
}

/** A WHIP/WHEP session's id: the last segment of its Location (the URL the node answered the offer with). */
export function sessionOf(location) {
  if (!location) return null;
  try {
    const segment = new URL(location, window.location.href).pathname.split('/').pop();
    return /^[A-Za-z0-9_-]{1,64}$/.test(segment) ? segment : null;
  } catch {
    return null;
  }
}

/**
 * Tells the node that holds a relayed session how the browser reaches the relay (`relay` from selectedRoute), so the
 * node counts the session as turn-udp, turn-tcp or turn-tls instead of plain turn: POST /api/ice-servers/relay on the
 * session's own node (its Location's origin: after a redirect that is not this page's). text/plain and no cookies, so
 * another origin needs no preflight. Resolves to the HTTP status, 0 when the node could not be reached: 204 counted,
 * 202 kept until the node sees the session's pair (a moment after the browser may), anything else not taken.
 */
export async function reportRelay(location, relay) {
  const session = sessionOf(location);
  if (!session || !relay) return 0;
  try {
    const response = await fetch(new URL('/api/ice-servers/relay', location), {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ session, address: relay.address, port: relay.port, protocol: relay.protocol }),
      signal: AbortSignal.timeout(5000),
    });
    return response.status;
  } catch {
    return 0;
  }
}

/** The path of one local candidate (an RTCIceCandidateStats). */
export function pathOf(local) {
  if (local.candidateType === 'relay') return `turn-${local.relayProtocol || 'udp'}`;
  return local.protocol === 'tcp' ? 'tcp' : 'udp';
}

/** What people read for a path. */
export function describePath(path) {
  switch (path) {
    case 'udp': return 'Direct (UDP)';
    case 'tcp': return 'TCP (UDP blocked)';
    case 'turn-udp': return 'Relayed (TURN/UDP)';
    case 'turn-tcp': return 'Relayed (TURN/TCP)';
    case 'turn-tls': return 'Relayed (TURN/TLS)';
    default: return '–';
  }
}
