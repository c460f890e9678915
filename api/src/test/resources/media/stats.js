// Shared helpers of the end-to-end media pages: flat getStats() figures and a tiny log the tests print on failure.

/** Every WHIP/WHEP request gives up after this long, so a hung server fails the test instead of stalling it. */
export const HTTP_TIMEOUT_MS = 15000;

export const log = [];

export function note(message) {
  const line = `${new Date().toISOString().slice(11, 23)} ${message}`;
  log.push(line);
  if (log.length > 200) log.shift();
  console.log(line);
}

/** Resolves a Location header (relative or absolute) against the URL it answered. */
export function resolveLocation(location, requestUrl) {
  return location === null ? null : new URL(location, requestUrl).href;
}

const pick = (o, keys) => Object.fromEntries(keys.filter(k => o[k] !== undefined).map(k => [k, o[k]]));

/** One JSON-friendly snapshot of what getStats() says about a peer connection. */
export async function snapshot(pc) {
  if (!pc) return null;
  const report = await pc.getStats();
  const byId = new Map();
  report.forEach(s => byId.set(s.id, s));
  const out = {
    connectionState: pc.connectionState,
    iceConnectionState: pc.iceConnectionState,
    signalingState: pc.signalingState,
    inbound: {},
    outbound: {},
    outboundLayers: {},  // simulcast: each rid's outbound-rtp (outbound.video is whichever came last)
    remoteInbound: {},   // what the server's receiver reports say about our outbound streams
    selectedPair: null,
  };
  const codecOf = s => (s.codecId && byId.get(s.codecId)) ? byId.get(s.codecId).mimeType : null;
  report.forEach(s => {
    if (s.type === 'inbound-rtp') {
      out.inbound[s.kind] = {
        codec: codecOf(s),
        ...pick(s, ['ssrc', 'mid', 'packetsReceived', 'packetsLost', 'bytesReceived', 'jitter', 'nackCount', 'pliCount',
          'firCount', 'framesDecoded', 'keyFramesDecoded', 'framesDropped', 'framesReceived', 'frameWidth', 'frameHeight',
          'framesPerSecond', 'freezeCount', 'totalFreezesDuration', 'pauseCount', 'jitterBufferDelay',
          'jitterBufferEmittedCount', 'totalSamplesReceived', 'concealedSamples', 'audioLevel', 'decoderImplementation',
          'retransmittedPacketsReceived', 'retransmittedBytesReceived', 'jitterBufferTargetDelay', 'totalDecodeTime',
          'jitterBufferMinimumDelay', 'estimatedPlayoutTimestamp']),
      };
    } else if (s.type === 'outbound-rtp') {
      if (s.rid) {
        out.outboundLayers[s.rid] = pick(s, ['framesEncoded', 'keyFramesEncoded', 'frameWidth', 'framesPerSecond',
          'qualityLimitationReason', 'targetBitrate', 'bytesSent', 'pliCount', 'firCount', 'totalEncodeTime']);
      }
      out.outbound[s.kind] = {
        codec: codecOf(s),
        ...pick(s, ['ssrc', 'mid', 'packetsSent', 'bytesSent', 'framesEncoded', 'keyFramesEncoded', 'frameWidth',
          'frameHeight', 'framesPerSecond', 'nackCount', 'pliCount', 'firCount', 'retransmittedPacketsSent',
          'qualityLimitationReason', 'encoderImplementation', 'targetBitrate',
          'retransmittedBytesSent', 'totalPacketSendDelay']),
      };
    } else if (s.type === 'remote-inbound-rtp') {
      out.remoteInbound[s.kind] = pick(s, ['ssrc', 'packetsLost', 'fractionLost', 'jitter', 'roundTripTime',
        'roundTripTimeMeasurements']);
    } else if (s.type === 'transport' && s.selectedCandidatePairId) {
      const pair = byId.get(s.selectedCandidatePairId);
      if (pair) {
        const local = byId.get(pair.localCandidateId) || {};
        const remote = byId.get(pair.remoteCandidateId) || {};
        out.selectedPair = {
          state: pair.state,
          local: `${local.address}:${local.port}/${local.protocol} ${local.candidateType}`,
          remote: `${remote.address}:${remote.port}/${remote.protocol} ${remote.candidateType}`,
          localProtocol: local.protocol,
          localType: local.candidateType,
          localRelayProtocol: local.relayProtocol || null,
          remoteProtocol: remote.protocol,
          currentRoundTripTime: pair.currentRoundTripTime,
          availableOutgoingBitrate: pair.availableOutgoingBitrate,
          availableIncomingBitrate: pair.availableIncomingBitrate,
        };
        out.dtlsState = s.dtlsState;
        out.dtlsRole = s.dtlsRole;
        out.srtpCipher = s.srtpCipher;
      }
    }
  });
  return out;
}
