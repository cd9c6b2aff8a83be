// Starts the real server on a fresh data directory and Debian Chromium.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');

async function freePort() {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on('error', fail);
  });
}

/**
 * Starts the server on a fresh data directory. `accounts` are created first
 * with the `create-account` command, as an administrator would. `s3`:
 * evidence files on an S3-compatible server (s3s-fs, from crates.io;
 * `scripts/setup.sh` installs it) started here over `s3/` in that
 * directory, instead of `files/`.
 */
export async function startServer({ demo = true, accounts = [], s3 = false } = {}) {
  const bin = process.env.THIDUA_SERVER_BIN;
  if (!bin) throw new Error('THIDUA_SERVER_BIN is not set (scripts/test.sh sets it)');
  const dir = mkdtempSync(join(tmpdir(), 'thidua-e2e-'));
  const port = await freePort();
  let objects = null;
  const filesEnv = {};
  if (s3) {
    const s3Port = await freePort();
    mkdirSync(join(dir, 's3', 'thidua'), { recursive: true });
    objects = spawn(process.env.THIDUA_S3S_FS || 's3s-fs', ['--host', '127.0.0.1', '--port', String(s3Port),
      '--access-key', 'thidua', '--secret-key', 'bi-mat-thu-nghiem', join(dir, 's3')], { stdio: 'ignore' });
    await new Promise((ok, fail) => {
      const deadline = Date.now() + 20_000;
      const tryOnce = () => {
        const c = net.connect(s3Port, '127.0.0.1', () => { c.end(); ok(); });
        c.on('error', () => (Date.now() > deadline ? fail(new Error('s3s-fs did not start')) : setTimeout(tryOnce, 100)));
      };
      tryOnce();
    });
    Object.assign(filesEnv, { THIDUA_FILES: 's3://thidua', THIDUA_S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      THIDUA_S3_KEY_ID: 'thidua', THIDUA_S3_SECRET: 'bi-mat-thu-nghiem' });
  }
  const db = ['--db-url', `surrealkv://${join(dir, 'db')}`];
  const quiet = { env: { ...process.env, RUST_LOG: 'warn,surrealdb::method::live=error' }, stdio: ['ignore', 'ignore', 'inherit'] };
  if (accounts.length) execFileSync(bin, [...db, 'load-demo'], quiet);
  for (const a of accounts) {
    execFileSync(bin, [...db, 'create-account', '--username', a.username, '--display-name', a.displayName,
      '--role', a.role, '--unit', a.unit], { ...quiet, env: { ...quiet.env, THIDUA_PASSWORD: a.password } });
  }
  let site = process.env.THIDUA_SITE_ROOT || join(root, 'target', 'site');
  const args = () => [...db, '--addr', `127.0.0.1:${port}`, '--site-root', site, ...(demo ? ['--demo'] : [])];
  const base = `http://127.0.0.1:${port}`;
  const run = () => spawn(bin, args(), { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...filesEnv, RUST_LOG: 'warn,surrealdb::method::live=error' } });
  const exited = (p) => new Promise((r) => (p.exitCode !== null ? r() : p.once('exit', r)));
  let proc = run();
  await up(base, () => proc);
  return {
    base,
    /** Its data directory (the store in `db`, evidence files in `files`). */
    dataDir: dir,
    /** Where the evidence files it keeps are, one file each, on a directory
     *  or in the S3 server's bucket. */
    filesDir: s3 ? join(dir, 's3', 'thidua', 'files') : join(dir, 'files', 'files'),
    /** Stops the process (SIGTERM) and keeps its data directory. */
    async halt() {
      proc.kill('SIGTERM');
      await exited(proc);
    },
    /** The built site it serves. */
    site: () => site,
    /** Starts it again on the same data directory and port (with another
     *  build's site, if given: a new release replacing the old). */
    async resume({ siteRoot } = {}) {
      if (siteRoot) site = siteRoot;
      proc = run();
      await up(base, () => proc);
    },
    async stop() {
      proc.kill('SIGTERM');
      await exited(proc);
      if (objects) {
        objects.kill('SIGTERM');
        await exited(objects);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once `/healthz` answers. */
async function up(base, proc) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error('server did not start');
    if (proc().exitCode !== null) throw new Error(`server exited with ${proc().exitCode}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A phone: 360 px wide, touch. */
export async function phone(browser) {
  return browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
}

export async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 60_000 });
}

/** Signs in through the sign-in page; resolves when the header names the person. */
export async function signIn(page, base, username, password) {
  await page.goto(base + '/dang-nhap');
  await hydrated(page);
  await page.fill('[data-testid="username"]', username);
  await page.fill('[data-testid="password"]', password);
  await page.click('[data-testid="sign-in"]');
  await page.waitForSelector('[data-testid="who"]');
  await hydrated(page);
}

/** The Ngọc Hồi district officer of the demo, for tests that need one. */
export const officer = { username: 'noivu', displayName: 'Cán bộ Phòng Nội vụ (minh họa)', role: 'district_officer', unit: 'd611', password: 'mat-khau-noi-vu-2021' };

/**
 * A phone whose storage survives closing the browser: a persistent profile
 * in `dir` (IndexedDB, service worker, cookies).
 */
export async function persistentPhone(dir, { offline = false } = {}) {
  return chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN', offline,
  });
}

/**
 * A reporter's phone profile in `dir` that has been online once: signed in,
 * the report form opened and the service worker in control, so the next
 * launch can open it offline.
 */
export async function primedOfflinePhone(base, dir) {
  const ctx = await persistentPhone(dir);
  const page = ctx.pages()[0] || await ctx.newPage();
  await signIn(page, base, reporter.username, reporter.password);
  await page.goto(base + '/bao-cao');
  await hydrated(page);
  await page.waitForSelector('[data-testid="period"]');
  await controlled(page);
  await ctx.close();
}

/** Resolves once the service worker controls the page (it then opens offline). */
export async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 30_000 });
}

/** What the server holds for the signed-in reporter's unit (via a pull). */
export async function serverItems(page) {
  return page.evaluate(async () => {
    const r = await fetch('/api/sync/pull', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ since: '' }) });
    return (await r.json()).items;
  });
}

/** The reporter of Đắk Xú in the demo. */
// A unit's report id for a period of the demo movement (app::domain::report::report_id).
export const reportId = (unit, period) => `rep-covid-2021-ngoc-hoi.${unit}.${period}`;
export const reporter = { username: 'dakxu', displayName: 'Cán bộ Đắk Xú (minh họa)', role: 'unit_reporter', unit: 'x23389', password: 'mat-khau-dak-xu-2021' };

/** The commune reporter's phone on /de-nghi, once the service worker controls
 * it (as on a real first visit, it finishes precaching before filing). */
export async function reporterOnNominatePage(browser, base) {
  const pctx = await phone(browser);
  const ph = await pctx.newPage();
  await signIn(ph, base, reporter.username, reporter.password);
  await ph.goto(base + '/de-nghi');
  await hydrated(ph);
  await controlled(ph);
  return { pctx, ph };
}

/** Fills the nomination form for an individual: a health worker of Đắk Xú
 * nominated for the district chair's Giấy khen, under `name`. */
export async function fillHealthWorker(ph, name, birthYear, summary) {
  await ph.selectOption('[data-testid="nominee-kind"]', 'individual');
  await ph.fill('[data-testid="nominee-name"]', name);
  await ph.fill('[data-testid="birth-year"]', birthYear);
  await ph.selectOption('[data-testid="gender"]', 'female');
  await ph.fill('[data-testid="ethnicity"]', 'Xơ Đăng');
  await ph.fill('[data-testid="position"]', 'Y sĩ Trạm Y tế');
  await ph.fill('[data-testid="workplace"]', 'Trạm Y tế xã Đắk Xú');
  await ph.fill('[data-testid="summary"]', summary);
  await ph.selectOption('[data-testid="award-form"]', 'giay-khen-chu-tich-huyen');
}
