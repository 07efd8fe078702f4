// The problem queue (问题单) for problem handlers: why each parcel was parked, and release
// (back to review, not parked again by the same checks) or cancel, each with a reason.
import { get, post } from '../api.js';
import { h, notice, shortTime } from '../dom.js';
import { t } from '../i18n.js';
import { askWhy, parcelCard } from './parcel_card.js';

export function problemsView(main) {
  const list = h('ul', { class: 'parcels' });
  const detail = h('div', { class: 'detail' });
  const status = h('div', { class: 'status' });

  async function refresh() {
    const r = await get('/api/v1/parcels?state=problem&limit=500');
    list.replaceChildren(...(r.parcels.length ? r.parcels.map((p) => h('li', {},
      h('button', { onclick: () => show(p.id) }, p.serial, ' ',
        h('small', {}, `${shortTime(p.pay_time)} · ${p.problem ?? ''}`))))
      : [h('li', { class: 'empty' }, t('No problem parcels'))]));
  }

  async function show(id) {
    const { parcel, element } = await parcelCard(id);
    const act = async (action, label) => {
      const note = await askWhy(detail, label);
      if (note === null) return;
      try {
        const r = await post(`/api/v1/parcels/${parcel.id}/${action}`, { version: parcel.version, note });
        detail.replaceChildren();
        await refresh();
        status.replaceChildren(notice('ok', `${parcel.serial}: ${t(r.state)}`));
      } catch (e) {
        status.replaceChildren(notice('error', e.message));
      }
    };
    element.append(h('div', { class: 'actions' },
      h('button', { class: 'primary', onclick: () => act('release', t('Release')) }, t('Release')),
      h('button', { class: 'warn', onclick: () => act('cancel', t('Cancel')) }, t('Cancel'))));
    detail.replaceChildren(element);
  }

  main.replaceChildren(h('div', { class: 'two-columns' },
    h('aside', {}, h('h2', {}, t('Problems')), list), h('div', {}, status, detail)));
  refresh().catch((e) => status.replaceChildren(notice('error', e.message)));
  const timer = setInterval(() => refresh().catch(() => {}), 15000);
  return () => clearInterval(timer);
}
