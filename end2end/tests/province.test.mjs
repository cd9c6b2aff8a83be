// Issue 22: a province organises today's communes (two levels of local
// government since 1/7/2025). Its officer creates a movement from the
// built-in template for 2026, names the office that signs its reports, and
// groups communes into a cluster; the reporter of today's Xã Bờ Y (code
// 23377, once Thị trấn Plei Kần's) files offline; the province consolidates
// it, prints the report in the province's own words and shows the board on
// a meeting display.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, hydrated, signIn, persistentPhone, controlled } from './harness.mjs';

const province = { username: 'snvqn', displayName: 'Cán bộ Sở Nội vụ Quảng Ngãi (minh họa)', role: 'district_officer', unit: 'p51', password: 'mat-khau-quang-ngai-2026' };
const boY = { username: 'xaboy', displayName: 'Cán bộ xã Bờ Y (minh họa)', role: 'unit_reporter', unit: 'x23377-2025', password: 'mat-khau-bo-y-2026' };
const CODE = 'thi-dua-qn-2026';
const NAME = 'Phong trào thi đua yêu nước tỉnh Quảng Ngãi năm 2026';

let server, browser, dir;
before(async () => {
  server = await startServer({ accounts: [province, boY] });
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'thidua-phone-'));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a province runs a movement for its communes, from the form on a phone to the display and the printout', async () => {
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const op = await desk.newPage();
  const errors = [];
  op.on('pageerror', (e) => errors.push(String(e)));
  await signIn(op, server.base, province.username, province.password);

  // A movement from the built-in template, for 2026, signed by the Sở Nội vụ.
  await op.goto(server.base + '/quan-tri/phong-trao');
  await hydrated(op);
  await op.selectOption('[data-testid="copy-from"]', 'mau-co-san');
  await op.fill('[data-testid="copy-code"]', CODE);
  await op.fill('[data-testid="copy-name"]', NAME);
  await op.click('[data-testid="copy-submit"]');
  const row = `[data-testid="movements"] tr[data-code="${CODE}"]`;
  await op.waitForSelector(`${row}[data-status="draft"]`);
  await op.click(`${row} [data-testid="open-movement"]`);
  await op.waitForSelector('[data-testid="movement-editor"][data-status="draft"]');
  await op.fill('[data-testid="mv-office-name_vi"]', 'Sở Nội vụ');
  await op.fill('[data-testid="mv-office-code"]', 'SNV');
  await op.fill('[data-testid="mv-office-signer_vi"]', 'Giám đốc');
  await op.fill('[data-testid="mv-monthly_from"]', '2026-01');
  await op.fill('[data-testid="mv-monthly_until"]', '2026-12');
  // The template's sơ kết and tổng kết moved to 2026.
  const reviews = [['Sơ kết 6 tháng đầu năm 2026', '2026-01-01', '2026-06-30', '2026-07-10'], ['Tổng kết năm 2026', '2026-01-01', '2026-12-31', '2027-01-10']];
  for (const [n, [label, from, to, due]] of reviews.entries()) {
    await op.fill(`[data-testid="review-${n}-label_vi"]`, label);
    await op.fill(`[data-testid="review-${n}-starts_on"]`, from);
    await op.fill(`[data-testid="review-${n}-ends_on"]`, to);
    await op.fill(`[data-testid="review-${n}-deadline"]`, due);
  }
  await op.waitForSelector('[data-testid="movement-errors"]', { state: 'detached' });
  await op.click('[data-testid="publish-movement"]');
  await op.waitForSelector('[data-testid="movement-editor"][data-status="published"]');

  // A cluster of today's communes, which sit directly under the province.
  await op.goto(server.base + '/quan-tri/cum');
  await hydrated(op);
  const boxes = await op.$$eval('[data-testid="cluster-form"] input[name="members"]', (els) => els.map((e) => e.value));
  assert.ok(boxes.includes(boY.unit), `today's Xã Bờ Y is among the province's units: ${boxes.slice(0, 5)}`);
  assert.ok(!boxes.includes('x23377'), 'the old Thị trấn Plei Kần is not');
  await op.fill('[data-testid="cluster-id"]', 'qn-cum-tay');
  await op.fill('[data-testid="cluster-name"]', 'Cụm thi đua các xã phía Tây');
  for (const u of [boY.unit, 'x23383-2025', 'x23392-2025']) {
    await op.check(`[data-testid="cluster-form"] input[name="members"][value="${u}"]`);
  }
  await op.selectOption('[data-testid="cluster-form"] select[name="head"]', boY.unit);
  await op.click('[data-testid="cluster-save"]');
  await op.waitForFunction(() => document.body.textContent.includes('Cụm thi đua các xã phía Tây'));

  // The commune's phone syncs, then files offline.
  const ctx = await persistentPhone(dir);
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page, server.base, boY.username, boY.password);
  await page.goto(server.base + `/bao-cao?phong-trao=${CODE}`);
  await hydrated(page);
  await controlled(page);
  await ctx.setOffline(true);
  await page.reload();
  await hydrated(page);
  await page.selectOption('[data-testid="period"]', '2026-11');
  await page.waitForSelector('[data-testid="points-chi-dao"]');
  await page.fill('[data-testid="points-chi-dao"]', '17');
  await page.fill('[data-testid="evidence-chi-dao"]', 'Nghị quyết chuyên đề của Đảng ủy xã Bờ Y');
  await page.fill('[data-testid="num-vac-18-dose1"]', '900');
  await page.fill('[data-testid="den-vac-18-dose1"]', '1000');
  await page.fill('[data-testid="achievements"]', 'Xã Bờ Y hoàn thành kế hoạch tháng 11.');
  await page.click('[data-testid="send-report"]');
  await page.waitForSelector('[data-testid="report-state"][data-state="waiting"]');
  await ctx.setOffline(false);
  await page.waitForFunction(() => document.querySelector('[data-testid="sync-bar"]')?.getAttribute('data-waiting') === '0', null, { timeout: 30_000 });
  await ctx.close();

  // The province consolidates its communes' reports.
  await op.goto(server.base + `/tong-hop?ky=2026-11&phong-trao=${CODE}`);
  await hydrated(op);
  assert.match(await op.textContent('[data-testid="consolidation-count"]'), /^1 báo cáo/);
  assert.match(await op.textContent('[data-testid="table-unit"]'), /Xã Bờ Y/);
  assert.match(await op.textContent('[data-testid="totals"]'), /90 % \(900 \/ 1\.000\)/);

  // The printout speaks for the province, in its own words.
  await op.goto(server.base + `/tong-hop/in?ky=2026-11&phong-trao=${CODE}`);
  await op.waitForSelector('[data-testid="printable"]');
  const doc = await op.textContent('[data-testid="printable"]');
  for (const s of ['UBND TỈNH QUẢNG NGÃI', 'SỞ NỘI VỤ', 'Số: ……/BC-SNV', 'GIÁM ĐỐC', '- UBND tỉnh (b/c);', 'Sở Nội vụ báo cáo', 'tháng 11/2026']) {
    assert.ok(doc.includes(s), `${s} in: ${doc.slice(0, 600)}`);
  }
  assert.match(await op.textContent('[data-testid="place-date"]'), /^Quảng Ngãi, ngày/);
  assert.doesNotMatch(doc, /huyện|HUYỆN|PHÒNG NỘI VỤ/);

  // The meeting display, set to the movement, November and the cluster.
  await op.goto(server.base + '/quan-tri/man-hinh');
  await hydrated(op);
  await op.fill('[data-testid="display-name"]', 'Hội trường tỉnh');
  // The province runs one movement: the page offers no choice of movement.
  assert.equal(await op.$('[data-testid="display-movement"]'), null);
  await op.waitForFunction(() => document.querySelectorAll('[data-testid="display-period"] option').length > 1);
  await op.selectOption('[data-testid="display-period"]', '2026-11');
  await op.check('[data-testid="display-cluster-qn-cum-tay"]');
  await op.click('[data-testid="create-display"]');
  const url = (await (await op.waitForSelector('[data-testid="display-url"]')).textContent()).trim();
  const screen = await desk.newPage();
  await screen.goto(url);
  await screen.waitForSelector('[data-testid="board"]');
  assert.match(await screen.textContent('[data-testid="as-of"]'), /Tháng 11\/2026/);
  const board = await screen.textContent('[data-testid="board"]');
  assert.match(board, /Xã Bờ Y/);
  assert.match(board, /Xã Dục Nông/);
  assert.deepEqual(errors, []);
  await desk.close();
});
