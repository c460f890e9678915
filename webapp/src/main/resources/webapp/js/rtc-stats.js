// Turns two getStats() snapshots into rates people read: bitrate, packet loss, round-trip time, frames.

/** Reads the numbers we show from one RTCStatsReport. */
export async function snapshot(pc) {
  const report = await pc.getStats();
  const out = { at: performance.now(), outVideo: null, outAudio: null, inVideo: null, inAudio: null, remoteVideo: null, rtt: null };
  const byId = new Map();
  report.forEach(s => byId.set(s.id, s));
  report.forEach(s => {
    if (s.type === 'outbound-rtp') out[s.kind === 'video' ? 'outVideo' : 'outAudio'] = s;
    else if (s.type === 'inbound-rtp') out[s.kind === 'video' ? 'inVideo' : 'inAudio'] = s;
    else if (s.type === 'remote-inbound-rtp' && s.kind === 'video') out.remoteVideo = s;
    else if (s.type === 'transport' && s.selectedCandidatePairId) {
      const pair = byId.get(s.selectedCandidatePairId);
      if (pair && Number.isFinite(pair.currentRoundTripTime)) out.rtt = pair.currentRoundTripTime;
    }
  });
  return out;
}

/** Publisher figures between two snapshots. */
export function publisherRates(prev, cur) {
  const seconds = prev ? (cur.at - prev.at) / 1000 : 0;
  const bytes = (cur.outVideo?.bytesSent || 0) + (cur.outAudio?.bytesSent || 0);
  const prevBytes = prev ? (prev.outVideo?.bytesSent || 0) + (prev.outAudio?.bytesSent || 0) : 0;
  const sent = (cur.outVideo?.packetsSent || 0) - (prev?.outVideo?.packetsSent || 0);
  const lost = (cur.remoteVideo?.packetsLost || 0) - (prev?.remoteVideo?.packetsLost || 0);
  const rtt = cur.rtt ?? cur.remoteVideo?.roundTripTime ?? null;
  return {
    bitrate: seconds > 0 ? ((bytes - prevBytes) * 8) / seconds : NaN,
    // Loss as the server's receiver reports see it; fractionLost is the last interval, cumulative counts fill gaps.
    loss: cur.remoteVideo?.fractionLost != null ? cur.remoteVideo.fractionLost * 100
      : sent > 0 ? Math.max(0, (lost / (sent + lost)) * 100) : 0,
    rtt: rtt === null ? NaN : rtt * 1000,
    width: cur.outVideo?.frameWidth || 0,
    height: cur.outVideo?.frameHeight || 0,
    fps: cur.outVideo?.framesPerSecond || 0,
    limitation: cur.outVideo?.qualityLimitationReason || 'none',
    framesEncoded: cur.outVideo?.framesEncoded || 0,
  };
}
