// The supervisor's dashboard (主管看板): parcels by state and per review slice, printers and
// the labels waiting for a person's check, courier shares against their targets and capacity,
// number-pool levels, and each shop's sync health. It refreshes itself every 10 s.
import { get } from '../api.js';
import { h, notice, shortTime } from '../dom.js';
import { t } from '../i18n.js';
import { barChart } from './chart.js';

const stateOrder = ['ready', 'in_review', 'problem', 'approved', 'waybill', 'printed', 'packed', 'intercepted', 'cancelled'];

export function dashboardView(main) {
  const status = h('div', { class: 'status' });
  const tiles = h('div', { class: 'tiles' });
  const updated = h('small', { class: 'updated' });

  const panel = (title, ...body) => h('section', { class: 'card tile' }, h('h2', {}, title), ...body);

  async function refresh() {
    const settle = (p) => p.then((v) => ({ v }), (e) => ({ e }));
    const [queues, printers, check, couriers, shops] = await Promise.all([
      settle(get('/api/v1/review/queues')), settle(get('/api/v1/printers')),
      settle(get('/api/v1/labels?state=check&limit=100')), settle(get('/api/v1/couriers')),
      settle(get('/api/v1/shops'))]);
    const off = (r) => notice('info', r.e.message);
    const parts = [];
    if (queues.v) {
      const states = queues.v.states;
      parts.push(panel(t('Parcels by state'), barChart(stateOrder.filter((s) => states[s] !== undefined)
        .map((s) => ({ label: t(s), value: states[s], tone: s === 'problem' ? 'warn' : s === 'intercepted' ? 'bad' : '' })))));
      parts.push(panel(t('Review slices'), barChart(queues.v.slices.flatMap((s) => [
        { label: `${s.slice} ${t('Ready')}`, value: s.ready },
        { label: `${s.slice} ${t('In review')}`, value: s.in_review }])),
      h('p', {}, `${t('Trades waiting for intake')}: ${queues.v.trades_waiting}`)));
    } else parts.push(panel(t('Parcels by state'), off(queues)));
    if (couriers.v && !couriers.v.couriers.length) parts.push(panel(t('Courier shares today'), notice('info', t('No couriers configured'))));
    else if (couriers.v) {
      const list = couriers.v.couriers;
      parts.push(panel(t('Courier shares today'), barChart(list.map((c) => ({
        label: c.code, value: Math.round(c.today_share * 100), mark: c.target_share,
        tone: c.capacity_left === 0 ? 'bad' : '' })), { max: 100, unit: '%' }),
      h('p', {}, `${t('Today')}: ${couriers.v.today_total} · ${t('the line is the target share')}`),
      h('table', {}, h('tbody', {}, list.map((c) => h('tr', { class: c.pool_low ? 'warn' : null },
        h('td', {}, c.code), h('td', { class: 'num' }, c.today),
        h('td', {}, c.daily_capacity ? `${t('Capacity left')} ${c.capacity_left}` : ''),
        h('td', {}, c.pool ? `${t('Pool')} ${c.pool.free}${c.pool_low ? ' ⚠' : ''}` : '')))))));
    } else parts.push(panel(t('Courier shares today'), off(couriers)));
    if (printers.v && !printers.v.printers.length) parts.push(panel(t('Printers'), notice('info', t('No printers configured'))));
    else if (printers.v) {
      const labelsToCheck = check.v?.labels ?? [];
      parts.push(panel(t('Printers'), h('table', {}, h('tbody', {}, printers.v.printers.map((p) =>
        h('tr', { class: p.state === 'fault' ? 'warn' : null },
          h('td', {}, p.name), h('td', {}, t(`printer ${p.state}`).replace(/^printer /, '')), h('td', { class: 'num' }, `${t('Queued')} ${p.queued}`),
          h('td', {}, p.fault ?? ''))))),
      labelsToCheck.length ? notice('warn', `${t('Labels to check')}: ${labelsToCheck.map((l) => l.id).join(', ')}`) : null));
    } else parts.push(panel(t('Printers'), off(printers)));
    if (shops.v)
      parts.push(panel(t('Shops'), h('table', {}, h('tbody', {}, shops.v.shops.map((s) =>
        h('tr', { class: s.alert || s.last_error ? 'warn' : null },
          h('td', {}, s.shop), h('td', {}, `${t('Last good sync')} ${shortTime(s.last_ok_at)}`),
          h('td', { class: 'num' }, s.trades_stored), h('td', {}, s.last_error ?? '')))))));
    tiles.replaceChildren(...parts);
    updated.textContent = `${t('Updated')} ${new Date().toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}`;
  }

  main.replaceChildren(h('h1', {}, t('Dashboard'), ' ', updated), status, tiles);
  const tick = () => refresh().then(() => status.replaceChildren(),
    (e) => status.replaceChildren(notice('error', e.message)));
  tick();
  const timer = setInterval(tick, 10000);
  return () => clearInterval(timer);
}
