// The supervisor's dashboard (主管看板): parcels by state and per review slice, printers and
// the labels waiting for a person's check, courier shares against their targets and capacity,
// number-pool levels, and each shop's sync health. It refreshes itself every 10 s.
import { get } from '../api.js';
import { h, notice, shortTime } from '../dom.js';
import { t } from '../i18n.js';
import { barChart, sparkColumns } from './chart.js';

const stateOrder = ['ready', 'in_review', 'problem', 'approved', 'waybill', 'printed', 'packed', 'intercepted', 'cancelled'];

// The daily summary (催款汇总表) at a glance: amount recovered per day as columns, the rates,
// and what each channel cost against what it brought back.
function reminderTile(r) {
  if (!r.total.customers) return notice('info', t('Nobody reminded in these days'));
  const rate = (x) => x?.text ?? '—';
  return [
    h('table', { class: 'throughput' }, h('tbody', {},
      h('tr', {}, h('td', {}, t('Recovered per day')),
        h('td', {}, sparkColumns(r.days.map((d) => d.recovered.fen), r.days.map((d) => `${d.day} ¥${d.recovered.yuan}`))),
        h('td', { class: 'num big' }, `¥${r.total.recovered.yuan}`)),
      h('tr', {}, h('td', {}, t('Reminded / paid')), h('td', {}, ''),
        h('td', { class: 'num' }, `${r.total.customers} / ${r.total.customers_paid}`)),
      h('tr', {}, h('td', {}, t('Success rate')), h('td', { class: 'hint' }, t('recovered ÷ unpaid total')),
        h('td', { class: 'num big' }, rate(r.total.success_rate))),
      h('tr', {}, h('td', {}, t('Response rate')), h('td', {}, ''), h('td', { class: 'num' }, rate(r.total.response_rate))))),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Channel')), h('th', { class: 'num' }, t('Cost')),
      h('th', { class: 'num' }, t('Recovered')), h('th', { class: 'num' }, 'ROI'))),
    h('tbody', {}, r.channels.map((c) => h('tr', {}, h('td', {}, t(`channel ${c.channel}`)),
      h('td', { class: 'num' }, `¥${c.cost.yuan}`), h('td', { class: 'num' }, `¥${c.recovered.yuan}`),
      h('td', { class: 'num' }, rate(c.roi)))))),
    h('p', {}, h('a', { href: '/api/v1/reports/reminders?format=csv' }, t('Daily summary (Excel)')), ' · ',
      h('a', { href: '/api/v1/reports/reminder-ledger?format=csv' }, t('Ledger (Excel)'))),
  ];
}

export function dashboardView(main) {
  const status = h('div', { class: 'status' });
  const tiles = h('div', { class: 'tiles' });
  const updated = h('small', { class: 'updated' });

  const panel = (title, ...body) => h('section', { class: 'card tile' }, h('h2', {}, title), ...body);

  async function refresh() {
    const settle = (p) => p.then((v) => ({ v }), (e) => ({ e }));
    const [queues, printers, check, couriers, shops, hours, quality, reminders] = await Promise.all([
      settle(get('/api/v1/review/queues')), settle(get('/api/v1/printers')),
      settle(get('/api/v1/labels?state=check&limit=100')), settle(get('/api/v1/couriers')),
      settle(get('/api/v1/shops')), settle(get('/api/v1/reports/throughput?hours=24')),
      settle(get('/api/v1/reports/couriers?days=7')), settle(get('/api/v1/reports/reminders'))]);
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
    if (hours.v) {
      const list = hours.v.hours;
      const titles = list.map((x) => x.hour.slice(11, 16));
      parts.push(panel(t('Throughput per hour'), h('table', { class: 'throughput' },
        h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, t('Last 24 hours')), h('th', { class: 'num' }, t('This hour')),
          h('th', { class: 'num' }, t('24 h')))),
        h('tbody', {}, ['reviewed', 'printed', 'packed', 'shipped'].map((k) => h('tr', {},
          h('td', {}, t(`throughput ${k}`)), h('td', {}, sparkColumns(list.map((x) => x[k]), titles)),
          h('td', { class: 'num big' }, list[list.length - 1][k]),
          h('td', { class: 'num' }, list.reduce((n, x) => n + x[k], 0))))))));
    } else parts.push(panel(t('Throughput per hour'), off(hours)));
    if (quality.v) {
      const all = quality.v.couriers;
      const totals = all.filter((c) => c.province === null);
      const pct = (r) => `${(r * 100).toFixed(1)}%`;
      parts.push(panel(t('Courier quality, 7 days'), totals.length ? [
        barChart(totals.map((c) => ({ label: c.courier, value: c.median_hours ?? 0,
          tone: c.stuck_rate > 0.05 ? 'bad' : c.problem_rate > 0.02 ? 'warn' : '' })), { unit: ' h' }),
        h('p', { class: 'hint' }, t('Median hours from pickup to delivery')),
        h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Courier')), h('th', {}, t('Province')),
          h('th', { class: 'num' }, t('Shipments')), h('th', { class: 'num' }, t('Median h')),
          h('th', { class: 'num' }, t('Problem rate')), h('th', { class: 'num' }, t('Stuck rate')))),
        h('tbody', {}, totals.flatMap((c) => [c, ...all.filter((p) => p.courier === c.courier && p.province !== null).slice(0, 3)])
          .map((c) => h('tr', { class: c.stuck_rate > 0.05 ? 'warn' : c.province ? 'sub' : null },
            h('td', {}, c.province ? '' : c.courier), h('td', {}, c.province ?? t('All')),
            h('td', { class: 'num' }, c.shipments), h('td', { class: 'num' }, c.median_hours ?? '—'),
            h('td', { class: 'num' }, pct(c.problem_rate)), h('td', { class: 'num' }, pct(c.stuck_rate))))))]
        : notice('info', t('No shipments tracked in these days'))));
    } else parts.push(panel(t('Courier quality, 7 days'), off(quality)));
    if (reminders.v) parts.push(panel(t('Payment reminders, 7 days'), reminderTile(reminders.v)));
    else parts.push(panel(t('Payment reminders, 7 days'), off(reminders)));
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
