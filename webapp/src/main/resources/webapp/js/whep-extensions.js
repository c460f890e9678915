// The WHEP extensions a Cascade node offers on every playback session (Link headers of the 201): server-sent
// events (urn:ietf:params:whep:ext:core:server-sent-events) for the live viewer count and the simulcast layers, and
// layer selection (urn:ietf:params:whep:ext:core:layer) for the player's quality menu: "Auto" lets the node choose
// from the viewer's bandwidth, a layer pins it.
import { h, replace } from './dom.js';

const SSE = 'urn:ietf:params:whep:ext:core:server-sent-events';
const LAYER = 'urn:ietf:params:whep:ext:core:layer';

/** Link header values (several may arrive joined by commas) as { rel: { url, params } }. */
export function parseLinks(header, base) {
  const out = {};
  if (!header) return out;
  let depth = 0, quoted = false, start = 0;
  const parts = [];
  for (let i = 0; i < header.length; i++) {
    const c = header[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth--;
    else if (!quoted && depth === 0 && c === ',') { parts.push(header.slice(start, i)); start = i + 1; }
  }
  parts.push(header.slice(start));
  for (const part of parts) {
    const m = part.trim().match(/^<([^>]*)>(.*)$/);
    if (!m) continue;
    const params = {};
    for (const p of m[2].split(';')) {
      const kv = p.trim().match(/^([^=]+)="?([^"]*)"?$/);
      if (kv) params[kv[1].trim().toLowerCase()] = kv[2];
    }
    if (params.rel) out[params.rel] = { url: new URL(m[1], base).href, params };
  }
  return out;
}

export class WhepExtensions {
  /**
   * `links` from parseLinks; `onViewers(n)` on each viewer count; `onReconnect()` when the node asks the player to
   * connect again (it is draining, or the session ended while the channel is live); `onLost()` when the event stream
   * breaks (the node may have died: a killed process's sockets close at once, long before ICE gives up); the menu
   * shows once layers are known.
   */
  constructor(links, { onViewers = () => {}, onReconnect = () => {}, onLost = () => {} } = {}) {
    this.links = links;
    this.onViewers = onViewers;
    this.onReconnect = onReconnect;
    this.onLost = onLost;
    this.source = null;
    this.mediaId = null;
    this.select = h('select', { 'aria-label': 'Video quality' });
    this.select.addEventListener('change', () => this.choose(this.select.value || null));
    this.menu = h('span', { hidden: true }, this.select);
    this.chosen = '';
  }

  get hasLayers() { return !!this.links[LAYER]; }

  /** Subscribes to the events; resolves once the stream is open (or at once when the node offers none). */
  async start() {
    const sse = this.links[SSE];
    if (!sse) return;
    const wanted = ['active', 'inactive', 'viewercount', 'reconnect', ...(this.hasLayers ? ['layers'] : [])];
    const response = await fetch(sse.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(wanted) });
    if (response.status !== 201) return;
    const location = new URL(response.headers.get('Location'), sse.url).href;
    this.source = new EventSource(location);
    this.source.addEventListener('viewercount', e => this.onViewers(JSON.parse(e.data).viewercount));
    this.source.addEventListener('layers', e => this.showLayers(JSON.parse(e.data)));
    this.source.addEventListener('reconnect', () => { this.source?.close(); this.onReconnect(); });
    this.source.addEventListener('error', () => { if (this.source) this.onLost(); });
  }

  /** The menu: Auto, then each layer best first (the node lists them so), labelled by height when known. */
  showLayers(data) {
    const [mediaId, media] = Object.entries(data)[0] || [];
    if (!media?.layers?.length) { this.menu.hidden = true; return; }
    this.mediaId = mediaId;
    const options = [h('option', { value: '' }, 'Auto')];
    for (const l of media.layers) {
      const label = l.height ? `${l.height}p` : l.encodingId;
      options.push(h('option', { value: l.encodingId }, label));
    }
    replace(this.select, options);
    this.select.value = this.chosen;
    this.menu.hidden = false;
  }

  /** Pins a layer (its rid), or back to the node's choice with null. */
  async choose(rid) {
    const layer = this.links[LAYER];
    if (!layer) return;
    this.chosen = rid || '';
    const body = rid ? { mediaId: this.mediaId, encodingId: rid } : {};
    await fetch(layer.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  }

  close() {
    this.source?.close();
    this.source = null;
    this.menu.hidden = true;
  }
}
