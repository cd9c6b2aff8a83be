// Issue 21: the officer copies the demo's movement, renames it, moves
// points between two criteria, adds an indicator with a cross-field rule,
// previews the phone's form and publishes; a commune's phone, offline after
// its next sync, is held to the new rule, files a report for each movement
// and a nomination in the new one; the desk, consolidation, board and
// nominations desk show each movement apart, picked in the URL; a meeting
// display is set to the new movement, one month and one cluster.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, hydrated, signIn, persistentPhone, controlled, serverItems, officer, reporter, reportId } from './harness.mjs';

let server, browser, dir;
before(async () => {
  server = await startServer({ accounts: [officer, reporter] });
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'thidua-phone-'));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const NEW = 'thi-dua-2027';
const newId = (unit, period) => `rep-${NEW}.${unit}.${period}`;

async function fill(page, points, text) {
  await page.selectOption('[data-testid="period"]', '2021-11');
  await page.waitForSelector('[data-testid="points-chi-dao"]');
  await page.fill('[data-testid="points-chi-dao"]', points);
  await page.fill('[data-testid="evidence-chi-dao"]', 'Nghị quyết số 12/NQ-ĐU');
  await page.fill('[data-testid="achievements"]', text);
  await page.click('[data-testid="send-report"]');
  await page.waitForSelector('[data-testid="report-state"][data-state="waiting"]');
}

test('a phone files for two movements offline; the desk, consolidation and board show each apart', async () => {
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const op = await desk.newPage();
  const errors = [];
  op.on('pageerror', (e) => errors.push(String(e)));
  await signIn(op, server.base, officer.username, officer.password);
  await op.goto(server.base + '/quan-tri/phong-trao');
  await hydrated(op);
  await op.selectOption('[data-testid="copy-from"]', 'covid-2021-ngoc-hoi');
  await op.fill('[data-testid="copy-code"]', NEW);
  await op.fill('[data-testid="copy-name"]', 'Bản sao');
  await op.click('[data-testid="copy-submit"]');
  const row = `[data-testid="movements"] tr[data-code="${NEW}"]`;
  await op.waitForSelector(`${row}[data-status="draft"]`);

  // The editor: a new name, two points moved from one criterion to another.
  await op.click(`${row} [data-testid="open-movement"]`);
  await op.waitForSelector('[data-testid="movement-editor"][data-status="draft"]');
  await op.fill('[data-testid="mv-name_vi"]', 'Phong trào thi đua năm 2027');
  const [p0, p1] = [Number(await op.inputValue('[data-testid="area-0-max_points"]')), Number(await op.inputValue('[data-testid="area-1-max_points"]'))];
  await op.fill('[data-testid="area-0-max_points"]', String(p0 - 2));
  // Checked as typed, by the rules the server runs: the sheet no longer adds up.
  await op.waitForSelector('[data-testid="movement-errors"] li[data-field="content_areas"]');
  assert.equal(await op.isDisabled('[data-testid="publish-movement"]'), true);
  await op.fill('[data-testid="area-1-max_points"]', String(p1 + 2));
  await op.waitForSelector('[data-testid="movement-errors"]', { state: 'detached' });
  assert.match(await op.textContent('[data-testid="points-total"]'), /100 \/ 100/);

  // A new indicator, held to at most the first doses.
  const n = await op.$$eval('[data-testid="movement-editor"] fieldset[data-testid^="indicator-"]', (els) => els.length);
  await op.click('[data-testid="add-indicator"]');
  await op.fill(`[data-testid="ind-${n}-code"]`, 'mui-2-trong-ky');
  await op.fill(`[data-testid="ind-${n}-name_vi"]`, 'Số người tiêm mũi 2 trong kỳ');
  await op.fill(`[data-testid="ind-${n}-unit_vi"]`, 'người');
  await op.click(`[data-testid="ind-${n}-add-rule"]`);
  await op.selectOption(`[data-testid="ind-${n}-rule-0-other"]`, 'vac-18-dose1');
  // The other indicator is a ratio: the rule compares with its numerator.
  await op.waitForFunction((sel) => document.querySelector(sel)?.value === 'numerator', `[data-testid="ind-${n}-rule-0-other_part"]`);
  await op.selectOption(`[data-testid="ind-${n}-rule-0-compare"]`, 'at_most');

  // The preview is the phone's form, checked as a unit fills it.
  // A commune's own wording of the first criterion, shown in the preview.
  const area0 = await op.getAttribute('[data-testid="area-0"]', 'data-code');
  await op.selectOption('[data-testid="category-pick"]', 'commune');
  await op.fill(`[data-testid="cat-commune-area-${area0}"]`, 'Xã ban hành nghị quyết chuyên đề trong quý.');

  // The council's rule and the tie-break order are movement data too.
  await op.fill('[data-testid="council-quorum-den"]', '0');
  await op.waitForSelector('[data-testid="movement-errors"] li[data-field="council.quorum"]');
  assert.equal(await op.isDisabled('[data-testid="publish-movement"]'), true);
  await op.fill('[data-testid="council-quorum-den"]', '3');
  await op.waitForSelector('[data-testid="movement-errors"]', { state: 'detached' });
  await op.uncheck('[data-testid="council-strictly"]');
  assert.match(await op.textContent('[data-testid="council-rule"]'), /có từ 1\/2 tổng số thành viên/);
  await op.click('[data-testid="tie-break-earlier_submission-up"]');
  const ties = await op.$$eval('[data-testid="tie-breaks"] li', (lis) => lis.map((li) => li.dataset.code));
  assert.equal(ties.indexOf('earlier_submission'), ties.length - 2, JSON.stringify(ties));
  await op.click('[data-testid="show-preview"]');
  await op.waitForFunction(() => document.querySelector('[data-testid="preview"]')?.textContent.includes('Xã ban hành nghị quyết chuyên đề trong quý.'));
  const pv = '[data-testid="preview"]';
  await op.fill(`${pv} [data-testid="num-vac-18-dose1"]`, '100');
  await op.fill(`${pv} [data-testid="den-vac-18-dose1"]`, '200');
  await op.fill(`${pv} [data-testid="ind-mui-2-trong-ky"]`, '150');
  const ruleErr = '[data-testid="err-indicators.mui-2-trong-ky.value"]';
  assert.equal(await op.textContent(`${pv} ${ruleErr}`), 'Số người tiêm mũi 2 trong kỳ (150) không được lớn hơn Số người đã tiêm mũi 1 (100).');
  await op.click('[data-testid="publish-movement"]');
  await op.waitForSelector('[data-testid="movement-editor"][data-status="published"]');
  await op.goto(server.base + '/quan-tri/phong-trao');
  await hydrated(op);
  await op.waitForSelector(`${row}[data-status="published"]`);
  assert.match(await op.textContent(`${row} [data-testid="open-movement"]`), /Phong trào thi đua năm 2027/);

  // The phone syncs once online and then has both forms.
  let ctx = await persistentPhone(dir);
  let page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page, server.base, reporter.username, reporter.password);
  await page.goto(server.base + '/bao-cao');
  await hydrated(page);
  await page.waitForSelector(`[data-testid="movement-${NEW}"][aria-current="page"]`);
  await page.waitForSelector('[data-testid="movement-covid-2021-ngoc-hoi"]');
  await controlled(page);

  // Offline: a report for the new movement (the newest, shown first), then
  // one for the demo's, opened from the picker.
  await ctx.setOffline(true);
  await page.reload();
  await hydrated(page);
  // The new indicator and its rule, on the phone, offline.
  await page.selectOption('[data-testid="period"]', '2021-11');
  await page.fill('[data-testid="num-vac-18-dose1"]', '100');
  await page.fill('[data-testid="den-vac-18-dose1"]', '200');
  await page.fill('[data-testid="ind-mui-2-trong-ky"]', '150');
  await page.waitForSelector(ruleErr);
  await page.fill('[data-testid="ind-mui-2-trong-ky"]', '80');
  await page.waitForSelector(ruleErr, { state: 'detached' });
  await fill(page, '15', 'Báo cáo cho phong trào năm 2027.');
  await page.click('[data-testid="movement-covid-2021-ngoc-hoi"]');
  await page.waitForSelector('[data-testid="movement-covid-2021-ngoc-hoi"][aria-current="page"]');
  assert.match(page.url(), /phong-trao=covid-2021-ngoc-hoi/);
  await fill(page, '12', 'Báo cáo cho phong trào phòng, chống dịch.');
  assert.equal(await page.getAttribute('[data-testid="sync-bar"]', 'data-waiting'), '2');
  // What waits says which movement each report is for.
  assert.match(await page.textContent(`[data-testid="outbox"] li[data-id="${newId(reporter.unit, '2021-11')}"]`), /Phong trào thi đua năm 2027/);

  // The new movement's report is still its own after a reload offline.
  await page.goto(server.base + `/bao-cao?phong-trao=${NEW}`);
  await hydrated(page);
  await page.selectOption('[data-testid="period"]', '2021-11');
  assert.equal(await page.inputValue('[data-testid="points-chi-dao"]'), '15');

  // A nomination in the new movement, still offline, under its award rules.
  await page.goto(server.base + `/de-nghi?phong-trao=${NEW}`);
  await hydrated(page);
  await page.waitForSelector(`[data-testid="movement-${NEW}"][aria-current="page"]`);
  await page.selectOption('[data-testid="nominee-kind"]', 'collective');
  await page.fill('[data-testid="nominee-name"]', 'Tổ COVID cộng đồng thôn 3');
  await page.fill('[data-testid="summary"]', 'Trực chốt kiểm dịch 120 ngày liên tục.');
  await page.selectOption('[data-testid="award-form"]', 'giay-khen-chu-tich-huyen');
  await page.click('[data-testid="nominate-send"]');
  await page.waitForSelector('[data-testid="outbox"] li:has-text("Tổ COVID cộng đồng thôn 3")[data-state="waiting"]');

  await ctx.setOffline(false);
  await page.waitForFunction(() => document.querySelector('[data-testid="sync-bar"]')?.getAttribute('data-waiting') === '0', null, { timeout: 30_000 });
  const ids = (await serverItems(page)).map((i) => i.id).filter((id) => id.startsWith('rep-')).sort();
  assert.deepEqual(ids, [newId(reporter.unit, '2021-11'), reportId(reporter.unit, '2021-11')].sort());
  await ctx.close();

  // The desk: each movement's report under its own, picked in the URL.
  const dakxuLink = (p) => p.getAttribute(`[data-testid="desk-row"][data-unit="${reporter.unit}"] a`, 'href');
  await op.goto(server.base + `/tiep-nhan?ky=2021-11&phong-trao=${NEW}`);
  await hydrated(op);
  await op.waitForSelector(`[data-testid="movement-${NEW}"][aria-current="page"]`);
  assert.equal(await dakxuLink(op), `/tiep-nhan/${newId(reporter.unit, '2021-11')}`);
  await op.click('[data-testid="movement-covid-2021-ngoc-hoi"]');
  await op.waitForSelector('[data-testid="movement-covid-2021-ngoc-hoi"][aria-current="page"]');
  await op.selectOption('[data-testid="period-picker"]', '2021-11');
  await op.waitForFunction((u) => /phong-trao=covid-2021-ngoc-hoi/.test(location.search) && /ky=2021-11/.test(location.search), reporter.unit);
  await op.waitForFunction((id) => document.querySelector(`[data-testid="desk-row"][data-unit="x23389"] a`)?.getAttribute('href') === `/tiep-nhan/${id}`,
    reportId(reporter.unit, '2021-11'));

  // Consolidation: the new movement counts only the one report filed for it.
  await op.goto(server.base + `/tong-hop?ky=2021-11&phong-trao=${NEW}`);
  await hydrated(op);
  assert.match(await op.textContent('[data-testid="consolidation-count"]'), /^1 báo cáo/);
  assert.match(await op.getAttribute('[data-testid="xlsx-link"]', 'href'), new RegExp(`phong-trao=${NEW}`));

  // The board of the new movement: only Đắk Xú has points.
  await op.goto(server.base + `/bang-xep-hang?cum=nh-cum-1&ky=2021-11&phong-trao=${NEW}`);
  await hydrated(op);
  await op.waitForSelector(`[data-testid="movement-${NEW}"][aria-current="page"]`);
  const totals = await op.$$eval('[data-testid="board-row"]', (rows) => rows.map((r) => [r.dataset.unit, r.querySelector('[data-testid="board-total"]').textContent]));
  const scored = totals.filter(([, t]) => Number(t.replace(',', '.')) > 0);
  assert.deepEqual(scored.map(([u]) => u), [reporter.unit], JSON.stringify(totals));

  // The nominations desk: the phone's nomination under its own movement only.
  const nominee = '[data-testid="nomination"]:has-text("Tổ COVID cộng đồng thôn 3")';
  await op.goto(server.base + `/khen-thuong?phong-trao=${NEW}`);
  await hydrated(op);
  await op.waitForSelector(`[data-testid="movement-${NEW}"][aria-current="page"]`);
  await op.waitForSelector(nominee);
  assert.match(await op.textContent('[data-testid="council-rule"]'), /có từ 1\/2 tổng số thành viên/, 'the rule the editor saved');
  await op.click('[data-testid="movement-covid-2021-ngoc-hoi"]');
  await op.waitForSelector('[data-testid="movement-covid-2021-ngoc-hoi"][aria-current="page"]');
  assert.equal(await op.locator(nominee).count(), 0, 'not on the demo movement\'s desk');

  // A meeting display set to the new movement, November and cluster 1.
  await op.goto(server.base + '/quan-tri/man-hinh');
  await hydrated(op);
  await op.fill('[data-testid="display-name"]', 'Hội trường, năm 2027');
  await op.selectOption('[data-testid="display-movement"]', NEW);
  await op.waitForFunction(() => document.querySelectorAll('[data-testid="display-period"] option').length > 1);
  await op.selectOption('[data-testid="display-period"]', '2021-11');
  await op.check('[data-testid="display-cluster-nh-cum-1"]');
  await op.click('[data-testid="create-display"]');
  const url = (await (await op.waitForSelector('[data-testid="display-url"]')).textContent()).trim();
  await op.waitForSelector('[data-testid="display-shows"]:has-text("Phong trào thi đua năm 2027")');
  const screen = await desk.newPage();
  await screen.goto(url);
  await screen.waitForSelector('[data-testid="board"]');
  assert.equal(await screen.locator('[data-testid="board"]').count(), 1, 'only the cluster chosen');
  assert.match(await screen.textContent('[data-testid="as-of"]'), /Tháng 11\/2021/);
  assert.match(await screen.textContent('[data-testid="board"]'), /Đắk Xú/);
  assert.deepEqual(errors, []);
  await desk.close();
});

test('a movement file is imported in the browser; a bad one is refused whole, each error with its line', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const op = await ctx.newPage();
  const errors = [];
  op.on('pageerror', (e) => errors.push(String(e)));
  await signIn(op, server.base, officer.username, officer.password);
  await op.goto(server.base + '/quan-tri/phong-trao');
  await hydrated(op);
  const seed = readFileSync(new URL('../../data/templates/covid-2021.v1.toml', import.meta.url), 'utf8');
  const bad = seed
    .replace('max_points = 20', 'max_points = 25')
    .replace('rollup = "weighted_ratio"', 'rollup = "sum"')
    .replace('code = "tot"\nlabel_vi = "Tốt"\nlabel_en = "Good"\nmin_total = 80.0', 'code = "tot"\nlabel_vi = "Tốt"\nlabel_en = "Good"\nmin_total = 95.0');
  assert.notEqual(bad, seed);
  const file = (name, text) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
  await op.setInputFiles('[data-testid="movement-file"]', file('sai.toml', bad));
  await op.fill('[data-testid="import-code"]', 'tu-tep');
  await op.click('[data-testid="import-submit"]');
  await op.waitForSelector('[data-testid="file-errors"]');
  const rows = await op.$$eval('[data-testid="file-errors"] tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.equal(rows.length, 3, JSON.stringify(rows));
  const lineOf = (needle) => String(bad.split('\n').findIndex((l) => l.includes(needle)) + 1);
  assert.ok(rows.some(([, m]) => m.startsWith(`Dòng ${lineOf('rollup = "sum"')}:`)), JSON.stringify(rows));
  assert.ok(rows.every(([f, m]) => f.startsWith('movement.') && /^Dòng \d+: /.test(m)), JSON.stringify(rows));
  assert.equal(await op.$('[data-testid="movements"] tr[data-code="tu-tep"]'), null, 'nothing imported');

  // The good file: a draft, ready to edit.
  await op.setInputFiles('[data-testid="movement-file"]', file('dung.toml', seed));
  await op.click('[data-testid="import-submit"]');
  await op.waitForSelector('[data-testid="movements"] tr[data-code="tu-tep"][data-status="draft"]');
  assert.equal(await op.$('[data-testid="file-errors"]'), null);
  assert.deepEqual(errors, []);
  await ctx.close();
});
