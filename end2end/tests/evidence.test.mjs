// Issue 23: evidence photos and documents from the phone, offline, exactly
// once. A camera photo (over 4 MB, with GPS in its EXIF) and a PDF are
// attached to a report with no network; the photo kept is scaled down and
// has no EXIF; both survive a reload and a browser restart; online, with
// the upload cut twice mid-file, the server holds one copy of each, the
// report is accepted naming both, and the phone lets its copies go. The
// same runs with the files on a directory and on an S3-compatible server.
// A nomination and a story carry their files to the district's desk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, hydrated, signIn, persistentPhone, controlled, serverItems, reporter, officer, reportId, launch,
  reporterOnNominatePage, fillHealthWorker } from './harness.mjs';

const servers = {};
let browser;
const profiles = [];
before(async () => {
  servers.directory = await startServer({ accounts: [reporter, officer] });
  servers.s3 = await startServer({ accounts: [reporter], s3: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const s of Object.values(servers)) await s.stop();
  for (const p of profiles) rmSync(p, { recursive: true, force: true });
});

/** The largest photo a phone keeps (BENCHMARKS.md: 1600 px, JPEG 0.8). */
const PHOTO_KEPT_MAX = 500 * 1024;

/**
 * A camera-like JPEG made in the browser: 4000×3000, smooth light with
 * sensor noise, at quality 0.95, with an EXIF block holding a GPS position
 * inserted after the start marker (as a phone's camera writes it).
 */
async function cameraPhoto(page) {
  const bytes = await page.evaluate(async () => {
    const c = new OffscreenCanvas(4000, 3000);
    const g = c.getContext('2d');
    const img = g.createImageData(4000, 3000);
    let x = 2021;
    for (let i = 0; i < img.data.length; i += 4) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      const p = i / 4, col = p % 4000, row = (p / 4000) | 0;
      const n = (x & 31) - 16;
      img.data[i] = (col / 16 + n) & 255;
      img.data[i + 1] = (row / 12 + n) & 255;
      img.data[i + 2] = ((col + row) / 28 + n) & 255;
      img.data[i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    const jpeg = new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.95 })).arrayBuffer());
    // EXIF: a TIFF (big-endian) whose IFD0 points to a GPS IFD with
    // latitude N 14°41′, longitude E 107°40′ (Bờ Y).
    const tiff = [];
    const u16 = (v) => tiff.push((v >> 8) & 255, v & 255);
    const u32 = (v) => { u16((v >>> 16) & 0xffff); u16(v & 0xffff); };
    tiff.push(0x4d, 0x4d); u16(42); u32(8);
    u16(1); u16(0x8825); u16(4); u32(1); u32(26); u32(0); // IFD0: GPSInfo → 26
    u16(4); // GPS IFD, 4 entries
    u16(1); u16(2); u32(2); tiff.push(78, 0, 0, 0); // GPSLatitudeRef "N"
    u16(2); u16(5); u32(3); u32(80); // GPSLatitude → 80
    u16(3); u16(2); u32(2); tiff.push(69, 0, 0, 0); // GPSLongitudeRef "E"
    u16(4); u16(5); u32(3); u32(104); // GPSLongitude → 104
    u32(0);
    for (const [d, m] of [[14, 41], [107, 40]]) { u32(d); u32(1); u32(m); u32(1); u32(0); u32(1); }
    const app1 = [0xff, 0xe1, 0, 0, ...new TextEncoder().encode('Exif'), 0, 0, ...tiff];
    app1[2] = ((app1.length - 2) >> 8) & 255; app1[3] = (app1.length - 2) & 255;
    return Array.from([...jpeg.slice(0, 2), ...app1, ...jpeg.slice(2)]);
  });
  return Buffer.from(bytes);
}

function pdf() {
  const body = '1 0 obj << /Type /Catalog >> endobj\n'.repeat(400);
  return Buffer.from(`%PDF-1.4\n${body}trailer << /Root 1 0 R >>\n%%EOF\n`);
}

/** Files kept by the server (content-addressed, under `files/`). */
function filesOnServer(server) {
  const out = [];
  const walk = (d) => {
    let entries = [];
    try { entries = readdirSync(d); } catch { return; }
    for (const e of entries) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p); else out.push(p);
    }
  };
  walk(server.filesDir);
  return out;
}

/** What the phone keeps of a file: its bytes, read from IndexedDB. */
async function kept(page, hash) {
  return page.evaluate(async (h) => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('thidua'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    const blob = await new Promise((ok) => { const r = db.transaction('files').objectStore('files').get(h); r.onsuccess = () => ok(r.result); });
    if (!blob) return null;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const bmp = await createImageBitmap(blob).catch(() => null);
    const text = new TextDecoder('latin1').decode(bytes);
    return { size: bytes.length, exif: text.includes('Exif'), width: bmp?.width, height: bmp?.height };
  }, hash);
}

const fileItems = (page) => page.$$eval('[data-testid="files-chi-dao"] li', (ls) => ls.map((l) => ({
  hash: l.dataset.testid.slice(5), size: Number(l.dataset.size), kind: l.dataset.kind, state: l.dataset.state,
})));

/** Until the phone no longer keeps the file (after its item is stored). */
async function letGo(page, hash) {
  const deadline = Date.now() + 20_000;
  while (await kept(page, hash)) {
    assert.ok(Date.now() < deadline, `the phone still keeps ${hash}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The offline report with a camera photo and a PDF, on `server`. */
async function reportWithFiles(server) {
  const dir = mkdtempSync(join(tmpdir(), 'thidua-evidence-'));
  profiles.push(dir);
  let ctx = await persistentPhone(dir);
  let page = ctx.pages()[0] || await ctx.newPage();
  await signIn(page, server.base, reporter.username, reporter.password);
  await page.goto(server.base + '/bao-cao');
  await hydrated(page);
  await page.waitForSelector('[data-testid="period"]');
  await controlled(page);
  const photo = await cameraPhoto(page);
  assert.ok(photo.length >= 4 * 1024 * 1024, `the camera photo is ${photo.length} bytes`);
  assert.ok(photo.includes(Buffer.from('Exif')), 'the fixture carries EXIF');

  // No network from here until the end.
  await ctx.setOffline(true);
  await page.reload();
  await hydrated(page);
  await page.selectOption('[data-testid="period"]', '2021-10');
  await page.waitForSelector('[data-testid="points-chi-dao"]');
  await page.fill('[data-testid="points-chi-dao"]', '15');
  await page.setInputFiles('[data-testid="attach-chi-dao"]', [
    { name: 'IMG_20211015_0930.jpg', mimeType: 'image/jpeg', buffer: photo },
    { name: 'bien-ban-kiem-tra.pdf', mimeType: 'application/pdf', buffer: pdf() },
  ]);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="files-chi-dao"] li').length === 2, null, { timeout: 30_000 });
  const files = await fileItems(page);
  const jpeg = files.find((f) => f.kind === 'jpeg');
  const doc = files.find((f) => f.kind === 'pdf');
  console.log(`evidence: camera photo ${photo.length} B → kept ${jpeg.size} B; PDF ${doc.size} B`);
  assert.ok(jpeg.size <= PHOTO_KEPT_MAX, `the photo kept is ${jpeg.size} bytes`);
  const k = await kept(page, jpeg.hash);
  assert.equal(k.exif, false, 'no EXIF (no GPS) in the photo kept');
  assert.equal(Math.max(k.width, k.height), 1600);
  assert.equal(k.size, jpeg.size);
  await page.fill('[data-testid="achievements"]', 'Tiêm chủng tại trạm y tế xã, có ảnh và biên bản.');
  await page.click('[data-testid="send-report"]');
  await page.waitForSelector('[data-testid="report-state"][data-state="waiting"]');
  assert.equal(await page.getAttribute('[data-testid="files-waiting"]', 'data-count'), '2');

  // A reload, then the browser closed and opened again, still offline.
  await page.reload();
  await hydrated(page);
  await page.selectOption('[data-testid="period"]', '2021-10');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="files-chi-dao"] li').length === 2);
  await ctx.close();
  ctx = await persistentPhone(dir, { offline: true });
  page = ctx.pages()[0] || await ctx.newPage();
  await page.goto(server.base + '/bao-cao');
  await hydrated(page);
  await page.selectOption('[data-testid="period"]', '2021-10');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="files-chi-dao"] li').length === 2);
  assert.equal((await kept(page, jpeg.hash)).size, jpeg.size, 'the photo is still on the phone');
  assert.equal((await kept(page, doc.hash)).size, doc.size, 'the document too');

  // Online, with the photo's second chunk cut twice on its way.
  let cuts = 0;
  await ctx.route('**/api/files/**', async (route) => {
    const r = route.request();
    if (r.method() === 'PUT' && !r.url().includes('tu=0&') && r.url().includes(jpeg.hash) && cuts < 2) {
      cuts += 1;
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  await ctx.setOffline(false);
  await page.waitForSelector('[data-testid="report-state"][data-state="synced"]', { timeout: 90_000 });
  assert.equal(cuts, 2, 'the upload was cut twice');
  const stored = filesOnServer(server);
  assert.equal(stored.length, 2, `one copy of each file on the server: ${stored}`);
  assert.deepEqual(stored.map((p) => statSync(p).size).sort((a, b) => a - b), [doc.size, jpeg.size].sort((a, b) => a - b));
  const items = await serverItems(page);
  const report = items.find((i) => i.id === reportId(reporter.unit, '2021-10'));
  assert.deepEqual(report.body.files.map((f) => f.hash).sort(), [jpeg.hash, doc.hash].sort(), 'the report names both');
  await page.waitForSelector(`[data-testid="file-${jpeg.hash}"][data-state="sent"]`);
  assert.equal(await page.$('[data-testid="files-waiting"]'), null);
  // Stored with its files: the phone need not keep them any more.
  await letGo(page, jpeg.hash);
  await letGo(page, doc.hash);
  await page.waitForSelector(`[data-testid="file-${jpeg.hash}"][data-state="sent"]`);
  await ctx.close();
}

test('evidence offline: a camera photo loses its EXIF and most of its bytes, survives a restart, then goes exactly once through cuts', async () => {
  await reportWithFiles(servers.directory);
});

test('the same, with the files on an S3-compatible server', async () => {
  await reportWithFiles(servers.s3);
});

/** A small photo made in the browser, different for each `seed`. */
async function smallPhoto(page, seed) {
  const bytes = await page.evaluate(async (seed) => {
    const c = new OffscreenCanvas(640, 480);
    const g = c.getContext('2d');
    g.fillStyle = `rgb(${seed * 40 % 255}, 120, 60)`;
    g.fillRect(0, 0, 640, 480);
    g.fillStyle = '#fff';
    g.fillRect(100 + seed * 10, 100, 200, 150);
    return Array.from(new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer()));
  }, seed);
  return Buffer.from(bytes);
}

test('a nomination and a story carry their photos to the district', async () => {
  const server = servers.directory;
  const { pctx, ph } = await reporterOnNominatePage(browser, server.base);
  await fillHealthWorker(ph, 'Y Nhung', '1990', 'Trực chốt kiểm dịch 90 ngày, có ảnh và giấy xác nhận.');
  await ph.setInputFiles('[data-testid="attach-nomination"]', [
    { name: 'truc-chot.jpg', mimeType: 'image/jpeg', buffer: await smallPhoto(ph, 1) },
    { name: 'giay-xac-nhan.pdf', mimeType: 'application/pdf', buffer: pdf() },
  ]);
  await ph.waitForFunction(() => document.querySelectorAll('[data-testid="files-nomination"] li').length === 2, null, { timeout: 30_000 });
  // Kept as a draft with its files: a reload opens it again.
  await ph.reload();
  await hydrated(ph);
  await ph.waitForSelector('[data-testid="editing"]');
  await ph.waitForFunction(() => document.querySelectorAll('[data-testid="files-nomination"] li').length === 2, null, { timeout: 30_000 });
  const nomFiles = await ph.$$eval('[data-testid="files-nomination"] li', (ls) => ls.map((l) => l.dataset.testid.slice(5)));
  await ph.click('[data-testid="nominate-send"]');
  await ph.waitForSelector('[data-testid="outbox"] li:has-text("Y Nhung")[data-state="synced"]', { timeout: 60_000 });
  assert.equal(await ph.locator('[data-testid="files-nomination"] li').count(), 0, 'the form is cleared with its files');

  await ph.fill('[data-testid="story-title"]', 'Chốt kiểm dịch trên đất hiến tặng');
  await ph.fill('[data-testid="story-text"]', 'Người dân thôn 3 góp đất, góp công dựng chốt.');
  await ph.setInputFiles('[data-testid="attach-story"]', [{ name: 'chot.jpg', mimeType: 'image/jpeg', buffer: await smallPhoto(ph, 2) }]);
  await ph.waitForFunction(() => document.querySelectorAll('[data-testid="files-story"] li').length === 1, null, { timeout: 30_000 });
  const [storyFile] = await ph.$$eval('[data-testid="files-story"] li', (ls) => ls.map((l) => l.dataset.testid.slice(5)));
  await ph.click('[data-testid="story-send"]');
  await ph.waitForSelector('[data-testid="outbox"] li:has-text("Chốt kiểm dịch")[data-state="synced"]', { timeout: 60_000 });
  const items = await serverItems(ph);
  const nomination = items.find((i) => i.body.name === 'Y Nhung');
  assert.deepEqual(nomination.body.files.map((f) => f.hash).sort(), [...nomFiles].sort(), 'the nomination names its files');
  assert.deepEqual(items.find((i) => i.body.title === 'Chốt kiểm dịch trên đất hiến tặng').body.files.map((f) => f.hash), [storyFile]);
  for (const h of [...nomFiles, storyFile]) await letGo(ph, h);

  // The district's desk shows the nomination's files; its officer opens the story's.
  const octx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const op = await octx.newPage();
  await signIn(op, server.base, officer.username, officer.password);
  await op.goto(server.base + '/khen-thuong');
  await hydrated(op);
  const row = '[data-testid="nomination"]:has-text("Y Nhung")';
  await op.waitForSelector(`${row} [data-testid="evidence-file"]`);
  assert.deepEqual((await op.$$eval(`${row} [data-testid="evidence-file"]`, (as) => as.map((a) => a.dataset.hash))).sort(), [...nomFiles].sort());
  // Its photo's thumbnail, made on the server, loads.
  await op.waitForFunction(() => [...document.querySelectorAll('[data-testid="nomination"]')]
    .filter((li) => li.textContent.includes('Y Nhung'))
    .some((li) => [...li.querySelectorAll('img')].some((i) => i.complete && i.naturalWidth > 0)));
  const story = await op.request.get(`${server.base}/minh-chung/${storyFile}`);
  assert.equal(story.status(), 200);
  assert.equal(story.headers()['content-type'], 'image/jpeg');
  await Promise.all([pctx.close(), octx.close()]);
});
