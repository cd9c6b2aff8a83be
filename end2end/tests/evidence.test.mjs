// Issue 23: evidence photos and documents from the phone, offline, exactly
// once. A camera photo (over 4 MB, with GPS in its EXIF) and a PDF are
// attached to a report with no network; the photo kept is scaled down and
// has no EXIF; both survive a reload and a browser restart; online, with
// the upload cut twice mid-file, the server holds one copy of each and the
// report is accepted naming both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, hydrated, signIn, persistentPhone, controlled, serverItems, reporter, reportId } from './harness.mjs';

let server;
const profiles = [];
before(async () => { server = await startServer({ accounts: [reporter] }); });
after(async () => {
  await server?.stop();
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
function filesOnServer() {
  const out = [];
  const walk = (d) => {
    let entries = [];
    try { entries = readdirSync(d); } catch { return; }
    for (const e of entries) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p); else out.push(p);
    }
  };
  walk(join(server.dataDir, 'files', 'files'));
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

test('evidence offline: a camera photo loses its EXIF and most of its bytes, survives a restart, then goes exactly once through cuts', async () => {
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
  const stored = filesOnServer();
  assert.equal(stored.length, 2, `one copy of each file on the server: ${stored}`);
  assert.deepEqual(stored.map((p) => statSync(p).size).sort((a, b) => a - b), [doc.size, jpeg.size].sort((a, b) => a - b));
  const items = await serverItems(page);
  const report = items.find((i) => i.id === reportId(reporter.unit, '2021-10'));
  assert.deepEqual(report.body.files.map((f) => f.hash).sort(), [jpeg.hash, doc.hash].sort(), 'the report names both');
  await page.waitForSelector(`[data-testid="file-${jpeg.hash}"][data-state="sent"]`);
  assert.equal(await page.$('[data-testid="files-waiting"]'), null);
  await ctx.close();
});
