// Review (审单): the queue counts, claiming the next batch (key cities come first, the
// daemon decides), and each claimed parcel approved or parked with a reason. Keyboard: A
// approves the open parcel, P parks it, J/K move through the list.
import { get, post } from '../api.js';
import { h, notice, shortTime } from '../dom.js';
import { t } from '../i18n.js';
import { askWhy, parcelCard } from './parcel_card.js';

export function reviewView(main, me) {
  const counts = h('div', { class: 'counts' });
  const list = h('ul', { class: 'parcels' });
  const detail = h('div', { class: 'detail' });
  const status = h('div', { class: 'status' });
  let mine = [];
  let open = null;

  async function refreshCounts() {
    const q = await get('/api/v1/review/queues');
    counts.replaceChildren(h('table', {}, h('thead', {}, h('tr', {},
      h('th', {}, t('Slice')), h('th', {}, t('Ready')), h('th', {}, t('Key cities ready')), h('th', {}, t('In review')))),
    h('tbody', {}, q.slices.map((s) => h('tr', { class: s.reviewers.includes(me.user) ? 'mine' : null },
      h('td', {}, s.slice, ' ', h('small', {}, s.range)), h('td', { class: 'num' }, s.ready),
      h('td', { class: 'num' }, s.key_city_ready), h('td', { class: 'num' }, s.in_review))))));
  }

  async function refreshMine() {
    const r = await get('/api/v1/parcels?state=in_review&limit=500');
    mine = r.parcels.filter((p) => p.claim_holder === me.user);
    list.replaceChildren(...(mine.length ? mine.map((p) => h('li', {},
      h('button', { class: open === p.id ? 'current' : null, onclick: () => show(p.id) },
        p.key_city ? '★ ' : '', p.serial, ' ', h('small', {}, `${p.city} · ${shortTime(p.pay_time)}`))))
      : [h('li', { class: 'empty' }, t('Nothing claimed: claim the next batch'))]));
  }

  async function show(id) {
    open = id;
    const { parcel, element } = await parcelCard(id);
    const actions = h('div', { class: 'actions' },
      h('button', { class: 'primary', accesskey: 'a', onclick: () => act(parcel, 'approve') }, t('Approve'), h('kbd', {}, 'A')),
      h('button', { class: 'warn', onclick: () => act(parcel, 'park') }, t('Park'), h('kbd', {}, 'P')),
      h('button', { class: 'quiet', onclick: () => act(parcel, 'release') }, t('Release')));
    element.append(actions);
    detail.replaceChildren(element);
    await refreshMine();
  }

  async function act(parcel, action) {
    let note;
    if (action === 'park') {
      note = await askWhy(detail, t('Park'));
      if (note === null) return;
    }
    try {
      const r = await post(`/api/v1/parcels/${parcel.id}/${action}`, { version: parcel.version, note });
      const next = mine.find((p) => p.id !== parcel.id);
      detail.replaceChildren();
      open = null;
      await Promise.all([refreshMine(), refreshCounts()]);
      if (next) await show(next.id);
      // Said once the next parcel is open, so the notice never stands over the old one.
      status.replaceChildren(notice('ok', `${parcel.serial}: ${t(r.state)}${r.note ? ' — ' + r.note : ''}`));
    } catch (e) {
      status.replaceChildren(notice('error', e.message));
    }
  }

  const claim = h('button', { class: 'primary', onclick: async () => {
    try {
      const r = await post('/api/v1/review/claim', { n: 20 });
      await Promise.all([refreshMine(), refreshCounts()]);
      if (r.parcels.length && !open) await show(r.parcels[0].id);
    } catch (e) {
      status.replaceChildren(notice('error', e.message));
    }
  } }, t('Claim next batch'));

  function onKey(ev) {
    if (ev.target.closest('input, textarea') || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const current = mine.find((p) => p.id === open);
    const key = ev.key.toLowerCase();
    if (current && key === 'a') { ev.preventDefault(); detail.querySelector('.actions .primary')?.click(); }
    if (current && key === 'p') { ev.preventDefault(); detail.querySelector('.actions .warn')?.click(); }
    if (key === 'j' || key === 'k') {
      const i = mine.findIndex((p) => p.id === open);
      const next = mine[Math.max(0, Math.min(mine.length - 1, i + (key === 'j' ? 1 : -1)))];
      if (next) show(next.id);
    }
  }
  document.addEventListener('keydown', onKey);

  main.replaceChildren(h('div', { class: 'two-columns' },
    h('aside', {}, h('h2', {}, t('Queues')), counts, claim, h('h2', {}, t('My parcels')), list),
    h('div', {}, status, detail)));
  Promise.all([refreshCounts(), refreshMine()]).then(() => mine[0] && show(mine[0].id))
    .catch((e) => status.replaceChildren(notice('error', e.message)));
  const timer = setInterval(() => refreshCounts().catch(() => {}), 15000);
  return () => { clearInterval(timer); document.removeEventListener('keydown', onKey); };
}
