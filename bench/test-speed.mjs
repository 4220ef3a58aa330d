// Test speed: rest-api-auth's own test suite, `make test` (pytest with the
// coverage gate), on an installed project. Budget: ≤ 8 s wall on 2 cores.
//   node bench/test-speed.mjs   (BENCH_RUNS=n timed rounds, default 5)
//   BENCH_BASELINE_CLI=/other/checkout/dist/cli.js node bench/test-speed.mjs
//     also generates the project with that build and times both, round by round,
//     so "before / after" is a ratio taken under the same load.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CLI, ensureBuilt, log, machineFacts, NODE, run, runsFromEnv, tempDir, writeSection } from './lib.mjs';
import { formatRatio, markdownTable, median, verdict } from './stats.mjs';

export const TEST_SPEED_BUDGET_MS = 8_000;

ensureBuilt();
const facts = machineFacts();
const work = tempDir('test-speed');
const runs = runsFromEnv(5);
const baselineCli = process.env.BENCH_BASELINE_CLI;

// The project's defaults (SQLite): no service URL leaks in from this shell. Bytecode
// is written as in a developer's shell: a PYTHONDONTWRITEBYTECODE inherited from the
// machine would make every run compile every imported module again.
const env = { ...process.env, UV_PYTHON_DOWNLOADS: 'never' };
for (const name of ['DATABASE_URL', 'REDIS_URL', 'TEST_DATABASE_URL', 'TEST_REDIS_URL', 'VIRTUAL_ENV', 'PYTHONDONTWRITEBYTECODE', 'PYTEST_ADDOPTS']) {
  delete env[name];
}
const ticksPerSecond = Number(run('getconf', ['CLK_TCK']).stdout.trim());

function generate(label, cli) {
  const name = `speed-${label}`;
  const project = path.join(work, name);
  rmSync(project, { recursive: true, force: true });
  run(NODE, [cli, name, '--milestone', 'rest-api-auth', '--yes', '--no-git'], { cwd: work, env });
  return project;
}

/**
 * One `make test`: wall time around the spawn, and the CPU time (user + system) of
 * everything it ran, read from the wrapping shell's children totals in /proc.
 */
function makeTest(project) {
  const output = path.join(project, '.bench-test-output');
  const script = `make test >"${output}" 2>&1; status=$?; cat /proc/$$/stat; exit $status`;
  const start = process.hrtime.bigint();
  const result = run('sh', ['-c', script], { cwd: project, env });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const fields = result.stdout.slice(result.stdout.lastIndexOf(')') + 2).trim().split(/\s+/);
  // Fields 16 and 17 of proc(5)'s stat (cutime, cstime), counted from `state`, the third.
  const cpuMs = ((Number(fields[13]) + Number(fields[14])) / ticksPerSecond) * 1000;
  const text = readFileSync(output, 'utf8');
  rmSync(output);
  const passed = /(\d+) passed/.exec(text)?.[1];
  if (passed === undefined || /\d+ (failed|error)/.test(text)) throw new Error(`make test did not pass in ${project}:\n${text.slice(-2000)}`);
  return { wallMs, cpuMs, passed: Number(passed) };
}

const subjects = [{ label: 'this build', project: generate('current', CLI) }];
if (baselineCli) subjects.push({ label: `baseline (${path.relative(process.cwd(), baselineCli) || baselineCli})`, project: generate('baseline', baselineCli) });

log(`warm-up: one untimed make test per project (writes the bytecode), then ${runs} round(s)`);
for (const subject of subjects) makeTest(subject.project);
const samples = subjects.map(() => []);
for (let round = 0; round < runs; round++) {
  subjects.forEach((subject, index) => samples[index].push(makeTest(subject.project)));
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const results = subjects.map((subject, index) => {
  const wall = samples[index].map((sample) => sample.wallMs);
  const cpu = samples[index].map((sample) => sample.cpuMs);
  return { label: subject.label, passed: samples[index][0].passed, wall: median(wall), min: Math.min(...wall), max: Math.max(...wall), cpu: median(cpu) };
});
const rows = results.map((result) => [
  result.label,
  String(result.passed),
  seconds(result.wall),
  `${seconds(result.min)} – ${seconds(result.max)}`,
  seconds(result.cpu),
  formatRatio(result.wall / TEST_SPEED_BUDGET_MS),
  results.length > 1 ? formatRatio(result.wall / results[1].wall) : '',
  results.length > 1 ? formatRatio(result.cpu / results[1].cpu) : '',
  verdict(result.wall, TEST_SPEED_BUDGET_MS),
]);
const table = markdownTable(
  ['project made by', 'tests', '`make test` wall (median)', 'min – max', 'CPU, user + sys (median)', '× budget (8 s)', 'wall × baseline', 'CPU × baseline', 'verdict'],
  rows,
);
writeSection(
  'test-speed',
  [
    '## Test speed (bench/test-speed.mjs)',
    '',
    facts,
    '',
    `rest-api-auth generated with \`--yes --no-git\` (uv sync included), one untimed \`make test\` to write the bytecode, then ` +
      `${runs} timed rounds of \`make test\` (\`uv run pytest\` with the branch-coverage gate), which must pass; with a baseline ` +
      'build each round times both projects one after the other, so the load hits them alike. CPU is user + system time of ' +
      'everything `make test` ran (the children totals of /proc), which the other engineers on the machine disturb far less than ' +
      'wall time. SQLite, the project\'s default; service URLs and PYTHONDONTWRITEBYTECODE are removed from the environment.',
    '',
    table,
  ].join('\n'),
);
process.stdout.write(`${table}\n`);
