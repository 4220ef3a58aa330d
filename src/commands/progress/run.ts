import { execa } from 'execa';
import { existsSync, lstatSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Catalog } from '../../catalog/catalog.ts';
import { Reporter, type CliIO } from '../../io.ts';
import type { ProgressFlags } from '../../options.ts';
import { withOpenProject } from '../../project/open-project.ts';
import { resolveProjectPath } from '../../project/project-paths.ts';
import { buildProjectNames } from '../../render/project-names.ts';
import { SKIPPED, buildBoard, type Board, type ChallengeResult, type ProjectFacts } from './board.ts';
import { PORTFOLIO_SVG, PROGRESS_STATE, PROGRESS_SVG } from './state.ts';
import { renderBoardSvg } from './svg.ts';

export interface ProgressReport extends Board {
  readonly command: 'progress';
  /** The SVG card written. */
  readonly svg: string;
}

const TEST_TIMEOUT_MS = 10 * 60_000;

/**
 * `progress`: for each project (the current one, or every --dir), read the
 * manifest, run its challenge tests with its own runner (--challenge-report),
 * and look for the files roadmap.json names as evidence; then print the board,
 * write the SVG card (and, inside a project, the results `list` shows).
 * Everything read from a project is untrusted: paths go through
 * resolveProjectPath, the runner's report is checked field by field.
 */
export async function runProgress(io: CliIO, flags: ProgressFlags, catalog: Catalog): Promise<ProgressReport> {
  const reporter = new Reporter(io, flags.json);
  const dirs = flags.dirs.length > 0 ? flags.dirs : [undefined];
  const projects: ProjectFacts[] = [];
  const roots: string[] = [];
  for (const dir of dirs) {
    await withOpenProject({ io, catalog, reporter, dir, command: 'progress', access: 'check' }, async (project) => {
      const names = buildProjectNames(project.answers.name);
      const features = new Set(project.manifest.features);
      const milestones = catalog.milestonesCoveredBy(features).map((milestone) => milestone.id);
      const challenges = flags.skipTests ? { notRun: SKIPPED } : await runChallengeTests(project.root, io);
      roots.push(project.root);
      projects.push({
        name: path.basename(project.root),
        directory: project.root,
        packageName: names.packageName,
        milestones,
        options: catalog.optionValuesOf(project.answers.options),
        exists: (file) => fileExists(project.root, file),
        challenges,
      });
    });
  }
  const board = buildBoard(catalog, projects);
  const single = roots.length === 1 ? roots[0] : undefined;
  const title = single ? `Python roadmap: ${path.basename(single)}` : `Python roadmap portfolio: ${roots.length} projects`;
  const svgPath = flags.svg
    ? path.resolve(io.cwd, flags.svg)
    : single
      ? resolveProjectPath(single, PROGRESS_SVG, { kind: 'plan' })
      : path.resolve(io.cwd, PORTFOLIO_SVG);
  writeReplacing(svgPath, renderBoardSvg(board, title));
  if (single && !flags.skipTests) {
    const state = Object.fromEntries(board.projects[0]!.challenges.map((challenge) => [challenge.id, challenge.state]));
    writeReplacing(resolveProjectPath(single, PROGRESS_STATE, { kind: 'plan' }), `${JSON.stringify({ challenges: state }, null, 2)}\n`);
  }
  const report: ProgressReport = { command: 'progress', ...board, svg: svgPath };
  if (!flags.json) printBoard(reporter, report, title);
  return report;
}

/** A regular file inside the project (no symlink out of it, no folder). */
function fileExists(root: string, file: string): boolean {
  try {
    const absolute = resolveProjectPath(root, file, { kind: 'plan' });
    return lstatSync(absolute).isFile();
  } catch {
    return false;
  }
}

/** Writes through a temporary file and a rename: a symlink in the way is replaced, never written through. */
function writeReplacing(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { flag: 'wx', mode: 0o644 });
  renameSync(temporary, file);
}

/** Runs the project's challenge tests with its own virtualenv and reads the runner's JSON report. */
async function runChallengeTests(root: string, io: CliIO): Promise<{ results: Record<string, ChallengeResult> } | { notRun: string }> {
  const python = path.join(root, '.venv', 'bin', 'python');
  if (!existsSync(python)) return { notRun: 'the project has no .venv yet' };
  if (!existsSync(path.join(root, 'tests', 'challenges'))) return { results: {} };
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'roadmap-progress-'));
  const report = path.join(scratch, 'challenges.json');
  try {
    const result = await execa(
      python,
      ['-m', 'pytest', 'tests/challenges', '-m', 'challenge', '--no-cov', '-p', 'no:cacheprovider', '-q', '--tb=no', `--challenge-report=${report}`],
      { cwd: root, env: io.env, extendEnv: false, reject: false, all: true, stdin: 'ignore', timeout: TEST_TIMEOUT_MS, cancelSignal: io.signal },
    );
    if (!existsSync(report)) {
      const tail = String(result.all ?? '').trim().split('\n').slice(-3).join(' ');
      return { notRun: `the challenge tests did not report (exit ${result.exitCode ?? '?'}): ${tail}` };
    }
    return { results: parseRunnerReport(readFileSync(report, 'utf8')) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The runner's report, checked field by field: it comes from code inside the project. */
export function parseRunnerReport(text: string): Record<string, ChallengeResult> {
  const document: unknown = JSON.parse(text);
  const challenges = (document as { challenges?: unknown } | null)?.challenges;
  if (typeof challenges !== 'object' || challenges === null) return {};
  const results: Record<string, ChallengeResult> = {};
  for (const [id, value] of Object.entries(challenges)) {
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id) || typeof value !== 'object' || value === null) continue;
    const entry = value as Record<string, unknown>;
    const count = (field: unknown): number => (typeof field === 'number' && Number.isInteger(field) && field >= 0 ? Math.min(field, 10_000) : 0);
    const failing = Array.isArray(entry['failing']) ? entry['failing'].filter((line): line is string => typeof line === 'string').map((line) => line.slice(0, 300)) : [];
    results[id] = { done: entry['done'] === true, passed: count(entry['passed']), total: count(entry['total']), failing: failing.slice(0, 20) };
  }
  return results;
}

const STATE_MARKS = { done: '✔', started: '◐', todo: '·', 'not-run': '?' } as const;

function printBoard(reporter: Reporter, report: ProgressReport, title: string): void {
  const style = reporter.style.bind(reporter);
  reporter.line(style('bold', title));
  reporter.line(`${report.topics.done} of ${report.topics.total} roadmap topics · ${report.challenges.done} of ${report.challenges.total} challenges done`);
  for (const phase of report.phases) {
    const filled = phase.total === 0 ? 0 : Math.round((10 * phase.done) / phase.total);
    reporter.line();
    reporter.line(`${style('bold', `Phase ${phase.number} · ${phase.title}`)}  ${'█'.repeat(filled)}${'░'.repeat(10 - filled)} ${phase.done}/${phase.total}`);
    for (const topic of phase.topics) {
      const how = [
        ...topic.demonstrated.slice(0, 2).map((item) => `${item.file} (${item.symbol})`),
        ...topic.challenges.map((id) => `challenge ${id}`),
      ];
      const mark = topic.done ? style('green', '✔') : style('dim', '·');
      reporter.line(`  ${mark} ${topic.title}${how.length > 0 ? style('dim', `: ${how.join(', ')}`) : ''}`);
    }
  }
  for (const project of report.projects) {
    reporter.line();
    reporter.line(style('bold', `Challenges of ${project.name}`) + (project.notRun ? style('dim', ` (not run: ${project.notRun})`) : ''));
    if (project.challenges.length === 0) reporter.line('  none');
    for (const challenge of project.challenges) {
      const checks = challenge.total > 0 ? ` ${challenge.passed}/${challenge.total} checks` : '';
      reporter.line(`  ${STATE_MARKS[challenge.state]} ${challenge.id} (${challenge.level})${checks}: ${challenge.title}`);
    }
  }
  reporter.line();
  reporter.line(style('bold', 'Next'));
  for (const line of report.next) reporter.line(`  ${line}`);
  reporter.line(style('dim', `Card: ${report.svg}`));
}
