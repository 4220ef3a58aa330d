// Time to green: generate, `uv sync` with a warm uv cache, then the project's
// own test command (`make test`), for the default milestone, rest-api-auth (the
// budgeted case, on each framework), the largest set and data-model-service (it trains models in its
// tests, and clashes with the largest set). Budget: ≤ 15 s.
//   node bench/time-to-green.mjs   (BENCH_TTG_RUNS=n rounds, default 3 for the
//   default milestone and 1 for the larger ones; BENCH_TTG_ONLY=<regexp> measures
//   only the matching cases and prints them without writing bench/RESULTS.md)
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CLI, ensureBuilt, largestMilestones, log, machineFacts, NODE, run, tempDir, writeSection } from './lib.mjs';
import { markdownTable, median, verdict } from './stats.mjs';

export const TIME_TO_GREEN_BUDGET_MS = 15_000;

ensureBuilt();
const facts = machineFacts();
const work = tempDir('ttg');
const largest = largestMilestones();
const roundsFor = (fallback) => Number(process.env.BENCH_TTG_RUNS ?? fallback);

// The generated projects' defaults (SQLite, the embedded broker): no service URL leaks in from this shell.
const env = { ...process.env, UV_PYTHON_DOWNLOADS: 'never' };
env.PYTEST_ADDOPTS = `${env.PYTEST_ADDOPTS ?? ''} --durations=0`.trim();
// Bytecode is written as in a developer's shell (the first `make test` of a fresh project
// compiles what it imports, and that is part of its time to green).
for (const name of ['DATABASE_URL', 'REDIS_URL', 'TEST_DATABASE_URL', 'TEST_REDIS_URL', 'VIRTUAL_ENV', 'PYTHONDONTWRITEBYTECODE']) delete env[name];

const only = process.env.BENCH_TTG_ONLY ? new RegExp(process.env.BENCH_TTG_ONLY) : undefined;
const cases = [
  { label: 'default (`--yes`: python-foundations)', milestoneArgs: [], rounds: roundsFor(3) },
  { label: 'rest-api-auth', milestoneArgs: ['--milestone', 'rest-api-auth'], rounds: roundsFor(1) },
  // The same milestone on the other two paths: the figures the framework comparison in the README rests on.
  { label: 'rest-api-auth on Flask', milestoneArgs: ['--milestone', 'rest-api-auth', '--framework', 'flask'], rounds: roundsFor(1) },
  { label: 'rest-api-auth on Django', milestoneArgs: ['--milestone', 'rest-api-auth', '--framework', 'django'], rounds: roundsFor(1) },
  { label: `largest (${largest.length} milestones)`, milestoneArgs: ['--milestone', largest.join(',')], rounds: roundsFor(1) },
  { label: 'data-model-service', milestoneArgs: ['--milestone', 'data-model-service'], rounds: roundsFor(1) },
  // Its own app and a headless Chromium per test process; it combines with no other milestone.
  { label: 'qa-automation', milestoneArgs: ['--milestone', 'qa-automation'], rounds: roundsFor(1) },
].filter(({ label }) => only === undefined || only.test(label));

function timed(cmd, args, cwd) {
  const start = process.hrtime.bigint();
  const result = run(cmd, args, { cwd, env });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, output: `${result.stdout}${result.stderr}` };
}

const ticksPerSecond = Number(run('getconf', ['CLK_TCK']).stdout.trim());

/**
 * Like timed(), plus the CPU time (user + system) of everything the command ran,
 * read from the wrapping shell's children totals in /proc: other work on a shared
 * machine stretches wall time far more than CPU time. A suite run on one core
 * takes about its CPU time on an idle machine; one on pytest-xdist workers less.
 */
function timedWithCpu(cmd, args, cwd) {
  const output = path.join(cwd, '.bench-ttg-output');
  const quoted = [cmd, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
  const script = `${quoted} >"${output}" 2>&1; status=$?; cat /proc/$$/stat; exit $status`;
  const start = process.hrtime.bigint();
  const result = spawnSync('sh', ['-c', script], { cwd, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const text = readFileSync(output, 'utf8');
  rmSync(output);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${result.status} in ${cwd}\n${text.split('\n').slice(-25).join('\n')}`);
  const fields = result.stdout.slice(result.stdout.lastIndexOf(')') + 2).trim().split(/\s+/);
  // Fields 16 and 17 of proc(5)'s stat (cutime, cstime), counted from `state`, the third.
  const cpuMs = ((Number(fields[13]) + Number(fields[14])) / ticksPerSecond) * 1000;
  return { ms, cpuMs, output: text };
}

function testCommand(project) {
  const makefile = readFileSync(path.join(project, 'Makefile'), 'utf8');
  if (!/^test:/m.test(makefile)) throw new Error(`${project}/Makefile has no test target`);
  return ['make', ['test']];
}

/**
 * pytest's `--durations=0` report (set through PYTEST_ADDOPTS) summed per test
 * file: where a slow suite spends its time.
 */
function slowestTestFiles(output) {
  const perFile = new Map();
  const perPhase = { setup: 0, call: 0, teardown: 0 };
  for (const match of output.matchAll(/^(\d+\.\d+)s (call|setup|teardown)\s+([^\s:]+)::/gm)) {
    perFile.set(match[3], (perFile.get(match[3]) ?? 0) + Number(match[1]));
    perPhase[match[2]] += Number(match[1]);
  }
  return { files: [...perFile.entries()].sort((a, b) => b[1] - a[1]), perPhase };
}

function greenOnce(name, milestoneArgs) {
  const project = path.join(work, name);
  rmSync(project, { recursive: true, force: true });
  const generate = timed(NODE, [CLI, name, ...milestoneArgs, '--yes', '--no-install', '--no-git'], work);
  const sync = timed('uv', ['sync', '--quiet'], project);
  const [cmd, args] = testCommand(project);
  const test = timedWithCpu(cmd, args, project);
  const passed = /(\d+) passed/.exec(test.output)?.[1] ?? '?';
  const slowest = slowestTestFiles(test.output);
  rmSync(project, { recursive: true, force: true });
  return { generate: generate.ms, sync: sync.ms, test: test.ms, testCpu: test.cpuMs, total: generate.ms + sync.ms + test.ms, passed, slowest };
}

const rows = [];
const misses = [];
for (const { label, milestoneArgs, rounds } of cases) {
  log(`time to green, ${label}: warming the uv cache, then ${rounds} round(s)`);
  const warm = path.join(work, 'warm');
  rmSync(warm, { recursive: true, force: true });
  run(NODE, [CLI, 'warm', ...milestoneArgs, '--yes', '--no-install', '--no-git'], { cwd: work, env });
  run('uv', ['sync', '--quiet'], { cwd: warm, env });
  rmSync(warm, { recursive: true, force: true });
  const samples = Array.from({ length: rounds }, () => greenOnce('bench-green', milestoneArgs));
  const mid = (key) => median(samples.map((sample) => sample[key]));
  const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
  rows.push([
    label,
    seconds(mid('generate')),
    seconds(mid('sync')),
    `${seconds(mid('test'))} (${samples[0].passed} tests)`,
    seconds(mid('testCpu')),
    `**${seconds(mid('total'))}**`,
    String(rounds),
    '≤ 15 s',
    verdict(mid('total'), TIME_TO_GREEN_BUDGET_MS),
  ]);
  if (mid('total') > TIME_TO_GREEN_BUDGET_MS) {
    const { files, perPhase } = samples[0].slowest;
    const timedTotal = perPhase.setup + perPhase.call + perPhase.teardown;
    misses.push(
      `${label}: ${seconds(mid('total') - TIME_TO_GREEN_BUDGET_MS)} over; the tests take ${seconds(mid('test'))} of it ` +
        `(pytest's own durations add up to ${timedTotal.toFixed(1)} s: fixtures' setup ${perPhase.setup.toFixed(1)} s, ` +
        `test bodies ${perPhase.call.toFixed(1)} s, teardown ${perPhase.teardown.toFixed(1)} s; the rest is interpreter start, ` +
        `collection, imports and coverage). Slowest test files: ${files.slice(0, 5).map(([file, s]) => `\`${file}\` ${s.toFixed(1)} s`).join(', ')}.`,
    );
  }
}

const table = markdownTable(
  ['milestones', 'generate', '`uv sync` (warm cache)', '`make test`', '`make test` CPU (user + sys)', 'total', 'rounds', 'budget', 'verdict'],
  rows,
);
if (only !== undefined) {
  // A partial run is not the committed table: print it only.
  process.stdout.write(`${facts}\n\n${table}\n${misses.map((line) => `- ${line}`).join('\n')}\n`);
  process.exit(0);
}
writeSection(
  'time-to-green',
  [
    '## Time to green (bench/time-to-green.mjs)',
    '',
    facts,
    '',
    'Each round: generate with `--yes --no-install --no-git`, `uv sync` (no uv.lock yet, so it resolves; the cache was warmed ' +
      'by an untimed generate + sync of the same milestones first), then `make test` (the project\'s own target: ' +
      '`uv run pytest` with its coverage gate), which must pass. Medians of the rounds; the projects use their defaults ' +
      '(SQLite, the embedded broker): DATABASE_URL, REDIS_URL and their TEST_ forms are removed from the environment, and ' +
      'PYTHONDONTWRITEBYTECODE too (the first run compiles what it imports, as in a developer\'s shell). The CPU column is ' +
      'user + system time of everything `make test` ran: on an idle machine a one-process suite takes about that long.',
    '',
    table,
    ...(misses.length > 0 ? ['', 'Where the budget is missed (from pytest `--durations=0`, summed per file, first round):', '', ...misses.map((line) => `- ${line}`)] : []),
  ].join('\n'),
);
process.stdout.write(`${table}\n`);
