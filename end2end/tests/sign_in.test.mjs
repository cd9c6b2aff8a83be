// Issue 3 (first part): an account signs in and out on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, phone, hydrated } from './harness.mjs';

const reporter = { username: 'dakxu', displayName: 'Cán bộ Đắk Xú (minh họa)', role: 'unit_reporter', unit: 'x23389', password: 'mat-khau-dak-xu-2021' };
let server, browser;
before(async () => { server = await startServer({ accounts: [reporter] }); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('a commune reporter signs in, is named in the header, and signs out', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto(server.base + '/');
  await hydrated(page);
  await page.click('[data-testid="sign-in-link"]');
  await page.waitForSelector('[data-testid="username"]');
  await page.fill('[data-testid="username"]', 'dakxu');
  await page.fill('[data-testid="password"]', 'sai-mat-khau');
  await page.click('[data-testid="sign-in"]');
  const err = await page.waitForSelector('[data-testid="sign-in-error"]');
  assert.match(await err.textContent(), /Sai tên đăng nhập hoặc mật khẩu/);

  await page.fill('[data-testid="password"]', reporter.password);
  await page.click('[data-testid="sign-in"]');
  await page.waitForSelector('[data-testid="who"]');
  assert.equal(await page.textContent('[data-testid="who"]'), reporter.displayName);
  const cookies = await ctx.cookies();
  const session = cookies.find((c) => c.name === 'thidua_session');
  assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
  assert.equal(await page.evaluate(() => document.cookie.includes('thidua_session')), false, 'scripts cannot read it');

  await hydrated(page);
  await page.click('[data-testid="sign-out"]');
  await page.waitForSelector('[data-testid="sign-in-link"]');
  assert.equal((await ctx.cookies()).find((c) => c.name === 'thidua_session'), undefined);
  await ctx.close();
});
