// Contract tests: daemon/api/openapi.yaml is a valid OpenAPI document, and the real fulfild
// binary's answers (successes and errors) match the schemas it declares.
// Run by ctest with FULFILD_BINARY and FULFIL_SOURCE_DIR set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { dropUnpaidOrders, source, startDaemon, waitFor } from '../support/fulfild_daemon.mjs';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const specPath = path.join(source, 'daemon/api/openapi.yaml');

let spec, daemon, base;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const checked = new Set();

// The schema the document declares for this answer; fails when it declares none.
function schemaFor(method, url, status) {
  const pathname = new URL(url, 'http://x').pathname;
  // Literal segments win over parameters (/parcels/merge before /parcels/{id}).
  const templates = Object.entries(spec.paths).sort(
    ([a], [b]) => (a.match(/\{/g) ?? []).length - (b.match(/\{/g) ?? []).length);
  for (const [template, item] of templates) {
    const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$');
    if (!re.test(pathname)) continue;
    const op = item[method.toLowerCase()];
    if (!op) continue;
    const response = op.responses[String(status)];
    assert.ok(response, `${method} ${template} does not declare status ${status}`);
    checked.add(`${method} ${template} ${status}`);
    return response.content?.['application/json']?.schema;
  }
  assert.fail(`no operation in the document for ${method} ${pathname}`);
}

// The staff of this test, each made with `fulfild user add` and logged in over HTTP.
const staff = {
  alice: 'reviewer', bob: 'reviewer', boss: 'supervisor', han: 'problem_handler',
  cs: 'customer_service', li: 'packer,customer_service', wang: 'packer', zhao: 'customer_service',
  viewer: 'picker', root: 'admin',
};
const password = 'correct horse battery 电池';
const sessions = {};  // user -> { cookie, csrf }

// The headers of `user`'s browser session: its cookie, and the CSRF token its page echoes.
function authHeaders(user) {
  if (!user) return {};
  const s = sessions[user];
  assert.ok(s, `${user} is not logged in`);
  return { Cookie: s.cookie, 'X-CSRF-Token': s.csrf };
}

// A GET as `user` (a picker by default: anyone logged in may read).
const get = (url, user = 'viewer') => fetch(base + url, { headers: authHeaders(user) });

// A call as `user` (null: nobody logged in), its answer checked against the document.
async function call(method, url, { body, user = 'viewer', type = 'application/json', headers = {} } = {}) {
  headers = { ...authHeaders(user), ...headers };
  if (body !== undefined) headers['Content-Type'] = type;
  const res = await fetch(base + url, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  const schema = schemaFor(method, url, res.status);
  if (schema) {
    const validate = ajv.compile(schema);
    assert.ok(validate(json), `${method} ${url} ${res.status}: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 400)}`);
  }
  return { status: res.status, json, headers: res.headers };
}

async function login(user, pw = password) {
  const r = await call('POST', '/api/v1/session', { body: { user, password: pw }, user: null });
  if (r.status === 200) {
    const cookie = r.headers.get('set-cookie').split(';')[0];
    sessions[user] = { cookie, csrf: r.json.csrf };
  }
  return r;
}

before(async () => {
  spec = await SwaggerParser.validate(specPath);  // throws on any problem in the document
  spec = await SwaggerParser.dereference(specPath);
  daemon = await startDaemon({ password, staff, config: `
[http]
listen = "127.0.0.1:0"
[store]
url = "sqlite:\${dir}/store.db"
[[shops]]
name = "demo"
source = "csv"
inbox = "\${inbox}"
interval_seconds = 5
[review]
interval_seconds = 1
supervisors = ["boss"]
problem_handlers = ["han"]
auto_approve = false
[[review.slices]]
name = "all"
reviewers = ["alice", "bob"]
[shipping]
interval_seconds = 1
[[shipping.couriers]]
code = "ZTO"
share = 100
[printing]
interval_seconds = 1
[[printing.printers]]
name = "zebra"
language = "zpl"
folder = "\${dir}/labels"
[reminders]
interval_seconds = 5
` });
  base = daemon.base;
  for (const user of Object.keys(staff)) assert.equal((await login(user)).status, 200, user);
  await waitFor(async () => {
    const q = await (await get('/api/v1/review/queues')).json();
    return q.trades_waiting === 0 && q.states.ready > 0;
  }, 'the sample to reach review');
});

after(() => daemon?.stop());

test('health, readiness, shops: a CSV shop shows its real figures', async () => {
  const h = await call('GET', '/healthz');
  assert.equal(h.status, 200);
  const shop = h.json.shops.find((s) => s.shop === 'demo');
  assert.ok(shop.last_ok_at, 'last_ok_at is set after a good import');
  assert.ok(shop.trades_stored >= 10, `trades_stored is ${shop.trades_stored}`);
  assert.equal(h.json.cluster.members[0].instance, h.json.instance);
  assert.deepEqual(h.json.cluster.members[0].shops, ['demo'], 'one daemon syncs every shop');
  assert.equal((await call('GET', '/readyz')).status, 200);
  assert.equal((await call('GET', '/api/v1/shops')).status, 200);
  assert.equal((await call('GET', '/api/v1/quarantine')).status, 200);
});

test('orders: list, detail, and bad parameters named', async () => {
  const list = await call('GET', '/api/v1/orders?limit=3');
  assert.equal(list.status, 200);
  assert.equal(list.json.orders.length, 3);
  const next = await call('GET', `/api/v1/orders?limit=3&cursor=${list.json.next_cursor}`);
  assert.equal(next.status, 200);
  const one = await call('GET', `/api/v1/orders/${list.json.orders[0].tid}`);
  assert.equal(one.status, 200);
  const bogus = await call('GET', '/api/v1/orders?fstate=bogus');
  assert.equal(bogus.status, 400);
  assert.match(bogus.json.message, /fstate/);
  assert.equal((await call('GET', '/api/v1/orders?fstate=problem')).status, 200);
  assert.equal((await call('GET', '/api/v1/orders/12x')).status, 400);
  assert.equal((await call('GET', '/api/v1/orders/1')).status, 404);
});

test('review: queues, claim, approve, park, release, stale versions and roles', async () => {
  const queues = await call('GET', '/api/v1/review/queues');
  assert.equal(queues.status, 200);
  assert.ok(queues.json.slices[0].ready >= 3);
  const nobody = await call('POST', '/api/v1/review/claim', { body: { n: 1 }, user: null });
  assert.equal(nobody.status, 401);
  const picker = await call('POST', '/api/v1/review/claim', { body: { n: 1 } });
  assert.equal(picker.status, 403);
  assert.match(picker.json.message, /is for reviewer or admin; viewer is picker/);
  const claim = await call('POST', '/api/v1/review/claim', { body: { n: 2 }, user: 'alice' });
  assert.equal(claim.status, 200);
  assert.equal(claim.json.parcels.length, 2);
  const [first, second] = claim.json.parcels;
  assert.ok(first.key_city, 'key cities come first');
  const notMine = await call('POST', `/api/v1/parcels/${first.id}/approve`, { body: { version: first.version }, user: 'bob' });
  assert.equal(notMine.status, 403);
  const stale = await call('POST', `/api/v1/parcels/${first.id}/approve`, { body: { version: first.version - 1 }, user: 'alice' });
  assert.equal(stale.status, 409);
  const noVersion = await call('POST', `/api/v1/parcels/${first.id}/approve`, { body: {}, user: 'alice' });
  assert.equal(noVersion.status, 400);
  assert.match(noVersion.json.message, /version/);
  const approved = await call('POST', `/api/v1/parcels/${first.id}/approve`, { body: { version: first.version }, user: 'alice' });
  assert.equal(approved.status, 200);
  assert.equal(approved.json.state, 'approved');
  const parked = await call('POST', `/api/v1/parcels/${second.id}/park`, { body: { version: second.version, note: '缺货 🙏' }, user: 'alice' });
  assert.equal(parked.status, 200);
  assert.equal(parked.json.problem, '缺货 🙏');
  const released = await call('POST', `/api/v1/parcels/${second.id}/release`, { body: { version: parked.json.version, note: '到货了' }, user: 'han' });
  assert.equal(released.status, 200);
  assert.equal(released.json.state, 'ready');
  const detail = await call('GET', `/api/v1/parcels/${second.id}`);
  assert.deepEqual(detail.json.events.map((e) => e.kind), ['created', 'claimed', 'park', 'release']);
  const problems = await call('GET', '/api/v1/parcels?state=problem&limit=50');
  assert.ok(problems.json.parcels.length >= 4, 'the sample parks messages, memos and addresses');
  assert.equal((await call('GET', '/api/v1/parcels?state=nope')).status, 400);
  assert.equal((await call('GET', '/api/v1/parcels/99999')).status, 404);
  assert.equal((await call('POST', '/api/v1/parcels/abc/approve', { body: { version: 1 }, user: 'alice' })).status, 400);
});

test('merge, unmerge, split: reversible, with conflicts refused', async () => {
  const all = (await call('GET', '/api/v1/parcels?limit=100')).json.parcels;
  const merged = all.find((p) => p.state === 'merged');
  assert.ok(merged, 'the sample has one buyer with two orders');
  const home = (await call('GET', `/api/v1/parcels/${merged.merged_into}`)).json;
  const un = await call('POST', `/api/v1/parcels/${home.id}/unmerge`, { body: { version: home.version }, user: 'alice' });
  assert.equal(un.status, 200, JSON.stringify(un.json));
  assert.equal(un.json.parcels.length, 2);
  const again = await call('POST', '/api/v1/parcels/merge', {
    body: { parcels: un.json.parcels.map((p) => ({ id: p.id, version: p.version })) }, user: 'alice' });
  assert.equal(again.status, 200, JSON.stringify(again.json));
  const twice = await call('POST', '/api/v1/parcels/merge', {
    body: { parcels: un.json.parcels.map((p) => ({ id: p.id, version: p.version })) }, user: 'alice' });
  assert.equal(twice.status, 409);
  const whole = (await call('GET', `/api/v1/parcels/${again.json.id}`)).json;
  assert.equal(whole.lines.length, 2);
  const split = await call('POST', `/api/v1/parcels/${whole.id}/split`, {
    body: { version: whole.version, oids: [whole.lines[1].oid] }, user: 'alice' });
  assert.equal(split.status, 200, JSON.stringify(split.json));
  assert.equal(split.json.split_from, whole.id);
  const badSplit = await call('POST', `/api/v1/parcels/${whole.id}/split`, {
    body: { version: whole.version, oids: ['1'] }, user: 'alice' });
  assert.equal(badSplit.status, 409, 'stale version');
  const unsplit = await call('POST', `/api/v1/parcels/${split.json.id}/unsplit`, { body: { version: split.json.version }, user: 'alice' });
  assert.equal(unsplit.status, 200);
});

test('stock: load, list, get, adjust; supervisors only; bad input named', async () => {
  const denied = await call('POST', '/api/v1/stock/load', { body: 'sku,on_hand\nA,1\n', type: 'text/csv', user: 'alice' });
  assert.equal(denied.status, 403);
  const bad = await call('POST', '/api/v1/stock/load', { body: 'sku,on_hand\nA,-1\n', type: 'text/csv', user: 'boss' });
  assert.equal(bad.status, 400);
  assert.match(bad.json.message, /upload:2: on_hand/);
  const loaded = await call('POST', '/api/v1/stock/load', { body: '商家编码,库存\nTX-1188-21,10\nWJ-3320-31,3\n', type: 'text/csv', user: 'boss' });
  assert.equal(loaded.status, 200);
  assert.equal(loaded.json.created, 2);
  assert.equal((await call('GET', '/api/v1/stock?limit=10')).json.stock.length, 2);
  assert.equal((await call('GET', '/api/v1/stock/TX-1188-21')).json.available, 10);
  assert.equal((await call('GET', '/api/v1/stock/NOPE')).status, 404);
  const adjusted = await call('POST', '/api/v1/stock/TX-1188-21/adjust', { body: { delta: -2, reason: '破损' }, user: 'boss' });
  assert.equal(adjusted.json.on_hand, 8);
  const below = await call('POST', '/api/v1/stock/TX-1188-21/adjust', { body: { delta: -100, reason: 'x' }, user: 'boss' });
  assert.equal(below.status, 400);
  const noReason = await call('POST', '/api/v1/stock/TX-1188-21/adjust', { body: { delta: 1 }, user: 'boss' });
  assert.equal(noReason.status, 400);
  assert.match(noReason.json.message, /reason/);
  const shortage = await call('POST', '/api/v1/review/shortage', { user: 'boss' });
  assert.equal(shortage.status, 200);
  assert.equal((await call('POST', '/api/v1/review/shortage', { user: 'alice' })).status, 403);
});

test('issue 21: a SKU with a slash, HEAD like GET without a body, control characters refused', async () => {
  const loaded = await call('POST', '/api/v1/stock/load', { body: 'sku,on_hand\nMY-2601/12,4\n', type: 'text/csv', user: 'boss' });
  assert.equal(loaded.status, 200);
  const got = await call('GET', '/api/v1/stock/MY-2601%2F12');
  assert.equal(got.status, 200);
  assert.equal(got.json.available, 4);
  const nul = await call('POST', '/api/v1/stock/MY-2601%2F12/adjust', { body: { delta: 1, reason: 'a\u0000b' }, user: 'boss' });
  assert.equal(nul.status, 400);
  assert.equal(nul.json.code, 'bad_request');
  assert.match(nul.json.message, /reason: holds a control character/);
  for (const url of ['/api/v1/parcels?limit=1', '/api/v1/orders?limit=1', '/healthz']) {
    const got = await get(url);
    const getBody = await got.text();
    const head = await fetch(base + url, { method: 'HEAD', headers: authHeaders('viewer') });
    assert.equal(head.status, 200, url);
    assert.equal(await head.text(), '', url);
    assert.equal(head.headers.get('content-type'), got.headers.get('content-type'), url);
    if (url !== '/healthz') assert.equal(Number(head.headers.get('content-length')), Buffer.byteLength(getBody), url);
  }
});

test('the platform round trip: reconciliation and the stock push with its peak switch', async () => {
  const figures = await call('GET', '/api/v1/shipping/reconciliation?days=7');
  assert.equal(figures.json.days, 7);
  assert.equal((await call('GET', '/api/v1/shipping/reconciliation?days=0')).status, 400);
  assert.equal((await call('POST', '/api/v1/shipping/reconcile', { user: 'alice' })).status, 403);
  const run = await call('POST', '/api/v1/shipping/reconcile', { user: 'boss' });
  assert.equal(run.json.stopped, 0);
  assert.ok((await call('GET', '/api/v1/shipping/reconciliation')).json.last_run_at, 'the run is recorded');

  const report = await call('GET', '/api/v1/stock-push');
  assert.equal(report.json.enabled, true);
  assert.ok(Array.isArray(report.json.unmapped));
  assert.equal((await call('GET', '/api/v1/stock-push?shop=nope')).status, 404);
  assert.equal((await call('GET', '/api/v1/stock-push?state=weird')).status, 400);
  const csvShop = await call('POST', '/api/v1/stock-push/mappings?shop=demo',
    { body: 'sku,num_iid\nA,1\n', type: 'text/csv', user: 'boss' });
  assert.equal(csvShop.status, 400, 'a CSV shop has no platform items');
  assert.equal((await call('POST', '/api/v1/stock-push/switch', { body: { scope: '*', mode: 'off' }, user: 'alice' })).status, 403);
  assert.equal((await call('POST', '/api/v1/stock-push/switch', { body: { scope: '*', mode: 'sometimes' }, user: 'boss' })).status, 400);
  assert.equal((await call('POST', '/api/v1/stock-push/switch', { body: { scope: '*', mode: 'lower_only' }, user: 'boss' })).status, 200);
  assert.equal((await call('POST', '/api/v1/stock-push/switch', { body: { scope: '*', mode: null }, user: 'boss' })).status, 200);
});

test('couriers: pool import, waybills, confirmations', async () => {
  const denied = await call('POST', '/api/v1/couriers/ZTO/pool', { body: { range: 'Z001-Z009' }, user: 'alice' });
  assert.equal(denied.status, 403);
  const bad = await call('POST', '/api/v1/couriers/ZTO/pool', { body: { range: 'Z009-Z001' }, user: 'boss' });
  assert.equal(bad.status, 400);
  assert.equal((await call('POST', '/api/v1/couriers/NOPE/pool', { body: { range: 'Z001-Z009' }, user: 'boss' })).status, 404);
  const imported = await call('POST', '/api/v1/couriers/ZTO/pool', { body: { range: 'Z001-Z100' }, user: 'boss' });
  assert.equal(imported.json.added, 100);
  const listed = await call('POST', '/api/v1/couriers/ZTO/pool', { body: 'Z200\nZ201\n', type: 'text/plain', user: 'boss' });
  assert.equal(listed.json.added, 2);
  const claim = await call('POST', '/api/v1/review/claim', { body: { n: 1 }, user: 'bob' });
  const mine = claim.json.parcels[0];
  assert.equal((await call('POST', `/api/v1/parcels/${mine.id}/approve`, { body: { version: mine.version }, user: 'bob' })).status, 200);
  let withWaybill;
  await waitFor(async () => {
    for (const state of ['waybill', 'printed']) {
      const r = await (await get(`/api/v1/parcels?state=${state}`)).json();
      withWaybill ??= r.parcels[0];
    }
    return withWaybill;
  }, 'an approved parcel to get a waybill');
  const w = await call('GET', `/api/v1/parcels/${withWaybill.id}/waybill`);
  assert.equal(w.json.waybills[0].courier, 'ZTO');
  assert.match(w.json.waybills[0].waybill_no, /^Z\d{3}$/);
  const couriers = await call('GET', '/api/v1/couriers');
  assert.ok(couriers.json.couriers[0].today >= 1);
  await waitFor(async () => (await (await get('/api/v1/confirmations?state=manual')).json()).confirmations.length > 0, 'the CSV shop confirmation to be listed for a person');
  assert.equal((await call('GET', '/api/v1/confirmations?state=manual')).status, 200);
  assert.equal((await call('GET', '/api/v1/confirmations?state=weird')).status, 400);
});

test('tracking: timelines, lists, return parcels, the push route', async () => {
  const parcels = (await (await get('/api/v1/parcels?limit=1')).json()).parcels;
  const t = await call('GET', `/api/v1/parcels/${parcels[0].id}/tracking`);
  assert.equal(t.status, 200);
  assert.deepEqual(t.json.shipments, [], 'tracking is off in this config');
  assert.equal((await call('GET', '/api/v1/parcels/x1/tracking')).status, 400);
  const ret = await call('POST', '/api/v1/tracking/returns', { body: { courier: 'ZTO', waybill_no: 'R12345', tid: '1' }, user: 'cs' });
  assert.equal(ret.status, 200);
  const again = await call('POST', '/api/v1/tracking/returns', { body: { courier: 'ZTO', waybill_no: 'R12345' }, user: 'cs' });
  assert.equal(again.json.id, ret.json.id);
  assert.equal((await call('POST', '/api/v1/tracking/returns', { body: { courier: 'ZTO', waybill_no: 'bad number!' }, user: 'cs' })).status, 400);
  const returns = await call('GET', '/api/v1/tracking?list=returns');
  assert.equal(returns.json.shipments[0].waybill_no, 'R12345');
  assert.equal(returns.json.shipments[0].kind, 'return');
  assert.equal((await call('GET', '/api/v1/tracking?list=everything')).status, 400);
  assert.equal((await call('GET', '/api/v1/tracking/R12345')).json.state, 'waiting');
  assert.equal((await call('GET', '/api/v1/tracking/NOPE')).status, 404);
  const push = await call('POST', '/api/v1/tracking/kuaidi100/callback', { body: 'param=%7B%7D&sign=X', type: 'application/x-www-form-urlencoded' });
  assert.equal(push.status, 404);
  assert.equal(push.json.result, false);
});

// A non-JSON answer (PDF, PNG): its status and content type must be declared.
async function callRaw(method, url, user = 'viewer') {
  const res = await fetch(base + url, { method, headers: authHeaders(user) });
  const pathname = new URL(url, 'http://x').pathname;
  const type = (res.headers.get('content-type') ?? '').split(';')[0];
  const bytes = Buffer.from(await res.arrayBuffer());
  for (const [template, item] of Object.entries(spec.paths)) {
    const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$');
    const op = item[method.toLowerCase()];
    if (!re.test(pathname) || !op) continue;
    const response = op.responses[String(res.status)];
    assert.ok(response, `${method} ${template} does not declare status ${res.status}`);
    assert.ok(response.content?.[type], `${method} ${template} ${res.status} does not declare ${type}`);
    checked.add(`${method} ${template} ${res.status}`);
    return { status: res.status, type, bytes, headers: res.headers };
  }
  assert.fail(`no operation in the document for ${method} ${pathname}`);
}

test('printing: labels print, printers report, reprints are recorded, previews render', async () => {
  let printed;
  await waitFor(async () => {
    printed = (await (await get('/api/v1/labels?state=printed')).json()).labels[0];
    return printed;
  }, 'a label to print');
  const labels = await call('GET', `/api/v1/labels?parcel=${printed.parcel_id}`);
  assert.equal(labels.json.labels[0].printer, 'zebra');
  assert.equal((await call('GET', '/api/v1/labels?state=lost')).status, 400);
  const printers = await call('GET', '/api/v1/printers');
  assert.equal(printers.json.printers[0].name, 'zebra');
  assert.equal(printers.json.printers[0].last_job.state, 'printed');
  assert.equal((await call('POST', `/api/v1/labels/${printed.id}/reprint`, { body: { reason: 'torn' } })).status, 403);
  assert.equal((await call('POST', `/api/v1/labels/${printed.id}/reprint`, { body: {}, user: 'li' })).status, 400);
  assert.equal((await call('POST', '/api/v1/labels/999999/reprint', { body: { reason: 'torn' }, user: 'li' })).status, 404);
  const noPrinterThere = await call('POST', `/api/v1/labels/${printed.id}/reprint`, { body: { reason: 'torn', station: '打包台9' }, user: 'li' });
  assert.equal(noPrinterThere.status, 400);
  assert.match(noPrinterThere.json.message, /no printer of waybill labels stands at 打包台9/);
  const again = await call('POST', `/api/v1/labels/${printed.id}/reprint`, { body: { reason: 'torn' }, user: 'li' });
  assert.equal(again.status, 201);
  assert.equal(again.json.reprint_of, printed.id);
  assert.equal(again.json.requested_by, 'li');
  assert.equal((await call('POST', `/api/v1/labels/${again.json.id}/reprint`, { body: { reason: 'x' }, user: 'li' })).status, 409);
  // Only labels a printer left uncertain wait for a check.
  assert.equal((await call('POST', `/api/v1/labels/${printed.id}/checked`, { body: { printed: true }, user: 'li' })).status, 409);
  assert.equal((await call('POST', `/api/v1/labels/${printed.id}/checked`, { body: { printed: 'yes' }, user: 'li' })).status, 400);
  assert.equal((await call('POST', `/api/v1/labels/${printed.id}/checked`, { body: { printed: true } })).status, 403);
  assert.equal((await call('POST', '/api/v1/labels/999999/checked', { body: { printed: true }, user: 'li' })).status, 404);
  const pdf = await callRaw('GET', `/api/v1/parcels/${printed.parcel_id}/labels/preview`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
  const png = await callRaw('GET', `/api/v1/parcels/${printed.parcel_id}/labels/preview?format=png&kind=packing_list`);
  assert.equal(png.type, 'image/png');
  assert.equal(png.bytes.subarray(1, 4).toString(), 'PNG');
  assert.equal((await call('GET', `/api/v1/parcels/${printed.parcel_id}/labels/preview?format=gif`)).status, 400);
  assert.equal((await call('GET', `/api/v1/parcels/${printed.parcel_id}/labels/preview?format=png&page=9`)).status, 404);
  assert.equal((await call('GET', '/api/v1/parcels/1/labels/preview?kind=sticker')).status, 400);
});

test('returns: scan, check-in, search, match; the outbox and its health', async () => {
  let parcel;
  await waitFor(async () => {
    parcel = (await (await get('/api/v1/parcels?state=printed')).json()).parcels[0];
    return parcel;
  }, 'a parcel to print');
  const code = `R${parcel.id}`;
  const scanned = await call('GET', `/api/v1/returns/scan/${code}`);
  assert.equal(scanned.status, 200);
  assert.equal(scanned.json.parcel_id, parcel.id);
  const line = scanned.json.lines[0];
  assert.equal((await call('GET', '/api/v1/returns/scan/NOPE123')).status, 404);
  assert.equal((await call('GET', '/api/v1/returns/scan/bad%20code!')).status, 400);
  const form = { code, condition: 'damaged', request_key: 'contract-1',
    lines: [{ oid: line.oid, action: 'return', quantity: line.quantity, reason_code: 9, reason: '不喜欢 🙅' }] };
  assert.equal((await call('POST', '/api/v1/returns', { body: form, user: null })).status, 401, 'nobody logged in');
  assert.equal((await call('POST', '/api/v1/returns', { body: form })).status, 403, 'a picker does not check returns in');
  const tooMany = await call('POST', '/api/v1/returns', {
    body: { ...form, request_key: 'contract-2', lines: [{ ...form.lines[0], quantity: line.quantity + 1 }] }, user: 'wang' });
  assert.equal(tooMany.status, 400);
  assert.match(tooMany.json.message, /lines\[0\]\.quantity/);
  const made = await call('POST', '/api/v1/returns', { body: form, user: 'wang' });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  assert.equal(made.json.state, 'identified');
  assert.equal(made.json.lines[0].reason, '不喜欢 🙅');
  const twice = await call('POST', '/api/v1/returns', { body: form, user: 'wang' });
  assert.equal(twice.json.id, made.json.id, 'a double submit answers the first check-in');
  const unknown = await call('POST', '/api/v1/returns', { body: { code: 'YT900001', courier: 'YTO' }, user: 'wang' });
  assert.equal(unknown.status, 404);
  const loose = await call('POST', '/api/v1/returns', { body: { code: 'YT900001', courier: 'YTO', unidentified: true }, user: 'wang' });
  assert.equal(loose.status, 201);
  assert.equal(loose.json.state, 'unidentified');
  const search = await call('GET', '/api/v1/returns?state=unidentified&courier=YTO&waybill_no=YT900001');
  assert.deepEqual(search.json.returns.map((r) => r.id), [loose.json.id]);
  assert.equal((await call('GET', '/api/v1/returns?state=lost')).status, 400);
  const page = await call('GET', '/api/v1/returns?limit=1');
  assert.equal(page.json.returns.length, 1);
  assert.equal((await call('GET', `/api/v1/returns?before_id=${page.json.next_before_id}`)).json.returns[0].id, made.json.id);
  assert.equal((await call('GET', `/api/v1/returns/${made.json.id}`)).json.slips[0], made.json.slips[0]);
  assert.equal((await call('GET', '/api/v1/returns/999999')).status, 404);
  assert.equal((await call('GET', '/api/v1/returns/x')).status, 400);
  // The form's line came back in full already: matching the loose parcel to it is refused.
  const refused = await call('POST', `/api/v1/returns/${loose.json.id}/match`, { body: form, user: 'li' });
  assert.equal(refused.status, 400);
  const matched = await call('POST', `/api/v1/returns/${loose.json.id}/match`, { body: { code }, user: 'li' });
  assert.equal(matched.status, 200, JSON.stringify(matched.json));
  assert.equal(matched.json.slips.length, 2);
  // The same match again (its answer lost) answers the same return; another person's is a conflict.
  const again = await call('POST', `/api/v1/returns/${loose.json.id}/match`, { body: { code }, user: 'li' });
  assert.equal(again.status, 200);
  assert.deepEqual(again.json.slips, matched.json.slips);
  assert.equal((await call('POST', `/api/v1/returns/${loose.json.id}/match`, { body: { code }, user: 'zhao' })).status, 409);
  assert.equal((await call('POST', '/api/v1/returns/999999/match', { body: { code }, user: 'li' })).status, 404);
  const outbox = await call('GET', '/api/v1/aftersale/outbox');
  assert.equal(outbox.json.backlog, 3, 'no service module here: the slips wait');
  assert.equal(outbox.json.channel, null);
  assert.equal((await call('GET', '/healthz')).json.aftersale.backlog, 3);
});

test('identity: logins, the session, CSRF, users, tokens and the audit log', async () => {
  // A wrong password is a 401 that does not say which part was wrong; five more and the
  // name waits (429, Retry-After) before any password is checked.
  const wrong = await login('ghost', 'not the password');
  assert.equal(wrong.status, 401);
  let throttled;
  for (let i = 0; i < 6 && !throttled; i++) {
    const r = await login('ghost', 'not the password');
    if (r.status === 429) throttled = r;
  }
  assert.ok(throttled, 'the sixth wrong password waits');
  assert.ok(Number(throttled.headers.get('retry-after')) > 0);
  assert.equal((await login('boss', 'wrong password!!')).status, 401);

  const me = await call('GET', '/api/v1/session', { user: 'li' });
  assert.equal(me.status, 200);
  assert.deepEqual(me.json.roles, ['packer', 'customer_service']);
  assert.equal(me.json.csrf, sessions.li.csrf);
  assert.equal((await call('GET', '/api/v1/session', { user: null })).status, 401);

  // A POST of a session without its CSRF token, or with another session's, changes nothing.
  const noCsrf = await call('POST', '/api/v1/stock/TX-1188-21/adjust',
    { body: { delta: 1, reason: 'x' }, user: null, headers: { Cookie: sessions.boss.cookie } });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.json.code, 'csrf');
  const forged = await call('POST', '/api/v1/stock/TX-1188-21/adjust', { body: { delta: 1, reason: 'x' },
    user: null, headers: { Cookie: sessions.boss.cookie, 'X-CSRF-Token': sessions.li.csrf } });
  assert.equal(forged.json.code, 'csrf');

  // Users: an admin adds one, who logs in; a packer may not list them.
  assert.equal((await call('GET', '/api/v1/users', { user: 'li' })).status, 403);
  const users = await call('GET', '/api/v1/users', { user: 'root' });
  assert.ok(users.json.users.some((u) => u.name === 'alice' && u.roles[0] === 'reviewer'));
  const added = await call('POST', '/api/v1/users', { body: { name: '王芳', roles: ['packer'], password }, user: 'root' });
  assert.equal(added.status, 200);
  assert.equal((await call('POST', '/api/v1/users', { body: { name: '王芳', roles: ['packer'], password }, user: 'root' })).status, 409);
  assert.equal((await call('POST', '/api/v1/users', { body: { name: 'x', roles: ['boss'], password }, user: 'root' })).status, 400);
  assert.equal((await login('王芳')).status, 200);
  const promoted = await call('POST', `/api/v1/users/${encodeURIComponent('王芳')}`, { body: { roles: ['packer', 'picker'] }, user: 'root' });
  assert.deepEqual(promoted.json.roles, ['packer', 'picker']);
  assert.equal((await call('GET', '/api/v1/session', { user: '王芳' })).status, 401, 'new roles end the session');
  // A person changes their own password: the current one is asked; their other sessions end
  // and this one is replaced.
  assert.equal((await login('王芳')).status, 200);
  const elsewhere = { ...sessions['王芳'] };
  assert.equal((await login('王芳')).status, 200);
  const change = (body) => call('POST', '/api/v1/session/password', { body, user: '王芳' });
  const wrongCurrent = await change({ current: 'not my password', password: 'a new passphrase 新' });
  assert.equal(wrongCurrent.status, 403);
  assert.equal(wrongCurrent.json.code, 'wrong_password');
  assert.equal((await change({ current: password, password: 'short' })).status, 400);
  assert.equal((await change({ current: password, password })).status, 400, 'the same password');
  const changed = await change({ current: password, password: 'a new passphrase 新' });
  assert.equal(changed.status, 200);
  sessions['王芳'] = { cookie: changed.headers.get('set-cookie').split(';')[0], csrf: changed.json.csrf };
  assert.equal((await call('GET', '/api/v1/session', { user: '王芳' })).status, 200, 'this browser stays logged in');
  sessions.elsewhere = elsewhere;
  assert.equal((await call('GET', '/api/v1/session', { user: 'elsewhere' })).status, 401, 'the other session ended');
  assert.equal((await login('王芳')).status, 401, 'the old password is gone');
  assert.equal((await login('王芳', 'a new passphrase 新')).status, 200);
  assert.equal((await call('POST', '/api/v1/users/nobody', { body: { disabled: true }, user: 'root' })).status, 404);
  assert.equal((await call('POST', '/api/v1/users/root', { body: { disabled: true }, user: 'root' })).status, 409);
  assert.equal((await call('POST', '/api/v1/users/root', { body: {}, user: 'root' })).status, 400);

  // Tokens: shown once, used as a bearer without CSRF, refused once revoked.
  const token = await call('POST', '/api/v1/tokens', { body: { name: 'cs-module', role: 'customer_service' }, user: 'root' });
  assert.equal(token.status, 200);
  assert.equal((await call('POST', '/api/v1/tokens', { body: { name: 'cs-module', role: 'packer' }, user: 'root' })).status, 409);
  const bearer = { Authorization: `Bearer ${token.json.token}` };
  const asToken = await call('GET', '/api/v1/session', { user: null, headers: bearer });
  assert.equal(asToken.json.user, 'token:cs-module');
  const followed = await call('POST', '/api/v1/tracking/returns',
    { body: { courier: 'ZTO', waybill_no: 'R777' }, user: null, headers: bearer });
  assert.equal(followed.status, 200);
  const tokens = await call('GET', '/api/v1/tokens', { user: 'root' });
  const listed = tokens.json.tokens.find((t) => t.name === 'cs-module');
  assert.ok(listed.last_used_at, 'its use is recorded');
  assert.equal(listed.token, undefined, 'never shown again');
  assert.equal((await call('POST', '/api/v1/tokens/cs-module/revoke', { user: 'root' })).status, 200);
  assert.equal((await call('POST', '/api/v1/tokens/nope/revoke', { user: 'root' })).status, 404);
  assert.equal((await call('GET', '/api/v1/session', { user: null, headers: bearer })).status, 401);

  // The audit log: who logged in and failed, what the token changed, filtered.
  const failed = await call('GET', '/api/v1/audit?action=login.failed', { user: 'boss' });
  assert.ok(failed.json.entries.some((e) => e.actor === 'ghost'));
  const byToken = await call('GET', '/api/v1/audit?actor=token:cs-module', { user: 'boss' });
  assert.deepEqual(byToken.json.entries.map((e) => e.action), ['tracking.follow_return']);
  assert.equal(byToken.json.entries[0].target, 'POST /api/v1/tracking/returns');
  const approvals = await call('GET', '/api/v1/audit?action=parcel.approve', { user: 'boss' });
  assert.ok(approvals.json.entries.some((e) => e.actor === 'alice' && /\/approve$/.test(e.target)));
  const parked = await call('GET', '/api/v1/audit?action=parcel.park', { user: 'boss' });
  assert.equal(parked.json.entries.find((e) => e.actor === 'alice')?.detail, '缺货 🙏', 'the reason is kept');
  assert.equal((await call('GET', '/api/v1/audit?from=yesterday', { user: 'boss' })).status, 400);
  assert.equal((await call('GET', '/api/v1/audit', { user: 'li' })).status, 403);

  // Logging out ends the session; the cookie is cleared.
  assert.equal((await login('王芳', 'a new passphrase 新')).status, 200);
  const out = await call('POST', '/api/v1/session/logout', { user: '王芳' });
  assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
  assert.equal((await call('GET', '/api/v1/session', { user: '王芳' })).status, 401);
});

test('customer service: a parcel found from a tid, a serial, a buyer, a receiver and phone, a tracking number', async () => {
  const { parcels } = (await call('GET', '/api/v1/parcels?limit=1')).json;
  const detail = (await call('GET', `/api/v1/parcels/${parcels[0].id}`)).json;
  const byTid = await call('GET', `/api/v1/search?q=${detail.tids[0]}`, { user: 'cs' });
  assert.equal(byTid.status, 200);
  assert.equal(byTid.json.matches[0].parcel_id, detail.id);
  assert.equal(byTid.json.matches[0].matched_by, 'tid');
  const bySerial = await call('GET', `/api/v1/search?q=${detail.serial}`, { user: 'cs' });
  assert.deepEqual(bySerial.json.matches.map((m) => m.parcel_id), [detail.id]);
  const byBuyer = await call('GET', `/api/v1/search?q=${encodeURIComponent(detail.buyer_nick)}`, { user: 'cs' });
  assert.ok(byBuyer.json.matches.some((m) => m.parcel_id === detail.id && m.matched_by === 'buyer'));
  const order = (await call('GET', `/api/v1/orders/${detail.tids[0]}`)).json;
  const phone = order.receiver_mobile || order.receiver_phone;
  const q = encodeURIComponent(`${order.receiver_name} ${phone.slice(-4)}`);
  const byReceiver = await call('GET', `/api/v1/search?q=${q}`, { user: 'cs' });
  assert.ok(byReceiver.json.matches.some((m) => m.parcel_id === detail.id && m.matched_by === 'receiver'));
  const wrongPhone = encodeURIComponent(`${order.receiver_name} ${phone.slice(-4) === '0000' ? '1111' : '0000'}`);
  assert.deepEqual((await call('GET', `/api/v1/search?q=${wrongPhone}`, { user: 'cs' })).json.matches, []);
  let shipped;
  await waitFor(async () => {
    shipped = (await (await get('/api/v1/parcels?state=printed&limit=1')).json()).parcels[0];
    return shipped;
  }, 'a parcel with a waybill');
  const waybill = (await call('GET', `/api/v1/parcels/${shipped.id}/waybill`)).json;
  const number = waybill.waybills.find((w) => w.waybill_no).waybill_no;
  const byNumber = await call('GET', `/api/v1/search?q=${number}`, { user: 'cs' });
  assert.equal(byNumber.json.matches[0]?.parcel_id, shipped.id, JSON.stringify(waybill));
  assert.equal((await call('GET', '/api/v1/search?q=', { user: 'cs' })).status, 400);
  assert.equal((await call('GET', '/api/v1/search?q=x&colour=red', { user: 'cs' })).status, 400);
  assert.equal((await call('GET', '/api/v1/search?q=x', { user: null })).status, 401);
});

test('pack station: find, take, verify by scanning (wrong item, one too many), short, weigh, pack; STOP', async () => {
  let parcel;
  await waitFor(async () => {
    parcel = (await (await get('/api/v1/parcels?state=printed&limit=50')).json()).parcels
      .find((p) => p.id !== undefined);
    return parcel;
  }, 'a printed parcel');
  const found = await call('GET', `/api/v1/pack/${parcel.serial}`, { user: 'li' });
  assert.equal(found.status, 200);
  assert.equal(found.json.parcel_id, parcel.id);
  assert.equal((await call('GET', '/api/v1/pack/D99999999999', { user: 'li' })).status, 404);
  assert.equal((await call('GET', `/api/v1/pack/${parcel.serial}`, { user: 'viewer' })).status, 403, 'a picker does not pack');
  const station = { station: '打包台1' };
  const started = await call('POST', `/api/v1/pack/${parcel.id}/start`, { body: station, user: 'li' });
  assert.equal(started.status, 200);
  assert.equal(started.json.station, '打包台1');
  const other = await call('POST', `/api/v1/pack/${parcel.id}/start`, { body: { station: '打包台2' }, user: 'wang' });
  assert.equal(other.status, 409);
  assert.equal(other.json.code, 'held_elsewhere');
  assert.match(other.json.message, /打包台1 \(li\)/);
  const scan = (barcode, user = 'li') => call('POST', `/api/v1/pack/${parcel.id}/scan`, { body: { ...station, barcode }, user });
  assert.equal((await scan('NO-SUCH-ITEM')).json.code, 'unknown_barcode');
  const line = found.json.lines[0];
  const stranger = ['TX-1188-21', 'WJ-3320-31', 'MY-2601/12'].find((sku) => !found.json.lines.some((l) => l.sku === sku));
  if (stranger) {
    const wrong = await scan(stranger);
    assert.equal(wrong.status, 409);
    assert.equal(wrong.json.code, 'wrong_item');
  }
  let view;
  for (let i = 0; i < line.expected; i++) view = (await scan(line.sku)).json;
  assert.equal(view.lines[0].verified, line.expected);
  const over = await scan(line.sku);
  assert.equal(over.json.code, 'over_scan');
  assert.equal(over.json.parcel.lines[0].verified, line.expected, 'an over-scan changes nothing');
  const early = await call('POST', `/api/v1/pack/${parcel.id}/done`, { body: { ...station, weight_g: 500 }, user: 'li' });
  if (view.lines.length > 1) assert.equal(early.json.code, 'not_verified');
  for (const l of view.lines.slice(1)) {
    const s = await call('POST', `/api/v1/pack/${parcel.id}/short`, { body: { ...station, oid: l.oid, reason: '缺货 📦' }, user: 'li' });
    assert.equal(s.status, 200);
  }
  assert.equal((await call('POST', `/api/v1/pack/${parcel.id}/short`, { body: { ...station, oid: '1', reason: 'x' }, user: 'li' })).status, 400);
  assert.equal((await call('POST', `/api/v1/pack/${parcel.id}/done`, { body: { ...station, weight_g: 0 }, user: 'li' })).status, 400);
  const done = await call('POST', `/api/v1/pack/${parcel.id}/done`, { body: { ...station, weight_g: 850 }, user: 'li' });
  assert.equal(done.status, 200, JSON.stringify(done.json));
  assert.equal(done.json.state, 'packed');
  assert.equal(done.json.weight_g, 850);
  assert.equal((await call('POST', `/api/v1/pack/${parcel.id}/start`, { body: station, user: 'li' })).json.code, 'packed');
  const audit = await call('GET', '/api/v1/audit?action=pack.done', { user: 'boss' });
  assert.equal(audit.json.entries[0].actor, 'li');
  // An intercepted parcel is a STOP, whatever the step.
  const stopped = (await (await get('/api/v1/parcels?state=intercepted&limit=1')).json()).parcels[0];
  if (stopped) {
    const stop = await call('POST', `/api/v1/pack/${stopped.id}/start`, { body: station, user: 'li' });
    assert.equal(stop.status, 409);
    assert.equal(stop.json.code, 'stop');
    assert.ok(stop.json.parcel.stop);
  }
});

test('picking: a wave of waiting parcels, its walk, ticks, short lines, done; the PDF; best sellers', async () => {
  // Two more parcels approved: the earlier tests packed what they approved.
  const claim = await call('POST', '/api/v1/review/claim', { body: { n: 2 }, user: 'alice' });
  for (const p of claim.json.parcels)
    assert.equal((await call('POST', `/api/v1/parcels/${p.id}/approve`, { body: { version: p.version }, user: 'alice' })).status, 200);
  assert.equal((await call('POST', '/api/v1/waves', { body: { size: 5 }, user: 'li' })).status, 403, 'a packer does not make waves');
  assert.equal((await call('POST', '/api/v1/waves', { body: { size: 0 } })).status, 400);
  assert.equal((await call('POST', '/api/v1/waves', { body: { size: 'many' } })).status, 400);
  const made = await call('POST', '/api/v1/waves', { body: { size: 200 } });
  assert.equal(made.status, 201);
  const wave = made.json;
  assert.ok(wave.parcels.length >= 1 && wave.lines.length >= 1);
  assert.deepEqual(wave.parcels.map((p) => p.slot), wave.parcels.map((_, i) => i + 1));
  assert.equal((await call('POST', '/api/v1/waves', { body: {} })).status, 404, 'every waiting parcel is in a wave');
  assert.equal((await call('GET', `/api/v1/waves/${wave.id}`)).json.id, wave.id);
  assert.equal((await call('GET', '/api/v1/waves/999999')).status, 404);
  assert.ok((await call('GET', '/api/v1/waves')).json.waves.some((w) => w.id === wave.id));
  const pdf = await callRaw('GET', `/api/v1/waves/${wave.id}/pdf`);
  assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
  const unfinished = await call('POST', `/api/v1/waves/${wave.id}/done`, { body: {} });
  assert.equal(unfinished.status, 409);
  assert.match(unfinished.json.message, new RegExp(wave.lines[0].sku));
  const pick = (body, user = 'viewer') => call('POST', `/api/v1/waves/${wave.id}/pick`, { body, user });
  assert.equal((await pick({ sku: 'NOPE', picked: 1 })).status, 400);
  assert.equal((await pick({ sku: wave.lines[0].sku, picked: wave.lines[0].quantity + 1 })).status, 400);
  assert.equal((await pick({ sku: wave.lines[0].sku, picked: 1 }, 'li')).status, 403);
  for (const [i, l] of wave.lines.entries()) {
    const r = i === 0 ? await pick({ sku: l.sku, picked: 0, short_reason: '库位空了 📦' }) : await pick({ sku: l.sku, picked: l.quantity });
    assert.equal(r.status, 200);
  }
  const done = await call('POST', `/api/v1/waves/${wave.id}/done`, { body: {} });
  assert.equal(done.status, 200);
  assert.equal(done.json.state, 'picked');
  assert.equal(done.json.lines[0].short_reason, '库位空了 📦');
  assert.equal((await pick({ sku: wave.lines[1]?.sku ?? wave.lines[0].sku, picked: 0 })).status, 409);
  const audit = await call('GET', '/api/v1/audit?action=wave.done', { user: 'boss' });
  assert.equal(audit.json.entries[0].actor, 'viewer');
  const best = await call('GET', '/api/v1/picking/best-sellers?limit=5');
  assert.equal(best.status, 200);
  assert.equal((await call('GET', '/api/v1/picking/best-sellers?limit=0')).status, 400);
  assert.equal((await call('GET', '/api/v1/picking/best-sellers?limt=5')).status, 400, 'a typo is named');
  assert.equal((await call('GET', '/api/v1/waves?state=open')).status, 400);
});

test('reports: throughput per hour and courier quality, for supervisors', async () => {
  const hours = await call('GET', '/api/v1/reports/throughput?hours=6', { user: 'boss' });
  assert.equal(hours.status, 200);
  assert.equal(hours.json.hours.length, 6);
  const now = hours.json.hours[5];
  assert.ok(now.reviewed >= 1, 'the parcels approved in these tests count this hour');
  assert.ok(now.packed >= 1, 'and the one packed');
  assert.equal((await call('GET', '/api/v1/reports/throughput?hours=0', { user: 'boss' })).status, 400);
  assert.equal((await call('GET', '/api/v1/reports/throughput?hour=3', { user: 'boss' })).status, 400);
  assert.equal((await call('GET', '/api/v1/reports/throughput', { user: 'li' })).status, 403);
  const couriers = await call('GET', '/api/v1/reports/couriers?days=7', { user: 'boss' });
  assert.equal(couriers.status, 200);
  assert.equal(couriers.json.days, 7);
  assert.equal((await call('GET', '/api/v1/reports/couriers?days=91', { user: 'boss' })).status, 400);
});

test('reminders: unpaid orders become IM tasks; outcomes, the never-again list, texts checked, the summary and ledger as CSV, planning', async () => {
  dropUnpaidOrders(path.join(daemon.dir, 'inbox'), 'unpaid.csv', [
    { tid: '5900000000000000010', buyer: '犹豫的买家', name: '欧阳娜娜', mobile: '13900001111', yuan: '688.00', minutesAgo: 20 },
    { tid: '5900000000000000020', buyer: '犹豫的买家', name: '欧阳娜娜', mobile: '13900001111', yuan: '12.00', minutesAgo: 19 },
    { tid: '5900000000000000030', buyer: '生气的买家', mobile: '13900002222', yuan: '99.00', minutesAgo: 18 },
  ]);
  let tasks;
  await waitFor(async () => {
    tasks = (await call('GET', '/api/v1/reminder-tasks?channel=im', { user: 'cs' })).json.tasks;
    return tasks.length === 2;
  }, 'two IM tasks (one per buyer)');
  const big = tasks.find((t) => t.buyer_nick === '犹豫的买家');
  assert.equal(big.amount.fen, 70000, 'the two trades of one buyer are one reminder with the sum');
  assert.equal(big.big, true);
  assert.equal(tasks[0].buyer_nick, '犹豫的买家', 'big first');
  assert.match(big.script, /欧阳娜娜/);
  assert.equal(big.reasons.length, 4);
  assert.equal((await call('GET', '/api/v1/reminder-tasks?channel=sms', { user: 'cs' })).status, 400);
  assert.equal((await call('GET', '/api/v1/reminder-tasks?chanel=im', { user: 'cs' })).status, 400);
  assert.equal((await call('GET', '/api/v1/reminder-tasks', { user: 'wang' })).status, 403, 'a packer does not remind');
  const outcome = (id, body) => call('POST', `/api/v1/reminder-tasks/${id}/outcome`, { body, user: 'cs' });
  assert.equal((await outcome(big.id, { outcome: 'maybe' })).status, 400);
  assert.equal((await outcome(big.id, { outcome: 'no_answer' })).status, 400, 'not an IM outcome');
  assert.equal((await outcome(big.id, { outcome: 'replied', reason: 'cheap' })).status, 400);
  assert.equal((await outcome(999999, { outcome: 'replied' })).status, 404);
  const done = await outcome(big.id, { outcome: 'replied', reason: 'price', note: '嫌邮费贵，答应晚上付 🙏' });
  assert.equal(done.status, 200);
  assert.equal(done.json.reason, 'price');
  assert.equal(done.json.staff, 'cs');
  assert.deepEqual(done.json.tids, ['5900000000000000010', '5900000000000000020']);
  assert.ok(done.json.notes.some((n) => /嫌邮费贵/.test(n.text)));
  assert.equal(done.json.writebacks[0].state, 'pending', 'the memo waits for the platform');
  assert.equal((await outcome(big.id, { outcome: 'replied' })).status, 409, 'recorded once');
  const angry = tasks.find((t) => t.buyer_nick === '生气的买家');
  assert.equal((await outcome(angry.id, { outcome: 'angry' })).json.state, 'refused');
  const buyers = await call('GET', '/api/v1/reminder-buyers', { user: 'cs' });
  assert.ok(buyers.json.buyers.some((b) => b.buyer_nick === '生气的买家' && b.never_again));
  const set = await call('POST', '/api/v1/reminder-buyers', { body: { shop: 'demo', buyer_nick: '敏感买家', sensitive: true, note: '投诉过' }, user: 'cs' });
  assert.equal(set.status, 200);
  assert.equal((await call('POST', '/api/v1/reminder-buyers', { body: { shop: 'demo', buyer_nick: '', sensitive: true }, user: 'cs' })).status, 400);
  assert.equal((await call('POST', '/api/v1/reminder-buyers', { body: { shop: 'demo', buyer_nick: 'x', sensitive: 'yes' }, user: 'cs' })).status, 400);
  const list = await call('GET', '/api/v1/reminders?state=open', { user: 'cs' });
  assert.ok(list.json.reminders.some((r) => r.id === big.reminder_id));
  assert.equal((await call('GET', '/api/v1/reminders?state=lost', { user: 'cs' })).status, 400);
  assert.equal((await call('GET', `/api/v1/reminders/${big.reminder_id}`, { user: 'cs' })).json.id, big.reminder_id);
  assert.equal((await call('GET', '/api/v1/reminders/999999', { user: 'cs' })).status, 404);

  const templates = await call('GET', '/api/v1/reminder-templates', { user: 'cs' });
  assert.ok(templates.json.templates.filter((t) => t.channel === 'sms').every((t) => t.problem === null && t.parts === 1));
  const save = (name, body, user = 'boss') => call('POST', `/api/v1/reminder-templates/${name}`, { body, user });
  assert.equal((await save('sms-9', { channel: 'sms', body: '{$顾客姓名$}：{$商品名称$}还没付款' }, 'cs')).status, 403);
  const unknown = await save('sms-9', { channel: 'sms', body: '{$买家$}您的{$商品名称$}还没付款' });
  assert.equal(unknown.status, 400);
  assert.match(unknown.json.message, /unknown placeholder \{\$买家\$\}/);
  const long = await save('sms-9', { channel: 'sms', body: '{$顾客姓名$}您好，' + '您拍下的宝贝还没有付款哦，'.repeat(4) + '{$商品名称$}' });
  assert.equal(long.status, 400);
  assert.match(long.json.message, /billed as 2 messages/);
  assert.equal((await save('sms-9', { channel: 'sms', body: '{$顾客姓名$}：您拍的{$商品名称$}还没付款哦' })).status, 200);

  const summary = await call('GET', '/api/v1/reports/reminders', { user: 'boss' });
  assert.equal(summary.status, 200);
  assert.equal(summary.json.total.customers, 2);
  assert.equal(summary.json.total.unpaid.fen, 70000 + 9900);
  assert.equal(summary.json.total.customers_responding, 2);
  assert.deepEqual(summary.json.reasons, [{ reason: 'price', reminders: 1 }]);
  assert.equal((await call('GET', '/api/v1/reports/reminders', { user: 'cs' })).status, 403);
  assert.equal((await call('GET', '/api/v1/reports/reminders?from=2026-13-01', { user: 'boss' })).status, 400);
  assert.equal((await call('GET', '/api/v1/reports/reminders?format=xls', { user: 'boss' })).status, 400);
  const csv = await callRaw('GET', '/api/v1/reports/reminders?format=csv', 'boss');
  const gb = new TextDecoder('gb18030').decode(csv.bytes);
  assert.match(gb, /^日期,处理人员,催款数,回单数/);
  assert.match(gb, /,cs,2,0,/);
  const ledger = await callRaw('GET', '/api/v1/reports/reminder-ledger?format=csv&encoding=utf-8', 'boss');
  assert.deepEqual([...ledger.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark for Excel');
  assert.match(ledger.bytes.toString('utf8'), /犹豫的买家,700\.00,跟进中,否/);
  assert.equal((await call('GET', '/api/v1/reports/reminder-ledger', { user: 'boss' })).json.lines.length, 2);

  const plan = await call('GET', '/api/v1/planning?orders=5000&unpaid_percent=15', { user: 'boss' });
  assert.equal(plan.json.reminder_staff, 2.5);  // domain §4: 5,000 × 15 % ÷ 300
  assert.equal(plan.json.reminder_staff_needed, 3);
  assert.equal(plan.json.packers_needed, 13);
  assert.equal((await call('GET', '/api/v1/planning?orders=-1', { user: 'boss' })).status, 400);
  const measured = await call('GET', '/api/v1/planning', { user: 'boss' });
  assert.match(measured.json.unpaid_rate_source, /measured/);
});

test('every documented operation was exercised', () => {
  const ops = [];
  for (const [template, item] of Object.entries(spec.paths))
    for (const method of ['get', 'post'])
      if (item[method]) ops.push(`${method.toUpperCase()} ${template}`);
  const seen = new Set([...checked].map((c) => c.split(' ').slice(0, 2).join(' ')));
  const missing = ops.filter((o) => !seen.has(o));
  assert.deepEqual(missing, []);
});
