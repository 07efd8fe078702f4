// Staff for a planned day (domain §4), for supervisors: how many people remind unpaid orders
// (orders × unpaid rate ÷ 300 a day) and how many pack (orders ÷ a packer's day). Orders and
// the unpaid rate start from the last 30 days; a Double-11 day is about the average × 2.4.
import { get } from '../api.js';
import { h, notice } from '../dom.js';
import { t } from '../i18n.js';

export function planningView(main) {
  const status = h('div', { class: 'status' });
  const result = h('div', { class: 'tiles' });
  const field = (name, value, attrs = {}) => h('input', { name, type: 'number', min: 0, value, class: 'small', ...attrs });
  const orders = field('orders', ''), unpaid = field('unpaid_percent', '', { max: 100 });
  const perReminder = field('per_reminder', 300, { min: 1 }), perPacker = field('per_packer', 400, { min: 1 });
  const big = (n, label, sub) => h('section', { class: 'card tile' }, h('h2', {}, label), h('p', { class: 'shout ok' }, n), h('p', { class: 'hint' }, sub));

  async function plan(ev) {
    ev?.preventDefault();
    const q = new URLSearchParams();
    for (const [k, el] of [['orders', orders], ['unpaid_percent', unpaid], ['per_reminder', perReminder], ['per_packer', perPacker]])
      if (el.value !== '') q.set(k, el.value);
    try {
      const p = await get(`/api/v1/planning?${q}`);
      if (orders.value === '') orders.placeholder = String(p.orders);
      if (unpaid.value === '') unpaid.placeholder = String(Math.round(p.unpaid_rate * 1000) / 10);
      status.replaceChildren();
      result.replaceChildren(
        big(p.reminder_staff_needed, t('Reminder staff'),
          `${p.orders} × ${(p.unpaid_rate * 100).toFixed(1)}% ÷ ${p.per_reminder} = ${p.reminder_staff}`),
        big(p.packers_needed, t('Packers'), `${p.orders} ÷ ${p.per_packer} = ${p.packers}`),
        h('section', { class: 'card tile' }, h('h2', {}, t('From the last 30 days')),
          h('p', {}, `${t('Daily average')}: ${p.daily_average}`),
          h('p', {}, `${t('A Double-11 day')} (× 3 × 0.8): ${p.double11_orders}`),
          h('p', { class: 'hint' }, `${t('Orders')}: ${t(p.orders_source)} · ${t('Unpaid rate')}: ${t(p.unpaid_rate_source)}`)));
    } catch (e) { status.replaceChildren(notice('error', e.message)); }
  }

  main.replaceChildren(h('h1', {}, t('Planning')),
    h('form', { class: 'inline', onsubmit: plan },
      h('label', {}, t('Orders expected'), orders), h('label', {}, t('Unpaid %'), unpaid),
      h('label', {}, t('Reminded per person a day'), perReminder), h('label', {}, t('Packed per packer a day'), perPacker),
      h('button', { type: 'submit', class: 'primary' }, t('Plan'))),
    status, result);
  plan();
}
