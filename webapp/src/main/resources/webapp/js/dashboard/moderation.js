// Moderation of one channel: moderators, chat settings and blocked words, bans and timeouts, the reports queue
// and the moderation log (docs/chat.md).
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { duration, when } from '../format.js';
import { checkbox, confirmDialog, empty, errorBox, field, handleForm, loading, promptDialog, select } from '../ui.js';
import { toast, toastError } from '../toast.js';
import { resolveUser } from './users.js';

export default async function moderationTab(slot, ctx, { channel, me }) {
  const base = `/api/channels/${encodeURIComponent(channel.slug)}`;
  const isOwner = me.id === channel.ownerId || me.role === 'admin';
  const sections = {
    moderators: h('div', {}, loading()),
    settings: h('div', {}, loading()),
    bans: h('div', {}, loading()),
    reports: h('div', {}, loading()),
    log: h('div', {}, loading()),
  };
  const section = (id, title, body) => h('section', { class: 'section', 'aria-labelledby': `mod-${id}-h` }, h('h3', { id: `mod-${id}-h` }, title), body);
  replace(slot,
    section('moderators', 'Moderators', sections.moderators),
    section('settings', 'Chat settings', sections.settings),
    section('bans', 'Bans and timeouts', sections.bans),
    section('reports', 'Reports', sections.reports),
    section('log', 'Moderation log', sections.log));

  const guard = async (el, fn) => {
    try { await fn(); } catch (error) { if (error.name !== 'AbortError') replace(el, errorBox(error, () => guard(el, fn))); }
  };

  const loadModerators = () => guard(sections.moderators, async () => {
    const r = await api(`${base}/moderators`, { signal: ctx.signal });
    const userField = field({ label: 'Username or user id', name: 'user', hint: 'Their username, or their user id.' });
    const form = h('form', { class: 'card form-narrow', novalidate: true }, userField.wrap, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Add moderator'));
    handleForm(form, { userId: userField }, async () => {
      const user = await resolveUser(userField.input.value);
      const added = await api(`${base}/moderators/${user.id}`, { method: 'PUT' });
      toast(`${added.username} is now a moderator.`, { kind: 'success' });
      loadModerators();
    });
    replace(sections.moderators,
      r.items.length ? h('ul', { class: 'list-plain' }, r.items.map(m => h('li', { class: 'item-row' },
        h('span', {}, h('strong', {}, m.username), h('span', { class: 'muted small' }, ` since ${when(m.appointedAt)}`)),
        isOwner ? h('button', {
          type: 'button', class: 'btn btn-small', 'aria-label': `Remove ${m.username} as moderator`,
          onclick: async () => {
            try { await api(`${base}/moderators/${m.userId}`, { method: 'DELETE' }); loadModerators(); } catch (error) { toastError(error); }
          },
        }, 'Remove') : null))) : empty('No moderators yet; the owner moderates alone.'),
      isOwner ? form : null);
  });

  const loadSettings = () => guard(sections.settings, async () => {
    const s = await api(`${base}/chat/settings`, { signal: ctx.signal });
    const slow = select({
      label: 'Slow mode', name: 'slowModeSeconds', value: s.slowModeSeconds,
      options: [0, 3, 10, 30, 60, 120, 300].map(v => ({ value: v, label: v ? `One message every ${duration(v)}` : 'Off' })),
    });
    const followers = checkbox({ label: 'Only followers may chat', name: 'followersOnly', checked: s.followersOnly });
    const links = checkbox({ label: 'Block links', name: 'blockLinks', checked: s.blockLinks });
    const maxLen = field({ label: 'Longest message (characters)', name: 'maxMessageLength', type: 'number', value: String(s.maxMessageLength), attrs: { min: '1', max: '2000' } });
    const words = field({ label: 'Blocked words', name: 'blockedWords', multiline: true, value: (s.blockedWords || []).join('\n'), hint: 'One per line. Matching ignores case, accents and look-alike letters.' });
    const patterns = field({ label: 'Blocked patterns', name: 'blockedPatterns', multiline: true, value: (s.blockedPatterns || []).join('\n'), hint: 'One regular expression per line, for moderators who need them.' });
    const fields = { slowModeSeconds: { setError() {} }, maxMessageLength: maxLen, blockedWords: words, blockedPatterns: patterns };
    const form = h('form', { class: 'card', novalidate: true }, slow.wrap, followers.wrap, links.wrap, maxLen.wrap, words.wrap, patterns.wrap,
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save chat settings'));
    const lines = t => t.split('\n').map(x => x.trim()).filter(Boolean);
    handleForm(form, fields, async () => {
      await api(`${base}/chat/settings`, {
        method: 'PUT',
        body: {
          slowModeSeconds: Number(slow.input.value), followersOnly: followers.input.checked, blockLinks: links.input.checked,
          maxMessageLength: Number(maxLen.input.value), blockedWords: lines(words.input.value), blockedPatterns: lines(patterns.input.value),
        },
      });
      toast('Chat settings saved; they apply at once.', { kind: 'success' });
    });
    replace(sections.settings, form);
  });

  const loadBans = () => guard(sections.bans, async () => {
    const r = await api(`${base}/bans`, { signal: ctx.signal });
    const userField = field({ label: 'Username or user id', name: 'user' });
    const length = select({
      label: 'How long', name: 'duration', value: '600',
      options: [{ value: '60', label: 'Time out 1 minute' }, { value: '600', label: 'Time out 10 minutes' }, { value: '3600', label: 'Time out 1 hour' },
        { value: '86400', label: 'Time out 1 day' }, { value: 'permanent', label: 'Ban permanently' }],
    });
    const reason = field({ label: 'Reason (optional)', name: 'reason' });
    const form = h('form', { class: 'card form-narrow', novalidate: true }, userField.wrap, length.wrap, reason.wrap, h('button', { type: 'submit', class: 'btn btn-danger' }, 'Apply'));
    handleForm(form, { userId: userField, durationSeconds: { setError() {} }, reason }, async () => {
      const user = await resolveUser(userField.input.value);
      const body = { userId: user.id, reason: reason.input.value.trim() || undefined };
      if (length.input.value !== 'permanent') body.durationSeconds = Number(length.input.value);
      await api(`${base}/bans`, { method: 'POST', body });
      toast('Done.', { kind: 'success' });
      loadBans();
      loadLog();
    });
    replace(sections.bans,
      r.items.length ? h('ul', { class: 'list-plain' }, r.items.map(b => h('li', { class: 'item-row' },
        h('span', {}, h('strong', {}, b.username), ' ', h('span', { class: 'muted small' },
          b.permanent ? 'banned' : `timed out until ${when(b.expiresAt)}`, b.reason ? ` · ${b.reason}` : '')),
        h('button', {
          type: 'button', class: 'btn btn-small', 'aria-label': `Lift the ban on ${b.username}`,
          onclick: async () => {
            try { await api(`${base}/bans/${b.userId}`, { method: 'DELETE' }); loadBans(); loadLog(); } catch (error) { toastError(error); }
          },
        }, 'Lift')))) : empty('Nobody is banned or timed out.'),
      form);
  });

  const loadReports = () => guard(sections.reports, async () => {
    const r = await api(`${base}/reports?status=open`, { signal: ctx.signal });
    replace(sections.reports, r.items.length ? h('ul', { class: 'list-plain' }, r.items.map(rep => h('li', { class: 'card' },
      h('p', {}, h('strong', {}, rep.reporter?.username || 'Someone'), ' reported ', h('strong', {}, rep.target?.username || 'a user'),
        rep.messageId ? ` (message ${rep.messageId})` : '', ': ', rep.reason),
      h('p', { class: 'muted small' }, when(rep.createdAt)),
      h('div', { class: 'row' },
        rep.messageId ? h('button', {
          type: 'button', class: 'btn btn-small', onclick: async () => {
            try { await api(`${base}/chat/${rep.messageId}`, { method: 'DELETE' }); toast('Message deleted.', { kind: 'success' }); loadLog(); } catch (error) { toastError(error); }
          },
        }, 'Delete message') : null,
        rep.target ? h('button', {
          type: 'button', class: 'btn btn-small', onclick: async () => {
            if (!await confirmDialog(`Time out ${rep.target.username} for 10 minutes?`, { confirmLabel: 'Time out', danger: true })) return;
            try { await api(`${base}/bans`, { method: 'POST', body: { userId: rep.target.id, durationSeconds: 600, reason: rep.reason.slice(0, 500) } }); loadBans(); loadLog(); } catch (error) { toastError(error); }
          },
        }, 'Time out author') : null,
        h('button', {
          type: 'button', class: 'btn btn-small btn-primary', onclick: async () => {
            const resolution = await promptDialog('How was it resolved?', { label: 'Resolution (optional)', confirmLabel: 'Resolve' });
            if (resolution === null) return;
            try { await api(`${base}/reports/${rep.id}/resolve`, { method: 'POST', body: { resolution: resolution || undefined } }); loadReports(); loadLog(); } catch (error) { toastError(error); }
          },
        }, 'Resolve'))))) : empty('No open reports.'));
  });

  const loadLog = () => guard(sections.log, async () => {
    const r = await api(`${base}/moderation/log?limit=50`, { signal: ctx.signal });
    replace(sections.log, r.items.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Moderation log'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Who'), h('th', { scope: 'col' }, 'Action'), h('th', { scope: 'col' }, 'Details'))),
      h('tbody', {}, r.items.map(a => h('tr', {},
        h('td', {}, when(a.at)),
        h('td', {}, a.actor?.username || '–'),
        h('td', {}, a.action.replace(/_/g, ' ')),
        h('td', {}, [a.target ? `user ${a.target.username}` : null, a.detail, a.reason ? `reason: ${a.reason}` : null].filter(Boolean).join(' · '))))))) : empty('Nothing logged yet.'));
  });

  await Promise.all([loadModerators(), loadSettings(), loadBans(), loadReports(), loadLog()]);
}
