// The web studio's own WHIP client (webapp/js/whip.js, served to this page unchanged) publishing Chromium's fake
// camera in simulcast, as the studio does: so a test sees what the studio's publisher does with the node's
// layer-pausing events, without the sign-up and studio pages around it.
import { WhipPublisher } from '/webapp/js/whip.js';
import { note } from './stats.js';

let publisher = null;

/** Publishes the fake camera at width x height with the studio's three layers under `maxBitrate` (the top layer's). */
async function publish({ whipUrl, key, width = 1280, height = 720, maxBitrate = 1_500_000 }) {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width, height, frameRate: 30 } });
  document.getElementById('preview').srcObject = stream;
  publisher = new WhipPublisher(whipUrl, key);
  await publisher.start(stream, { maxBitrate, simulcast: true });
  note(`studio publisher live at ${publisher.location}`);
  return { location: publisher.location };
}

/** Per rid: whether the encoding is active (the studio's setParameters) and what the browser has sent of it. */
async function layers() {
  const sender = publisher?.senders.video;
  if (!sender) return null;
  const out = { paused: publisher.pausedLayers, takenAt: Date.now(), encodings: {} };
  for (const e of sender.getParameters().encodings) out.encodings[e.rid] = { active: e.active, maxBitrate: e.maxBitrate };
  (await sender.getStats()).forEach(s => {
    if (s.type === 'outbound-rtp' && s.rid && out.encodings[s.rid]) {
      Object.assign(out.encodings[s.rid], { bytesSent: s.bytesSent, framesEncoded: s.framesEncoded, frameWidth: s.frameWidth });
    }
  });
  return out;
}

window.studioPublisher = { publish, layers };
