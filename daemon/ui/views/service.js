// Customer service (客服): find a parcel from whatever the buyer quotes, read its whole
// story in one timeline (paid, reviewed, waybill, printed, every tracking event), and copy
// a status text to send the buyer.
import { get } from '../api.js';
import { h, notice, shortTime } from '../dom.js';
import { t } from '../i18n.js';

const stateText = {
  waiting: '待揽收', collected: '已揽收', in_transit: '运输中', out_for_delivery: '派件中',
  delivered: '已签收', problem: '异常', returning: '退回中', refused: '已拒收',
};

// The text a buyer receives: what happened last, in their words.
export function statusText(parcel, shipment) {
  const tid = parcel.tids[0];
  if (shipment?.last_context)
    return `您好，您的订单 ${tid} 已由 ${shipment.courier} 发出，运单号 ${shipment.waybill_no}。` +
      `最新状态（${shortTime(shipment.last_event_at)}）：${shipment.last_context}`;
  if (shipment) return `您好，您的订单 ${tid} 已交 ${shipment.courier} 发货，运单号 ${shipment.waybill_no}，正在等待快递揽收。`;
  if (['intercepted', 'cancelled'].includes(parcel.state)) return `您好，您的订单 ${tid} 已取消发货。`;
  return `您好，您的订单 ${tid} 正在仓库处理中，我们会尽快为您发货。`;
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Plain http on the warehouse network has no clipboard API: the old way still works.
    const area = h('textarea', {}, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

async function timeline(id) {
  // Tracking or printing may be off on this daemon: the timeline shows what there is.
  const [parcel, tracking, labels] = await Promise.all([get(`/api/v1/parcels/${id}`),
    get(`/api/v1/parcels/${id}/tracking`).catch(() => ({ shipments: [] })),
    get(`/api/v1/labels?parcel=${id}`).catch(() => ({ labels: [] }))]);
  const events = [{ at: parcel.pay_time, what: t('Paid'), who: parcel.buyer_nick, detail: '' },
    ...parcel.events.map((e) => ({ at: e.at, what: `${t(e.to_state)} · ${e.kind}`, who: e.actor, detail: e.detail }))];
  for (const l of labels.labels)
    if (l.printed_at) events.push({ at: l.printed_at, what: `${t('printed')} · ${l.kind}`, who: l.printer ?? '', detail: l.waybill_no });
  for (const s of tracking.shipments)
    for (const e of s.events ?? []) events.push({ at: e.at, what: `${s.courier} ${stateText[e.status] ?? ''}`, who: e.area ?? '', detail: e.context });
  events.sort((a, b) => a.at.localeCompare(b.at));
  const outbound = tracking.shipments.find((s) => s.kind === 'outbound');
  return { parcel, events, outbound };
}

export function serviceView(main) {
  const box = h('input', { name: 'q', type: 'search', placeholder: t('Tid, serial, tracking number, buyer, or name and phone end'), autofocus: true });
  const results = h('ul', { class: 'parcels' });
  const detail = h('div', { class: 'detail' });
  const status = h('div', { class: 'status' });

  async function show(id) {
    let story;
    try {
      story = await timeline(id);
    } catch (e) {
      status.replaceChildren(notice('error', e.message));
      return;
    }
    const { parcel, events, outbound } = story;
    const text = statusText(parcel, outbound);
    detail.replaceChildren(h('section', { class: 'card' },
      h('h2', {}, parcel.serial, h('span', { class: `badge state-${parcel.state}` }, t(parcel.state))),
      h('p', {}, `${parcel.buyer_nick} · ${parcel.city} · ${parcel.tids.join(', ')}`),
      h('blockquote', { class: 'status-text' }, text),
      h('button', { class: 'primary', onclick: async (ev) => {
        await copy(text);
        ev.target.textContent = t('Copied');
      } }, t('Copy status text')),
      h('h3', {}, t('Timeline')),
      h('ol', { class: 'timeline' }, events.map((e) => h('li', {},
        h('time', {}, shortTime(e.at)), h('strong', {}, e.what), ' ', h('span', {}, e.detail), ' ', h('small', {}, e.who))))));
  }

  const form = h('form', { class: 'inline search', onsubmit: async (ev) => {
    ev.preventDefault();
    status.replaceChildren();
    detail.replaceChildren();
    try {
      const r = await get(`/api/v1/search?q=${encodeURIComponent(box.value)}`);
      results.replaceChildren(...(r.matches.length ? r.matches.map((m) => h('li', {},
        h('button', { onclick: () => { status.replaceChildren(); show(m.parcel_id); } }, m.serial, ' ',
          h('small', {}, `${m.buyer_nick} · ${m.receiver_name} · ${t(m.state)}${m.waybill_no ? ' · ' + m.waybill_no : ''}`))))
        : [h('li', { class: 'empty' }, t('Nothing found'))]));
      if (r.matches.length === 1) await show(r.matches[0].parcel_id);
    } catch (e) {
      status.replaceChildren(notice('error', e.message));
    }
  } }, box, h('button', { type: 'submit', class: 'primary' }, t('Search')));

  main.replaceChildren(form, status, h('div', { class: 'two-columns' }, h('aside', {}, results), detail));
  box.focus();
}
