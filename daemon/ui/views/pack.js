// The pack station (打包台): everything from the scanner and the keyboard. Scan a parcel's
// serial, tracking number or packing-list barcode; scan each item to verify it (验货: a wrong
// item or one too many is shouted, in red, with a sound); enter the weight or let the scale
// type it; Enter packs it. An intercepted or cancelled parcel fills the screen with STOP.
// Esc puts the parcel down. The station's name is kept in this browser.
import { get, post } from '../api.js';
import { h, notice } from '../dom.js';
import { t } from '../i18n.js';
import { askWhy } from './parcel_card.js';

function beep(bad) {
  try {
    const audio = new AudioContext();
    const tones = bad ? [220, 160] : [880];
    tones.forEach((hz, i) => {
      const o = audio.createOscillator();
      const g = audio.createGain();
      o.frequency.value = hz;
      o.type = bad ? 'square' : 'sine';
      g.gain.value = 0.2;
      o.connect(g).connect(audio.destination);
      o.start(audio.currentTime + i * 0.18);
      o.stop(audio.currentTime + i * 0.18 + 0.16);
    });
  } catch {}
}

export function packView(main) {
  let station = localStorage.getItem('fulfil.station') ?? '';
  let view = null;
  const scan = h('input', { name: 'scan', class: 'scan', autocomplete: 'off', placeholder: t('Scan a parcel') });
  const weight = h('input', { name: 'weight', class: 'weight', inputmode: 'numeric', autocomplete: 'off', placeholder: t('Weight (g)') });
  const alert = h('div', { class: 'pack-alert', role: 'alert', 'aria-live': 'assertive' });
  const body = h('div');
  const overlay = h('div', { class: 'stop-overlay', hidden: true });

  const say = (kind, text) => {
    alert.replaceChildren(text ? h('p', { class: `shout ${kind}` }, text) : '');
    if (kind === 'bad' || kind === 'warn') beep(true);
  };
  const focus = () => (view && view.verified && !view.packed_at ? weight : scan).focus();

  function stop(reason) {
    overlay.hidden = false;
    overlay.replaceChildren(h('div', {}, h('h1', {}, 'STOP'), h('p', { class: 'big' }, t('Do not ship this parcel')),
      h('p', {}, reason), h('p', { class: 'hint' }, t('Press Esc when it is put aside'))));
    beep(true);
  }

  function render() {
    if (!view) {
      body.replaceChildren(h('p', { class: 'hint' }, t('Scan a parcel')));
      scan.placeholder = t('Scan a parcel');
      return;
    }
    scan.placeholder = view.verified ? t('All verified: weigh it') : t('Scan the items');
    const progress = view.lines.reduce((n, l) => n + Math.min(l.verified, l.expected), 0);
    const total = view.lines.reduce((n, l) => n + l.expected, 0);
    body.replaceChildren(h('section', { class: 'card' },
      h('h2', {}, view.serial, h('span', { class: `badge state-${view.state}` }, t(view.state)),
        view.wave ? h('span', { class: 'slot-badge' }, `${t('Wave')} ${view.wave.id} · #${view.wave.slot}`) : '',
        h('span', { class: 'progress' }, `${progress} / ${total}`)),
      h('p', {}, `${view.buyer_nick} · ${view.city} · ${view.courier ?? ''} ${view.waybill_no ?? ''}`),
      h('table', { class: 'pack-lines' }, h('tbody', {}, view.lines.map((l) => h('tr', {
        class: l.short_reason ? 'short' : l.verified >= l.expected ? 'done' : null, dataset: { sku: l.sku } },
      h('td', { class: 'num big' }, `${l.verified}/${l.expected}`),
      h('td', {}, l.title, h('br'), h('small', {}, l.sku_properties)),
      h('td', { class: 'sku' }, l.sku, l.location ? h('small', {}, ` @${l.location}`) : ''),
      h('td', {}, l.short_reason ? `${t('Short')}: ${l.short_reason}` : l.verified < l.expected
        ? h('button', { class: 'quiet', onclick: () => short(l) }, t('Mark short')) : '✓'))))),
      view.packed_at ? notice('ok', `${t('Packed')} · ${view.weight_g} g`) : h('div', { class: 'actions' },
        h('label', {}, t('Weight (g)'), weight),
        h('button', { class: 'primary', disabled: !view.verified, onclick: done }, t('Pack'), h('kbd', {}, 'Enter')),
        h('button', { class: 'quiet', onclick: reprint }, t('Reprint waybill')))));
  }

  async function step(path, payload) {
    try {
      view = await post(`/api/v1/pack/${view.parcel_id}/${path}`, { station, ...payload });
      return true;
    } catch (e) {
      refused(e);
      return false;
    } finally {
      render();
      focus();
    }
  }

  function refused(e) {
    const body = e.body;
    if (body?.parcel) view = body.parcel;
    if (e.code === 'stop') stop(view?.stop ?? e.message);
    else if (e.code === 'wrong_item') say('bad', `${t('WRONG ITEM')} — ${e.message}`);
    else if (e.code === 'over_scan') say('warn', `${t('One too many')} — ${e.message}`);
    else if (e.code === 'unknown_barcode') say('bad', `${t('Unknown barcode')} — ${e.message}`);
    else if (e.code === 'held_elsewhere') { say('warn', e.message); view = null; }
    else say('bad', e.message);
  }

  async function open(code) {
    say('', '');
    try {
      const found = await get(`/api/v1/pack/${encodeURIComponent(code)}`);
      view = found;
      if (found.stop) { stop(found.stop); view = null; render(); return; }
      await step('start', {});
    } catch (e) {
      view = null;
      render();
      if (e.status === 404) say('bad', `${t('No parcel')}: ${code}`);
      else refused(e);
    }
  }

  async function short(line) {
    const reason = await askWhy(body, t('Mark short'));
    if (reason) await step('short', { oid: line.oid, reason });
    focus();
  }

  async function done() {
    const grams = Number(weight.value.trim());
    if (!Number.isInteger(grams) || grams <= 0) { say('warn', t('Enter the weight in grams')); weight.focus(); return; }
    if (await step('done', { weight_g: grams })) {
      say('ok', `${view.serial} ${t('Packed')} ✓`);
      beep(false);
      view = null;
      weight.value = '';
      render();
      scan.focus();
    }
  }

  async function reprint() {
    const why = await askWhy(body, t('Reprint waybill'));
    if (!why) return focus();
    try {
      const { labels } = await get(`/api/v1/labels?parcel=${view.parcel_id}&state=printed`);
      const label = labels.find((l) => l.kind === 'waybill' && !l.reprint_of) ?? labels[0];
      if (!label) throw new Error(t('No printed waybill to reprint'));
      // At this station's printer when one stands here ([[printing.printers]] station).
      const { printers } = await get('/api/v1/printers');
      const here = printers.some((p) => p.station === station && p.kinds.includes('waybill'));
      const sent = await post(`/api/v1/labels/${label.id}/reprint`, here ? { reason: why, station } : { reason: why });
      say('ok', sent.printer ? `${t('Reprint sent')} → ${sent.printer}` : t('Reprint sent'));
    } catch (e) {
      say('bad', e.message);
    }
    focus();
  }

  scan.addEventListener('keydown', async (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    const code = scan.value.trim();
    scan.value = '';
    if (!code) return;
    if (!view || view.packed_at) return open(code);
    say('', '');
    if (await step('scan', { barcode: code })) {
      beep(false);
      if (view.verified) { say('ok', t('All verified: weigh it')); weight.focus(); }
    }
  });
  weight.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); done(); } });
  function onKey(ev) {
    if (ev.key !== 'Escape') return;
    if (!overlay.hidden) { overlay.hidden = true; say('', ''); }
    else { view = null; say('', ''); render(); }
    scan.focus();
  }
  document.addEventListener('keydown', onKey);

  const stationInput = h('input', { name: 'station', value: station, required: true, placeholder: t('e.g. 打包台3') });
  const stationForm = h('form', { class: 'inline', onsubmit: (ev) => {
    ev.preventDefault();
    station = stationInput.value.trim();
    localStorage.setItem('fulfil.station', station);
    setup();
  } }, h('label', {}, t('Station'), stationInput), h('button', { type: 'submit', class: 'primary' }, t('Save')));

  function setup() {
    if (!station) {
      main.replaceChildren(h('h2', {}, t('Which pack station is this?')), stationForm);
      stationInput.focus();
      return;
    }
    main.replaceChildren(h('div', { class: 'pack-head' }, h('strong', {}, `${t('Station')}: ${station}`),
      h('button', { class: 'quiet', onclick: () => { station = ''; setup(); } }, t('Change'))),
    scan, alert, body, overlay);
    render();
    scan.focus();
  }
  setup();
  return () => document.removeEventListener('keydown', onKey);
}
