// Scaffold time of the largest milestone set (no install, no git) and cold
// start (`--version`), each as a ratio to `node -e 0`. Budget: scaffold ≤ 1.5 ×.
//   node bench/scaffold.mjs        (BENCH_RUNS=n to change the 11 rounds)
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  CLI,
  folderSize,
  log,
  NODE,
  scaffoldArgs,
  timeInterleaved,
  timingTable,
  startTimingBench,
  writeSection,
} from './lib.mjs';
import { profileCommand } from './profile.mjs';

export const SCAFFOLD_BUDGET = 1.5;

const { facts, milestones, cwd, runs } = startTimingBench('scaffold', 11);
const project = path.join(cwd, 'bench-project');
const scaffoldLabel = `scaffold (${milestones.length} milestones)`;

function checkScaffold() {
  const manifest = JSON.parse(readFileSync(path.join(project, '.roadmap-project.json'), 'utf8'));
  const written = manifest.answers?.milestones ?? [];
  if (written.join(',') !== milestones.join(',')) {
    throw new Error(`the scaffold recorded milestones ${written.join(',')}, not ${milestones.join(',')}`);
  }
}

log(`scaffold: ${runs} rounds of node -e 0 / --version / scaffold, interleaved`);
const results = timeInterleaved(
  [
    { label: 'cold start (`--version`)', cmd: NODE, args: [CLI, '--version'], cwd },
    {
      label: scaffoldLabel,
      cmd: NODE,
      args: scaffoldArgs('bench-project', milestones),
      cwd,
      prepare: () => rmSync(project, { recursive: true, force: true }),
      verify: checkScaffold,
    },
  ],
  { runs },
);
const { bytes, files } = folderSize(project);
const scaffold = results.find((result) => result.label === scaffoldLabel);

const sections = [
  '## Scaffold (bench/scaffold.mjs)',
  '',
  facts,
  '',
  `Command: \`node dist/cli.js bench-project --milestone ${milestones.join(',')} --yes --no-install --no-git\`, ` +
    `into a fresh folder each time; it writes ${files} files (${Math.round(bytes / 1024)} KiB). ` +
    `${runs} rounds after one warm-up, each round running \`node -e 0\`, \`--version\` and the scaffold in turn; medians.`,
  '',
  timingTable(results, { [scaffoldLabel]: SCAFFOLD_BUDGET }),
];
if (scaffold.ratio > SCAFFOLD_BUDGET) {
  log('scaffold budget missed: profiling');
  sections.push(
    '',
    `Budget missed by ${Math.round(scaffold.ms - SCAFFOLD_BUDGET * results[0].ms)} ms ` +
      `(the budget is ${Math.round(SCAFFOLD_BUDGET * results[0].ms)} ms on this machine now). Where the time goes:`,
    '',
    profileCommand({
      cliArgs: scaffoldArgs('bench-project', milestones).slice(1),
      cwd,
      prepare: () => rmSync(project, { recursive: true, force: true }),
      title: 'Scaffold',
    }),
  );
}
writeSection('scaffold', sections.join('\n'));
process.stdout.write(`${timingTable(results, { [scaffoldLabel]: SCAFFOLD_BUDGET })}\n`);
