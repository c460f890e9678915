// Short messages in a corner: confirmations politely, errors assertively, each with a close button.
import { h } from './dom.js';
import { describe } from './api.js';

export function toast(message, { kind = 'info', timeout = 6000 } = {}) {
  const region = document.getElementById('toasts');
  if (!region) return;
  const close = h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': 'Dismiss message' }, '✕');
  const el = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('p', { text: message }), close);
  const remove = () => el.remove();
  close.addEventListener('click', remove);
  region.append(el);
  if (timeout > 0) setTimeout(remove, kind === 'error' ? timeout * 1.5 : timeout);
}

export function toastError(error) {
  toast(describe(error), { kind: 'error' });
}
