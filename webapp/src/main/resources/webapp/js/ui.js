// Small shared pieces of UI: channel cards, loading and error states, forms, copy buttons, confirmation dialogs.
import { h, replace, uid } from './dom.js';
import { ApiError, describe } from './api.js';
import { count, plural } from './format.js';
import { toast } from './toast.js';

export function loading(label = 'Loading…') {
  return h('div', { class: 'page-loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), label);
}

export function skeletonGrid(n = 6, label = 'Loading channels') {
  return h('div', { class: 'grid', role: 'status', 'aria-label': label },
    Array.from({ length: n }, () => h('div', { class: 'skeleton', 'aria-hidden': 'true' })));
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

/** A visible, announced error with the server's sentence and, optionally, a retry button. */
export function errorBox(error, retry) {
  return h('div', { class: 'alert alert-error', role: 'alert' },
    h('p', {}, h('strong', {}, 'Something went wrong: '), describe(error)),
    retry ? h('button', { type: 'button', class: 'btn', onclick: retry }, 'Try again') : null);
}

export function liveBadge() {
  return h('span', { class: 'badge badge-live' }, 'LIVE');
}

/** The first letter of a name on a coloured tile, where there is no image. */
function initial(text) {
  return (text || '?').trim().charAt(0).toUpperCase() || '?';
}

/**
 * A directory card. Live channels show the still the channel JSON points to ({@code thumbnailUrl}, refreshed every
 * 30 s while live); when there is none yet (404, or no HLS on this node) the placeholder tile stays.
 */
export function channelCard(ch) {
  const href = `/c/${encodeURIComponent(ch.slug)}`;
  const placeholder = h('span', { class: 'thumb-placeholder', 'aria-hidden': 'true' }, initial(ch.title));
  const thumb = h('a', { class: 'thumb', href, tabindex: '-1', 'aria-hidden': 'true' }, placeholder);
  if (ch.live) {
    if (ch.thumbnailUrl) {
      const img = h('img', { src: ch.thumbnailUrl, alt: '', loading: 'lazy', decoding: 'async' });
      img.addEventListener('error', () => img.remove(), { once: true });
      thumb.append(img);
    }
    thumb.append(liveBadge(), h('span', { class: 'badge viewers' }, plural(ch.viewerCount, 'viewer')));
  }
  return h('article', { class: 'channel-card' },
    thumb,
    h('div', { class: 'body' },
      h('h3', {}, h('a', { href }, ch.title)),
      h('p', { class: 'meta' },
        h('a', { href: `/category/${encodeURIComponent(ch.category)}` }, ch.category),
        ` · ${ch.slug}`,
        ch.live ? '' : ` · ${plural(ch.followerCount, 'follower')}`),
      ch.tags?.length ? h('ul', { class: 'tags', 'aria-label': 'Tags' },
        ch.tags.map(t => h('li', {}, h('a', { class: 'tag', href: `/?q=${encodeURIComponent(t)}` }, `#${t}`)))) : null));
}

export function channelGrid(channels, emptyText) {
  if (!channels.length) return empty(emptyText);
  return h('div', { class: 'grid' }, channels.map(channelCard));
}

/** A labelled input with a hint and an error slot wired up for screen readers. */
export function field({ label, name, type = 'text', value = '', hint, required = false, autocomplete, attrs = {}, multiline = false }) {
  const id = uid(name);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const input = multiline
    ? h('textarea', { id, name, required, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' '), ...attrs })
    : h('input', { id, name, type, required, autocomplete, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' '), ...attrs });
  input.value = value ?? '';
  const error = h('p', { class: 'error', id: errorId, hidden: true });
  const wrap = h('div', { class: 'field' },
    h('label', { for: id }, label, required ? h('span', { class: 'muted' }, ' (required)') : null),
    input,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    error);
  return {
    wrap, input,
    setError(message) {
      error.hidden = !message;
      error.textContent = message || '';
      if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    },
  };
}

export function checkbox({ label, name, checked = false }) {
  const id = uid(name);
  const input = h('input', { id, name, type: 'checkbox', checked });
  return { wrap: h('div', { class: 'check' }, input, h('label', { for: id }, label)), input };
}

export function select({ label, name, options, value, hint }) {
  const id = uid(name);
  const el = h('select', { id, name }, options.map(o => h('option', { value: o.value, selected: String(o.value) === String(value) }, o.label)));
  // setError: a select has no free text to get wrong, but it can stand in a handleForm field map like any field.
  return { wrap: h('div', { class: 'field' }, h('label', { for: id }, label), el, hint ? h('p', { class: 'hint' }, hint) : null), input: el, setError() {} };
}

/**
 * Runs `submit` on a form's submit: disables its buttons meanwhile, shows field errors beside their inputs and any
 * other error in an alert at the top of the form. `fields` maps API field names to field() results.
 */
export function handleForm(form, fields, submit) {
  const alert = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  form.prepend(alert);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    alert.hidden = true;
    for (const f of Object.values(fields)) f.setError(null);
    const buttons = form.querySelectorAll('button');
    buttons.forEach(b => { b.disabled = true; });
    try {
      await submit();
    } catch (error) {
      let shown = false;
      if (error instanceof ApiError) {
        for (const [name, message] of Object.entries(error.fieldErrors())) {
          const f = fields[name] || fields[name.replace(/\[.*$/, '')];
          if (f) { f.setError(message); shown = true; }
        }
      }
      replace(alert, h('strong', {}, 'Could not save: '), describe(error));
      alert.hidden = false;
      if (!shown) alert.focus?.();
    } finally {
      buttons.forEach(b => { b.disabled = false; });
    }
  });
  return alert;
}

/**
 * A button that copies text to the clipboard. The text comes from a function (sync or async), so a secret is read
 * only when someone asks for it.
 */
export function copyButton(getText, label = 'Copy', describedLabel = label) {
  const button = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': describedLabel }, label);
  button.addEventListener('click', async () => {
    let text;
    try {
      text = await getText();
    } catch (error) {
      toast(describe(error), { kind: 'error' });
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
      toast('Copied to the clipboard.', { kind: 'success', timeout: 2500 });
    } catch {
      toast('Your browser did not allow copying; select the text and copy it yourself.', { kind: 'error' });
    }
  });
  return button;
}

/** A modal yes/no question; resolves true when confirmed. Escape or Cancel resolves false. */
export function confirmDialog(message, { confirmLabel = 'Confirm', danger = false } = {}) {
  return new Promise(resolve => {
    const titleId = uid('dialog');
    const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
    const ok = h('button', { type: 'button', class: danger ? 'btn btn-danger' : 'btn btn-primary' }, confirmLabel);
    const dialog = h('dialog', { 'aria-labelledby': titleId },
      h('p', { id: titleId }, message),
      h('div', { class: 'row' }, h('span', { class: 'spacer' }), cancel, ok));
    const done = value => { dialog.close(); dialog.remove(); resolve(value); };
    cancel.addEventListener('click', () => done(false));
    ok.addEventListener('click', () => done(true));
    dialog.addEventListener('cancel', event => { event.preventDefault(); done(false); });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/** A modal that asks for one line of text; resolves the text, or null when cancelled. */
export function promptDialog(message, { label = 'Reason', confirmLabel = 'OK', value = '' } = {}) {
  return new Promise(resolve => {
    const titleId = uid('dialog');
    const f = field({ label, name: 'prompt', value });
    const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
    const ok = h('button', { type: 'submit', class: 'btn btn-primary' }, confirmLabel);
    const form = h('form', { method: 'dialog' }, h('p', { id: titleId }, message), f.wrap, h('div', { class: 'row' }, h('span', { class: 'spacer' }), cancel, ok));
    const dialog = h('dialog', { 'aria-labelledby': titleId }, form);
    const done = v => { dialog.close(); dialog.remove(); resolve(v); };
    cancel.addEventListener('click', () => done(null));
    form.addEventListener('submit', event => { event.preventDefault(); done(f.input.value.trim()); });
    dialog.addEventListener('cancel', event => { event.preventDefault(); done(null); });
    document.body.append(dialog);
    dialog.showModal();
    f.input.focus();
  });
}

export { count };
