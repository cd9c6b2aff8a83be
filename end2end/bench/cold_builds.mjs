// Offline cold start of two builds, run alternately so both see the same
// machine (diagnostic): the measure of phone.mjs. OLD_BIN/OLD_SITE and
// NEW_BIN/NEW_SITE name each build's server binary and site root; ROUNDS
// (default 6) runs of each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, primedOfflinePhone, reporter } from '../tests/harness.mjs';
import { offlineColdStart } from './cold_start.mjs';

async function setup(bin, site) {
  process.env.THIDUA_SERVER_BIN = bin;
  process.env.THIDUA_SITE_ROOT = site;
  const server = await startServer({ accounts: [reporter] });
  const dir = mkdtempSync(join(tmpdir(), 'thidua-cb-'));
  await primedOfflinePhone(server.base, dir);
  return { server, dir, runs: [] };
}
const builds = {
  old: await setup(process.env.OLD_BIN, process.env.OLD_SITE),
  new: await setup(process.env.NEW_BIN, process.env.NEW_SITE),
};
const rounds = Number(process.env.ROUNDS || 6);
for (let i = 0; i < rounds; i++) {
  for (const name of i % 2 ? ['new', 'old'] : ['old', 'new']) {
    const b = builds[name];
    b.runs.push(await offlineColdStart(b.server.base, b.dir));
  }
}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [name, b] of Object.entries(builds)) {
  console.log(`${name}: median ${med(b.runs)} ms (${b.runs.join(', ')})`);
  rmSync(b.dir, { recursive: true, force: true });
  await b.server.stop();
}
