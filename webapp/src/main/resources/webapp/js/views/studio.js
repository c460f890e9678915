// /studio: pick a channel, a source and a preset, preview, go live over WHIP, watch the figures, stop. Also the
// OBS settings (WHIP URL and bearer token with reveal and copy) and stream-key rotation.
import { h, replace, uid } from '../dom.js';
import { api, describe } from '../api.js';
import { Broadcaster, PRESETS, meters, describeState } from '../studio.js';
import { ChatPanel } from '../chat.js';
import { confirmDialog, copyButton, errorBox, field, handleForm, loading } from '../ui.js';
import { toast, toastError } from '../toast.js';
import * as session from '../session.js';
import { splitTags } from '../format.js';

export default async function studio(outlet, ctx) {
  ctx.setTitle('Studio');
  const me = session.user();
  if (!me) {
    replace(outlet, h('h1', {}, 'Studio'),
      h('p', {}, 'Log in to go live. ', h('a', { href: '/login?next=/studio' }, 'Log in'), ' or ', h('a', { href: '/signup?next=/studio' }, 'create an account'), '.'));
    return undefined;
  }
  replace(outlet, h('h1', {}, 'Studio'), loading('Loading your channels…'));
  let channels;
  try {
    channels = (await api(`/api/channels?owner=${me.id}&limit=100`, { signal: ctx.signal })).items;
  } catch (error) {
    if (error.name === 'AbortError') return undefined;
    replace(outlet, h('h1', {}, 'Studio'), errorBox(error, () => studio(outlet, ctx)));
    return undefined;
  }
  if (!channels.length) {
    replace(outlet, h('h1', {}, 'Studio'), secureNote(), createChannelForm(() => studio(outlet, ctx)));
    return undefined;
  }
  const wanted = ctx.query.get('channel');
  const channel = channels.find(c => c.slug === wanted) || channels[0];
  return mountStudio(outlet, ctx, channels, channel);
}

/** Camera capture works only in a secure context: say so up front, and loudly when this page is not one. */
function secureNote() {
  if (!window.isSecureContext) {
    return h('div', { class: 'alert alert-warn', role: 'alert' },
      h('p', {}, h('strong', {}, 'Camera and screen capture are blocked on this address. '),
        'Browsers allow capture only over HTTPS, or on http://localhost. Run the node with --tls-cert and --tls-key, open it through localhost, or stream from OBS with the settings below.'));
  }
  return h('p', { class: 'muted small' }, 'Browsers allow camera capture only over HTTPS, or on http://localhost; this page qualifies.');
}

function createChannelForm(done) {
  const fields = {
    slug: field({ label: 'Channel address', name: 'slug', required: true, hint: 'Your channel lives at /c/<address>: 3-32 letters, digits, - or _, starting with a letter.' }),
    title: field({ label: 'Stream title', name: 'title', required: true }),
    category: field({ label: 'Category', name: 'category', required: true, hint: 'For example Music, Gaming or Talk.' }),
    tags: field({ label: 'Tags', name: 'tags', hint: 'Optional, separated by commas.' }),
  };
  const form = h('form', { class: 'card form-narrow', novalidate: true },
    h('h2', {}, 'Create your channel'),
    h('p', { class: 'muted' }, 'You need a channel before you can go live.'),
    Object.values(fields).map(f => f.wrap),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create channel'));
  handleForm(form, fields, async () => {
    const c = await api('/api/channels', {
      method: 'POST',
      body: {
        slug: fields.slug.input.value.trim(), title: fields.title.input.value.trim(), category: fields.category.input.value.trim(),
        tags: splitTags(fields.tags.input.value),
      },
    });
    toast(`Channel ${c.slug} created.`, { kind: 'success' });
    done();
  });
  return form;
}

function mountStudio(outlet, ctx, channels, channel) {
  const broadcaster = new Broadcaster(channel, { onChange: () => sync() });
  const root = h('div', { class: 'studio-layout' });
  root.cascadeStudio = broadcaster;

  // ---- controls
  const channelSelect = channels.length > 1 ? (() => {
    const id = uid('channel');
    const sel = h('select', { id }, channels.map(c => h('option', { value: c.slug, selected: c.slug === channel.slug }, `${c.title} (${c.slug})`)));
    // A new URL, so the router's leave guard asks first when live and the page starts clean for that channel.
    sel.addEventListener('change', async () => {
      await ctx.navigate(`/studio?channel=${encodeURIComponent(sel.value)}`);
      sel.value = channel.slug;
    });
    return h('div', { class: 'field' }, h('label', { for: id }, 'Channel'), sel);
  })() : null;

  const sourceName = uid('source');
  const sourceCamera = h('input', { type: 'radio', name: sourceName, value: 'camera', id: `${sourceName}-camera`, checked: true });
  const sourceScreen = h('input', { type: 'radio', name: sourceName, value: 'screen', id: `${sourceName}-screen` });
  const cameraId = uid('camera');
  const micId = uid('mic');
  const presetId = uid('preset');
  const cameraSelect = h('select', { id: cameraId }, h('option', { value: '' }, 'Default camera'));
  const micSelect = h('select', { id: micId }, h('option', { value: '' }, 'Default microphone'));
  const presetSelect = h('select', { id: presetId }, PRESETS.map(p => h('option', { value: p.id, selected: p.id === '720p' }, p.label)));
  // Simulcast: three layers (full, half, quarter size) so each viewer gets what its network carries. On by default
  // from 720p: Chromium sends three layers only from a 960x540 source, and a smaller one gains little from layers.
  const simulcastId = uid('simulcast');
  const simulcastBox = h('input', { type: 'checkbox', id: simulcastId, checked: true, dataset: { role: 'simulcast' } });
  const presetTall = () => (PRESETS.find(p => p.id === presetSelect.value)?.height ?? 0) >= 720;
  presetSelect.addEventListener('change', () => { if (!broadcaster.live) simulcastBox.checked = presetTall(); });
  const previewButton = h('button', { type: 'button', class: 'btn' }, 'Start preview');
  const liveButton = h('button', { type: 'button', class: 'btn btn-primary' }, 'Go live');
  const stopButton = h('button', { type: 'button', class: 'btn btn-danger' }, 'Stop broadcast');
  const statusLine = h('p', { class: 'studio-status', role: 'status' });
  const errorLine = h('div', { role: 'alert' });
  const meterList = h('dl', { class: 'meters' });
  const previewVideo = h('video', { autoplay: true, muted: true, playsinline: true, 'aria-label': 'Your camera preview' });
  previewVideo.muted = true;
  const previewOverlay = h('div', { class: 'player-overlay' }, h('p', {}, 'Choose a source and press Start preview.'));

  const options = () => ({
    source: sourceScreen.checked ? 'screen' : 'camera',
    cameraId: cameraSelect.value || null,
    microphoneId: micSelect.value || null,
    preset: presetSelect.value,
  });

  const startPreview = async () => {
    try {
      const stream = await broadcaster.capture(options());
      previewVideo.srcObject = stream;
      previewVideo.play().catch(() => {});
      await listDevices(cameraSelect, micSelect);
    } catch (error) {
      showError(error);
    }
  };

  const showError = error => {
    replace(errorLine, error ? h('div', { class: 'alert alert-error' }, h('p', {}, h('strong', {}, 'Problem: '), describe(error))) : null);
  };

  previewButton.addEventListener('click', startPreview);
  [sourceCamera, sourceScreen, cameraSelect, micSelect].forEach(el => el.addEventListener('change', () => {
    if (broadcaster.stream) startPreview();
  }));
  presetSelect.addEventListener('change', () => broadcaster.setPreset(presetSelect.value).catch(showError));
  liveButton.addEventListener('click', async () => {
    showError(null);
    try {
      if (!broadcaster.stream) await startPreview();
      if (!broadcaster.stream) return;
      const key = await keys.get();
      const live = await broadcaster.goLive({ preset: presetSelect.value, streamKey: key.streamKey, whipUrl: key.whipUrl,
        simulcast: simulcastBox.checked });
      if (live !== false) toast('You are live!', { kind: 'success' });
    } catch (error) {
      showError(error);
    }
  });
  stopButton.addEventListener('click', async () => {
    await broadcaster.stop();
    toast('The broadcast has ended.', { kind: 'info' });
  });

  // On the air from elsewhere (OBS, another tab)? Say so: going live here would take over from it.
  let elsewhere = false;
  const checkElsewhere = async () => {
    // Just after our own broadcast the node may still report it for a moment: that is not someone else.
    if (broadcaster.publisher || performance.now() - (broadcaster.endedAt ?? -1e9) < 12000) { elsewhere = false; return; }
    try {
      const ingest = await api(`/api/analytics/channels/${encodeURIComponent(channel.slug)}/ingest`, { signal: ctx.signal });
      elsewhere = !broadcaster.publisher && ingest.state !== 'offline';
      sync();
    } catch { /* the next check will tell */ }
  };
  const elsewhereTimer = setInterval(checkElsewhere, 5000);

  const sync = () => {
    const s = broadcaster.state;
    const status = elsewhere && !broadcaster.live
      ? `${describeState(broadcaster)} Your channel is on the air from another source (OBS or another tab); going live here takes over from it.`
      : describeState(broadcaster);
    // sync() runs every second while live: rewriting the same words would make screen readers repeat the status.
    if (statusLine.textContent !== status) statusLine.textContent = status;
    statusLine.dataset.state = s;
    previewOverlay.hidden = !!broadcaster.stream;
    previewButton.textContent = broadcaster.stream ? 'Restart preview' : 'Start preview';
    liveButton.hidden = broadcaster.live || s === 'stopping';
    liveButton.disabled = s === 'stopping';
    stopButton.hidden = !broadcaster.live;
    replace(meterList, meters(broadcaster));
    if (broadcaster.error) showError(broadcaster.error);
  };

  // ---- stream key (fetched from the owner-only endpoint when needed, kept in memory, never put in a URL)
  const keys = streamKeys(channel);
  const obs = obsCard(channel, keys);

  const chat = new ChatPanel(channel, { title: 'Your chat' });

  replace(root,
    h('div', { class: 'stack' },
      channelSelect,
      h('div', { class: 'preview' }, previewVideo, previewOverlay),
      statusLine,
      errorLine,
      h('section', { class: 'card', 'aria-labelledby': 'source-h' },
        h('h2', { id: 'source-h' }, 'Source and quality'),
        h('fieldset', {},
          h('legend', {}, 'Source'),
          h('div', { class: 'check' }, sourceCamera, h('label', { for: sourceCamera.id }, 'Camera and microphone')),
          h('div', { class: 'check' }, sourceScreen, h('label', { for: sourceScreen.id }, 'Screen share and microphone'))),
        h('div', { class: 'field' }, h('label', { for: cameraId }, 'Camera'), cameraSelect),
        h('div', { class: 'field' }, h('label', { for: micId }, 'Microphone'), micSelect),
        h('div', { class: 'field' }, h('label', { for: presetId }, 'Resolution and bitrate'), presetSelect),
        h('div', { class: 'check' }, simulcastBox,
          h('label', { for: simulcastId }, 'Simulcast: also send half and quarter size, so viewers on slow networks keep watching')),
        h('div', { class: 'row' }, previewButton, liveButton, stopButton)),
      h('section', { class: 'card', 'aria-labelledby': 'health-h' },
        h('h2', { id: 'health-h' }, 'Stream health'),
        meterList),
      obs,
      restreamCard(channel)),
    h('aside', { 'aria-label': 'Chat' }, chat.el));

  replace(outlet,
    h('div', { class: 'section-head' }, h('h1', {}, 'Studio'),
      h('a', { href: `/c/${encodeURIComponent(channel.slug)}` }, `View ${channel.slug}’s channel page`)),
    secureNote(),
    root);
  sync();
  checkElsewhere();
  chat.start();
  listDevices(cameraSelect, micSelect);

  const beforeUnload = event => {
    if (!broadcaster.live) return;
    event.preventDefault();
    event.returnValue = '';
  };
  window.addEventListener('beforeunload', beforeUnload);
  ctx.guard(() => (broadcaster.live ? 'You are live. Leaving the studio ends the broadcast. Leave anyway?' : null));
  return () => {
    clearInterval(elsewhereTimer);
    window.removeEventListener('beforeunload', beforeUnload);
    chat.destroy();
    broadcaster.dispose();
  };
}

/** Lists cameras and microphones; names appear once the page has been allowed to capture. */
async function listDevices(cameraSelect, micSelect) {
  if (!navigator.mediaDevices?.enumerateDevices) return;
  const devices = await navigator.mediaDevices.enumerateDevices();
  const fill = (select, kind, fallback) => {
    const chosen = select.value;
    const list = devices.filter(d => d.kind === kind && d.deviceId);
    replace(select, h('option', { value: '' }, fallback),
      list.map((d, i) => h('option', { value: d.deviceId, selected: d.deviceId === chosen }, d.label || `${fallback} ${i + 1}`)));
  };
  fill(cameraSelect, 'videoinput', 'Default camera');
  fill(micSelect, 'audioinput', 'Default microphone');
}

function streamKeys(channel) {
  let cached = null;
  return {
    async get() {
      if (!cached) {
        const r = await api(`/api/channels/${encodeURIComponent(channel.slug)}/stream-key`);
        cached = { streamKey: r.streamKey, whipUrl: new URL(r.whipUrl, location.origin).href, rtmpUrl: rtmpUrl(r), srtBase: srtBase(r) };
      }
      return cached;
    },
    async rotate() {
      const r = await api(`/api/channels/${encodeURIComponent(channel.slug)}/stream-key/rotate`, { method: 'POST' });
      cached = { ...(cached || { whipUrl: new URL('/api/whip', location.origin).href, rtmpUrl: null, srtBase: null }), streamKey: r.streamKey };
      return cached;
    },
  };
}

/** OBS's RTMP "Server": this host, the node's RTMP port and app; null when the node's RTMP ingest is off. */
function rtmpUrl(r) {
  if (r.rtmpPort == null) return null;
  const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
  return `rtmp://${host}:${r.rtmpPort}/${r.rtmpApp || 'live'}`;
}

/** SRT's server URL up to the stream key (OBS: Service "Custom…", Server srt://HOST:PORT?streamid=KEY); null when off. */
function srtBase(r) {
  if (r.srtPort == null) return null;
  const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
  return `srt://${host}:${r.srtPort}?streamid=`;
}

/**
 * OBS settings: WHIP (OBS 30+: Service WHIP, the server URL and the bearer token) and RTMP (Service Custom, Server and
 * Stream Key, for older OBS, hardware encoders and apps); the key hidden until revealed.
 */
function obsCard(channel, keys) {
  const urlId = uid('whip-url');
  const keyId = uid('whip-key');
  const whipUrl = new URL('/api/whip', location.origin).href;
  const urlInput = h('input', { id: urlId, type: 'text', readonly: true, value: whipUrl });
  const keyInput = h('input', { id: keyId, type: 'password', readonly: true, value: '••••••••••••••••', autocomplete: 'off' });
  let revealed = false;
  const reveal = h('button', { type: 'button', class: 'btn btn-small', 'aria-pressed': 'false', 'aria-controls': keyId }, 'Reveal');
  const showKey = async () => {
    if (revealed) {
      const k = await keys.get();
      keyInput.value = k.streamKey;
      keyInput.type = 'text';
    } else {
      keyInput.type = 'password';
      keyInput.value = '••••••••••••••••';
    }
    reveal.textContent = revealed ? 'Hide' : 'Reveal';
    reveal.setAttribute('aria-pressed', String(revealed));
  };
  reveal.addEventListener('click', async () => {
    revealed = !revealed;
    try { await showKey(); } catch (error) { revealed = false; toastError(error); }
  });
  const rotate = h('button', { type: 'button', class: 'btn btn-small btn-danger' }, 'Rotate key');
  rotate.addEventListener('click', async () => {
    if (!await confirmDialog('Rotate the stream key? OBS and anything else using the old key stop working at once and need the new one. A broadcast already running continues.', { confirmLabel: 'Rotate', danger: true })) return;
    try {
      await keys.rotate();
      await showKey();
      toast('The stream key was rotated. Paste the new one into OBS.', { kind: 'success' });
    } catch (error) {
      toastError(error);
    }
  });
  const rtmpId = uid('rtmp-url');
  const rtmpInput = h('input', { id: rtmpId, type: 'text', readonly: true, value: 'Loading…' });
  const rtmpField = h('div', { class: 'field' }, h('label', { for: rtmpId }, 'Server (RTMP, Service “Custom…”)'),
    h('div', { class: 'secret' }, rtmpInput, copyButton(async () => (await keys.get()).rtmpUrl || '', 'Copy', 'Copy the RTMP server URL')),
    h('p', { class: 'hint' }, 'With RTMP, the Stream Key is the same key as below. Turn B-frames off (x264 options bframes=0) and use a 1-2 s keyframe interval; AAC audio is fine.'));
  keys.get().then((k) => {
    if (k.rtmpUrl) rtmpInput.value = k.rtmpUrl;
    else rtmpField.hidden = true;
  }).catch(() => { rtmpField.hidden = true; });
  const srtId = uid('srt-url');
  const srtInput = h('input', { id: srtId, type: 'text', readonly: true, value: 'Loading…' });
  const srtField = h('div', { class: 'field' }, h('label', { for: srtId }, 'Server (SRT, Service “Custom…”)'),
    h('div', { class: 'secret' }, srtInput, copyButton(async () => { const k = await keys.get(); return k.srtBase ? k.srtBase + k.streamKey : ''; }, 'Copy', 'Copy the SRT server URL with the stream key')),
    h('p', { class: 'hint' }, 'With SRT the stream key is part of the server URL (the copy button includes it); leave OBS’s Stream Key empty. Same encoder settings as RTMP.'));
  keys.get().then((k) => {
    if (k.srtBase) srtInput.value = `${k.srtBase}<stream key>`;
    else srtField.hidden = true;
  }).catch(() => { srtField.hidden = true; });
  return h('section', { class: 'card', 'aria-labelledby': 'obs-h' },
    h('h2', { id: 'obs-h' }, 'Stream from OBS or FFmpeg'),
    h('p', { class: 'muted' }, 'In OBS 30 or newer: Settings → Stream → Service “WHIP”. Use H.264 with a keyframe interval of 1-2 s and Opus audio. Older OBS, hardware encoders and apps: Service “Custom…” with the RTMP server below.'),
    h('div', { class: 'field' }, h('label', { for: urlId }, 'Server (WHIP URL)'), h('div', { class: 'secret' }, urlInput, copyButton(() => whipUrl, 'Copy', 'Copy the WHIP server URL'))),
    rtmpField,
    srtField,
    h('div', { class: 'field' }, h('label', { for: keyId }, 'Bearer Token (WHIP) / Stream Key (RTMP)'),
      h('div', { class: 'secret' }, keyInput, reveal, copyButton(async () => (await keys.get()).streamKey, 'Copy', 'Copy the stream key'), rotate),
      h('p', { class: 'hint' }, 'Keep it secret: anyone with this key can broadcast on ', h('strong', {}, channel.slug), '.')));
}

/**
 * Restreaming: where this channel's broadcasts are also sent (Twitch, YouTube, any RTMP/RTMPS server). The key is
 * sent once and never shown again (only its last characters); changes apply from the next broadcast; while live, each
 * destination's state (connecting, live, failed with the reason) is shown.
 */
function restreamCard(channel) {
  const base = `/api/channels/${encodeURIComponent(channel.slug)}/restreams`;
  const list = h('ul', { class: 'list-plain', 'aria-live': 'polite' });
  const url = field({ label: 'Server URL', name: 'url', hint: 'rtmp:// or rtmps://, without the stream key (Twitch: rtmps://live.twitch.tv/app, YouTube: rtmps://a.rtmps.youtube.com/live2).', required: true });
  const key = field({ label: 'Stream key', name: 'key', type: 'password', autocomplete: 'off', required: true });
  const form = h('form', { class: 'stack', novalidate: true }, url.wrap, key.wrap, h('button', { type: 'submit', class: 'btn' }, 'Add destination'));
  const render = async () => {
    const r = await api(base);
    replace(list, r.restreams.length === 0 ? h('li', { class: 'muted' }, 'No destinations: the broadcast goes to this site only.')
      : r.restreams.map(t => {
        const remove = h('button', { type: 'button', class: 'btn btn-small btn-danger' }, 'Remove');
        remove.addEventListener('click', async () => {
          if (!await confirmDialog(`Stop restreaming to ${t.url}?`, { confirmLabel: 'Remove', danger: true })) return;
          try { await api(`${base}/${t.id}`, { method: 'DELETE' }); await render(); } catch (error) { toastError(error); }
        });
        const state = t.status ? `${t.status.state}${t.status.detail ? ` – ${t.status.detail}` : ''}` : 'starts with your next broadcast';
        return h('li', {}, h('strong', {}, t.url), ` (key ${t.keyHint}) `, h('span', { class: 'muted' }, state), ' ', remove);
      }));
  };
  // Not handleForm: its form-level alert would be a second role=alert in the studio, beside the broadcast's own.
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    url.setError(null);
    key.setError(null);
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      await api(base, { method: 'POST', body: { url: url.input.value.trim(), key: key.input.value.trim() } });
      url.input.value = '';
      key.input.value = '';
      toast('Destination added; it receives your next broadcast.', { kind: 'success' });
      await render();
    } catch (error) {
      const fieldErrors = typeof error?.fieldErrors === 'function' ? Object.entries(error.fieldErrors()) : [];
      let shown = false;
      for (const [name, message] of fieldErrors) {
        const f = ({ url, key })[name];
        if (f) { f.setError(message); shown = true; }
      }
      if (!shown) toastError(error);
    } finally {
      button.disabled = false;
    }
  });
  render().catch(() => replace(list, h('li', { class: 'muted' }, 'Destinations could not be loaded.')));
  return h('section', { class: 'card', 'aria-labelledby': 'restream-h' },
    h('h2', { id: 'restream-h' }, 'Restream to other sites'),
    h('p', { class: 'muted' }, 'Your broadcast is also sent to these servers as it is (H.264 video unchanged, audio as AAC). Up to 5.'),
    list, form);
}
