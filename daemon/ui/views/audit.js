// The audit log for supervisors: who did what, when, from where; filtered by person and
// action.
import { get } from '../api.js';
import { h, notice, shortTime } from '../dom.js';
import { t } from '../i18n.js';

export function auditView(main) {
  const actor = h('input', { name: 'actor', placeholder: t('Who') });
  const action = h('input', { name: 'action', placeholder: 'label.reprint' });
  const rows = h('tbody');
  const status = h('div', { class: 'status' });
  async function load() {
    const q = new URLSearchParams({ limit: '300' });
    if (actor.value.trim()) q.set('actor', actor.value.trim());
    if (action.value.trim()) q.set('action', action.value.trim());
    try {
      const r = await get(`/api/v1/audit?${q}`);
      status.replaceChildren();
      rows.replaceChildren(...r.entries.map((e) => h('tr', { class: e.action.includes('failed') ? 'warn' : null },
        h('td', {}, shortTime(e.at)), h('td', {}, e.actor), h('td', {}, e.action), h('td', {}, e.target),
        h('td', {}, e.detail), h('td', {}, e.address))));
    } catch (e) {
      status.replaceChildren(notice('error', e.message));
    }
  }
  main.replaceChildren(
    h('form', { class: 'inline', onsubmit: (ev) => { ev.preventDefault(); load(); } },
      actor, action, h('button', { type: 'submit', class: 'primary' }, t('Filter'))),
    status,
    h('table', { class: 'audit' }, h('thead', {}, h('tr', {}, ...['When', 'Who', 'Action', 'Target', 'Detail', 'Address'].map((k) => h('th', {}, t(k))))), rows));
  load();
}
