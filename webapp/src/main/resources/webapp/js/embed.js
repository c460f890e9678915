// Entry point of /embed/{slug}: the same live player, nothing around it, for other sites to iframe.
import { Player } from './player.js';
import { h, replace } from './dom.js';

const slug = decodeURIComponent(location.pathname.split('/')[2] || '');
const slot = document.getElementById('embed-player');
if (!slug) {
  replace(slot, h('p', { role: 'alert' }, 'No channel named in this embed address.'));
} else {
  const mode = new URLSearchParams(location.search).get('playback') === 'hls' ? 'hls' : 'auto';
  const player = new Player({
    slug, mode, embed: true,
    onChannel: c => {
      document.title = `${c.title} · Cascade Live`;
      document.getElementById('embed-title').textContent = c.title;
    },
  });
  replace(slot, player.el);
  player.start();
}
