// Shared by the bench/ scripts: the built CLI, timing interleaved with
// `node -e 0`, machine facts, and writing a section of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMs, formatRatio, markdownTable, median, mergeSection, verdict } from './stats.mjs';

/** A missed budget stands out in the table. */
export const boldMiss = (text) => (text === 'ok' ? text : `**${text}**`);

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
export const NODE = process.execPath;
export const BASELINE = { label: '`node -e 0`', cmd: NODE, args: ['-e', '0'] };

/** The set the issue names as the largest; `largestMilestones()` checks it is accepted. */
export const LARGEST_SET = [
  'python-foundations',
  'rest-api-auth',
  'crud-db',
  'background-jobs',
  'dockerized-app',
  'cloud-deploy',
];

/** Runs per measurement; BENCH_RUNS overrides (the median is taken). */
export function runsFromEnv(fallback) {
  const value = Number(process.env.BENCH_RUNS ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`BENCH_RUNS must be a positive integer, not ${process.env.BENCH_RUNS}`);
  return value;
}

export function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Sources whose change makes dist/cli.js stale. */
function newestSourceMtime() {
  let newest = 0;
  const visit = (entry) => {
    const stat = statSync(entry);
    if (stat.isDirectory()) for (const child of readdirSync(entry)) visit(path.join(entry, child));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const entry of ['src', 'scripts', 'package-lock.json']) visit(path.join(ROOT, entry));
  return newest;
}

/** Builds the CLI unless dist/cli.js exists and is newer than every source. */
export function ensureBuilt() {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestSourceMtime()) return;
  log('dist/cli.js is missing or older than src/: npm run build');
  run('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Runs a command to completion and returns its output; a non-zero exit (or a
 * spawn error) throws with the command and the tail of its output.
 */
export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  if (result.error) throw new Error(`${cmd} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-25).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.status ?? result.signal} in ${options.cwd ?? process.cwd()}\n${tail}`);
  }
  return result;
}

/** Wall time of one run, in milliseconds (spawn included, as for the baseline). */
export function timeOnce({ cmd, args, cwd, env }) {
  const start = process.hrtime.bigint();
  run(cmd, args, { cwd, env });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Times `node -e 0` and each subject in turn, `runs` rounds after `warmup`
 * discarded ones, so a change in the machine's load hits them alike. A
 * subject may have `prepare(round)` and `verify(round)`, run untimed around it.
 * Returns the samples and medians, with each subject's ratio to the baseline.
 */
export function timeInterleaved(subjects, { runs, warmup = 1 }) {
  const all = [BASELINE, ...subjects];
  const samples = all.map(() => []);
  for (let round = 0; round < warmup + runs; round++) {
    all.forEach((subject, index) => {
      subject.prepare?.(round);
      const ms = timeOnce(subject);
      subject.verify?.(round);
      if (round >= warmup) samples[index].push(ms);
    });
  }
  const baselineMs = median(samples[0]);
  return all.map((subject, index) => ({
    label: subject.label,
    samples: samples[index],
    ms: median(samples[index]),
    ratio: median(samples[index]) / baselineMs,
  }));
}

/** The rows of a timing table: what, median, min–max, ratio to node -e 0 (and budget). */
export function timingTable(results, budgets = {}) {
  const withBudget = Object.keys(budgets).length > 0;
  const headers = ['what', 'median', 'min – max', '× `node -e 0`', ...(withBudget ? ['budget', 'verdict'] : [])];
  const rows = results.map((result) => {
    const budget = budgets[result.label];
    const cells = [
      result.label,
      formatMs(result.ms),
      `${formatMs(Math.min(...result.samples))} – ${formatMs(Math.max(...result.samples))}`,
      formatRatio(result.ratio),
    ];
    if (withBudget) {
      cells.push(budget === undefined ? '' : `≤ ${budget} ×`, budget === undefined ? '' : boldMiss(verdict(result.ratio, budget)));
    }
    return cells;
  });
  return markdownTable(headers, rows);
}

/** Node version, cores, load average now, commit: said at the top of every section. */
export function machineFacts() {
  const cpus = os.cpus();
  const load = os.loadavg().map((value) => value.toFixed(2)).join(' / ');
  let commit = 'unknown';
  try {
    commit = run('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).stdout.trim();
    if (run('git', ['status', '--porcelain', '--', 'src', 'templates', 'roadmap.json'], { cwd: ROOT }).stdout.trim()) commit += ' (with uncommitted changes)';
  } catch {
    // Not a git checkout (an unpacked tarball): the commit stays unknown.
  }
  return (
    `Taken ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} on commit ${commit}; ` +
    `node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
    `load average at start ${load} (1 / 5 / 15 min).`
  );
}

/** Writes (or replaces) section `id` of bench/RESULTS.md. */
export function writeSection(id, body) {
  const document = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
  writeFileSync(RESULTS, mergeSection(document, id, body));
  log(`wrote section "${id}" of bench/RESULTS.md`);
}

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cprp-bench-${prefix}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Arguments that scaffold `name` with `milestones`, writing nothing else (no install, no git). */
export function scaffoldArgs(name, milestones, extra = ['--no-install', '--no-git']) {
  return [CLI, name, '--milestone', milestones.join(','), '--yes', ...extra];
}

/**
 * The six-milestone set when the CLI accepts it; otherwise the largest
 * accepted subset of the milestones `list --json` calls available (tried with
 * --dry-run, largest first).
 */
export function largestMilestones() {
  const accepted = (set) =>
    spawnSync(NODE, scaffoldArgs('bench-probe', set, ['--no-install', '--no-git', '--dry-run']), {
      cwd: tempDir('probe'),
      stdio: 'ignore',
    }).status === 0;
  if (accepted(LARGEST_SET)) return LARGEST_SET;
  const listing = JSON.parse(run(NODE, [CLI, 'list', '--json']).stdout);
  const available = listing.milestones.filter((milestone) => milestone.available).map((milestone) => milestone.id);
  for (let size = available.length; size > 0; size--) {
    for (const set of subsetsOfSize(available, size)) {
      if (accepted(set)) {
        log(`the issue's set is not accepted; the largest accepted set is ${set.join(',')}`);
        return set;
      }
    }
  }
  throw new Error('no milestone set is accepted by the CLI');
}

function* subsetsOfSize(items, size, start = 0, chosen = []) {
  if (chosen.length === size) {
    yield [...chosen];
    return;
  }
  for (let index = start; index < items.length; index++) {
    yield* subsetsOfSize(items, size, index + 1, [...chosen, items[index]]);
  }
}

/** Every file under `root` (relative paths, `/`-separated) mapped to its sha256 and executable bit. */
export function treeDigest(root, { ignore = [] } = {}) {
  const files = new Map();
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full).split(path.sep).join('/');
      if (ignore.includes(relative)) continue;
      if (entry.isDirectory()) visit(full);
      else {
        const executable = (statSync(full).mode & 0o100) !== 0;
        files.set(relative, `${createHash('sha256').update(readFileSync(full)).digest('hex')}${executable ? ' +x' : ''}`);
      }
    }
  };
  visit(root);
  return files;
}

/** Throws, naming the differences, unless two digests are equal. */
export function assertSameTree(expected, actual, what) {
  const problems = [];
  for (const [file, digest] of expected) {
    if (!actual.has(file)) problems.push(`missing ${file}`);
    else if (actual.get(file) !== digest) problems.push(`differs ${file} (${digest} vs ${actual.get(file)})`);
  }
  for (const file of actual.keys()) if (!expected.has(file)) problems.push(`extra ${file}`);
  if (problems.length > 0) {
    throw new Error(`${what} is not byte-identical to our output:\n  ${problems.slice(0, 20).join('\n  ')}`);
  }
}

/** Total bytes of the files under `dir` (apparent size, as npm and the budget count it), and their count. */
export function folderSize(dir) {
  let bytes = 0;
  let files = 0;
  const visit = (current) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) visit(full);
      else {
        bytes += statSync(full).size;
        files += 1;
      }
    }
  };
  visit(dir);
  return { bytes, files };
}

/**
 * What a timing script starts with: a fresh build, the machine's facts for its
 * section, the largest milestone set, its own temp folder and its round count.
 */
export function startTimingBench(name, defaultRuns) {
  ensureBuilt();
  return { facts: machineFacts(), milestones: largestMilestones(), cwd: tempDir(name), runs: runsFromEnv(defaultRuns) };
}
