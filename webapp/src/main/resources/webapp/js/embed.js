// Entry point of /embed/{slug}: the same live player, nothing around it, for other sites to iframe.
import { Player } from './player.js';
import { h, replace } from './dom.js';
import { api } from './api.js';
import { ageGate } from './safety-ui.js';

const slug = decodeURIComponent(location.pathname.split('/')[2] || '');
const slot = document.getElementById('embed-player');
if (!slug) {
  replace(slot, h('p', { role: 'alert' }, 'No channel named in this embed address.'));
} else {
  const query = new URLSearchParams(location.search);
  const mode = query.get('playback') === 'hls' ? 'hls' : 'auto';
  // A private channel is embedded as /embed/{slug}?token=cvt_…: the player sends it to WHEP and HLS.
  const player = new Player({
    slug, mode, embed: true, viewerToken: query.get('token'),
    onChannel: c => {
      document.title = `${c.title} · Cascade Live`;
      document.getElementById('embed-title').textContent = c.title;
    },
  });
  // A mature channel's age gate comes before the player here too (an unknown or private channel: the player says so).
  const token = query.get('token');
  api(`/api/channels/${encodeURIComponent(slug)}`, { headers: token ? { 'X-Viewer-Token': token } : {} })
    .then(c => !c.mature || ageGate(slot, {}, c), () => true)
    .then(ok => {
      if (!ok) return;
      replace(slot, player.el);
      player.start();
    });
}
