// Two organisers on one database (Ngọc Hồi and Đắk Tô districts): each
// officer, signed in, finds nothing of the other on any staff page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, phone, signIn, officer } from './harness.mjs';

const dakTo = { username: 'dakto', displayName: 'Cán bộ Phòng Nội vụ Đắk Tô (minh họa)', role: 'district_officer', unit: 'd612', password: 'mat-khau-dak-to-2021' };
const dakToReporter = { username: 'daktram', displayName: 'Cán bộ xã Đắk Trăm (minh họa)', role: 'unit_reporter', unit: 'x23430', password: 'mat-khau-dak-tram-2021' };

let server, browser;
before(async () => { server = await startServer({ accounts: [officer, dakTo, dakToReporter] }); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PAGES = ['/units', '/clusters', '/tiep-nhan', '/tong-hop', '/kho-khan', '/bang-xep-hang', '/khen-thuong', '/khen-thuong/so',
  '/quan-tri/tai-khoan', '/quan-tri/man-hinh', '/quan-tri/nhat-ky', '/quan-tri/cum'];

/** The text of each staff page as `who` sees it, once it has settled. */
async function pagesAs(who) {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await signIn(page, server.base, who.username, who.password);
  const seen = {};
  for (const path of PAGES) {
    await page.goto(server.base + path);
    await page.waitForLoadState('networkidle');
    seen[path] = await page.textContent('main');
  }
  await ctx.close();
  return seen;
}

test("each district's officer finds nothing of the other", async () => {
  const theirs = await pagesAs(dakTo);
  for (const [path, text] of Object.entries(theirs)) {
    assert.doesNotMatch(text, /Ngọc Hồi|Đắk Xú|Plei Kần|Bờ Y|noivu|Cụm thi đua số/, `${path} as Đắk Tô's officer: ${text.slice(0, 400)}`);
  }
  assert.match(theirs['/quan-tri/tai-khoan'], /daktram/, "Đắk Tô's officer sees its own accounts");
  const ours = await pagesAs(officer);
  for (const [path, text] of Object.entries(ours)) {
    assert.doesNotMatch(text, /Đắk Tô|Đắk Trăm|daktram|dakto/, `${path} as Ngọc Hồi's officer: ${text.slice(0, 400)}`);
  }
  assert.match(ours['/quan-tri/tai-khoan'], /noivu/, "Ngọc Hồi's officer sees its own accounts");
  assert.match(ours['/tiep-nhan'], /Đắk Xú/, "and its desk");
});
