// `update` and `check` on an unchanged project (the largest milestone set, in a
// clean git repository as the CLI makes it), each as a ratio to `node -e 0`.
// Budget: ≤ 2 × each.   node bench/update-check.mjs   (BENCH_RUNS=n, default 9)
import path from 'node:path';
import {
  CLI,
  log,
  NODE,
  run,
  scaffoldArgs,
  timeInterleaved,
  timingTable,
  startTimingBench,
  writeSection,
} from './lib.mjs';
import { profileCommand } from './profile.mjs';

export const UPDATE_CHECK_BUDGET = 2;

const { facts, milestones, cwd, runs } = startTimingBench('update', 9);
const project = path.join(cwd, 'bench-project');

// With git (the default), as a user has it: update insists on a clean tree and asks git.
run(NODE, scaffoldArgs('bench-project', milestones, ['--no-install']), { cwd });
const head = run('git', ['rev-parse', 'HEAD'], { cwd: project }).stdout.trim();

function assertUnchanged() {
  const status = run('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: project }).stdout;
  const now = run('git', ['rev-parse', 'HEAD'], { cwd: project }).stdout.trim();
  if (status.trim() !== '' || now !== head) throw new Error(`the project changed under update/check:\n${status}`);
}

const updateLabel = '`update` (nothing to do)';
const checkLabel = '`check` (no drift)';
const budgets = { [updateLabel]: UPDATE_CHECK_BUDGET, [checkLabel]: UPDATE_CHECK_BUDGET };
log(`update/check: ${runs} rounds of node -e 0 / update / check, interleaved`);
const results = timeInterleaved(
  [
    { label: updateLabel, cmd: NODE, args: [CLI, 'update'], cwd: project, verify: assertUnchanged },
    { label: checkLabel, cmd: NODE, args: [CLI, 'check'], cwd: project, verify: assertUnchanged },
  ],
  { runs },
);
const updateOutput = run(NODE, [CLI, 'update'], { cwd: project }).stdout.trim().split('\n')[0];

const sections = [
  '## Update and check (bench/update-check.mjs)',
  '',
  facts,
  '',
  `Project: the ${milestones.length}-milestone scaffold with git (first commit made by the CLI), no install. ` +
    `\`update\` answers "${updateOutput.replace(/^\W+/, '')}"; after every run the tree is checked clean and HEAD unmoved. ` +
    `${runs} rounds after one warm-up, interleaved; medians.`,
  '',
  timingTable(results, budgets),
];
for (const [label, args] of [
  [updateLabel, ['update']],
  [checkLabel, ['check']],
]) {
  const result = results.find((entry) => entry.label === label);
  if (result.ratio <= UPDATE_CHECK_BUDGET) continue;
  log(`${args[0]} budget missed: profiling`);
  sections.push(
    '',
    `${label}: budget missed by ${Math.round(result.ms - UPDATE_CHECK_BUDGET * results[0].ms)} ms. Where the time goes:`,
    '',
    profileCommand({ cliArgs: args, cwd: project, title: label }),
  );
}
writeSection('update-check', sections.join('\n'));
process.stdout.write(`${timingTable(results, budgets)}\n`);
