// Picking (配货) on a tablet: make a wave of the parcels waiting for the pack stations, walk
// its pick list in bin-location order (the promo zone first), tick each stop as its pieces
// go into their slots, mark a stop short with a reason, and finish the wave. Parcels stopped
// since the wave was made are shown in red with what to put back. The list prints as a PDF.
import { get, post } from '../api.js';
import { h, notice, shortTime } from '../dom.js';
import { t } from '../i18n.js';
import { askWhy } from './parcel_card.js';

export function pickView(main, me) {
  const list = h('ul', { class: 'parcels' });
  const detail = h('div', { class: 'detail' });
  const status = h('div', { class: 'status' });
  const size = h('input', { name: 'size', type: 'number', min: 1, max: 200, value: 30, class: 'small' });
  let current = null;
  const mayPick = me.roles.some((r) => ['picker', 'supervisor', 'admin'].includes(r));

  const fail = (e) => status.replaceChildren(notice('error', e.message));

  async function refresh() {
    const { waves } = await get('/api/v1/waves?limit=30');
    list.replaceChildren(...(waves.length ? waves.map((w) => h('li', {},
      h('button', { class: current?.id === w.id ? 'current' : null, onclick: () => show(w.id) },
        `${t('Wave')} ${w.id}`, ' ', h('span', { class: `badge state-${w.state}` }, t(w.state)), h('br'),
        h('small', {}, `${w.parcels} ${t('parcels')} · ${w.picked_items}/${w.items} ${t('pieces')} · ${shortTime(w.created_at)} ${w.created_by}`))))
      : [h('li', { class: 'empty' }, t('No waves yet'))]));
  }

  async function create(ev) {
    ev.preventDefault();
    try {
      const w = await post('/api/v1/waves', { size: Number(size.value) });
      status.replaceChildren(notice('ok', `${t('Wave')} ${w.id}: ${w.parcels.length} ${t('parcels')}`));
      current = w;
      draw();
      await refresh();
    } catch (e) { fail(e); }
  }

  async function pick(line, picked, shortReason = '') {
    try {
      current = await post(`/api/v1/waves/${current.id}/pick`, { sku: line.sku, picked, short_reason: shortReason });
      status.replaceChildren();
      draw();
      await refresh();
    } catch (e) { fail(e); }
  }

  async function markShort(line) {
    const reason = await askWhy(detail, `${t('Short')}: ${line.sku}`);
    if (reason) await pick(line, Math.min(line.picked, line.quantity), reason);
  }

  async function finish() {
    try {
      current = await post(`/api/v1/waves/${current.id}/done`, {});
      status.replaceChildren(notice('ok', `${t('Wave')} ${current.id}: ${t('picked')} ✓ ${t('to the pack stations')}`));
      draw();
      await refresh();
    } catch (e) { fail(e); }
  }

  function draw() {
    const w = current;
    if (!w) { detail.replaceChildren(h('p', { class: 'hint' }, t('Make a wave or open one'))); return; }
    const open = w.state === 'picking' && mayPick;
    const rows = w.lines.map((l) => h('tr', { class: l.put_back ? 'warn' : l.done ? 'done' : null, dataset: { sku: l.sku } },
      h('td', { class: 'tick' }, open && l.quantity > 0
        ? h('button', { class: l.picked >= l.quantity ? 'ticked' : 'untick', 'aria-label': `${t('Picked')} ${l.sku}`,
          onclick: () => pick(l, l.picked >= l.quantity ? 0 : l.quantity) }, l.picked >= l.quantity ? '✓' : '')
        : l.done ? '✓' : ''),
      h('td', { class: 'loc' }, l.promo ? [h('span', { class: 'badge key' }, t('Promo zone')), h('br')] : '',
        h('strong', {}, l.location ?? t('No location'))),
      h('td', {}, l.title, h('br'), h('small', {}, l.spec), h('br'), h('code', {}, l.sku)),
      h('td', { class: 'num big' }, l.quantity),
      h('td', { class: 'slots' }, l.slots_text,
        l.put_back ? h('p', { class: 'put-back' }, `${t('Put back')} ${l.put_back}`) : '',
        l.short_reason ? h('p', {}, `${t('Short')}: ${l.short_reason}`) : ''),
      h('td', {}, open && !l.done ? h('button', { class: 'quiet', onclick: () => markShort(l) }, t('Mark short')) : '')));
    detail.replaceChildren(h('section', { class: 'card' },
      h('h2', {}, `${t('Wave')} ${w.id}`, h('span', { class: `badge state-${w.state}` }, t(w.state)),
        h('span', { class: 'progress' }, `${w.picked_items} / ${w.items}`)),
      h('p', {}, `${w.parcels.length} ${t('parcels')} · ${w.created_by} ${shortTime(w.created_at)}`,
        w.picked_by ? ` · ${t('picked')} ${w.picked_by} ${shortTime(w.picked_at)}` : ''),
      h('div', { class: 'actions' },
        h('a', { class: 'button', href: `/api/v1/waves/${w.id}/pdf`, target: '_blank', rel: 'noopener' }, t('Print pick list (PDF)')),
        open ? h('button', { class: 'primary', onclick: finish }, t('Wave picked')) : ''),
      h('table', { class: 'pick-lines' },
        h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, t('Location')), h('th', {}, t('Item')),
          h('th', {}, t('Quantity')), h('th', {}, t('Slots')), h('th', {}, ''))),
        h('tbody', {}, rows)),
      h('h3', {}, t('Slots')),
      h('ol', { class: 'slots' }, w.parcels.map((p) => h('li', { class: p.stop ? 'stop' : null },
        h('strong', {}, `#${p.slot}`), ` ${p.serial} `, h('span', { class: `badge state-${p.state}` }, t(p.state)),
        p.stop ? h('span', { class: 'stop-text' }, ` STOP ${p.stop}`) : '')))));
  }

  async function show(id) {
    try {
      current = await get(`/api/v1/waves/${id}`);
      draw();
      await refresh();
    } catch (e) { fail(e); }
  }

  async function bestSellers(box) {
    try {
      const r = await get('/api/v1/picking/best-sellers?limit=10');
      box.replaceChildren(h('h3', {}, t('Best sellers waiting'), r.promo_zone ? h('small', {}, ` (${t('Promo zone')}: ${r.promo_zone})`) : ''),
        r.best_sellers.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('SKU')),
          h('th', {}, t('Quantity')), h('th', {}, t('Location')))), h('tbody', {}, r.best_sellers.map((b) => h('tr', {},
          h('td', { class: 'sku' }, b.sku), h('td', { class: 'num' }, b.quantity),
          h('td', {}, b.location ?? t('No location'), b.in_promo_zone ? ' ✓' : ''))))) : h('p', { class: 'hint' }, t('Nothing waits')));
    } catch (e) { box.replaceChildren(notice('error', e.message)); }
  }

  const best = h('div', { class: 'best-sellers' });
  main.replaceChildren(h('div', { class: 'two-columns' },
    h('aside', {}, h('h2', {}, t('Picking')),
      mayPick ? h('form', { class: 'inline', onsubmit: create },
        h('label', {}, t('Parcels'), size), h('button', { type: 'submit', class: 'primary' }, t('New wave'))) : '',
      list, best),
    h('div', {}, status, detail)));
  draw();
  refresh().catch(fail);
  bestSellers(best);
  const timer = setInterval(() => refresh().catch(() => {}), 15000);
  return () => clearInterval(timer);
}
