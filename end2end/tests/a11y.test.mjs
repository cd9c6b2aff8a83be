// Issue 25: every page with a form passes an automated accessibility check
// (axe-core from npm, WCAG 2.1 A and AA rules, colour contrast included) in
// Chromium at 360 px, as the people who fill them hold their phones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, launch, hydrated, signIn, officer, reporter } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const member = { username: 'hoidong1', displayName: 'Thành viên Hội đồng (minh họa)', role: 'council_member', unit: 'd611', password: 'mat-khau-hoi-dong-2021' };

let server, browser;
before(async () => { server = await startServer({ accounts: [reporter, officer, member] }); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

/** A 360 px phone that lets the test add axe's script past the page's CSP. */
const phone = (b) => b.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN', bypassCSP: true });

/** The WCAG 2.1 A/AA violations axe finds on the page, one line each. */
async function violations(page) {
  await page.addScriptTag({ path: axePath });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}${v.nodes.length > 4 ? ` … ${v.nodes.length} in all` : ''}`);
  });
  return found;
}

async function check(page, path, ready) {
  console.log('# checking', path);
  await page.goto(server.base + path);
  await hydrated(page);
  if (ready) await page.waitForSelector(ready, { state: 'attached' });
  return (await violations(page)).map((v) => `${path} ${v}`);
}

test('every form page passes axe-core at 360 px', async () => {
  const found = [];
  const anon = await phone(browser);
  const a = await anon.newPage();
  found.push(...await check(a, '/dang-nhap', '[data-testid="sign-in"]'));
  await anon.close();

  const rctx = await phone(browser);
  const r = await rctx.newPage();
  await signIn(r, server.base, reporter.username, reporter.password);
  found.push(...await check(r, '/bao-cao', '[data-testid="points-chi-dao"]'));
  // With errors showing: each field names its error line.
  await r.fill('[data-testid="points-chi-dao"]', '99');
  await r.click('[data-testid="send-report"]');
  await r.waitForSelector('[data-testid="form-errors"]');
  const points = r.locator('[data-testid="points-chi-dao"]');
  assert.equal(await points.getAttribute('aria-invalid'), 'true');
  assert.equal(await points.getAttribute('aria-describedby'), 'err-scores.chi-dao.points');
  assert.match(await r.textContent('[id="err-scores.chi-dao.points"]'), /tối đa|không quá|\d/);
  found.push(...(await violations(r)).map((v) => `/bao-cao (errors showing) ${v}`));
  found.push(...await check(r, '/de-nghi', '[data-testid="nominate-send"]'));
  // The nomination sent empty: the focus goes to the first field with a
  // problem, and each field names its problem lines.
  await r.click('[data-testid="nominate-send"]');
  await r.waitForSelector('[data-testid="err-name"]');
  const name = r.locator('[data-testid="nominee-name"]');
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  assert.equal(await name.getAttribute('aria-describedby'), 'err-dn-name-0');
  assert.match(await r.textContent('#err-dn-name-0'), /Tên đối tượng/);
  assert.equal(await r.evaluate(() => document.activeElement?.getAttribute('name')), 'name');
  assert.equal(await r.getAttribute('[data-testid="summary"]', 'aria-describedby'), 'err-dn-summary-0');
  found.push(...(await violations(r)).map((v) => `/de-nghi (errors showing) ${v}`));
  found.push(...await check(r, '/doi-mat-khau', 'main form'));
  await rctx.close();

  const octx = await phone(browser);
  const o = await octx.newPage();
  await signIn(o, server.base, officer.username, officer.password);
  for (const [path, ready] of [
    ['/khen-thuong', 'main'],
    ['/quan-tri/tai-khoan', 'main form'],
    ['/quan-tri/don-vi', '[data-testid="unit-form"]'],
    ['/quan-tri/cum', '[data-testid="cluster-form"]'],
    ['/quan-tri/man-hinh', '[data-testid="create-display"]'],
    ['/quan-tri/nhap-danh-muc', '[data-testid="import-file"]'],
    ['/quan-tri/phong-trao', '[data-testid="copy-movement"]'],
    ['/quan-tri/phong-trao/covid-2021-ngoc-hoi', '[data-testid="movement-editor"]'],
    ['/tiep-nhan?ky=2021-10', 'table'],
  ]) {
    found.push(...await check(o, path, ready));
  }
  // A report under review: the appraisal forms.
  const href = await o.getAttribute('[data-unit] a[href^="/tiep-nhan/"]', 'href');
  found.push(...await check(o, href, '[data-testid="review-status"]'));
  await octx.close();

  const cctx = await phone(browser);
  const c = await cctx.newPage();
  await signIn(c, server.base, member.username, member.password);
  found.push(...await check(c, '/hoi-dong', 'main'));
  await cctx.close();

  assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n')}`);
});
