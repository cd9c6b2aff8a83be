// Timeline of one offline cold start (diagnostic; not part of bench.sh).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, persistentPhone, primedOfflinePhone, reporter } from '../tests/harness.mjs';

const server = await startServer({ accounts: [reporter] });
const dir = mkdtempSync(join(tmpdir(), 'thidua-probe-'));
await primedOfflinePhone(server.base, dir);
let ctx, page;
const rate = Number(process.env.RATE || 4);
for (let i = 0; i < 3; i++) {
  ctx = await persistentPhone(dir, { offline: true });
  await ctx.addInitScript(() => {
    const seen = {};
    new MutationObserver(() => {
      const mark = (n, ok) => { if (!seen[n] && ok) { seen[n] = true; performance.mark(n); } };
      mark('hydrated', document.body && document.body.dataset.hydrated === 'true');
      mark('period', !!document.querySelector('[data-testid="period"]'));
      const pts = !!document.querySelector('[data-testid="points-chi-dao"]');
      if (pts && !seen.points) requestAnimationFrame(() => performance.mark('frame-after-points'));
      mark('points', pts);
      mark('main', !!document.querySelector('main'));
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  page = ctx.pages()[0] || await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.goto(server.base + '/bao-cao', { waitUntil: 'commit' });
  await page.waitForSelector('body[data-hydrated="true"] [data-testid="points-chi-dao"]', { timeout: 60_000 });
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource').map((r) => ({ n: r.name.split('/').pop().slice(0, 50), s: Math.round(r.startTime), e: Math.round(r.responseEnd) }));
    const marks = performance.getEntriesByType('mark').map((m) => ({ n: m.name, s: Math.round(m.startTime) }));
    return { now: Math.round(performance.now()), domContentLoaded: Math.round(nav.domContentLoadedEventEnd), responseEnd: Math.round(nav.responseEnd), fetchStart: Math.round(nav.fetchStart), workerStart: Math.round(nav.workerStart), res, marks };
  });
  console.log(`run ${i}: ready at ${t.now} ms; nav fetchStart ${t.fetchStart} workerStart ${t.workerStart} responseEnd ${t.responseEnd} DCL ${t.domContentLoaded}; ${t.res.length} resources`);
  if (i === 2) for (const r of t.res) console.log(`  ${String(r.s).padStart(5)} → ${String(r.e).padStart(5)}  ${r.n}`);
  for (const m of t.marks) console.log(`  mark ${m.s} ${m.n}`);
  await ctx.close();
}
rmSync(dir, { recursive: true, force: true });
await server.stop();
