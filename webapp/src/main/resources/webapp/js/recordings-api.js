// The recordings API (docs/hls.md, live.cascade.api.recordings) as the UI uses it. A recording or clip:
//   {id, channelId, title, status ("ready" | "partial" | …), error, clip, parentId, clipStart, duration (s), size,
//    published, publishedAt, takenDown, takedownReason, startedAt, createdAt, expiresAt, mediaUrl, playlistUrl,
//    thumbnailUrl}
import { api } from './api.js';

const base = id => `/api/recordings/${encodeURIComponent(id)}`;

export const recordings = {
  /** Whole broadcasts and their clips, newest first; owners and admins also get drafts. */
  list: (channel, { signal, cursor } = {}) =>
    api(`/api/recordings?channel=${encodeURIComponent(channel)}&clips=true&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal }),
  publish: id => api(`${base(id)}/publish`, { method: 'POST' }),
  remove: id => api(base(id), { method: 'DELETE' }),
  /** Cuts [start, end) seconds into a new clip; answers once it is written. */
  clip: (id, title, start, end) => api(`${base(id)}/clips`, { method: 'POST', body: { title, start, end } }),
  takeDown: (id, reason) => api(`${base(id)}/takedown`, { method: 'POST', body: { reason } }),
  restore: id => api(`${base(id)}/restore`, { method: 'POST' }),
};

/** Whether a recording can be played by the person looking at it. */
export function playable(r) {
  return !r.takenDown && (r.status === 'ready' || r.status === 'partial') && !!(r.mediaUrl || r.playlistUrl);
}
