// Payment reminders (催付) for customer service: the calls and IM messages due now, big
// orders first, each with the buyer's order, the script filled in and a form for the
// outcome and the reason found (with the seeds' suggested response); the reminders and their
// notes; the buyers not to remind; the texts (supervisors save them, checked by the daemon).
import { get, post } from '../api.js';
import { h, notice, shortTime } from '../dom.js';
import { t } from '../i18n.js';
import { noteText } from './reminder_notes.js';

const outcomes = {
  phone: ['will_pay', 'paid', 'not_buyer', 'no_answer', 'wants_close', 'refused', 'angry'],
  im: ['sent', 'replied', 'offline', 'will_pay', 'paid', 'wants_close', 'refused', 'angry'],
};
const tone = { angry: 'warn', refused: 'warn', wants_close: 'warn', no_answer: 'quiet', offline: 'quiet' };
const tabs = ['phone', 'im', 'reminders', 'buyers', 'templates'];

export function remindView(main, me) {
  const status = h('div', { class: 'status' });
  const body = h('div', {});
  const supervisor = me.roles.some((r) => ['supervisor', 'admin'].includes(r));
  let tab = 'phone';
  const fail = (e) => status.replaceChildren(notice('error', e.message));
  const tabBar = h('nav', { class: 'tabs' });

  function drawTabs() {
    tabBar.replaceChildren(...tabs.map((id) => h('button', {
      class: id === tab ? 'current' : 'quiet', onclick: () => { tab = id; status.replaceChildren(); show(); },
    }, t(`remind tab ${id}`))));
  }

  function taskCard(task) {
    const note = h('input', { name: 'note', placeholder: t('What the buyer said'), maxlength: 500 });
    const hint = h('p', { class: 'hint' });
    let reason = '';
    const reasons = h('div', { class: 'roles' }, task.reasons.map((r) => h('label', {},
      h('input', { type: 'radio', name: `reason-${task.id}`, value: r.reason, onchange: () => {
        reason = r.reason;
        hint.textContent = r.response;
      } }), t(`reason ${r.reason}`))));
    const record = async (outcome) => {
      try {
        await post(`/api/v1/reminder-tasks/${task.id}/outcome`, { outcome, reason, note: note.value });
        // The list is reloaded before the notice, so "done" is said of a list that no longer shows
        // it; an error reloading it stays below the notice.
        status.replaceChildren();
        await show();
        status.prepend(notice('ok', `${task.buyer_nick}: ${t(`outcome ${outcome}`)} ✓`));
      } catch (e) { fail(e); }
    };
    const quiet = task.channel === 'phone' && !task.now_allowed;
    return h('section', { class: `card task${task.big ? ' big' : ''}`, dataset: { task: task.id } },
      h('h2', {}, task.buyer_nick, ' ', task.big ? h('span', { class: 'badge key' }, t('Big order')) : '',
        ' ', h('span', { class: 'amount' }, `¥${task.amount.yuan}`),
        h('small', {}, ` · ${task.orders} ${t('orders')} · ${t('placed')} ${shortTime(task.placed)} · ${t('until')} ${shortTime(task.due_until)}`)),
      task.channel === 'phone' && task.mobile ? h('p', { class: 'phone' }, '📞 ', h('a', { href: `tel:${task.mobile}` }, task.mobile)) : '',
      quiet ? notice('warn', t('Quiet hours: call from {time}', { time: shortTime(task.next_allowed) })) : '',
      h('pre', { class: 'script' }, task.script || t('No script saved for this channel')),
      h('p', {}, h('strong', {}, t('Reason found')), reasons), hint,
      h('label', {}, t('Note'), note),
      h('div', { class: 'actions' }, outcomes[task.channel].map((o) =>
        h('button', { class: tone[o] ?? 'primary', disabled: quiet && task.channel === 'phone' && o !== 'no_answer',
          onclick: () => record(o) }, t(`outcome ${o}`)))));
  }

  async function showTasks(channel) {
    const { tasks } = await get(`/api/v1/reminder-tasks?channel=${channel}&limit=50`);
    body.replaceChildren(tasks.length ? h('div', {}, tasks.map(taskCard))
      : notice('info', t(channel === 'phone' ? 'No calls due now' : 'No IM messages due now')));
  }

  async function showReminder(id, into) {
    const r = await get(`/api/v1/reminders/${id}`);
    into.replaceChildren(h('section', { class: 'card' },
      h('h2', {}, `${r.buyer_nick} · ¥${r.unpaid.yuan} · ${r.result}`),
      h('p', {}, `${t('Trades')}: ${r.tids.join(', ')}`),
      h('table', {}, h('thead', {}, h('tr', {}, ['Channel', 'State', 'Due', 'Outcome', 'Staff'].map((c) => h('th', {}, t(c))))),
        h('tbody', {}, r.attempts.map((a) => h('tr', {}, h('td', {}, t(`channel ${a.channel}`)), h('td', {}, t(`attempt ${a.state}`)),
          h('td', {}, `${shortTime(a.due_from)} – ${shortTime(a.due_until)}`),
          h('td', {}, a.outcome ? t(`outcome ${a.outcome}`) : (a.error ?? '')), h('td', {}, a.staff ?? ''))))),
      h('ol', { class: 'events' }, r.notes.map((n) => h('li', {}, h('time', {}, shortTime(n.at)), ' ', noteText(n.text))))));
  }

  async function showReminders() {
    const { reminders } = await get('/api/v1/reminders?limit=100');
    const detail = h('div', {});
    body.replaceChildren(h('div', { class: 'two-columns' },
      h('aside', {}, h('ul', { class: 'parcels' }, reminders.length ? reminders.map((r) => h('li', {},
        h('button', { onclick: () => showReminder(r.id, detail).catch(fail) }, r.buyer_nick, ' ',
          h('span', { class: `badge state-${r.state}` }, r.result), h('br'),
          h('small', {}, `¥${r.unpaid.yuan} · ${shortTime(r.placed)}${r.recovered.fen ? ` · ${t('recovered')} ¥${r.recovered.yuan}` : ''}`))))
        : [h('li', { class: 'empty' }, t('No reminders yet'))])),
      detail));
  }

  async function showBuyers() {
    const { buyers } = await get('/api/v1/reminder-buyers');
    const shop = h('input', { name: 'shop', placeholder: t('Shop'), required: true, class: 'small' });
    const nick = h('input', { name: 'buyer_nick', placeholder: t('Buyer'), required: true });
    const why = h('input', { name: 'note', placeholder: t('Why') });
    const set = async (b) => {
      try { await post('/api/v1/reminder-buyers', b); await showBuyers(); } catch (e) { fail(e); }
    };
    body.replaceChildren(
      h('form', { class: 'inline', onsubmit: (ev) => { ev.preventDefault(); set({ shop: shop.value, buyer_nick: nick.value, sensitive: true, note: why.value }); } },
        shop, nick, why, h('button', { type: 'submit', class: 'primary' }, t('Add to the sensitive list'))),
      buyers.length ? h('table', {}, h('thead', {}, h('tr', {}, ['Shop', 'Buyer', 'List', 'Note', 'By', ''].map((c) => h('th', {}, t(c))))),
        h('tbody', {}, buyers.map((b) => h('tr', {}, h('td', {}, b.shop), h('td', {}, b.buyer_nick),
          h('td', {}, [b.sensitive ? t('Sensitive') : '', b.never_again ? t('Never again') : ''].filter(Boolean).join(' · ')),
          h('td', {}, b.note), h('td', {}, `${b.updated_by} ${shortTime(b.updated_at)}`),
          h('td', {}, h('button', { class: 'quiet', onclick: () => set({ shop: b.shop, buyer_nick: b.buyer_nick }) }, t('Remove')))))))
        : notice('info', t('Nobody on the list')));
  }

  async function showTemplates() {
    const list = await get('/api/v1/reminder-templates');
    body.replaceChildren(h('p', { class: 'hint' }, t('SMS sent: {name}, signed 【{sign}】', { name: list.sms_template, sign: list.sign_name || '—' })),
      ...list.templates.map((tp) => {
        const text = h('textarea', { rows: tp.channel === 'sms' ? 3 : 8, disabled: !supervisor }, tp.body);
        const save = async () => {
          try {
            await post(`/api/v1/reminder-templates/${tp.name}`, { channel: tp.channel, body: text.value });
            await showTemplates();
            status.replaceChildren(notice('ok', `${tp.name} ✓`));
          } catch (e) { fail(e); }
        };
        return h('section', { class: 'card' }, h('h2', {}, tp.name, ' ', h('span', { class: 'badge' }, t(`channel ${tp.channel}`)),
          tp.characters ? h('small', {}, ` ${tp.characters} ${t('characters')} · ${tp.parts} ${t('billed parts')}`) : ''),
        tp.problem ? notice('warn', tp.problem) : '', text,
        supervisor ? h('div', { class: 'actions' }, h('button', { class: 'primary', onclick: save }, t('Save'))) : '');
      }));
  }

  async function show() {
    drawTabs();
    try {
      if (tab === 'phone' || tab === 'im') await showTasks(tab);
      else if (tab === 'reminders') await showReminders();
      else if (tab === 'buyers') await showBuyers();
      else await showTemplates();
    } catch (e) { fail(e); }
  }

  main.replaceChildren(h('h1', {}, t('Payment reminders')), tabBar, status, body);
  show();
  const timer = setInterval(() => { if (tab === 'phone' || tab === 'im') showTasks(tab).catch(() => {}); }, 30000);
  return () => clearInterval(timer);
}
