// Trust & safety for administrators: the report queue (triage, assignment, actions), appeals (uphold or reverse),
// the DMCA record (notice, restore after a counter-notice's waiting period, or keep down) and the legal texts.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { checkbox, errorBox, field, handleForm, promptDialog, select } from '../ui.js';
import { toast, toastError } from '../toast.js';

const ACTIONS = { channel: ['suspend_channel', 'suspend_user'], user: ['suspend_user'], message: ['delete_message', 'suspend_user'],
  recording: ['take_down_recording', 'suspend_user'] };

export default function safetyTab(slot, ctx, { me }) {
  const reports = h('section', { 'aria-labelledby': 'rq-h' });
  const appeals = h('section', { 'aria-labelledby': 'ap-h' });
  const dmca = h('section', { 'aria-labelledby': 'dm-h' });
  replace(slot, reports, appeals, dmca, legalCard());
  const refresh = () => { loadReports(reports, me, refresh); loadAppeals(appeals, refresh); loadDmca(dmca, refresh); };
  refresh();
}

async function run(fn, done) {
  try {
    await fn();
    done();
  } catch (error) {
    toastError(error);
  }
}

async function loadReports(box, me, refresh) {
  try {
    const open = (await api('/api/admin/reports?state=open&limit=50')).items;
    const triaged = (await api('/api/admin/reports?state=triaged&limit=50')).items;
    const rows = [...open, ...triaged].map(r => {
      const assign = h('button', { type: 'button', class: 'btn btn-small' }, r.assigneeId === me.id ? 'Assigned to you' : 'Assign to me');
      assign.disabled = r.assigneeId === me.id;
      assign.addEventListener('click', () => run(() => api(`/api/admin/reports/${r.id}`, { method: 'PATCH', body: { state: 'triaged', assigneeId: me.id } }), refresh));
      const action = select({ label: `Action on report ${r.id}`, name: `action-${r.id}`, value: 'dismiss',
        options: [...ACTIONS[r.subjectKind], 'dismiss'].map(a => ({ value: a, label: a.replace(/_/g, ' ') })) });
      const go = h('button', { type: 'button', class: 'btn btn-small btn-danger' }, 'Act');
      go.addEventListener('click', async () => {
        const reason = await promptDialog(`Why (${action.input.value.replace(/_/g, ' ')})? The affected person is told this.`, { label: 'Reason', confirmLabel: 'Act' });
        if (!reason) return;
        run(async () => {
          const res = await api(`/api/admin/reports/${r.id}/actions`, { method: 'POST', body: { action: action.input.value, reason } });
          toast(res.enforcement ? `Done${res.userNotified ? '; the person was mailed' : ''}.` : 'Report dismissed.', { kind: 'success' });
        }, refresh);
      });
      return h('li', { class: 'card report-item', 'data-report': r.id },
        h('p', {}, h('strong', {}, `#${r.id} ${r.reason.replace(/_/g, ' ')}`), ` on ${r.subjectKind} ${r.subjectId} · ${r.state}`),
        r.details ? h('p', {}, r.details) : null,
        r.evidenceUrl ? h('p', {}, h('a', { href: r.evidenceUrl, rel: 'noopener noreferrer', target: '_blank' }, 'Evidence')) : null,
        h('div', { class: 'row' }, assign, action.wrap, go));
    });
    replace(box, h('h3', { id: 'rq-h' }, 'Report queue'), rows.length ? h('ul', { class: 'stack plain' }, rows) : h('p', { class: 'empty' }, 'No open reports.'));
  } catch (error) {
    replace(box, h('h3', { id: 'rq-h' }, 'Report queue'), errorBox(error));
  }
}

async function loadAppeals(box, refresh) {
  try {
    const items = (await api('/api/admin/appeals?state=pending&limit=50')).items;
    const rows = items.map(({ appeal, enforcement }) => {
      const decide = decision => async () => {
        const note = await promptDialog(decision === 'reverse' ? 'Reverse: the action is undone. Note to the person:' : 'Uphold: the action stands. Note to the person:',
          { label: 'Note', confirmLabel: decision === 'reverse' ? 'Reverse' : 'Uphold' });
        if (!note) return;
        run(() => api(`/api/admin/appeals/${appeal.id}/decision`, { method: 'POST', body: { decision, note } }), refresh);
      };
      const up = h('button', { type: 'button', class: 'btn btn-small' }, 'Uphold');
      const rev = h('button', { type: 'button', class: 'btn btn-small btn-primary' }, 'Reverse');
      up.addEventListener('click', decide('uphold'));
      rev.addEventListener('click', decide('reverse'));
      return h('li', { class: 'card appeal-item', 'data-appeal': appeal.id },
        h('p', {}, h('strong', {}, `Appeal #${appeal.id}`), ` against ${enforcement ? enforcement.kind.replace(/_/g, ' ') : 'an action'}`,
          enforcement ? ` (${enforcement.reason})` : ''),
        h('blockquote', {}, appeal.statement), h('div', { class: 'row' }, up, rev));
    });
    replace(box, h('h3', { id: 'ap-h' }, 'Appeals'), rows.length ? h('ul', { class: 'stack plain' }, rows) : h('p', { class: 'empty' }, 'No pending appeals.'));
  } catch (error) {
    replace(box, h('h3', { id: 'ap-h' }, 'Appeals'), errorBox(error));
  }
}

async function loadDmca(box, refresh) {
  const f = {
    recordingId: field({ label: 'Recording or clip id', name: 'recordingId', type: 'number', required: true }),
    claimantName: field({ label: 'Claimant name', name: 'claimantName', required: true }),
    claimantEmail: field({ label: 'Claimant e-mail', name: 'claimantEmail', type: 'email', required: true }),
    claimantAddress: field({ label: 'Claimant postal address', name: 'claimantAddress', required: true }),
    workDescription: field({ label: 'Copyrighted work', name: 'workDescription', required: true }),
    infringingLocation: field({ label: 'Where the material is (URL)', name: 'infringingLocation', required: true }),
    signature: field({ label: 'Signature', name: 'signature', required: true }),
  };
  const goodFaith = checkbox({ label: 'The notice states a good-faith belief that the use is not authorised', name: 'goodFaith' });
  const accurate = checkbox({ label: 'The notice states, under penalty of perjury, that it is accurate', name: 'accurate' });
  const form = h('form', { class: 'card form-narrow', novalidate: true, 'aria-labelledby': 'dmn-h' }, h('h4', { id: 'dmn-h' }, 'Record a DMCA notice'),
    Object.values(f).map(x => x.wrap), goodFaith.wrap, accurate.wrap,
    h('button', { type: 'submit', class: 'btn btn-danger' }, 'Record the notice and disable the content'));
  handleForm(form, f, async () => {
    const body = Object.fromEntries(Object.entries(f).map(([k, x]) => [k, x.input.value]));
    body.recordingId = Number(body.recordingId);
    body.goodFaith = goodFaith.input.checked;
    body.accurate = accurate.input.checked;
    const r = await api('/api/admin/dmca', { method: 'POST', body });
    toast(`Notice #${r.notice.id} recorded; the content is disabled.`, { kind: 'success' });
    refresh();
  });
  let list;
  try {
    const items = (await api('/api/admin/dmca')).items;
    list = items.length ? h('ul', { class: 'stack plain' }, items.map(n => {
      const buttons = [];
      if (n.state === 'counter_noticed') {
        const restore = h('button', { type: 'button', class: 'btn btn-small btn-primary' }, 'Restore');
        restore.addEventListener('click', () => run(() => api(`/api/admin/dmca/${n.id}/restore`, { method: 'POST', body: { note: 'No court action was reported in the waiting period.' } }), refresh));
        buttons.push(restore);
      }
      if (n.state === 'content_disabled' || n.state === 'counter_noticed') {
        const keep = h('button', { type: 'button', class: 'btn btn-small' }, 'Keep down');
        keep.addEventListener('click', async () => {
          const note = await promptDialog('Why does it stay down (e.g. the claimant filed suit)?', { label: 'Note', confirmLabel: 'Keep down' });
          if (note) run(() => api(`/api/admin/dmca/${n.id}/keep-down`, { method: 'POST', body: { note } }), refresh);
        });
        buttons.push(keep);
      }
      return h('li', { class: 'card dmca-item', 'data-notice': n.id },
        h('p', {}, h('strong', {}, `Notice #${n.id}`), ` · recording ${n.recordingId} · ${n.state.replace(/_/g, ' ')}`),
        h('p', { class: 'small' }, `${n.claimantName}: ${n.workDescription}`),
        n.restoreAfter ? h('p', { class: 'small' }, 'Restorable from ', h('time', { datetime: n.restoreAfter }, new Date(n.restoreAfter).toLocaleString())) : null,
        h('div', { class: 'row' }, buttons));
    })) : h('p', { class: 'empty' }, 'No DMCA notices.');
  } catch (error) {
    list = errorBox(error);
  }
  replace(box, h('h3', { id: 'dm-h' }, 'DMCA notices'), list, form);
}

function legalCard() {
  const kind = select({ label: 'Text', name: 'kind', value: 'terms', options: [{ value: 'terms', label: 'Terms of Service' }, { value: 'privacy', label: 'Privacy notice' }] });
  const text = field({ label: 'Text (plain; blank lines separate paragraphs)', name: 'body', multiline: true, required: true });
  const load = () => api('/api/legal').then(legal => legal[kind.input.value]
    ? api(`/api/legal/${kind.input.value}`).then(d => { text.input.value = d.body; }) : (text.input.value = ''), toastError);
  kind.input.addEventListener('change', load);
  load();
  const form = h('form', { class: 'card form-narrow', novalidate: true, 'aria-labelledby': 'lg-h' }, h('h3', { id: 'lg-h' }, 'Terms and Privacy'),
    h('p', { class: 'muted small' }, 'Publishing makes a new version; new accounts accept the current Terms at signup.'),
    kind.wrap, text.wrap, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Publish a new version'));
  handleForm(form, { body: text }, async () => {
    const d = await api(`/api/admin/legal/${kind.input.value}`, { method: 'PUT', body: { body: text.input.value } });
    toast(`Version ${d.version} published.`, { kind: 'success' });
  });
  return form;
}
