// Issue 3: the district officer creates an account and a display link on a
// phone; the new account signs in and sees only its unit; the display link
// opens a board without signing in, and stops when revoked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, phone, hydrated, signIn, officer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer({ accounts: [officer] }); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('the officer creates an account; it signs in and sees only its unit', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page, server.base, officer.username, officer.password);
  await page.click('[data-testid="admin-link"]');
  await page.waitForSelector('[data-testid="admin-links"]');
  await page.click('text=Tài khoản');
  await page.waitForSelector('[data-testid="create-account"]');
  await page.fill('[data-testid="new-username"]', 'boy');
  await page.fill('[data-testid="new-display-name"]', 'Cán bộ xã Bờ Y');
  await page.selectOption('[data-testid="new-role"]', 'unit_reporter');
  await page.selectOption('[data-testid="new-unit"]', 'x23395');
  await page.fill('[data-testid="new-password"]', 'ngan');
  await page.click('[data-testid="create-account-submit"]');
  // The browser's own minlength check or the server's rule: either way refused.
  await page.fill('[data-testid="new-password"]', 'mat-khau-bo-y-2021');
  await page.click('[data-testid="create-account-submit"]');
  await page.waitForSelector('[data-testid="notice"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="accounts"]')?.textContent.includes('Cán bộ xã Bờ Y'));
  assert.deepEqual(errors, []);
  await ctx.close();

  // The new account, on another phone.
  const ctx2 = await phone(browser);
  const p2 = await ctx2.newPage();
  await signIn(p2, server.base, 'boy', 'mat-khau-bo-y-2021');
  assert.equal(await p2.textContent('[data-testid="who"]'), 'Cán bộ xã Bờ Y');
  assert.equal(await p2.$('[data-testid="admin-link"]'), null, 'no admin link for a reporter');
  await p2.goto(server.base + '/units');
  await p2.waitForSelector('[data-testid="unit-groups"]');
  const units = await p2.textContent('[data-testid="unit-groups"]');
  assert.match(units, /Xã Bờ Y/);
  assert.doesNotMatch(units, /Đắk Xú|Plei Kần|Phòng Nội vụ/, 'only its own unit');
  // Another commune by its id: refused by the server.
  await p2.goto(server.base + '/units/x23389');
  assert.match(await p2.textContent('main'), /Tài khoản không có quyền này/);
  assert.doesNotMatch(await p2.textContent('main'), /Bảng điểm thi đua/);
  // The set-up pages are refused too.
  await p2.goto(server.base + '/quan-tri/tai-khoan');
  assert.match(await p2.textContent('main'), /Tài khoản không có quyền này/);
  await ctx2.close();
});

test('the officer makes a display link; it shows boards, then stops when revoked', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await signIn(page, server.base, officer.username, officer.password);
  await page.goto(server.base + '/quan-tri/man-hinh');
  await hydrated(page);
  await page.fill('[data-testid="display-name"]', 'Hội trường UBND huyện');
  await page.click('[data-testid="create-display"]');
  const url = await (await page.waitForSelector('[data-testid="display-url"]')).textContent();
  assert.match(url, /\/man-hinh\/[0-9a-f]{48}$/);

  // A meeting-room screen: no account, projector size.
  const screen = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const sp = await screen.newPage();
  await sp.goto(url);
  await sp.waitForSelector('[data-testid="board"]');
  const board = await sp.textContent('[data-testid="display"]');
  assert.match(board, /Hội trường UBND huyện/);
  assert.match(board, /Cụm thi đua số 1/);
  assert.match(board, /Xã Đắk Xú/);
  assert.doesNotMatch(board, /noivu|Cán bộ/, 'no people on the display');
  assert.equal(await sp.evaluate(() => getComputedStyle(document.querySelector('.topbar')).display), 'none', 'full screen');
  // It shows one cluster at a time and moves on by itself (`?giay=1`: every second).
  await sp.goto(url + '?giay=1');
  await hydrated(sp);
  await sp.waitForSelector('[data-testid="board"].active');
  assert.equal(await sp.locator('[data-testid="board"]:visible').count(), 1, 'one board on screen');
  const first = await sp.textContent('[data-testid="board"].active h2');
  await sp.waitForFunction((t) => document.querySelector('[data-testid="board"].active h2')?.textContent !== t, first, { timeout: 10_000 });

  await page.click('[data-testid="revoke-display"]');
  await page.waitForSelector('text=đã thu hồi');
  await sp.reload();
  await sp.waitForSelector('[data-testid="load-error"]');
  assert.match(await sp.textContent('[data-testid="display"]'), /đã bị thu hồi/);
  await screen.close();
  await ctx.close();
});

test('the officer copies the movement into a draft, publishes it, and the home page follows', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page, server.base, officer.username, officer.password);
  await page.goto(server.base + '/quan-tri');
  await page.click('text=Phong trào thi đua');
  await page.waitForSelector('[data-testid="movements"] tr[data-status="published"]');
  await hydrated(page);
  await page.fill('[data-testid="copy-code"]', 'thi-dua-2027');
  await page.fill('[data-testid="copy-name"]', 'Phong trào thi đua năm 2027');
  await page.click('[data-testid="copy-submit"]');
  const draft = '[data-testid="movements"] tr[data-code="thi-dua-2027"]';
  await page.waitForSelector(`${draft}[data-status="draft"]`);
  // The same code again: refused, with the rule in words.
  await page.click('[data-testid="copy-submit"]');
  await page.waitForFunction(() => /Đã có phong trào mã/.test(document.querySelector('[data-testid="notice-error"]')?.textContent ?? ''));
  const home = await ctx.newPage();
  await home.goto(server.base + '/');
  assert.doesNotMatch(await home.textContent('main'), /năm 2027/, 'a draft is shown to no one');
  await page.click(`${draft} [data-testid="step-published"]`);
  await page.waitForSelector(`${draft}[data-status="published"]`);
  await home.reload();
  assert.match(await home.textContent('main'), /Phong trào thi đua năm 2027/);
  await page.click(`${draft} [data-testid="step-closed"]`);
  await page.waitForSelector(`${draft}[data-status="closed"]`);
  assert.deepEqual(errors, []);
  await ctx.close();
});
