// Issue 4: a commune official on a phone with no signal never loses a word.
// Debian Chromium, release WASM, 360 px; the network is cut with
// context.setOffline and with request routing (lost replies, captive portal).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, phone, hydrated, signIn, persistentPhone, primedOfflinePhone, controlled, serverItems, reporter, reportId } from './harness.mjs';

let server, browser;
const profiles = [];
before(async () => { server = await startServer({ accounts: [reporter] }); browser = await launch(); });
after(async () => {
  await browser?.close();
  await server?.stop();
  for (const p of profiles) rmSync(p, { recursive: true, force: true });
});

function profile() {
  const d = mkdtempSync(join(tmpdir(), 'thidua-phone-'));
  profiles.push(d);
  return d;
}

/** Signs in and opens the report page until the form is on the phone. */
async function ready(page) {
  await signIn(page, server.base, reporter.username, reporter.password);
  await page.goto(server.base + '/bao-cao');
  await hydrated(page);
  await page.waitForSelector('[data-testid="period"]');
  await controlled(page);
}

async function fillReport(page, period, points, text) {
  await page.selectOption('[data-testid="period"]', period);
  await page.waitForSelector('[data-testid="points-chi-dao"]');
  await page.fill('[data-testid="points-chi-dao"]', points);
  await page.fill('[data-testid="evidence-chi-dao"]', 'Nghị quyết số 12/NQ-ĐU');
  await page.fill('[data-testid="achievements"]', text);
}

const state = (page) => page.getAttribute('[data-testid="report-state"]', 'data-state');

test('offline: opens, keeps a report through reloads and a browser restart, then syncs it once', async () => {
  const dir = profile();
  let ctx = await persistentPhone(dir);
  let page = ctx.pages()[0] || await ctx.newPage();
  await ready(page);

  await ctx.setOffline(true);
  await page.reload();
  await hydrated(page);
  await page.waitForSelector('[data-testid="period"]');
  assert.equal(await page.getAttribute('[data-testid="sync-bar"]', 'data-online'), 'false');
  await fillReport(page, '2021-10', '12,5', 'Không có ca mắc mới trong tháng.');
  await page.click('[data-testid="send-report"]');
  await page.waitForSelector('[data-testid="report-state"][data-state="waiting"]');
  assert.equal(await page.getAttribute('[data-testid="sync-bar"]', 'data-waiting'), '1');

  await page.reload();
  await hydrated(page);
  await page.selectOption('[data-testid="period"]', '2021-10');
  await page.waitForSelector('[data-testid="report-state"][data-state="waiting"]');
  await ctx.close();

  // The browser closed and opened again, still without a network.
  ctx = await persistentPhone(dir, { offline: true });
  page = ctx.pages()[0] || await ctx.newPage();
  await page.goto(server.base + '/bao-cao');
  await hydrated(page);
  await page.selectOption('[data-testid="period"]', '2021-10');
  await page.waitForSelector('[data-testid="report-state"][data-state="waiting"]');
  assert.equal(await page.inputValue('[data-testid="points-chi-dao"]'), '12,5', 'what was typed is still there');

  await ctx.setOffline(false);
  await page.waitForSelector('[data-testid="report-state"][data-state="synced"]', { timeout: 30_000 });
  assert.match(await page.textContent('[data-testid="receipt"]'), /Biên nhận [0-9a-f]{12}/);
  const items = await serverItems(page);
  assert.equal(items.length, 1, 'exactly one report on the server');
  assert.equal(items[0].body.achievements, 'Không có ca mắc mới trong tháng.');
  assert.equal(items[0].revision, 1);
  await ctx.close();
});

test('50 items through a flapping network, with replies lost after commit: each on the server once', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await ready(page);
  // 50 difficulties queued on the phone (the form makes them one at a time;
  // here they are written to the phone's store directly).
  await page.evaluate(async () => {
    for (let i = 0; i < 50; i++) {
      const id = `kk-flap-${String(i).padStart(3, '0')}`;
      const item = { id, revision: 1, acked: 0, in_doubt: false, kind: 'difficulty',
        body: { unit: 'x23389', title: `Khó khăn số ${i}`, details: 'Thiếu nhân lực trực chốt kiểm dịch.' },
        state: 'waiting', receipt: null, errors: [], server: null, return_comment: null };
      await thiduaLocal.put('items', id, JSON.stringify(item));
    }
    new BroadcastChannel('thidua').postMessage('changed');
  });
  await page.waitForFunction(() => document.querySelector('[data-testid="sync-bar"]').dataset.waiting === '50');

  // Pulls and pushes meet faults in turn, then the network behaves: a
  // captive portal's 200 page, a gateway error, a cut before the request
  // leaves, and a cut after the server committed the batch.
  const pullFaults = ['portal', 'error500'];
  const pushFaults = ['abort', 'portal', 'error500', 'commit-then-cut'];
  let pulls = 0, pushes = 0;
  const apply = async (route, fault) => {
    if (fault === 'abort') return route.abort('internetdisconnected');
    if (fault === 'commit-then-cut') { await route.fetch(); return route.abort('connectionreset'); }
    if (fault === 'portal') return route.fulfill({ status: 200, contentType: 'text/html', body: '<html><body>Đăng nhập Wi-Fi miễn phí</body></html>' });
    if (fault === 'error500') return route.fulfill({ status: 500, body: 'Bad gateway' });
    return route.continue();
  };
  await page.route('**/api/sync/pull', (route) => apply(route, pullFaults[pulls++]));
  await page.route('**/api/sync/push', async (route) => {
    const fault = pushFaults[pushes++];
    if (fault && fault !== 'commit-then-cut') {
      // Nothing may count as delivered before the server really answered.
      const waiting = await page.getAttribute('[data-testid="sync-bar"]', 'data-waiting');
      assert.equal(waiting, '50', `still 50 waiting before push ${pushes}`);
    }
    return apply(route, fault);
  });
  for (let round = 0; round < 20; round++) {
    await ctx.setOffline(true);
    await ctx.setOffline(false); // the `online` event starts a sync at once
    await page.waitForTimeout(400);
    const waiting = await page.getAttribute('[data-testid="sync-bar"]', 'data-waiting');
    if (waiting === '0') break;
  }
  await page.waitForFunction(() => document.querySelector('[data-testid="sync-bar"]').dataset.waiting === '0', null, { timeout: 30_000 });
  assert.ok(pulls >= pullFaults.length, `every pull fault was met (${pulls} pulls)`);
  assert.ok(pushes >= pushFaults.length, `every push fault was met (${pushes} pushes)`);
  const items = (await serverItems(page)).filter((i) => i.id.startsWith('kk-flap-'));
  assert.equal(items.length, 50, 'all 50 on the server');
  assert.equal(new Set(items.map((i) => i.id)).size, 50, 'none twice');
  assert.ok(items.every((i) => i.revision === 1));
  const states = await page.$$eval('[data-testid="outbox"] li[data-id^="kk-flap-"]', (lis) => lis.map((l) => l.dataset.state));
  assert.equal(states.length, 50);
  assert.ok(states.every((s) => s === 'synced'), states.join(','));
  await ctx.close();
});

test('two phones edit one report offline: one wins, the other sees both and chooses', async () => {
  const a = await phone(browser);
  const b = await phone(browser);
  const pa = await a.newPage();
  const pb = await b.newPage();
  await ready(pa);
  await ready(pb);
  await a.setOffline(true);
  await b.setOffline(true);
  await fillReport(pa, '2021-11', '10', 'Bản của máy A');
  await pa.click('[data-testid="send-report"]');
  await fillReport(pb, '2021-11', '14', 'Bản của máy B');
  await pb.click('[data-testid="send-report"]');
  await a.setOffline(false);
  await pa.waitForSelector('[data-testid="report-state"][data-state="synced"]', { timeout: 30_000 });
  await b.setOffline(false);
  await pb.waitForSelector('[data-testid="conflict"]', { timeout: 30_000 });
  assert.match(await pb.textContent('[data-testid="conflict-mine"]'), /Bản của máy B/);
  assert.match(await pb.textContent('[data-testid="conflict-theirs"]'), /Bản của máy A/);
  await pb.click('[data-testid="keep-mine"]');
  await pb.waitForSelector('[data-testid="report-state"][data-state="synced"]', { timeout: 30_000 });
  const items = (await serverItems(pb)).filter((i) => i.id === reportId('x23389', '2021-11'));
  assert.equal(items.length, 1);
  assert.equal(items[0].body.achievements, 'Bản của máy B');
  assert.equal(items[0].revision, 2, 'B went again on A\'s revision');
  await a.close();
  await b.close();
});

test('an item the server refuses shows why and stays editable; the others sync', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await ready(page);
  await page.evaluate(async (reportId) => {
    // A report that passed an old app's checks but breaks the server's rule
    // (99 points where the maximum is 20), queued with two good items.
    const put = (item) => thiduaLocal.put('items', item.id, JSON.stringify(item));
    const base = { revision: 1, acked: 0, in_doubt: false, state: 'waiting', receipt: null, errors: [], server: null, return_comment: null };
    await put({ ...base, id: reportId, kind: 'report',
      body: { unit: 'x23389', period: '2021-12', scores: [{ area: 'chi-dao', points: 99, evidence: 'x' }], indicators: [], achievements: '' } });
    for (const n of [1, 2]) {
      await put({ ...base, id: `kk-ok-${n}`, kind: 'difficulty', body: { unit: 'x23389', title: `Việc ${n}`, details: 'Chi tiết' } });
    }
    new BroadcastChannel('thidua').postMessage('changed');
  }, reportId('x23389', '2021-12'));
  await ctx.setOffline(true);
  await ctx.setOffline(false);
  await page.waitForSelector('[data-testid="outbox"] li[data-id="kk-ok-2"][data-state="synced"]', { timeout: 30_000 });
  await page.waitForSelector('[data-testid="outbox"] li[data-id="kk-ok-1"][data-state="synced"]');
  await page.waitForSelector(`[data-testid="outbox"] li[data-id="${reportId('x23389', '2021-12')}"][data-state="error"]`);
  await page.selectOption('[data-testid="period"]', '2021-12');
  await page.waitForSelector('[data-testid="report-state"][data-state="error"]');
  assert.match(await page.textContent('[data-testid="server-errors"]'), /phải từ 0 đến 20/);
  assert.equal(await page.isEditable('[data-testid="points-chi-dao"]'), true, 'still editable');
  await page.fill('[data-testid="points-chi-dao"]', '15');
  await page.click('[data-testid="send-report"]');
  await page.waitForSelector('[data-testid="report-state"][data-state="synced"]', { timeout: 30_000 });
  await ctx.close();
});

test('two tabs: one syncs, both show the same state, nothing is pushed twice', async () => {
  const ctx = await phone(browser);
  const t1 = await ctx.newPage();
  await ready(t1);
  const t2 = await ctx.newPage();
  await t2.goto(server.base + '/bao-cao');
  await hydrated(t2);
  const bodies = [];
  await ctx.route('**/api/sync/push', async (route) => {
    const res = await route.fetch();
    const reply = await res.json();
    bodies.push(...reply.acks.map((a) => a.id));
    await route.fulfill({ response: res, json: reply });
  });
  await t1.fill('[data-testid="difficulty-title"]', 'Hai thẻ cùng mở');
  await t1.fill('[data-testid="difficulty-details"]', 'Kiểm tra đồng bộ một lần.');
  await t1.click('[data-testid="difficulty-send"]');
  for (const t of [t1, t2]) {
    await t.waitForFunction(() => [...document.querySelectorAll('[data-testid="outbox"] li')].some((l) => l.textContent.includes('Hai thẻ cùng mở') && l.dataset.state === 'synced'), null, { timeout: 30_000 });
  }
  // Both tabs nudge a sync at once; the lock lets one run.
  await ctx.setOffline(true);
  await ctx.setOffline(false);
  await t1.waitForTimeout(1500);
  const ids = (await serverItems(t1)).filter((i) => i.body.title === 'Hai thẻ cùng mở').map((i) => i.id);
  assert.equal(ids.length, 1);
  assert.equal(bodies.filter((id) => id === ids[0]).length, 1, 'pushed once, by one tab');
  await ctx.close();
});

test('an ended session: sync asks to sign in again and keeps the queue', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await ready(page);
  await ctx.clearCookies(); // the session is gone, as after expiry or a password reset
  await page.fill('[data-testid="difficulty-title"]', 'Gửi sau khi đăng nhập lại');
  await page.fill('[data-testid="difficulty-details"]', 'Không được mất.');
  await page.click('[data-testid="difficulty-send"]');
  await page.waitForSelector('[data-testid="sync-sign-in"]', { timeout: 30_000 });
  const li = '[data-testid="outbox"] li:has-text("Gửi sau khi đăng nhập lại")';
  assert.equal(await page.getAttribute(li, 'data-state'), 'waiting', 'kept in the queue');
  await signIn(page, server.base, reporter.username, reporter.password);
  await page.goto(server.base + '/bao-cao');
  await hydrated(page);
  await page.waitForSelector(`${li}[data-state="synced"]`, { timeout: 30_000 });
  await ctx.close();
});

test('a nomination is checked as typed against the award rules, then synced; a story too', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await ready(page);
  await page.goto(server.base + '/de-nghi');
  await hydrated(page);
  await page.waitForSelector('[data-testid="award-form"] option', { state: 'attached' });
  await page.selectOption('[data-testid="nominee-kind"]', 'household');
  await page.fill('[data-testid="nominee-name"]', 'Hộ ông A Thắng');
  await page.fill('[data-testid="summary"]', 'Hiến đất làm chốt kiểm dịch.');
  await page.selectOption('[data-testid="award-form"]', 'bang-khen-chu-tich-tinh');
  await page.click('[data-testid="nominate-send"]');
  assert.match(await (await page.waitForSelector('[data-testid="err-form"]')).textContent(), /không tặng cho hộ gia đình/);
  await page.selectOption('[data-testid="award-form"]', 'giay-khen-chu-tich-huyen');
  await page.click('[data-testid="nominate-send"]');
  await page.waitForSelector('[data-testid="outbox"] li:has-text("Hộ ông A Thắng")[data-state="synced"]', { timeout: 30_000 });

  await page.fill('[data-testid="story-title"]', 'Chốt kiểm dịch trên đất hiến tặng');
  await page.fill('[data-testid="story-text"]', '<script>alert(1)</script> Người dân thôn 3 góp đất, góp công.');
  await page.click('[data-testid="story-send"]');
  await page.waitForSelector('[data-testid="outbox"] li:has-text("Chốt kiểm dịch")[data-state="synced"]', { timeout: 30_000 });
  const items = await serverItems(page);
  assert.equal(items.filter((i) => i.kind === 'nomination').length, 1);
  assert.equal(items.find((i) => i.kind === 'story').body.text, '<script>alert(1)</script> Người dân thôn 3 góp đất, góp công.', 'stored as text');
  await ctx.close();
});

/**
 * A network in front of the server that can hold page requests: while
 * `hold` is set, a GET of that path is taken and not answered until
 * `release()`. Everything else passes through.
 */
async function weakNetwork(target) {
  const { createServer, request } = await import('node:http');
  const t = new URL(target);
  const net = { held: 0, hold: null, waiting: [] };
  net.release = () => { for (const go of net.waiting.splice(0)) go(); };
  const proxy = createServer((req, res) => {
    const pass = () => {
      const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (req.method === 'GET' && net.hold && req.url === net.hold) {
      net.held++;
      net.waiting.push(pass);
    } else {
      pass();
    }
  });
  await new Promise((ok) => proxy.listen(0, '127.0.0.1', ok));
  net.base = `http://127.0.0.1:${proxy.address().port}`;
  net.close = () => { net.release(); proxy.closeAllConnections?.(); proxy.close(); };
  return net;
}

test('a weak signal: a page the network holds back opens from the phone', async () => {
  const net = await weakNetwork(server.base);
  const dir = profile();
  try {
    await primedOfflinePhone(net.base, dir);
    const ctx = await persistentPhone(dir);
    try {
      net.hold = '/bao-cao';
      const page = ctx.pages()[0] || await ctx.newPage();
      await page.goto(net.base + '/bao-cao', { waitUntil: 'commit', timeout: 30_000 });
      await hydrated(page);
      await page.waitForSelector('[data-testid="period"]');
      assert.ok(net.held >= 1, 'the page was asked of the network, which has not answered');
      assert.equal(net.waiting.length, net.held, 'and still has not');
    } finally {
      net.release();
      await ctx.close();
    }
  } finally {
    net.close();
  }
});

/** How many items, meta entries and evidence files the phone's own store holds. */
const stored = (page) => page.evaluate(() => new Promise((ok, fail) => {
  const r = indexedDB.open('thidua');
  r.onerror = () => fail(r.error);
  r.onsuccess = () => {
    const t = r.result.transaction(['items', 'meta', 'files']);
    const items = t.objectStore('items').count();
    const meta = t.objectStore('meta').count();
    const files = t.objectStore('files').count();
    t.oncomplete = () => ok([items.result, meta.result, files.result]);
  };
}));

test('a shared phone: sign-out says what is unsent and sends it first, then leaves nothing of the person offline', async () => {
  const dir = profile();
  const ctx = await persistentPhone(dir);
  const page = ctx.pages()[0] || await ctx.newPage();
  await ready(page);
  // The first sync done (a period no other test here files), so the report
  // below is this phone's own and not a conflict with another's.
  await page.waitForSelector('[data-testid="last-sync"]', { timeout: 30_000 });
  await ctx.setOffline(true);
  await fillReport(page, '2022-02', '9', 'Báo cáo riêng của Đắk Xú tháng 2.');
  await page.click('[data-testid="send-report"]');
  await page.waitForSelector('[data-testid="report-state"][data-state="waiting"]');

  await page.click('[data-testid="sign-out"]');
  await page.waitForSelector('[data-testid="sign-out-panel"]');
  assert.equal(await page.getAttribute('[data-testid="sign-out-panel"]', 'data-waiting'), '1', 'the waiting report is counted');
  // Offline the session cannot end: nothing is removed.
  await page.click('[data-testid="sign-out-confirm"]');
  await page.waitForSelector('[data-testid="sign-out-problem"]');
  assert.equal((await stored(page))[0] >= 1, true);

  await ctx.setOffline(false);
  const send = await page.$('[data-testid="sign-out-send"]');
  if (send) await send.click().catch(() => {});
  await page.waitForSelector('[data-testid="sign-out-panel"][data-waiting="0"]', { timeout: 30_000 });
  const onServer = await serverItems(page);
  assert.ok(onServer.some((i) => i.body.achievements === 'Báo cáo riêng của Đắk Xú tháng 2.'), 'sent before signing out');
  await page.click('[data-testid="sign-out-confirm"]');
  await page.waitForURL(server.base + '/');
  await hydrated(page);
  assert.equal(await page.$('[data-testid="who"]'), null, 'signed out');
  assert.deepEqual(await stored(page), [0, 0, 0], "the person's items, form and files are gone from the phone");

  // The next person, offline: none of it opens.
  await ctx.setOffline(true);
  await page.goto(server.base + '/bao-cao').catch(() => {});
  const text = await page.textContent('body');
  assert.doesNotMatch(text, /Báo cáo riêng của Đắk Xú|Cán bộ Đắk Xú/, text.slice(0, 300));
  await ctx.close();
});

/**
 * A copy of the served site as another build would be: the stylesheet under
 * a new hashed name (and a rule more), so the page, the hash file and the
 * service worker's file list (its cache name) all change.
 */
function nextBuild(site) {
  const dir = profile();
  cpSync(site, dir, { recursive: true });
  const pkg = join(dir, 'pkg');
  const css = readdirSync(pkg).find((n) => /^thidua\.[^.]+\.css$/.test(n));
  const old = css.split('.')[1];
  const fresh = 'nextbuild' + old.slice(9);
  writeFileSync(join(pkg, `thidua.${fresh}.css`), readFileSync(join(pkg, css), 'utf8') + '\n.next-build{}\n');
  for (const n of readdirSync(pkg).filter((n) => n.startsWith(`thidua.${old}.css`))) rmSync(join(pkg, n));
  const hashes = join(dir, 'hash.txt');
  writeFileSync(hashes, readFileSync(hashes, 'utf8').replace(old, fresh));
  return { dir, css: `thidua.${fresh}.css` };
}

test('a new release replaces the server: the phone takes the new build and its queue lands once', async () => {
  const dir = profile();
  let ctx = await persistentPhone(dir);
  let page = ctx.pages()[0] || await ctx.newPage();
  await ready(page);
  const oldWorker = await page.evaluate(async () => (await caches.keys()).join());

  // Offline, two reports wait on the phone; the phone is put away.
  await ctx.setOffline(true);
  await fillReport(page, '2022-04', '15', 'Tháng 4: tiêm đủ hai mũi cho người trên 18 tuổi.');
  await page.click('[data-testid="send-report"]');
  await page.waitForSelector('[data-testid="report-state"][data-state="waiting"]');
  await fillReport(page, '2022-05', '16', 'Tháng 5: không có ca mắc mới.');
  await page.click('[data-testid="send-report"]');
  await page.waitForSelector('[data-testid="sync-bar"][data-waiting="2"]');
  await ctx.close();

  // The server is replaced by the next build on the same data.
  const next = nextBuild(server.site());
  const previous = server.site();
  await server.halt();
  await server.resume({ siteRoot: next.dir });
  try {
    // The phone comes back online: the new build, a new worker and cache,
    // and both reports on the server once.
    ctx = await persistentPhone(dir);
    page = ctx.pages()[0] || await ctx.newPage();
    await page.goto(server.base + '/bao-cao');
    await hydrated(page);
    const sheets = await page.$$eval('link[rel="stylesheet"]', (ls) => ls.map((l) => l.getAttribute('href')).join());
    assert.ok(sheets.includes(next.css), `the new build's stylesheet (${sheets})`);
    await page.waitForFunction((old) => caches.keys().then((k) => k.length === 1 && k[0] !== old), oldWorker, { timeout: 30_000 });
    let items = [];
    for (let t = 0; t < 60 && items.length < 2; t++) {
      if (t) await page.waitForTimeout(500);
      items = (await serverItems(page)).filter((i) => ['2022-04', '2022-05'].includes(i.body.period));
    }
    await page.waitForSelector('[data-testid="sync-bar"][data-waiting="0"]', { timeout: 30_000 });
    assert.deepEqual(items.map((i) => [i.body.period, i.revision]).sort(), [['2022-04', 1], ['2022-05', 1]], 'each report once');
    await ctx.close();
  } finally {
    await server.halt();
    await server.resume({ siteRoot: previous });
  }
});
