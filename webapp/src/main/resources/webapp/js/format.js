// Numbers, durations and times the way people read them.

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const plain = new Intl.NumberFormat();

export function count(n) {
  return n >= 10000 ? compact.format(n) : plain.format(n);
}

export function plural(n, one, many = `${one}s`) {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** 75 → "1 min 15 s", 4000 → "1 h 6 min". */
export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

export function minutes(value) {
  if (value < 60) return `${value.toFixed(value < 10 ? 1 : 0)} min`;
  return duration(value * 60);
}

/** "live, #Music , ,retro" → ["live", "Music", "retro"]: the tags field of the studio and the Channels tab. */
export function splitTags(text) {
  return text.split(',').map(t => t.trim().replace(/^#/, '')).filter(Boolean);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function when(iso) {
  return iso ? dateTime.format(new Date(iso)) : '';
}

export function clock(iso) {
  return iso ? timeOnly.format(new Date(iso)) : '';
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function ago(iso) {
  const diff = (new Date(iso).getTime() - Date.now()) / 1000;
  const abs = Math.abs(diff);
  if (abs < 60) return relative.format(Math.round(diff), 'second');
  if (abs < 3600) return relative.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(diff / 3600), 'hour');
  return relative.format(Math.round(diff / 86400), 'day');
}

export function kbps(bitsPerSecond) {
  if (!Number.isFinite(bitsPerSecond)) return '–';
  return bitsPerSecond >= 1e6 ? `${(bitsPerSecond / 1e6).toFixed(2)} Mbps` : `${Math.round(bitsPerSecond / 1000)} kbps`;
}
