// Phone figures for BENCHMARKS.md (issue 4), printed and written to
// end2end/artifacts/phone-bench.json:
//  - bytes on the wire of a first visit (empty cache) per page and role;
//  - offline cold start to an interactive report form, Chromium with 4x CPU
//    throttling, median of 11 (service worker and IndexedDB warm, network off):
//    from navigation start to the frame that paints the form field in the
//    hydrated page, as a MutationObserver and requestAnimationFrame in the
//    page see it.
// Run: scripts/bench.sh (after scripts/build.sh), or
//   THIDUA_SERVER_BIN=... THIDUA_SITE_ROOT=... node end2end/bench/phone.mjs
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, launch, phone, hydrated, signIn, primedOfflinePhone, reporter, officer } from '../tests/harness.mjs';
import { offlineColdStart } from './cold_start.mjs';

const server = await startServer({ accounts: [reporter, officer] });
const browser = await launch();
const out = { firstVisit: [], coldStartMs: [] };
// Cold starts timed; odd, for a median. One run in the middle of the spread
// (±100 ms here) is read from 11, not 5.
const RUNS = 11;

async function visit(state, path) {
  const ctx = await browser.newContext({ storageState: state, viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const sizes = new Map();
  cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
  await page.goto(server.base + path, { waitUntil: 'networkidle' });
  await hydrated(page);
  await page.waitForTimeout(1000);
  const bytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  await ctx.close();
  return { bytes, requests: sizes.size };
}

async function stateOf(who) {
  if (!who) return undefined;
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await signIn(page, server.base, who.username, who.password);
  const s = await ctx.storageState();
  await ctx.close();
  return s;
}

for (const [role, who, paths] of [['anonymous', null, ['/']], ['unit_reporter', reporter, ['/', '/bao-cao', '/units']], ['district_officer', officer, ['/units', '/quan-tri/tai-khoan']]]) {
  const state = await stateOf(who);
  for (const path of paths) {
    const r = await visit(state, path);
    out.firstVisit.push({ role, path, ...r });
    console.log(`first visit ${role.padEnd(16)} ${path.padEnd(22)} ${String(r.bytes).padStart(8)} B in ${r.requests} requests`);
  }
}

// The first visits' browser is closed first: a phone runs one browser.
await browser.close();
const dir = mkdtempSync(join(tmpdir(), 'thidua-bench-'));
await primedOfflinePhone(server.base, dir);
for (let i = 0; i < RUNS; i++) out.coldStartMs.push(await offlineColdStart(server.base, dir));
const sorted = [...out.coldStartMs].sort((a, b) => a - b);
console.log(`offline cold start to an interactive report form, 4x CPU throttling: median ${sorted[(RUNS - 1) / 2]} ms (runs: ${out.coldStartMs.join(', ')})`);
rmSync(dir, { recursive: true, force: true });
const dest = resolve(import.meta.dirname, '..', 'artifacts');
mkdirSync(dest, { recursive: true });
writeFileSync(resolve(dest, 'phone-bench.json'), JSON.stringify(out, null, 2));
await server.stop();
