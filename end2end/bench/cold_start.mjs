// One offline cold start of the report form, the figure of phone.mjs (and
// cold_builds.mjs): a phone profile in `dir` that has been online once,
// opened with the network off and 4x CPU throttling; milliseconds from
// navigation start to the frame that paints the form field in the hydrated
// page.
import { persistentPhone } from '../tests/harness.mjs';

export async function offlineColdStart(base, dir) {
  const ctx = await persistentPhone(dir, { offline: true });
  // The moment the form is there and hydrated, seen from inside the page:
  // reading performance.now() after Playwright's waitForSelector added its
  // polling and a round trip through the throttled page (~200 ms).
  await ctx.addInitScript(() => {
    const obs = new MutationObserver(() => {
      if (document.body && document.body.dataset.hydrated === 'true' && document.querySelector('[data-testid="points-chi-dao"]')) {
        obs.disconnect();
        // The frame that paints it.
        requestAnimationFrame(() => { self.__interactiveAt = performance.now(); });
      }
    });
    obs.observe(document, { subtree: true, childList: true, attributes: true });
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(base + '/bao-cao', { waitUntil: 'commit' });
  await page.waitForSelector('body[data-hydrated="true"] [data-testid="points-chi-dao"]', { timeout: 60_000 });
  const ms = await page.waitForFunction(() => self.__interactiveAt).then((h) => h.jsonValue());
  await ctx.close();
  return Math.round(ms);
}
