// Issue 25, on a 360 px phone: a second month's report needs only the
// values that changed (the denominators come from the month before, marked
// until touched); the summary before sending flags a value far from last
// month's; the deadline banner and the printable copy of a sent report work
// offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, hydrated, signIn, persistentPhone, controlled, officer, reportId, phone } from './harness.mjs';

// Bờ Y is left empty by the demo for people to file.
const boY = { username: 'boy', displayName: 'Cán bộ xã Bờ Y (minh họa)', role: 'unit_reporter', unit: 'x23395', password: 'mat-khau-bo-y-2021' };

let server, browser, dir;
before(async () => {
  server = await startServer({ accounts: [boY, officer] });
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'thidua-phone-'));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every empty, enabled field of the form one types into, by test id (not
 *  the evidence files' pickers). */
const emptyFields = (page) => page.$$eval('[data-testid="report"] input[data-testid]:not([type="file"]), [data-testid="report"] textarea[data-testid]',
  (els) => els.filter((e) => !e.disabled && e.value === '').map((e) => e.dataset.testid));

/** Types a value into each field; returns how many were typed. */
async function type(page, ids, valueOf) {
  for (const id of ids) await page.fill(`[data-testid="${id}"]`, valueOf(id));
  return ids.length;
}

/** Bờ Y's reporter on a fresh phone at /de-nghi; page errors collected. */
async function nominatePage() {
  const pctx = await phone(browser);
  const ph = await pctx.newPage();
  const errors = [];
  ph.on('pageerror', (e) => errors.push(String(e)));
  await signIn(ph, server.base, boY.username, boY.password);
  await ph.goto(server.base + '/de-nghi');
  await hydrated(ph);
  return { pctx, ph, errors };
}

const overdue = async (page) => Number(await page.getAttribute('[data-testid="deadline-overdue"]', 'data-count'));

test('a second month needs only what changed; the summary flags the unusual; deadlines and the printout offline', async () => {
  const ctx = await persistentPhone(dir);
  const page = ctx.pages()[0] || await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page, server.base, boY.username, boY.password);
  await page.goto(server.base + '/bao-cao');
  await hydrated(page);
  // The form has the screen: the header and the sync bar are one row each.
  const top = await page.evaluate(() => document.querySelector('main').getBoundingClientRect().top);
  assert.ok(top <= 110, `the form starts ${top} px down a 740 px screen`);
  await controlled(page);
  await ctx.setOffline(true);
  await page.reload();
  await hydrated(page);

  // Offline, the banner knows what is owed: every month of 2021–2022 is past.
  await page.waitForSelector('[data-testid="deadline-banner"]');
  const owed = await overdue(page);
  assert.ok(owed >= 15, `every period is overdue: ${owed}`);

  // October: every field typed.
  await page.selectOption('[data-testid="period"]', '2021-10');
  await page.waitForSelector('[data-testid="points-chi-dao"]');
  const first = await emptyFields(page);
  const value = (month) => (id) => {
    if (id.startsWith('points-')) return '8';
    if (id.startsWith('evidence-')) return `Minh chứng tháng ${month}`;
    if (id === 'achievements') return `Kết quả tháng ${month}.`;
    if (id.startsWith('num-')) return month === 10 ? '500' : '520';
    if (id.startsWith('den-')) return '1000';
    return '1'; // counts, levels
  };
  const typedFirst = await type(page, first, value(10));
  await page.click('[data-testid="send-report"]');
  await page.waitForSelector('[data-testid="report-state"][data-state="waiting"]');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="deadline-overdue"]')?.dataset.count) === n, owed - 1);

  // November starts from October's denominators, each marked as copied.
  await page.selectOption('[data-testid="period"]', '2021-11');
  await page.waitForSelector('[data-testid="points-chi-dao"]');
  const dens = await page.$$eval('[data-testid^="den-"]', (els) => els.map((e) => [e.dataset.testid, e.value, e.classList.contains('copied')]));
  assert.ok(dens.length >= 5);
  for (const [id, v, copied] of dens) assert.ok(v === '1000' && copied, `${id}: ${v} ${copied}`);
  const second = await emptyFields(page);
  assert.equal(second.length, first.length - dens.length, 'only the denominators are filled in');
  const typedSecond = await type(page, second, value(11));
  // A jump from 50 % to 95 % is flagged before sending.
  await page.fill('[data-testid="num-vac-18-dose1"]', '950');
  const unusual = '[data-testid="summary"] li[data-kind="unusual"][data-field="indicators.vac-18-dose1.numerator"]';
  await page.waitForSelector(unusual);
  assert.match(await page.textContent(unusual), /95 %, kỳ trước 50 %/);
  assert.equal(await page.locator('[data-testid="summary"] li[data-kind="copied"]').count(), dens.length);
  // Looking at a copied value clears its mark.
  await page.fill('[data-testid="den-vac-18-dose1"]', '1000');
  await page.waitForFunction(() => !document.querySelector('[data-testid="den-vac-18-dose1"]').classList.contains('copied'));
  assert.equal(await page.locator('[data-testid="summary"] li[data-kind="copied"]').count(), dens.length - 1);
  console.log(`# fields typed: October ${typedFirst}, November ${typedSecond} (+1 to change a value)`);
  await page.click('[data-testid="send-report"]');
  await page.waitForSelector('[data-testid="report-state"][data-state="waiting"]');

  // Online: both go; October's receipt is in its printable copy.
  await ctx.setOffline(false);
  await page.waitForFunction(() => document.querySelector('[data-testid="sync-bar"]')?.getAttribute('data-waiting') === '0', null, { timeout: 30_000 });
  await ctx.setOffline(true);
  await page.reload();
  await hydrated(page);
  await page.selectOption('[data-testid="period"]', '2021-10');
  await page.click('[data-testid="own-print-open"]');
  const copy = await page.textContent('[data-testid="own-printout"]');
  for (const s of ['Xã Bờ Y', 'Tháng 10/2021', 'Minh chứng tháng 10', 'Kết quả tháng 10.', '500 / 1000']) assert.ok(copy.includes(s), `${s} in: ${copy.slice(0, 400)}`);
  assert.match(await page.textContent('[data-testid="own-receipt"]'), /^Biên nhận [0-9a-f]{12} · nhận lúc \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · bản 1$/);
  assert.equal(await overdue(page), owed - 2);
  assert.deepEqual(errors, []);
  await ctx.close();

  // The desk sees which values came from the month before untouched.
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
  const op = await desk.newPage();
  await signIn(op, server.base, officer.username, officer.password);
  await op.goto(server.base + '/tiep-nhan/' + reportId(boY.unit, '2021-11'));
  await hydrated(op);
  await op.waitForSelector('[data-testid="copied-vac-18-dose2"]');
  assert.equal(await op.locator('[data-testid="copied-vac-18-dose1"]').count(), 0, 'the one looked at is not marked');
  await desk.close();
});

test('a returned nomination is corrected on the phone and sent again; the desk sees the second revision', async () => {
  const { pctx, ph, errors } = await nominatePage();
  const name = 'Thôn Giang Lố 2';
  await ph.selectOption('[data-testid="nominee-kind"]', 'collective');
  await ph.fill('[data-testid="nominee-name"]', name);
  await ph.fill('[data-testid="summary"]', 'Giữ thôn an toàn suốt đợt dịch.');
  await ph.selectOption('[data-testid="award-form"]', 'giay-khen-chu-tich-huyen');
  await ph.click('[data-testid="nominate-send"]');
  const item = `[data-testid="outbox"] li:has-text("${name}")`;
  await ph.waitForSelector(`${item}[data-state="synced"]`, { timeout: 30_000 });

  // The district returns it: the summary is too thin.
  const octx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const op = await octx.newPage();
  await signIn(op, server.base, officer.username, officer.password);
  await op.goto(server.base + '/khen-thuong');
  await hydrated(op);
  const row = `[data-testid="nomination"]:has-text("${name}")`;
  await op.click(`${row} details summary`);
  await op.fill(`${row} [data-testid="return-comment"]`, 'Bổ sung số liệu cụ thể');
  await op.click(`${row} [data-testid="return-submit"]`);
  await op.waitForSelector(`${row} .badge:has-text("Đã trả lại đơn vị")`);

  // The phone learns of it at its next sync and opens it in the form.
  await ph.reload();
  await hydrated(ph);
  const list = await ph.waitForSelector('[data-testid="returned-nominations"]', { timeout: 30_000 });
  assert.match(await list.textContent(), /Thôn Giang Lố 2 — Bổ sung số liệu cụ thể/);
  await ph.click('[data-testid="returned-nominations"] [data-testid^="reopen-"]');
  await ph.waitForSelector('[data-testid="editing"]');
  await ph.waitForFunction(() => document.querySelector('[data-testid="nominee-name"]').value === 'Thôn Giang Lố 2');
  assert.equal(await ph.inputValue('[data-testid="nominee-kind"]'), 'collective');
  await ph.fill('[data-testid="summary"]', 'Giữ thôn an toàn suốt đợt dịch; 312 hộ ký cam kết, 0 ca mắc.');
  await ph.click('[data-testid="nominate-send"]');
  await ph.waitForSelector(`${item}[data-state="synced"]`, { timeout: 30_000 });
  assert.equal(await ph.locator(`[data-testid="outbox"] li:has-text("${name}")`).count(), 1, 'one nomination, not two');

  // The desk: the same nomination, its second revision, waiting again.
  await op.reload();
  await hydrated(op);
  await op.waitForSelector(`${row} [data-testid="revision"][data-revision="2"]`);
  assert.equal(await op.locator(row).count(), 1);
  assert.doesNotMatch(await op.textContent(row), /Đã trả lại đơn vị/);
  assert.deepEqual(errors, []);
  await Promise.all([pctx.close(), octx.close()]);
});

test('a nomination and a story half typed are kept as drafts through a reload, then sent once', async () => {
  const { pctx, ph, errors } = await nominatePage();
  await ph.waitForSelector('[data-testid="award-form"] option', { state: 'attached' });
  await ph.selectOption('[data-testid="nominee-kind"]', 'household');
  await ph.fill('[data-testid="nominee-name"]', 'Hộ ông A Lâm');
  await ph.fill('[data-testid="summary"]', 'Hiến 200 m² đất làm chốt kiểm dịch.');
  await ph.fill('[data-testid="story-title"]', 'Mảnh đất của ông A Lâm');
  await ph.fill('[data-testid="story-text"]', 'Ông A Lâm hiến đất, dân làng dựng chốt trong một ngày.');
  const draft = '[data-testid="outbox"] li:has-text("Hộ ông A Lâm")';
  await ph.waitForSelector(`${draft}[data-state="draft"]`);
  await ph.reload();
  await hydrated(ph);
  await ph.waitForFunction(() => document.querySelector('[data-testid="story-title"]').value === 'Mảnh đất của ông A Lâm');
  await ph.waitForSelector('[data-testid="editing"][data-sent="false"]');
  await ph.waitForFunction(() => document.querySelector('[data-testid="summary"]').value === 'Hiến 200 m² đất làm chốt kiểm dịch.');
  assert.equal(await ph.inputValue('[data-testid="nominee-name"]'), 'Hộ ông A Lâm');
  assert.equal(await ph.inputValue('[data-testid="nominee-kind"]'), 'household');
  await ph.selectOption('[data-testid="award-form"]', 'giay-khen-chu-tich-huyen');
  await ph.click('[data-testid="nominate-send"]');
  await ph.waitForSelector(`${draft}[data-state="synced"]`, { timeout: 30_000 });
  assert.equal(await ph.locator(draft).count(), 1, 'the draft became the nomination: one item');
  await ph.click('[data-testid="story-send"]');
  await ph.waitForSelector('[data-testid="outbox"] li:has-text("Mảnh đất của ông A Lâm")[data-state="synced"]', { timeout: 30_000 });
  assert.equal(await ph.locator('[data-testid="outbox"] li:has-text("Mảnh đất của ông A Lâm")').count(), 1);
  assert.equal(await ph.locator('[data-testid="editing"]').count(), 0);
  assert.deepEqual(errors, []);
  await pctx.close();
});
