// Issue 5: the district's desk. The officer returns a report; the commune's
// phone (another context) shows the comment after sync and resubmits; the
// officer accepts; the reporting-rate page updates. The printable report is
// rendered by Chromium and its Vietnamese text checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer, launch, phone, hydrated, signIn, officer, reporter } from './harness.mjs';

const artifacts = resolve(import.meta.dirname, '..', 'artifacts');
let server, browser;
before(async () => { server = await startServer({ accounts: [reporter, officer] }); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const state = (page) => page.getAttribute('[data-testid="report-state"]', 'data-state');

async function desk(page) {
  await page.goto(server.base + '/tiep-nhan?ky=2021-10');
  await hydrated(page);
  await page.waitForSelector('[data-testid="desk-rows"]');
}

test('return → the phone sees the comment → resubmit → accept → the rates update', async () => {
  const district = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const op = await district.newPage();
  await signIn(op, server.base, officer.username, officer.password);
  await desk(op);
  const rateBefore = (await op.textContent('[data-testid="rate-reporting"]')).trim();
  assert.match(rateBefore, /^\d+(,\d)? %$/);
  assert.equal(await op.getAttribute('[data-unit="x23389"]', 'data-timeliness'), 'missing', 'overdue and highlighted');

  // The commune files its October report from a phone.
  const commune = await phone(browser);
  const ph = await commune.newPage();
  await signIn(ph, server.base, reporter.username, reporter.password);
  await ph.goto(server.base + '/bao-cao');
  await hydrated(ph);
  await ph.waitForSelector('[data-testid="period"]');
  await ph.selectOption('[data-testid="period"]', '2021-10');
  await ph.waitForSelector('[data-testid="points-chi-dao"]');
  await ph.fill('[data-testid="points-chi-dao"]', '18');
  await ph.fill('[data-testid="evidence-chi-dao"]', 'Nghị quyết số 12/NQ-ĐU');
  await ph.fill('[data-testid="achievements"]', 'Tiêm chủng đạt 95 %.');
  await ph.click('[data-testid="send-report"]');
  await ph.waitForSelector('[data-testid="report-state"][data-state="synced"]', { timeout: 30_000 });

  // The officer opens it from the desk and returns it with a comment.
  await desk(op);
  assert.equal((await op.textContent('[data-unit="x23389"] [data-testid="desk-status"]')).trim(), 'Chờ duyệt');
  await op.click('[data-unit="x23389"] a');
  await op.waitForSelector('[data-testid="review-status"]');
  await hydrated(op);
  assert.equal((await op.textContent('[data-testid="self-total"]')).trim(), '18');
  // Appraise criterion 1 down, with a reason: the self-score stays beside it.
  const crit = '[data-testid="criterion-review"][data-area="chi-dao"]';
  await op.fill(`${crit} [data-testid="appraise-points"]`, '16,5');
  await op.fill(`${crit} [data-testid="appraise-reason"]`, 'Thiếu biên bản họp Ban chỉ đạo');
  await op.click(`${crit} [data-testid="appraise-submit"]`);
  await op.waitForSelector(`${crit} [data-testid="appraised-points"]`);
  assert.equal((await op.textContent(`${crit} [data-testid="appraised-points"]`)).trim(), '16,5');
  assert.equal((await op.textContent(`${crit} [data-testid="self-points"]`)).trim(), '18');
  await op.fill('[data-testid="return-comment-input"]', 'Bổ sung số liệu tiêm chủng mũi 2');
  await op.click('[data-testid="return"]');
  await op.waitForFunction(() => document.querySelector('[data-testid="review-status"]')?.textContent.includes('trả lại'));

  // The phone learns of it at its next sync (on start): a banner points to
  // the returned report, which opens for editing.
  await ph.reload();
  await hydrated(ph);
  await ph.waitForSelector('[data-testid="returned-banner"]', { timeout: 30_000 });
  // Who returned it, in the organiser's own name from the unit catalogue.
  assert.match(await ph.textContent('[data-testid="returned-banner"]'), /^Huyện Ngọc Hồi đã trả lại báo cáo/);
  await ph.click('[data-testid="open-returned-2021-10"]');
  await ph.waitForSelector('[data-testid="report-state"][data-state="returned"]', { timeout: 30_000 });
  assert.equal(await ph.inputValue('[data-testid="period"]'), '2021-10');
  assert.match(await ph.textContent('[data-testid="return-comment"]'), /^Huyện Ngọc Hồi trả lại: Bổ sung số liệu tiêm chủng mũi 2/);
  // The organiser's appraisal is on the phone beside the criterion.
  assert.equal((await ph.textContent('[data-testid="appraised-chi-dao"]')).trim(), 'Huyện Ngọc Hồi chấm: 16,5 / 20 điểm — Thiếu biên bản họp Ban chỉ đạo');
  await ph.fill('[data-testid="achievements"]', 'Tiêm chủng đạt 95 %; mũi 2 đạt 88 %.');
  await ph.click('[data-testid="send-report"]');
  await ph.waitForSelector('[data-testid="report-state"][data-state="synced"]', { timeout: 30_000 });

  // Back at the district: waiting for review again; accept.
  await op.reload();
  await hydrated(op);
  await op.waitForFunction(() => document.querySelector('[data-testid="review-status"]')?.textContent.includes('Chờ duyệt'));
  await op.click('[data-testid="accept"]');
  await op.waitForFunction(() => document.querySelector('[data-testid="review-status"]')?.textContent.includes('Đã tiếp nhận'));

  await desk(op);
  assert.equal((await op.textContent('[data-unit="x23389"] [data-testid="desk-status"]')).trim(), 'Đã tiếp nhận');
  assert.equal(await op.getAttribute('[data-unit="x23389"]', 'data-timeliness'), 'late', 'filed years after the 2021 deadline: late, not refused');
  const rateAfter = (await op.textContent('[data-testid="rate-reporting"]')).trim();
  assert.notEqual(rateAfter, rateBefore, 'the reporting rate moved');

  // The cluster's leaderboard ranks Đắk Xú among the demo communes, with
  // the tie-break rule shown; the commune can read it too.
  await op.goto(server.base + '/bang-xep-hang?cum=nh-cum-1&ky=2021-10');
  await hydrated(op);
  await op.waitForSelector('[data-testid="board-row"][data-unit="x23389"]');
  assert.equal(await op.locator('[data-testid="board-row"]').count(), 4);
  assert.match(await op.textContent('[data-testid="tie-break"]'), /Bằng điểm thì xếp trên/);

  // The phone shows it accepted after its next sync.
  await ph.reload();
  await hydrated(ph);
  await ph.waitForSelector('[data-testid="period"]');
  await ph.selectOption('[data-testid="period"]', '2021-10');
  await ph.waitForSelector('[data-testid="report-state"][data-state="accepted"]', { timeout: 30_000 });
  await district.close();
  await commune.close();
});

test('the printable report renders with intact Vietnamese text; the XLSX downloads', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 1400 }, locale: 'vi-VN' });
  const page = await ctx.newPage();
  await signIn(page, server.base, officer.username, officer.password);
  await page.goto(server.base + '/tong-hop/in?ky=2021-10');
  await hydrated(page);
  await page.waitForSelector('[data-testid="printable"]');
  const text = await page.textContent('[data-testid="printable"]');
  for (const s of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'UBND HUYỆN NGỌC HỒI', 'PHÒNG NỘI VỤ',
    'BÁO CÁO', 'tháng 10/2021', 'Nơi nhận:', 'TRƯỞNG PHÒNG', 'Tỷ lệ tiêm vắc xin mũi 1, người từ 18 tuổi']) {
    assert.ok(text.includes(s), `the report says "${s}"`);
  }
  assert.equal(text, text.normalize('NFC'), 'text is NFC');
  assert.match(await page.textContent('[data-testid="place-date"]'), /^Ngọc Hồi, ngày \d\d tháng \d\d năm \d{4}$/);
  mkdirSync(artifacts, { recursive: true });
  await page.emulateMedia({ media: 'print' });
  const png = await page.screenshot({ fullPage: true });
  writeFileSync(join(artifacts, 'printable-report.png'), png);
  assert.ok(png.length > 20_000, 'a rendered page, not a blank one');
  const pdf = await page.pdf({ format: 'A4' });
  writeFileSync(join(artifacts, 'printable-report.pdf'), pdf);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  // The header and buttons are not printed.
  assert.equal(await page.isVisible('header'), false);

  const res = await page.request.get(server.base + '/xuat/tong-hop.xlsx?ky=2021-10');
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-disposition'], /tong-hop-2021-10\.xlsx/);
  const body = await res.body();
  assert.equal(body.subarray(0, 2).toString(), 'PK', 'a zip (XLSX) file');
  await ctx.close();
});

test('the tổng kết ranks over its months, prints every board and downloads as XLSX', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 1400 }, locale: 'vi-VN' });
  const page = await ctx.newPage();
  await signIn(page, server.base, officer.username, officer.password);
  await page.goto(server.base + '/bang-xep-hang?ky=tong-ket-2022');
  await hydrated(page);
  assert.match(await page.textContent('[data-testid="board-basis"]'), /bình quân của 15 tháng đã hết hạn/);
  const cluster = await page.inputValue('[data-testid="board-cluster"]');
  const first = (await page.textContent('[data-testid="board-row"] [data-testid="board-total"]')).trim();
  await page.click('[data-testid="rankings-link"]');
  await page.waitForURL('**/bang-xep-hang/in?ky=tong-ket-2022');
  await page.waitForSelector('[data-testid="rankings"]');
  const text = await page.textContent('[data-testid="rankings"]');
  for (const s of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'UBND HUYỆN NGỌC HỒI', 'BẢNG XẾP HẠNG THI ĐUA', 'tổng kết phong trào', 'TM. HỘI ĐỒNG']) {
    assert.ok(text.includes(s), `the ranking says "${s}"`);
  }
  assert.match(await page.textContent('[data-testid="rankings"] [data-testid="place-date"]'), /^Ngọc Hồi, ngày \d\d tháng \d\d năm \d{4}$/);
  const boards = await page.locator('[data-testid="rankings-board"]').count();
  assert.ok(boards >= 2, `every cluster and block (${boards})`);
  const board = page.locator(`[data-testid="rankings-board"][data-cluster="${cluster}"]`);
  assert.equal((await board.locator('[data-testid="rankings-total"]').first().textContent()).trim(), first, 'the page and the printout agree');
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4' });
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'rankings-tong-ket.pdf'), pdf);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');

  const res = await page.request.get(server.base + '/xuat/bang-xep-hang.xlsx?ky=tong-ket-2022');
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-disposition'], /bang-xep-hang-tong-ket-2022\.xlsx/);
  assert.equal((await res.body()).subarray(0, 2).toString(), 'PK', 'a zip (XLSX) file');
  await ctx.close();
});
