// SDP rewrites the impairment tests and benchmarks apply on the page side, around an unchanged server.

/**
 * The server's answer with its candidates replaced by one host candidate at relay.address:relay.port, so all media
 * goes through a test relay (which can drop packets). The server is ICE-lite and answers connectivity checks from
 * whatever address they come, so it needs to know nothing about the relay. relay null: the answer as it is.
 */
export function viaRelay(sdp, relay) {
  if (!relay) return sdp;
  const out = [];
  let replacedInSection = false;
  for (const line of sdp.split('\r\n')) {
    if (line.startsWith('m=')) replacedInSection = false;
    if (line.startsWith('a=candidate:')) {
      if (!replacedInSection) {
        out.push(`a=candidate:1 1 udp 2130706431 ${relay.address} ${relay.port} typ host`);
        replacedInSection = true;
      }
      continue;
    }
    out.push(line);
  }
  return out.join('\r\n');
}

/**
 * The offer without generic NACK feedback ("a=rtcp-fb:<pt> nack", not "nack pli"), so neither side requests or
 * answers retransmissions: the "without NACK/RTX" side of the loss benchmark. Applied to the offer before
 * setLocalDescription: Chromium keeps sending NACKs for what its local description allows even when the answer
 * leaves them out (measured: a viewer whose POSTed offer alone was stripped still sent 120 NACKs in 20 s).
 */
export function withoutNack(sdp) {
  return sdp.split('\r\n').filter(line => !/^a=rtcp-fb:(\d+|\*) nack$/.test(line)).join('\r\n');
}

/**
 * The offer without transport-cc (feedback and header extension), so Chromium estimates its receive bandwidth itself
 * and reports it in REMB: what the node's layer choice reads until a send-side estimator replaces it.
 */
export function withoutTransportCc(sdp) {
  return sdp.split('\r\n')
    .filter(line => !/^a=rtcp-fb:(\d+|\*) transport-cc$/.test(line) && !/transport-wide-cc-extensions/.test(line))
    .join('\r\n');
}
