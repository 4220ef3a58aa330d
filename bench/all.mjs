// `npm run bench`: every benchmark, one after another, each in its own process
// (as when run alone), fastest first. A failing one does not stop the others;
// the exit code is 1 when any failed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { log, NODE, ROOT } from './lib.mjs';

const SCRIPTS = ['size.mjs', 'scaffold.mjs', 'update-check.mjs', 'other-generators.mjs', 'time-to-green.mjs', 'test-speed.mjs'];

const started = Date.now();
const failed = [];
for (const script of SCRIPTS) {
  log(`── ${script}`);
  const result = spawnSync(NODE, [path.join(ROOT, 'bench', script)], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) failed.push(script);
}
log(`all benchmarks in ${Math.round((Date.now() - started) / 1000)} s; results in bench/RESULTS.md`);
if (failed.length > 0) {
  log(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
