// One parcel as a reviewer or problem handler reads it: who, where, what, and its history;
// the actions their page offers go below it.
import { get } from '../api.js';
import { h, notice, shortTime } from '../dom.js';
import { t } from '../i18n.js';

export async function parcelCard(id) {
  const p = await get(`/api/v1/parcels/${id}`);
  return { parcel: p, element: h('section', { class: 'card', dataset: { parcel: p.id } },
    h('h2', {}, p.serial, ' ', p.key_city ? h('span', { class: 'badge key' }, t('Key city')) : null,
      h('span', { class: `badge state-${p.state}` }, t(p.state))),
    h('p', {}, `${p.buyer_nick} · ${p.city} · ${t('Paid')} ${shortTime(p.pay_time)}`),
    p.problem ? notice('warn', `${t('Problem')}: ${p.problem}`) : null,
    h('h3', {}, t('Lines')),
    h('table', {}, h('tbody', {}, p.lines.map((l) => h('tr', {},
      h('td', {}, l.title), h('td', {}, l.sku_properties), h('td', { class: 'sku' }, l.sku),
      h('td', { class: 'num' }, `× ${l.num}`))))),
    h('details', {}, h('summary', {}, t('History')),
      h('ol', { class: 'events' }, p.events.map((e) => h('li', {},
        `${shortTime(e.at)} ${e.actor} ${e.kind}${e.detail ? ': ' + e.detail : ''}`))))) };
}

// Asks why, in the page; resolves to the text, or null when the person backs out.
export function askWhy(container, label) {
  return new Promise((resolve) => {
    const input = h('input', { name: 'why', required: true, placeholder: t('Say why') });
    const form = h('form', { class: 'why', onsubmit: (ev) => {
      ev.preventDefault();
      if (!input.value.trim()) return;
      form.remove();
      resolve(input.value.trim());
    } }, h('label', {}, `${label} — ${t('Why?')}`, input),
    h('button', { type: 'submit', class: 'primary' }, label),
    h('button', { type: 'button', class: 'quiet', onclick: () => { form.remove(); resolve(null); } }, t('Cancel')));
    container.append(form);
    input.focus();
  });
}
