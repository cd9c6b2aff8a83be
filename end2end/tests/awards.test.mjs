// Issue 7: a commune nominates offline, the nomination syncs,
// the district puts it to the council, a member votes, the district closes
// the sitting (minutes) and records its decision; the certificate PDF
// downloads and the public decisions page lists the award (no personal facts)
// and checks the certificate's code. The PDF's text is read back in
// server/tests/council.rs. A unit's story with a script in it is published
// by the media officer and shows as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, phone, hydrated, signIn, officer, reporter, fillHealthWorker,
  reporterOnNominatePage as harnessReporterOn } from './harness.mjs';

const member = { username: 'hoidong1', displayName: 'Thành viên Hội đồng (minh họa)', role: 'council_member', unit: 'd611', password: 'mat-khau-hoi-dong-2021' };
const media = { username: 'truyenthong', displayName: 'Trung tâm Văn hóa – Truyền thông (minh họa)', role: 'media_officer', unit: 'd611', password: 'mat-khau-truyen-thong-2021' };

let server;
let browser;
before(async () => { server = await startServer({ accounts: [reporter, officer, member, media] }); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

/** The commune reporter's phone on /de-nghi (`harness.mjs`). */
const reporterOnNominatePage = () => harnessReporterOn(browser, server.base);

test('offline nomination → sync → council vote → minutes → district decision', async () => {
  // The commune's phone, offline when it files.
  const { pctx, ph } = await reporterOnNominatePage();
  await pctx.setOffline(true);
  await fillHealthWorker(ph, 'Y Hạnh', '1988', 'Trực chốt kiểm dịch cửa khẩu 90 ngày, truy vết 300 trường hợp.');
  await ph.click('[data-testid="nominate-send"]');
  const item = '[data-testid="outbox"] li:has-text("Y Hạnh")';
  await ph.waitForSelector(`${item}[data-state="waiting"]`);
  await pctx.setOffline(false);
  await ph.waitForSelector(`${item}[data-state="synced"]`, { timeout: 30_000 });

  // The district's desk: eligible, put to the council.
  const octx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const op = await octx.newPage();
  await signIn(op, server.base, officer.username, officer.password);
  await op.goto(server.base + '/khen-thuong');
  await hydrated(op);
  const row = '[data-testid="nomination"]:has-text("Y Hạnh")';
  await op.waitForSelector(row);
  assert.equal(await op.locator(`${row} [data-testid="violation"]`).count(), 0, 'eligible');
  await op.check(`${row} [data-testid="pick"]`);
  await op.fill('[data-testid="sitting-title"]', 'Phiên họp Hội đồng tháng 12/2021');
  await op.click('[data-testid="open-sitting-submit"]');
  await op.waitForSelector('[data-testid="sitting"][data-closed="false"]');
  assert.match(await op.textContent('[data-testid="sitting"]'), /0\/1 thành viên đã biểu quyết/);

  // The council member votes, once.
  const cctx = await phone(browser);
  const cp = await cctx.newPage();
  await signIn(cp, server.base, member.username, member.password);
  await cp.goto(server.base + '/hoi-dong');
  await hydrated(cp);
  await cp.waitForSelector('[data-testid="ballot-item"]:has-text("Y Hạnh")');
  assert.match(await cp.textContent('[data-testid="ballot-item"]'), /Giấy khen của Chủ tịch UBND huyện/);
  await cp.click('[data-testid="vote-approve"]');
  await cp.waitForSelector('[data-testid="my-vote"]');
  assert.match(await cp.textContent('[data-testid="my-vote"]'), /Đồng ý/);
  assert.equal(await cp.locator('[data-testid="vote-reject"]').count(), 0, 'no second vote');

  // The officer closes the sitting: the minutes show the count.
  await op.reload();
  await hydrated(op);
  assert.match(await op.textContent('[data-testid="sitting"]'), /1\/1 thành viên đã biểu quyết/);
  await op.click('[data-testid="close-sitting"]');
  await op.waitForSelector('[data-testid="minutes-link"]');
  await op.click('[data-testid="minutes-link"]');
  await op.waitForSelector('[data-testid="minutes-results"]');
  assert.match(await op.textContent('[data-testid="attendance"]'), /1\/1/);
  assert.equal((await op.textContent('[data-testid="outcome"]')).trim(), 'Thông qua');

  // The decision of the district chair.
  await op.goto(server.base + '/khen-thuong');
  await hydrated(op);
  await op.check(`${row} [data-testid="pick"]`);
  await op.fill('[data-testid="decision-number"]', '125/QĐ-UBND');
  await op.fill('[data-testid="decision-date"]', '2022-01-10');
  await op.fill('[data-testid="decision-signer"]', 'Chủ tịch UBND huyện');
  await op.click('[data-testid="decide-submit"]');
  await op.waitForSelector(`${row}[data-stage="Decided"]`);
  assert.match(await op.textContent(row), /QĐ số 125\/QĐ-UBND/);
  // The register finds it without diacritics.
  await op.goto(server.base + '/khen-thuong/so?q=Y+HANH');
  await hydrated(op);
  assert.match(await (await op.waitForSelector('[data-testid="register"] tbody tr')).textContent(), /Y Hạnh.*125\/QĐ-UBND/);
  await op.goto(server.base + '/khen-thuong');
  await hydrated(op);

  // The certificate downloads as a PDF; its code checks out on the public page.
  const href = await op.getAttribute(`${row} [data-testid="certificates"]`, 'href');
  const pdf = await op.request.get(server.base + href);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const text = (await pdf.body()).toString('latin1');
  assert.match(text, /^%PDF-/);
  const code = (await op.textContent(`${row} [data-testid="decision-code"]`)).trim();
  assert.match(code, /^[2-9A-HJKMNP-Z]{10}$/);
  const pub = await browser.newContext({ locale: 'vi-VN' });
  const pp = await pub.newPage();
  await pp.goto(server.base + '/quyet-dinh?q=y+hanh');
  await pp.waitForSelector('[data-testid="decisions"] li');
  assert.match(await pp.textContent('[data-testid="decisions"]'), /Y Hạnh — Xã Đắk Xú — Giấy khen của Chủ tịch UBND huyện \(Quyết định số 125\/QĐ-UBND, ngày 10\/01\/2022\)/);
  assert.doesNotMatch(await pp.textContent('main'), /1988|Xơ Đăng|Y sĩ/, 'no personal facts in public');
  await pp.goto(server.base + '/quyet-dinh?ma=' + code.toLowerCase());
  assert.match(await (await pp.waitForSelector('[data-testid="verified"]')).textContent(), /hợp lệ: Y Hạnh/);
  await pp.goto(server.base + '/quyet-dinh?ma=SAIMA23456');
  await pp.waitForSelector('[data-testid="not-verified"]');
  await Promise.all([pctx.close(), octx.close(), cctx.close(), pub.close()]);
});

test('a story with <script> in it is published and shows as text', async () => {
  const { pctx, ph } = await reporterOnNominatePage();
  await ph.fill('[data-testid="story-title"]', 'Chốt kiểm dịch trên đất hiến tặng');
  await ph.fill('[data-testid="story-text"]', '<script>alert(1)</script> Người dân thôn 3 góp đất, góp công.');
  await ph.click('[data-testid="story-send"]');
  await ph.waitForSelector('[data-testid="outbox"] li:has-text("Chốt kiểm dịch")[data-state="synced"]', { timeout: 60_000 });

  const mctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const mp = await mctx.newPage();
  await signIn(mp, server.base, media.username, media.password);
  await mp.goto(server.base + '/bien-tap');
  await hydrated(mp);
  await mp.click('[data-testid="draft"] summary');
  await mp.fill('[data-testid="draft"] [data-testid="publish-title"]', 'Chốt kiểm dịch trên đất hiến tặng ở thôn 3');
  await mp.click('[data-testid="draft"] [data-testid="publish-submit"]');
  await mp.waitForSelector('[data-testid="draft"] .badge', { timeout: 30_000 });

  const pub = await browser.newContext({ locale: 'vi-VN' });
  const pp = await pub.newPage();
  let alerted = false;
  pp.on('dialog', async (d) => { alerted = true; await d.dismiss(); });
  await pp.goto(server.base + '/guong-dien-hinh');
  await hydrated(pp);
  await pp.click('[data-testid="stories"] a:has-text("thôn 3")');
  await pp.waitForSelector('[data-testid="story-text"]');
  await hydrated(pp);
  assert.equal((await pp.textContent('[data-testid="story-text"]')).trim(), '<script>alert(1)</script> Người dân thôn 3 góp đất, góp công.');
  assert.equal(await pp.locator('[data-testid="story-text"] script').count(), 0, 'no script element');
  assert.equal(alerted, false);
  await Promise.all([pctx.close(), mctx.close(), pub.close()]);
});
