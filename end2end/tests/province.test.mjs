// Issue 22: a province organises today's communes (two levels of local
// government since 1/7/2025). Its officer creates a movement from the
// built-in template for 2026, names the office that signs its reports, and
// groups communes into a cluster; the reporter of today's Xã Bờ Y (code
// 23377, once Thị trấn Plei Kần's) files offline; the province consolidates
// it, prints the report in the province's own words and shows the board on
// a meeting display. Then the commune nominates itself for the province
// chair's Bằng khen (Decree 152/2025: the province decides it); the
// province's council votes and the province decides; the certificate is a
// Bằng khen in the province's name for today's Xã Bờ Y.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, hydrated, signIn, persistentPhone, controlled, phone } from './harness.mjs';

const province = { username: 'snvqn', displayName: 'Cán bộ Sở Nội vụ Quảng Ngãi (minh họa)', role: 'district_officer', unit: 'p51', password: 'mat-khau-quang-ngai-2026' };
const boY = { username: 'xaboy', displayName: 'Cán bộ xã Bờ Y (minh họa)', role: 'unit_reporter', unit: 'x23377-2025', password: 'mat-khau-bo-y-2026' };
const member = { username: 'hoidongqn', displayName: 'Thành viên Hội đồng tỉnh (minh họa)', role: 'council_member', unit: 'p51', password: 'mat-khau-hoi-dong-qn-2026' };
const CODE = 'thi-dua-qn-2026';
const NAME = 'Phong trào thi đua yêu nước tỉnh Quảng Ngãi năm 2026';

let server, browser, dir;
before(async () => {
  server = await startServer({ accounts: [province, boY, member] });
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

  // A movement from the built-in template of a year's movement, signed by
  // the Sở Nội vụ.
  await op.goto(server.base + '/quan-tri/phong-trao');
  await hydrated(op);
  await op.selectOption('[data-testid="copy-from"]', 'mau-nam');
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
  await page.fill('[data-testid="evidence-chi-dao"]', 'Kế hoạch thi đua năm 2026 của UBND xã Bờ Y');
  await page.fill('[data-testid="num-dvc-truc-tuyen"]', '900');
  await page.fill('[data-testid="den-dvc-truc-tuyen"]', '1000');
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

test('the commune is nominated for the province chair\'s Bằng khen; the certificate names the province and the commune', async () => {
  // The commune's phone nominates itself.
  const pctx = await phone(browser);
  const ph = await pctx.newPage();
  const errors = [];
  ph.on('pageerror', (e) => errors.push(String(e)));
  await signIn(ph, server.base, boY.username, boY.password);
  await ph.goto(server.base + `/de-nghi?phong-trao=${CODE}`);
  await hydrated(ph);
  await ph.waitForSelector('[data-testid="award-form"] option[value="bang-khen-chu-tich-tinh"]', { state: 'attached' });
  const forms = await ph.$$eval('[data-testid="award-form"] option', (els) => els.map((e) => e.value));
  assert.ok(forms.includes('bang-khen-chu-tich-tinh') && forms.includes('giay-khen-chu-tich-xa'), `Decree 152/2025 forms: ${forms}`);
  assert.ok(!forms.some((f) => f.includes('huyen')), `no district chair's form: ${forms}`);
  await ph.selectOption('[data-testid="nominee-kind"]', 'collective');
  await ph.fill('[data-testid="nominee-name"]', 'Xã Bờ Y');
  await ph.fill('[data-testid="summary"]', 'Dẫn đầu cụm về hồ sơ trực tuyến toàn trình năm 2026.');
  await ph.selectOption('[data-testid="award-form"]', 'bang-khen-chu-tich-tinh');
  await ph.click('[data-testid="nominate-send"]');
  await ph.waitForSelector('[data-testid="outbox"] li:has-text("Xã Bờ Y")[data-state="synced"]', { timeout: 30_000 });

  // The province's desk: eligible, the province decides it; to the council.
  const octx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const op = await octx.newPage();
  op.on('pageerror', (e) => errors.push(String(e)));
  await signIn(op, server.base, province.username, province.password);
  await op.goto(server.base + '/khen-thuong');
  await hydrated(op);
  const row = '[data-testid="nomination"]:has-text("Xã Bờ Y")';
  await op.waitForSelector(row);
  assert.equal(await op.locator(`${row} [data-testid="violation"]`).count(), 0, 'eligible');
  await op.check(`${row} [data-testid="pick"]`);
  await op.fill('[data-testid="sitting-title"]', 'Phiên họp Hội đồng Thi đua – Khen thưởng tỉnh tháng 12/2026');
  await op.click('[data-testid="open-sitting-submit"]');
  await op.waitForSelector('[data-testid="sitting"][data-closed="false"]');

  // The province council's member votes.
  const cctx = await phone(browser);
  const cp = await cctx.newPage();
  await signIn(cp, server.base, member.username, member.password);
  await cp.goto(server.base + '/hoi-dong');
  await hydrated(cp);
  await cp.waitForSelector('[data-testid="ballot-item"]:has-text("Xã Bờ Y")');
  assert.match(await cp.textContent('[data-testid="ballot-item"]'), /Bằng khen của Chủ tịch UBND tỉnh/);
  await cp.click('[data-testid="vote-approve"]');
  await cp.waitForSelector('[data-testid="my-vote"]');

  // The sitting closes; the province chair decides.
  await op.reload();
  await hydrated(op);
  await op.click('[data-testid="close-sitting"]');
  await op.waitForSelector('[data-testid="minutes-link"]');
  await op.goto(server.base + '/khen-thuong');
  await hydrated(op);
  await op.check(`${row} [data-testid="pick"]`);
  await op.fill('[data-testid="decision-number"]', '15/QĐ-UBND');
  await op.fill('[data-testid="decision-date"]', '2026-12-01');
  await op.fill('[data-testid="decision-signer"]', 'Chủ tịch UBND tỉnh');
  await op.click('[data-testid="decide-submit"]');
  await op.waitForSelector(`${row}[data-stage="Decided"]`);

  // The certificate: a Bằng khen of the province's chair, for today's Xã Bờ Y.
  const href = await op.getAttribute(`${row} [data-testid="certificates"]`, 'href');
  const pdf = await op.request.get(server.base + href);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const file = join(dir, 'bang-khen.pdf');
  writeFileSync(file, await pdf.body());
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  for (const s of ['ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI', 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI', 'BẰNG KHEN', 'Xã Bờ Y', 'Quảng Ngãi, ngày 01 tháng 12 năm 2026', NAME]) {
    assert.ok(text.replace(/\s+/g, ' ').includes(s), `${s} in the certificate:\n${text}`);
  }
  assert.doesNotMatch(text, /huyện|HUYỆN|GIẤY KHEN/);
  // Its code checks out on the public page.
  const code = (await op.textContent(`${row} [data-testid="decision-code"]`)).trim();
  const pub = await browser.newContext({ locale: 'vi-VN' });
  const pp = await pub.newPage();
  await pp.goto(server.base + '/quyet-dinh?ma=' + code);
  assert.match(await (await pp.waitForSelector('[data-testid="verified"]')).textContent(), /hợp lệ: Xã Bờ Y/);
  assert.deepEqual(errors, []);
  await Promise.all([pctx.close(), octx.close(), cctx.close(), pub.close()]);
});
