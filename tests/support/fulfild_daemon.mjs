// The real fulfild for the Node tests (API contract, browser): a temp dir with the sample
// orders in a CSV inbox, staff users made with `fulfild user add`, the daemon on a free
// loopback port. No packages needed: the tests that import it bring their own.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const source = process.env.FULFIL_SOURCE_DIR ?? path.resolve(import.meta.dirname, '../..');
export const binary = process.env.FULFILD_BINARY ?? path.join(source, 'build/daemon/fulfild');

export async function waitFor(predicate, what, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await predicate()) return;
    } catch {}
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Starts the daemon on `config` (TOML; ${dir} and ${inbox} are replaced) with `staff`
// ({name: 'role,role'}) all using `password`, after the `prepare` commands (argument lists
// for fulfild, run with the config; `files` are written into the dir first). Returns
// {base, dir, stop}.
export async function startDaemon({ config, staff, password, prepare = [], files = {} }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulfil-node-'));
  const inbox = path.join(dir, 'inbox');
  fs.mkdirSync(inbox);
  const sample = path.join(inbox, 'orders.csv');
  fs.copyFileSync(path.join(source, 'config/examples/orders-sample.csv'), sample);
  const old = new Date(Date.now() - 60000);
  fs.utimesSync(sample, old, old);
  const toml = path.join(dir, 'fulfild.toml');
  fs.writeFileSync(toml, config.replaceAll('${dir}', dir).replaceAll('${inbox}', inbox));
  const pwFile = path.join(dir, 'password');
  fs.writeFileSync(pwFile, password + '\n', { mode: 0o600 });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  for (const args of prepare)
    execFileSync(binary, ['--config', toml, ...args.map((a) => a.replaceAll('${dir}', dir))], { stdio: 'pipe' });
  for (const [user, roles] of Object.entries(staff))
    execFileSync(binary, ['--config', toml, 'user', 'add', user, '--role', roles,
      '--password-file', pwFile], { stdio: 'pipe' });
  const daemon = spawn(binary, ['--config', toml, '--port-file', path.join(dir, 'port'), 'run'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  daemon.stderr.on('data', (d) => { log += d; });
  daemon.on('exit', (code) => { if (code) console.error(log); });
  const portFile = path.join(dir, 'port');
  await waitFor(() => fs.existsSync(portFile) && fs.readFileSync(portFile, 'utf8').trim(), 'the port file');
  const base = `http://127.0.0.1:${fs.readFileSync(portFile, 'utf8').trim()}`;
  await waitFor(async () => (await fetch(base + '/readyz')).status === 200, 'readiness');
  return {
    base, dir, toml,
    stop() {
      daemon.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// "2026-11-11 10:05:00" in Asia/Shanghai for a Date.
export function shanghaiTime(date) {
  return new Date(date.getTime() + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
}

// Unpaid orders (等待买家付款) as the platform's CSV export, placed `minutesAgo` before now:
// rows of {tid, buyer, name, mobile, yuan, minutesAgo, title}. Dropped into `inbox` with an
// old modification time, so the importer takes it at once.
export function dropUnpaidOrders(inbox, file, rows) {
  const header = 'tid,status,created,pay_time,modified,buyer_nick,receiver_name,receiver_mobile,' +
    'receiver_state,receiver_city,receiver_district,receiver_address,payment,oid,outer_sku_id,title,price,num\n';
  const lines = rows.map((r) => {
    const placed = shanghaiTime(new Date(Date.now() - r.minutesAgo * 60e3));
    return [r.tid, 'WAIT_BUYER_PAY', placed, '', placed, r.buyer, r.name ?? r.buyer, r.mobile,
      '上海', '上海市', '浦东新区', '张江路 88 弄 3 号', r.yuan, String(BigInt(r.tid) + 1n), 'MY-2601-12',
      r.title ?? '2026秋冬新款韩版宽松毛衣女', r.yuan, 1].join(',');
  });
  const part = path.join(inbox, file + '.part');
  fs.writeFileSync(part, header + lines.join('\n') + '\n');
  const old = new Date(Date.now() - 60000);
  fs.utimesSync(part, old, old);
  fs.renameSync(part, path.join(inbox, file));
}
