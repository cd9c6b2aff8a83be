// Issue 6: the meeting display follows the officer's appraisals without a
// reload, keeps its board marked stale while it cannot reach the server
// (network cut or server restart) and catches up when it can; at projector
// sizes its numbers, labels and contrast meet the display rules, checked
// from the rendered page. A bonus entered on the review page counts too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startServer, launch, hydrated, signIn, officer } from './harness.mjs';

let server;
let browser;
let op; // the officer's page
let url; // the display link

before(async () => {
  server = await startServer({ accounts: [officer] });
  browser = await launch();
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  op = await ctx.newPage();
  await signIn(op, server.base, officer.username, officer.password);
  await op.goto(server.base + '/quan-tri/man-hinh');
  await hydrated(op);
  await op.fill('[data-testid="display-name"]', 'Hội trường UBND huyện');
  await op.click('[data-testid="create-display"]');
  url = (await (await op.waitForSelector('[data-testid="display-url"]')).textContent()).trim();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens the latest period's first pending report on the officer's desk; returns its unit's name. */
async function openPendingReport() {
  await op.goto(server.base + '/tiep-nhan');
  await hydrated(op);
  const link = op.locator('[data-testid="desk-status"]:text-is("Chờ duyệt")').first().locator('xpath=ancestor::*[@data-unit][1]//a').first();
  const name = (await link.textContent()).trim();
  await link.click();
  await op.waitForSelector('[data-testid="review-status"]');
  await hydrated(op);
  return name;
}

/** Appraises criterion 1 of the open report to `points`. */
async function appraise(points, reason) {
  const crit = '[data-testid="criterion-review"][data-area="chi-dao"]';
  await op.fill(`${crit} [data-testid="appraise-points"]`, points);
  await op.fill(`${crit} [data-testid="appraise-reason"]`, reason);
  await op.click(`${crit} [data-testid="appraise-submit"]`);
  await op.waitForFunction(([c, p]) => document.querySelector(`${c} [data-testid="appraised-points"]`)?.textContent.trim() === p, [crit, points]);
}

/** The total the display shows for a unit. */
const totalOn = (page, name) => page.evaluate((n) => {
  const li = [...document.querySelectorAll('[data-testid="board"] li')].find((l) => l.querySelector('.name')?.textContent.trim() === n);
  return li?.querySelector('.total')?.textContent.trim();
}, name);

const staleShown = (page) => page.evaluate(() => !document.querySelector('[data-testid="stale"]').hidden);

test('the display follows appraisals live, goes stale offline and catches up', async () => {
  const screen = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const sp = await screen.newPage();
  await sp.goto(url + '?giay=0');
  await hydrated(sp);
  const name = await openPendingReport();
  await sp.waitForFunction(() => Number(document.querySelector('[data-testid="as-of"]')?.dataset.version) > 0, null, { timeout: 10_000 });
  const before = await totalOn(sp, name);
  assert.ok(before, `${name} is on the display`);

  await appraise('0', 'Không có biên bản họp Ban chỉ đạo');
  await sp.waitForFunction(([n, b]) => {
    const li = [...document.querySelectorAll('[data-testid="board"] li')].find((l) => l.querySelector('.name')?.textContent.trim() === n);
    return li && li.querySelector('.total').textContent.trim() !== b;
  }, [name, before], { timeout: 5_000 });
  const lowered = await totalOn(sp, name);
  assert.equal(await staleShown(sp), false);

  // The meeting room loses its network: the board stays, marked stale, while
  // the officer keeps working.
  await screen.setOffline(true);
  await sp.waitForFunction(() => !document.querySelector('[data-testid="stale"]').hidden, null, { timeout: 10_000 });
  assert.match(await sp.textContent('[data-testid="stale"]'), /Mất kết nối/);
  await appraise('5', 'Có biên bản nhưng thiếu chữ ký');
  await sp.waitForTimeout(1500);
  assert.equal(await totalOn(sp, name), lowered, 'no news while offline');
  assert.equal(await staleShown(sp), true);

  // Back online: it reconnects by itself and shows the appraisal it missed.
  await screen.setOffline(false);
  await sp.waitForFunction(([n, b]) => {
    const li = [...document.querySelectorAll('[data-testid="board"] li')].find((l) => l.querySelector('.name')?.textContent.trim() === n);
    return li && li.querySelector('.total').textContent.trim() !== b && document.querySelector('[data-testid="stale"]').hidden;
  }, [name, lowered], { timeout: 15_000 });
  assert.equal(Number(String(await totalOn(sp, name)).replace(',', '.')), Number(lowered.replace(',', '.')) + 5);

  // The server stops: stale; it starts again: the display reconnects alone
  // and follows the next change, never reloaded.
  const loads = await sp.evaluate(() => performance.getEntriesByType('navigation').length);
  await server.halt();
  await sp.waitForFunction(() => !document.querySelector('[data-testid="stale"]').hidden, null, { timeout: 10_000 });
  await server.resume();
  await sp.waitForFunction(() => document.querySelector('[data-testid="stale"]').hidden, null, { timeout: 20_000 });
  const current = await totalOn(sp, name);
  await op.reload();
  await hydrated(op);
  // This time a bonus beside the sheet (SPEC §6.3), entered on the review page.
  await op.selectOption('[data-testid="adjust-kind"]', 'bonus');
  await op.fill('[data-testid="adjust-points"]', '1,5');
  await op.fill('[data-testid="adjust-reason"]', 'Mô hình "Dân vận khéo" được huyện công nhận');
  await op.click('[data-testid="adjust-submit"]');
  await op.waitForSelector('[data-testid="adjustment"][data-kind="bonus"]');
  assert.match(await op.textContent('[data-testid="adjustment"][data-kind="bonus"]'), /\+1,5/);
  await sp.waitForFunction(([n, b]) => {
    const li = [...document.querySelectorAll('[data-testid="board"] li')].find((l) => l.querySelector('.name')?.textContent.trim() === n);
    return li && li.querySelector('.total').textContent.trim() !== b;
  }, [name, current], { timeout: 10_000 });
  assert.equal(Number(String(await totalOn(sp, name)).replace(',', '.')), Number(current.replace(',', '.')) + 1.5);
  assert.equal(await sp.evaluate(() => performance.getEntriesByType('navigation').length), loads, 'no reload');
  await screen.close();
});

/** Relative luminance contrast of the element's text against what it sits on. */
function displayRules() {
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const h = window.innerHeight;
  const measure = (sel, kind) => [...document.querySelectorAll(sel)].filter(visible).map((el) => {
    const s = getComputedStyle(el);
    const fg = lum(rgb(s.color).slice(0, 3));
    const bg = lum(background(el));
    const contrast = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    return { kind, sel, text: el.textContent.trim().slice(0, 30), px: parseFloat(s.fontSize), contrast };
  });
  const active = '[data-testid="board"].active';
  // Every page of the rotation must fit the screen: show each in turn.
  const boards = [...document.querySelectorAll('[data-testid="board"]')];
  const was = boards.findIndex((b) => b.classList.contains('active'));
  const bottom = Math.max(...boards.map((b) => {
    boards.forEach((x) => x.classList.toggle('active', x === b));
    return b.getBoundingClientRect().bottom;
  }));
  boards.forEach((x, k) => x.classList.toggle('active', k === was));
  return {
    height: h,
    pages: boards.length,
    bottom,
    items: [
      ...measure(`${active} .rank, ${active} .total`, 'number'),
      ...measure(`.display h1, ${active} h2, ${active} .name, ${active} .band, .display .as-of`, 'label'),
    ],
  };
}

for (const [width, height] of [[1920, 1080], [1280, 720]]) {
  test(`at ${width}×${height} numbers, labels and contrast meet the projector rules`, async () => {
    const screen = await browser.newContext({ viewport: { width, height } });
    const sp = await screen.newPage();
    await sp.goto(url);
    await hydrated(sp);
    await sp.waitForSelector('[data-testid="board"].active li');
    const { height: h, bottom, items, pages } = await sp.evaluate(displayRules);
    assert.ok(pages >= 4, `every cluster and block on a page (${pages})`);
    assert.equal(h, height);
    assert.ok(items.filter((i) => i.kind === 'number').length >= 4, 'ranks and totals measured');
    for (const i of items) {
      const min = i.kind === 'number' ? h / 15 : h / 40;
      assert.ok(i.px >= min, `${i.kind} "${i.text}" is ${i.px}px, needs ≥ ${min.toFixed(1)}px`);
      assert.ok(i.contrast >= 4.5, `"${i.text}" contrast ${i.contrast.toFixed(2)} < 4.5`);
    }
    assert.ok(bottom <= h, `every page fits the screen (${bottom} > ${h})`);
    mkdirSync(resolve(import.meta.dirname, '..', 'artifacts'), { recursive: true });
    await sp.screenshot({ path: resolve(import.meta.dirname, '..', 'artifacts', `display-${width}.png`) });
    await screen.close();
  });
}
