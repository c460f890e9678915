// The chat panel: history over REST, live frames over the chat WebSocket (docs/chat.md), posting, and inline
// moderation (delete, time out, ban, appoint) for those the server says may moderate.
import { h, replace, uid } from './dom.js';
import { api, describe } from './api.js';
import { clock, duration, plural } from './format.js';
import { confirmDialog } from './ui.js';
import { openReportDialog } from './safety-ui.js';
import { toast, toastError } from './toast.js';
import * as session from './session.js';

const MAX_SHOWN = 300;
const TIMEOUT_SECONDS = 600;

// Close codes the server uses when something this socket stood on was revoked (docs/api.md). A session that ended
// reconnects as whoever the cookie now names (another session, or nobody: read-only); the others are final.
const REVOKED = {
  4001: { reconnect: true, message: 'You were signed out (you logged out, or your password was changed). Log in again to chat.' },
  4003: { reconnect: false, message: 'Your account is suspended, so you cannot chat. Contact the administrators of this site.' },
  4004: { reconnect: false, message: 'This channel was suspended by the site\'s administrators; its chat is closed.' },
};

export class ChatPanel {
  /** @param channel the channel JSON (id, slug, ownerId) */
  constructor(channel, { title = 'Chat', viewerToken = null } = {}) {
    this.viewerToken = viewerToken;
    this.channel = channel;
    this.slug = channel.slug;
    this.socket = null;
    this.hello = null;
    this.closed = false;
    this.attempts = 0;
    this.refs = 0;
    this.pending = new Map();
    this.retryTimer = null;
    this.messages = new Map(); // id → element
    this.build(title);
  }

  build(title) {
    const headingId = uid('chat');
    this.presence = h('span', { class: 'muted small' });
    // A div, not a list: role=log takes over the element's semantics, and list items need a list parent.
    this.log = h('div', { class: 'chat-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0', 'aria-labelledby': headingId });
    this.statusLine = h('p', { class: 'chat-status', role: 'status' }, 'Connecting to chat…');
    this.footer = h('div');
    this.el = h('section', { class: 'chat', 'aria-labelledby': headingId },
      h('div', { class: 'chat-head' }, h('h2', { id: headingId }, title), this.presence),
      this.log, this.statusLine, this.footer);
    this.renderFooter();
  }

  start() {
    this.loadHistory().then(() => this.connect());
    return this;
  }

  destroy() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    if (this.socket) this.socket.close(1000, 'left the page');
  }

  // ---- history and socket

  async loadHistory() {
    try {
      const page = await api(`/api/channels/${encodeURIComponent(this.slug)}/chat?limit=50`,
        { headers: this.viewerToken ? { 'X-Viewer-Token': this.viewerToken } : {} });
      for (const m of page.items) this.addMessage(m, false);
      if (!page.items.length && !this.log.children.length) this.system('No messages yet. Say hello!');
      this.scrollToEnd(true);
    } catch (error) {
      this.setStatus(`Could not load earlier messages: ${describe(error)}`, true);
    }
  }

  connect() {
    if (this.closed) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/api/channels/${encodeURIComponent(this.slug)}/chat/ws${this.viewerToken ? `?token=${encodeURIComponent(this.viewerToken)}` : ''}`);
    this.socket = socket;
    socket.addEventListener('message', event => {
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      this.onFrame(frame);
    });
    socket.addEventListener('close', event => {
      if (this.socket !== socket || this.closed) return;
      this.socket = null;
      const revoked = REVOKED[event.code];
      if (revoked) {
        this.signedOut = revoked.reconnect;
        this.setStatus(revoked.message, true);
        if (revoked.reconnect) {
          this.fatal = false;
          this.retryTimer = setTimeout(() => this.connect(), 250);
        } else {
          this.fatal = true;
          this.restrict(revoked.message);
        }
        return;
      }
      if (this.fatal) return;
      this.attempts += 1;
      const wait = Math.min(30000, 1000 * 2 ** Math.min(this.attempts - 1, 5));
      this.setStatus(`Chat disconnected${event.reason ? ` (${event.reason})` : ''}; reconnecting in ${Math.round(wait / 1000)} s…`, true);
      this.retryTimer = setTimeout(() => this.connect(), wait);
    });
  }

  onFrame(f) {
    switch (f.type) {
      case 'hello':
        // Frames sent while we were away are not replayed: after a reconnect, re-read the history (deduplicated).
        if (this.hello) this.loadHistory();
        this.hello = f;
        this.attempts = 0;
        this.fatal = false;
        this.setPresence(f.presence);
        this.setStatus(this.settingsNote(f.settings));
        if (this.signedOut) {
          this.signedOut = false;
          // Back without a login: the page's idea of who is signed in is out of date too.
          if (!f.user) {
            session.expired();
            this.setStatus(REVOKED[4001].message, true);
          }
        }
        this.renderFooter();
        this.refreshActions();
        break;
      case 'message':
        this.addMessage(f, true);
        break;
      case 'sent': {
        const done = this.pending.get(f.ref);
        this.pending.delete(f.ref);
        done?.();
        break;
      }
      case 'message_deleted':
        this.removeMessage(f.messageId);
        break;
      case 'user_timed_out':
        this.system(`${f.user.username} was timed out for ${duration(f.durationSeconds)}.`);
        if (this.isMe(f.user)) this.restrict(`You are timed out until ${clock(f.until)}.`);
        break;
      case 'user_banned':
        this.system(`${f.user.username} was banned from this chat.`);
        if (this.isMe(f.user)) this.restrict('You are banned from this chat.');
        break;
      case 'user_unbanned':
        this.system(`${f.user?.username || 'A user'} may chat again.`);
        if (this.isMe(f.user)) { this.hello.canPost = true; this.renderFooter(); }
        break;
      case 'settings_changed':
        if (this.hello) this.hello.settings = f.settings;
        this.setStatus(this.settingsNote(f.settings));
        this.renderFooter();
        break;
      case 'presence':
        this.setPresence(f.count);
        break;
      case 'rights_changed': {
        const before = this.canModerate();
        if (this.hello) this.hello.canModerate = f.canModerate;
        this.refreshActions();
        if (before && !f.canModerate) this.system('You are no longer a moderator of this chat.');
        if (!before && f.canModerate) this.system('You can now moderate this chat.');
        break;
      }
      case 'resync':
        this.resync();
        break;
      case 'error':
        this.onError(f);
        break;
      default:
        break;
    }
  }

  onError(f) {
    if (f.code === 'terms_not_accepted') window.dispatchEvent(new CustomEvent('cascade:terms-required'));
    const wait = f.retryAfterMs ? ` Try again in ${Math.ceil(f.retryAfterMs / 1000)} s.` : '';
    this.setStatus(`${f.message}${wait}`, true);
    if (f.ref) this.pending.delete(f.ref);
    if (f.fatal) {
      this.fatal = true;
      this.restrict(f.message);
    }
  }

  async resync() {
    replace(this.log);
    this.messages.clear();
    await this.loadHistory();
  }

  // ---- rendering

  isMe(user) {
    return !!user && session.user()?.id === user.id;
  }

  canModerate() {
    return !!this.hello?.canModerate;
  }

  addMessage(m, live) {
    if (this.messages.has(m.id)) return;
    const atEnd = this.isAtEnd();
    const li = h('div', { class: 'chat-msg', dataset: { id: String(m.id), user: String(m.user.id) } },
      h('time', { class: 'time', datetime: m.sentAt }, clock(m.sentAt)),
      h('span', { class: 'author' }, m.user.username),
      h('span', { class: 'text' }, m.text),
      h('span', { class: 'mod-actions' }));
    li.chatMessage = m;
    this.fillActions(li);
    this.log.querySelector('.chat-system.placeholder')?.remove();
    this.log.append(li);
    this.messages.set(m.id, li);
    while (this.messages.size > MAX_SHOWN) {
      const [firstId, firstEl] = this.messages.entries().next().value;
      firstEl.remove();
      this.messages.delete(firstId);
    }
    if (!live || atEnd) this.scrollToEnd(!live);
  }

  /** The buttons beside a message: moderation for moderators, a report button for everyone else signed in. */
  fillActions(li) {
    const m = li.chatMessage;
    const slot = li.querySelector('.mod-actions');
    // The buttons are rebuilt when roles change; one that had the focus hands it to its replacement (same label).
    const focused = slot.contains(document.activeElement) ? document.activeElement.getAttribute('aria-label') : null;
    slot.replaceChildren();
    const who = m.user.username;
    const me = session.user();
    if (this.canModerate()) {
      slot.append(h('button', { type: 'button', 'aria-label': `Delete message from ${who}`, onclick: () => this.deleteMessage(m) }, 'Delete'));
      if (!this.isMe(m.user) && m.user.id !== this.channel.ownerId) {
        slot.append(
          h('button', { type: 'button', 'aria-label': `Time out ${who} for 10 minutes`, onclick: () => this.ban(m.user, TIMEOUT_SECONDS) }, 'Time out'),
          h('button', { type: 'button', 'aria-label': `Ban ${who}`, onclick: () => this.ban(m.user, null) }, 'Ban'));
        if (me && (me.id === this.channel.ownerId || me.role === 'admin')) {
          slot.append(h('button', { type: 'button', 'aria-label': `Make moderator: ${who}`, onclick: () => this.appoint(m.user) }, 'Make moderator'));
        }
      }
    } else if (me && !this.isMe(m.user)) {
      const button = h('button', { type: 'button', 'aria-label': `Report message from ${who}`, 'aria-haspopup': 'dialog' }, 'Report');
      button.addEventListener('click', () => this.report(m, button));
      slot.append(button);
    }
    if (focused) [...slot.children].find(b => b.getAttribute('aria-label') === focused)?.focus();
  }

  refreshActions() {
    for (const li of this.messages.values()) this.fillActions(li);
  }

  removeMessage(id) {
    const li = this.messages.get(id);
    if (!li) return;
    li.remove();
    this.messages.delete(id);
  }

  system(text) {
    this.log.append(h('p', { class: `chat-system${this.log.children.length ? '' : ' placeholder'}` }, text));
    this.scrollToEnd(false);
  }

  isAtEnd() {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
  }

  scrollToEnd(force) {
    if (force || this.isAtEnd()) this.log.scrollTop = this.log.scrollHeight;
  }

  setPresence(n) {
    this.presence.textContent = `${plural(n, 'person', 'people')} in chat`;
  }

  setStatus(text, error = false) {
    this.statusLine.textContent = text;
    this.statusLine.classList.toggle('error', error);
  }

  settingsNote(s) {
    if (!s) return '';
    const notes = [];
    if (s.slowModeSeconds > 0) notes.push(`Slow mode: one message every ${duration(s.slowModeSeconds)}`);
    if (s.followersOnly) notes.push('Followers only');
    if (s.blockLinks) notes.push('Links are blocked');
    return notes.join(' · ');
  }

  restrict(message) {
    if (this.hello) this.hello.canPost = false;
    this.renderFooter(message);
  }

  renderFooter(restriction = null) {
    const me = session.user();
    if (!me) {
      replace(this.footer, h('p', { class: 'chat-login' },
        h('a', { href: `/login?next=${encodeURIComponent(location.pathname)}` }, 'Log in'), ' or ',
        h('a', { href: `/signup?next=${encodeURIComponent(location.pathname)}` }, 'sign up'), ' to chat.'));
      return;
    }
    if (restriction || (this.hello && !this.hello.canPost)) {
      replace(this.footer, h('p', { class: 'chat-login' }, restriction || 'You cannot post in this chat right now.'));
      return;
    }
    const inputId = uid('chat-input');
    const max = this.hello?.settings?.maxMessageLength || 500;
    const input = h('input', { id: inputId, type: 'text', maxlength: String(max), autocomplete: 'off', placeholder: 'Send a message' });
    const send = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Send');
    const form = h('form', { class: 'chat-compose' }, h('label', { for: inputId, class: 'visually-hidden' }, 'Chat message'), input, send);
    form.addEventListener('submit', event => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
        this.setStatus('Chat is not connected yet; your message was not sent. Try again in a moment.', true);
        return;
      }
      const ref = `m${++this.refs}`;
      this.pending.set(ref, () => { if (input.value.trim() === text) input.value = ''; });
      this.socket.send(JSON.stringify({ type: 'message', text, ref }));
      this.setStatus(this.settingsNote(this.hello?.settings));
    });
    replace(this.footer, form);
  }

  // ---- moderation

  async deleteMessage(m) {
    try {
      await api(`/api/channels/${encodeURIComponent(this.slug)}/chat/${m.id}`, { method: 'DELETE' });
      this.removeMessage(m.id);
    } catch (error) {
      toastError(error);
    }
  }

  async ban(user, seconds) {
    const what = seconds ? `Time out ${user.username} for ${duration(seconds)}?` : `Ban ${user.username} from this chat?`;
    if (!await confirmDialog(what, { confirmLabel: seconds ? 'Time out' : 'Ban', danger: true })) return;
    try {
      await api(`/api/channels/${encodeURIComponent(this.slug)}/bans`, {
        method: 'POST', body: seconds ? { userId: user.id, durationSeconds: seconds } : { userId: user.id },
      });
      toast(seconds ? `${user.username} is timed out.` : `${user.username} is banned.`, { kind: 'success' });
    } catch (error) {
      toastError(error);
    }
  }

  async appoint(user) {
    if (!await confirmDialog(`Make ${user.username} a moderator of this channel?`, { confirmLabel: 'Make moderator' })) return;
    try {
      await api(`/api/channels/${encodeURIComponent(this.slug)}/moderators/${user.id}`, { method: 'PUT' });
      toast(`${user.username} is now a moderator.`, { kind: 'success' });
    } catch (error) {
      toastError(error);
    }
  }

  /**
   * The report dialog for a chat line: the message or its author's account, to the site's administrators, and (box
   * checked by default) the message to this channel's own moderators as before.
   */
  report(m, opener) {
    const who = m.user.username;
    openReportDialog([
      { kind: 'message', id: m.id, label: `This message from ${who}` },
      { kind: 'user', id: m.user.id, label: `${who}'s account` },
    ], {
      opener,
      alsoModerators: reason => api(`/api/channels/${encodeURIComponent(this.slug)}/reports`, { method: 'POST', body: { messageId: m.id, reason } }),
    });
  }
}
