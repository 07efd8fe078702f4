// The staff web UI in a real browser: Debian's Chromium (headless, no network beyond
// loopback) driven by playwright-core against the real daemon. Each test acts as the person
// it names, by keyboard where the page is meant to be used so; screenshots are saved to
// FULFIL_ARTIFACTS (default build/test-artifacts/ui) for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { dropUnpaidOrders, source, startDaemon, waitFor } from '../support/fulfild_daemon.mjs';

const password = 'correct horse battery 电池';
const artifacts = process.env.FULFIL_ARTIFACTS ?? path.join(source, 'build/test-artifacts/ui');
let daemon, browser;
// The stock file's barcodes: what the items carry and the pack station scans.
const barcodes = { 'DY-7788-03': '6900000000011', 'MY-2601-12': '6900000000028', 'NZ-0721-22': '6900000000035',
  'TX-1188-21': '6900000000042', 'WJ-3320-00': '6900000000059', 'WJ-3320-31': '6900000000066',
  'WZ-0035-00': '6900000000073', 'XZ-5566-43': '6900000000080', 'YR-9001-12': '6900000000097' };
const stockCsv = 'sku,on_hand,location,barcode\n' +
  Object.entries(barcodes).map(([sku, code], i) => `${sku},100,A-0${i + 1}-1,${code}`).join('\n') + '\n';

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  daemon = await startDaemon({
    password,
    files: { 'stock.csv': stockCsv },
    prepare: [['stock', 'load', '${dir}/stock.csv'], ['waybill', 'pool', 'import', 'ZTO', '--range', '75100000000001-75100000000100']],
    staff: { alice: 'reviewer', han: 'problem_handler', root: 'admin', li: 'packer', pi: 'picker', sue: 'supervisor', cs: 'customer_service' },
    config: `
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
auto_approve = false
[[review.slices]]
name = "all"
reviewers = ["alice"]
[shipping]
interval_seconds = 1
confirm_at = "packed"
[[shipping.couriers]]
code = "ZTO"
share = 100
[printing]
interval_seconds = 1
[[printing.printers]]
name = "zebra"
language = "zpl"
folder = "\${dir}/labels"
station = "打包台3"
[reminders]
interval_seconds = 5
phone_quiet = []
`,
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  daemon?.stop();
});

async function page(viewport = { width: 1366, height: 768 }) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN',
    permissions: ['clipboard-read', 'clipboard-write'] });
  const p = await context.newPage();
  p.on('pageerror', (e) => { throw e; });
  await p.goto(daemon.base + '/');
  return p;
}

async function login(p, user, pw = password) {
  await p.getByLabel('用户名').fill(user);
  await p.getByLabel('密码').fill(pw);
  await p.keyboard.press('Enter');
}

const shot = (p, name) => p.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

test('log in: Chinese by default, a wrong password said plainly, English switchable', async () => {
  const p = await page();
  await assert.doesNotReject(p.getByRole('button', { name: '登录' }).waitFor());
  await login(p, 'alice', 'wrong password!');
  await p.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
  await shot(p, 'login-wrong-password');
  await login(p, 'alice');
  await p.getByRole('link', { name: '审单' }).waitFor();
  await p.getByRole('button', { name: 'English' }).click();
  await p.getByRole('link', { name: 'Review' }).waitFor();
  await p.getByRole('button', { name: '中文' }).click();
  await p.close();
});

test('review: claim the next batch, approve by keyboard, park with a reason', async () => {
  // The sample's trades reach review.
  await waitFor(async () => {
    const p = await page();
    await login(p, 'alice');
    const ready = await p.locator('.counts td.num').first().textContent({ timeout: 3000 });
    await p.close();
    return Number(ready) >= 3;
  }, 'parcels ready for review', 30000);
  const p = await page();
  await login(p, 'alice');
  await p.getByRole('button', { name: '领取下一批' }).click();
  const card = p.locator('.card');
  await card.waitFor();
  const first = await card.locator('h2').textContent();
  await shot(p, 'review-claimed');
  await p.keyboard.press('a');
  await p.locator('.notice.ok').filter({ hasText: '已审核' }).waitFor();
  assert.notEqual(await card.locator('h2').textContent(), first, 'the next parcel opens');
  await p.keyboard.press('p');
  await p.getByPlaceholder('请填写原因').fill('买家要求改地址 📦');
  await p.keyboard.press('Enter');
  await p.locator('.notice.ok').filter({ hasText: '问题' }).waitFor();
  await shot(p, 'review-parked');
  await p.close();
});

test('problems: a handler releases a parked parcel with a note', async () => {
  const p = await page();
  await login(p, 'han');
  await p.getByRole('link', { name: '问题单' }).waitFor();
  const parked = p.locator('ul.parcels button').filter({ hasText: '买家要求改地址' });
  await parked.click();
  await p.locator('.card').waitFor();
  await shot(p, 'problems');
  await p.locator('.card .actions').getByRole('button', { name: '释放' }).click();
  await p.getByPlaceholder('请填写原因').fill('已联系买家');
  await p.keyboard.press('Enter');
  await p.locator('.notice.ok').filter({ hasText: '待审' }).waitFor();
  await p.close();
});

test('staff: an admin adds a packer, who sees only what a packer may; the audit log shows it', async () => {
  const p = await page();
  await login(p, 'root');
  await p.getByRole('link', { name: '人员' }).click();
  await p.getByLabel('名称').first().fill('王芳');
  await p.locator('form.inline input[name=password]').fill(password);
  await p.getByRole('button', { name: '添加用户' }).click();
  await p.locator('tr[data-user="王芳"]').waitFor();
  await p.getByLabel('名称').nth(1).fill('cs-module');
  await p.locator('select[name=token-role]').selectOption('customer_service');
  await p.getByRole('button', { name: '添加令牌' }).click();
  const token = await p.locator('code.token').textContent();
  assert.match(token, /^fulfil_[0-9a-f]{64}$/);
  await shot(p, 'staff');

  const q = await page({ width: 1280, height: 800 });  // a 10-inch tablet, landscape
  await login(q, '王芳');
  await q.getByRole('link', { name: '打包' }).waitFor();
  assert.deepEqual(await q.locator('header nav a').allTextContents(), ['打包', '我的账号'], 'a packer sees the pack station (and their account) only');
  // The page's own session cannot reach an admin route either.
  const status = await q.evaluate(async () => (await fetch('/api/v1/users')).status);
  assert.equal(status, 403);
  await q.close();

  await p.getByRole('link', { name: '审计日志' }).click();
  await p.locator('table.audit td').filter({ hasText: 'user.add' }).first().waitFor();
  await p.locator('table.audit td').filter({ hasText: 'login.failed' }).first().waitFor();
  await shot(p, 'audit');
  await p.close();
});

test('customer service: a parcel found by its tid, its timeline, its status text copied', async () => {
  const p = await page();
  await login(p, 'cs');
  await p.getByRole('link', { name: '客服' }).waitFor();
  const tid = await p.evaluate(async () => {
    const { parcels } = await (await fetch('/api/v1/parcels?limit=100')).json();
    const reviewed = parcels.find((p) => ['approved', 'waybill', 'printed', 'packed'].includes(p.state));
    return (await (await fetch(`/api/v1/parcels/${reviewed.id}`)).json()).tids[0];
  });
  await p.getByPlaceholder('订单号').fill(tid);
  await p.keyboard.press('Enter');
  await p.locator('ol.timeline li').first().waitFor();
  assert.ok(await p.locator('ol.timeline').filter({ hasText: '已审核' }).count(), 'the approval is in the timeline');
  await p.getByRole('button', { name: '复制状态话术' }).click();
  await p.getByRole('button', { name: '已复制' }).waitFor();
  const copied = await p.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, new RegExp(`订单 ${tid}`));
  await shot(p, 'service');
  // Something nobody bought is said so, not left blank.
  await p.getByPlaceholder('订单号').fill('没有这个人');
  await p.keyboard.press('Enter');
  await p.getByText('没有找到').waitFor();
  await p.close();
});

test('dashboard: a supervisor sees the queues, couriers, printers and shops as charts', async () => {
  const p = await page();
  await login(p, 'sue');
  await p.getByRole('link', { name: '看板' }).click();
  await p.locator('svg.chart rect.bar').first().waitFor();
  // Each tile fills from its own request: wait for it (a slow daemon under ASan answered the
  // shops after the first chart), rather than count what is there at that instant.
  await p.locator('section.tile').filter({ hasText: '包裹状态' }).first().waitFor();
  await p.locator('section.tile').filter({ hasText: '店铺' }).locator('td').filter({ hasText: 'demo' }).first().waitFor();
  const throughput = p.locator('section.tile').filter({ hasText: '每小时产能' });
  await throughput.locator('svg.spark').first().waitFor();
  assert.equal(await throughput.locator('svg.spark').count(), 4, 'review, print, pack, ship');
  await p.locator('section.tile').filter({ hasText: '快递质量' }).waitFor();
  const before = await p.locator('small.updated').textContent();
  await p.waitForFunction((b) => document.querySelector('small.updated').textContent !== b, before, { timeout: 15000 });
  await shot(p, 'dashboard');
  await p.close();
});

test('picking on a tablet: a wave walked in location order, ticked, one stop short, finished; its PDF', async () => {
  const p = await page({ width: 1280, height: 800 });  // a 10-inch tablet, landscape
  await login(p, 'pi');
  await p.getByRole('link', { name: '配货' }).waitFor();
  await waitFor(async () => p.evaluate(async () => {
    for (const state of ['approved', 'waybill', 'printed'])
      if ((await (await fetch(`/api/v1/parcels?state=${state}&limit=1`)).json()).parcels.length) return true;
    return false;
  }), 'an approved parcel', 30000);
  await p.getByRole('button', { name: '建波次' }).click();
  await p.locator('table.pick-lines tbody tr').first().waitFor();
  const rows = p.locator('table.pick-lines tbody tr');
  const locations = await p.locator('table.pick-lines td.loc strong').allTextContents();
  assert.deepEqual(locations, [...locations].sort(), 'the walk follows the locations');
  const skus = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.sku));
  assert.ok(skus.length >= 1);
  // Every stop but the last ticked by touch; the last is short.
  for (const sku of skus.slice(0, -1)) {
    await p.getByRole('button', { name: `已取 ${sku}` }).click();
    await p.locator(`tr[data-sku="${sku}"].done`).waitFor();
  }
  const last = skus[skus.length - 1];
  await p.locator(`tr[data-sku="${last}"]`).getByRole('button', { name: '标记缺货' }).click();
  await p.getByPlaceholder('请填写原因').fill('库位空了 📦');
  await p.keyboard.press('Enter');
  await p.locator(`tr[data-sku="${last}"]`).filter({ hasText: '库位空了 📦' }).waitFor();
  await shot(p, 'pick-wave');
  await p.getByRole('button', { name: '本波次配货完成' }).click();
  await p.locator('.notice.ok').filter({ hasText: '请送打包台' }).waitFor();
  const id = Number((await p.locator('.detail h2').textContent()).match(/\d+/)[0]);
  const pdf = await p.request.get(`${daemon.base}/api/v1/waves/${id}/pdf`);  // the page's cookie
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const bytes = await pdf.body();
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  fs.writeFileSync(path.join(artifacts, 'pick-list.pdf'), bytes);
  await p.close();
});

test('pack station: scan a parcel, its items (a wrong one, one too many), weigh it, pack it; a STOP', async () => {
  const p = await page();
  await login(p, 'li');
  await p.getByRole('link', { name: '打包' }).waitFor();
  await p.getByLabel('工位').fill('打包台3');
  await p.keyboard.press('Enter');
  let parcel;
  await waitFor(async () => {
    parcel = await p.evaluate(async () => (await (await fetch('/api/v1/parcels?state=printed&limit=1')).json()).parcels[0]);
    return parcel;
  }, 'a printed parcel', 30000);
  const lines = await p.evaluate(async (id) => (await (await fetch(`/api/v1/parcels/${id}`)).json()).lines, parcel.id);
  const scan = async (code) => { await p.keyboard.type(code); await p.keyboard.press('Enter'); };
  await scan(parcel.serial);
  await p.locator('table.pack-lines').waitFor();
  for (const l of lines)  // the titles as the buyer ordered them, every character intact
    await p.locator('table.pack-lines td').filter({ hasText: l.title }).waitFor();
  // A wrong item: red, loud, nothing counted.
  const stranger = Object.keys(barcodes).find((sku) => !lines.some((l) => l.sku === sku));
  await scan(barcodes[stranger]);
  await p.locator('.shout.bad').filter({ hasText: '错误商品' }).waitFor();
  await shot(p, 'pack-wrong-item');
  for (const l of lines) for (let i = 0; i < l.num; i++) await scan(barcodes[l.sku]);
  await p.locator('.shout.ok').filter({ hasText: '验货完成' }).waitFor();
  // One too many: caught. The weight field has the focus now; the scanner types there
  // only after a click back into the scan box.
  await p.locator('input.scan').focus();
  await scan(barcodes[lines[0].sku]);
  await p.locator('.shout.warn').filter({ hasText: '多扫了一件' }).waitFor();
  // The waybill reprinted at this station's printer, with a reason.
  await p.getByRole('button', { name: '补打面单' }).click();
  await p.getByPlaceholder('请填写原因').fill('面单被撕坏');
  await p.keyboard.press('Enter');
  await p.locator('.shout.ok').filter({ hasText: '→ zebra' }).waitFor();
  await p.locator('input.weight').focus();
  await p.keyboard.type('850');
  await shot(p, 'pack-verified');
  await p.keyboard.press('Enter');
  await p.locator('.shout.ok').filter({ hasText: '已打包' }).waitFor();
  const after = await p.evaluate(async (id) => (await (await fetch(`/api/v1/parcels/${id}`)).json()).state, parcel.id);
  assert.equal(after, 'packed');
  // An intercepted parcel: STOP over everything.
  const stopped = await p.evaluate(async () => (await (await fetch('/api/v1/parcels?state=intercepted&limit=1')).json()).parcels[0]);
  assert.ok(stopped, 'the sample has an intercepted trade');
  await p.locator('input.scan').focus();
  await scan(stopped.serial);
  await p.locator('.stop-overlay').filter({ hasText: 'STOP' }).waitFor();
  await shot(p, 'pack-stop');
  await p.keyboard.press('Escape');
  await p.locator('.stop-overlay').waitFor({ state: 'hidden' });
  await p.close();
});

test('payment reminders: customer service works a phone task from its script and records the outcome', async () => {
  dropUnpaidOrders(path.join(daemon.dir, 'inbox'), 'unpaid.csv', [
    { tid: '5800000000000000010', buyer: 'tb_犹豫的小王', name: '王小丫', mobile: '13900003333', yuan: '688.00', minutesAgo: 25 * 60,
      title: '冬季加厚羊毛针织开衫女士宽松外套' },
    { tid: '5800000000000000020', buyer: 'tb_夜猫子', name: '李四', mobile: '13900004444', yuan: '268.00', minutesAgo: 25 * 60 + 5 },
  ]);
  const p = await page();
  await login(p, 'cs');
  await p.getByRole('link', { name: '催付' }).click();
  const card = p.locator('section.task').filter({ hasText: 'tb_犹豫的小王' });
  await waitFor(async () => {
    await p.getByRole('button', { name: '电话任务' }).click();
    return (await card.count()) === 1;
  }, 'the call to appear', 30000);
  assert.equal(await p.locator('section.task').first().getAttribute('class'), 'card task big', 'the big order comes first');
  const script = await card.locator('pre.script').textContent();
  assert.match(script, /王小丫/);
  assert.match(script, /688\.00元/);
  assert.match(script, /冬季加厚羊毛针织开衫/);
  assert.match(script, /不再联系/, "the seed's rule for an angry hang-up is in the script");
  await card.getByLabel('价格或邮费疑问').check();
  assert.match(await card.locator('p.hint').textContent(), /性价比/);
  await card.getByLabel('备注').fill('嫌邮费贵，晚上付 🙏');
  await shot(p, 'remind-phone-task');
  await card.getByRole('button', { name: '答应付款' }).click();
  await p.locator('.notice.ok').filter({ hasText: 'tb_犹豫的小王' }).waitFor();
  assert.equal(await card.count(), 0, 'the task is done');
  // The reminder tells what happened, and who did it.
  await p.getByRole('button', { name: '催付记录' }).click();
  await p.locator('ul.parcels button').filter({ hasText: 'tb_犹豫的小王' }).click();
  await p.locator('ol.events li').filter({ hasText: '嫌邮费贵' }).waitFor();
  assert.ok(await p.locator('td').filter({ hasText: '答应付款' }).count());
  await shot(p, 'remind-record');
  await p.close();
});

test('dashboard and planning: the daily summary of reminders as a chart; staff for a Double-11 day', async () => {
  const p = await page();
  await login(p, 'sue');
  await p.getByRole('link', { name: '看板' }).click();
  const tile = p.locator('section.tile').filter({ hasText: '催付（近 7 天）' });
  await tile.locator('svg.spark').waitFor();
  assert.match(await tile.textContent(), /1 \/ 0/, 'one customer reminded, none paid yet');
  assert.ok(await tile.getByRole('link', { name: '催款汇总表（Excel）' }).count());
  await tile.screenshot({ path: path.join(artifacts, 'dashboard-reminders.png') });
  await p.getByRole('link', { name: '排班测算' }).click();
  await p.getByLabel('预计订单').fill('5000');
  await p.getByLabel('未付款 %').fill('15');
  await p.getByRole('button', { name: '计算' }).click();
  const staff = p.locator('section.tile').filter({ hasText: '催付人员' });
  await staff.filter({ hasText: '5000 × 15.0% ÷ 300 = 2.5' }).waitFor();
  assert.equal(await staff.locator('.shout').textContent(), '3');
  await shot(p, 'planning');
  await p.close();
});

test('my account: a packer changes their password; a wrong current one is said plainly', async () => {
  const p = await page();
  await login(p, 'li');
  await p.getByRole('link', { name: '我的账号' }).click();
  await p.getByLabel('当前密码').fill('not my password');
  await p.getByLabel('新密码（至少 10 个字符）').fill('扫码打包 new pass 1');
  await p.getByLabel('再输入一次新密码').fill('扫码打包 new pass 1');
  await p.getByRole('button', { name: '修改密码' }).click();
  await p.getByRole('alert').filter({ hasText: '当前密码不对' }).waitFor();
  await p.getByLabel('当前密码').fill(password);
  await p.getByRole('button', { name: '修改密码' }).click();
  await p.locator('.notice.ok').filter({ hasText: '密码已修改' }).waitFor();
  await shot(p, 'account-password-changed');
  // Still logged in here: the page keeps working with the new session's CSRF token.
  await p.getByRole('link', { name: '打包' }).click();
  await p.getByLabel('工位').fill('打包台9');
  await p.keyboard.press('Enter');
  await p.locator('input.scan').waitFor();
  await p.close();
  const again = await page();
  await login(again, 'li', '扫码打包 new pass 1');
  await again.getByRole('link', { name: '打包' }).waitFor();
  await again.close();
});

test('a session that ended sends the person back to the login, saying so', async () => {
  const p = await page();
  await login(p, 'sue');
  await p.getByRole('link', { name: '审单' }).click();
  await p.getByRole('button', { name: '领取下一批' }).waitFor();
  await p.context().clearCookies();
  await p.getByRole('button', { name: '领取下一批' }).click();
  await p.getByRole('alert').filter({ hasText: '登录已过期' }).waitFor();
  await shot(p, 'session-ended');
  await p.close();
});
