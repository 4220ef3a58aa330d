import { existsSync } from 'node:fs';
import path from 'node:path';
import { NEXT_STEP_STAGES, type Feature, type NextStep, type NextStepContext } from '../catalog/features/index.ts';
import type { Reporter } from '../io.ts';

/** Where a path is, said the shortest way for the user: `../my-project` beside the current folder, absolute when that is shorter. */
export function displayPath(cwd: string, target: string): string {
  const relative = path.relative(cwd, target);
  if (relative === '') return '.';
  if (path.isAbsolute(relative)) return target;
  return relative.startsWith('..') && relative.length >= target.length ? target : relative;
}

/** A project named for a sentence: its folder name, and where it is when that is not the current folder. */
export function projectLabel(cwd: string, root: string): string {
  const where = displayPath(cwd, root);
  const name = path.basename(root);
  return where === '.' || where === name ? name : `${name} (${where})`;
}

export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** A next step as reports carry it (and `--json` prints it): the stage is only for ordering. */
export interface NextStepLine {
  readonly command?: string;
  readonly why: string;
}

/**
 * Every step the given features name, ordered by stage (prepare, check, run,
 * try, ship), then by registry order. A command named twice appears once, where
 * it first appeared, with the last feature's words (as the last `runCommand` wins).
 * `extra` steps (install, migrate after an update...) join the same ordering.
 */
export function featureNextSteps(
  features: readonly Feature[],
  context: NextStepContext,
  extra: readonly NextStep[] = [],
): NextStepLine[] {
  const steps = [...extra, ...features.flatMap((feature) => feature.nextSteps?.(context) ?? [])];
  const byStage = NEXT_STEP_STAGES.map((stage) => {
    const lines: NextStepLine[] = [];
    const index = new Map<string, number>();
    for (const step of steps.filter((candidate) => candidate.stage === stage)) {
      const line = step.command === undefined ? { why: step.why } : { command: step.command, why: step.why };
      const seen = step.command === undefined ? undefined : index.get(step.command);
      if (seen === undefined) {
        if (step.command !== undefined) index.set(step.command, lines.length);
        lines.push(line);
      } else {
        lines[seen] = line;
      }
    }
    return lines;
  });
  return byStage.flat();
}

/** Commands longer than this do not push every reason to the right. */
const COMMAND_COLUMN = 32;

/** Prints "Next steps:" with each command's reason aligned beside it. */
export function printNextSteps(reporter: Reporter, steps: readonly NextStepLine[], heading = 'Next steps:'): void {
  if (steps.length === 0) return;
  reporter.line();
  reporter.line(heading);
  // Reasons line up beside the commands; a command too long for that gets its reason on the next line.
  const width = Math.max(0, ...steps.map((step) => step.command?.length ?? 0).filter((length) => length <= COMMAND_COLUMN));
  for (const step of steps) {
    if (step.command === undefined) {
      reporter.line(`  - ${step.why}`);
    } else if (step.why === '') {
      reporter.line(`  ${step.command}`);
    } else if (step.command.length > width) {
      reporter.line(`  ${step.command}`);
      reporter.line(`  ${' '.repeat(width)}  ${reporter.style('dim', `# ${step.why}`)}`);
    } else {
      reporter.line(`  ${step.command.padEnd(width)}  ${reporter.style('dim', `# ${step.why}`)}`);
    }
  }
}

/** `make install`, worded for a project whose environment does not exist yet. */
export const INSTALL_STEP: NextStep = {
  stage: 'prepare',
  command: 'make install',
  why: 'create .venv and install the locked dependencies',
};

/** The first commit, by hand: what the git step would have done. */
export const FIRST_COMMIT_COMMAND = 'git init && git add -A && git commit -m "Initial commit"';

/**
 * The steps after `create`: into the folder, the install when it did not
 * happen, then every feature's steps.
 */
export function createNextSteps(
  cwd: string,
  directory: string,
  installed: boolean,
  features: readonly Feature[],
  context: NextStepContext,
): NextStepLine[] {
  const where = displayPath(cwd, directory);
  return [
    ...(where === '.' ? [] : [{ command: `cd ${shellQuote(where)}`, why: '' }]),
    ...featureNextSteps(features, context, installed ? [] : [INSTALL_STEP]),
  ];
}

/** True when `dir` or a folder above it holds a `.git`. */
export function insideGitRepository(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return true;
    if (path.dirname(current) === current) return false;
  }
}

/**
 * What Ctrl-C during a post-step leaves, said plainly: the project is complete
 * and kept; the interrupted step's half-made files are gone; here is what to
 * run to finish by hand.
 */
export function interruptedAfterWrite(
  cwd: string,
  directory: string,
  interrupted: 'install' | 'git',
  wanted: { readonly install: boolean; readonly git: boolean },
  finished: readonly { readonly step: string; readonly status: string }[],
): { summary: string; details: string[] } {
  const where = displayPath(cwd, directory);
  const installed = finished.some((step) => step.step === 'install' && step.status === 'done');
  const during = interrupted === 'install' ? 'while installing dependencies' : 'while making the first git commit';
  const removed = interrupted === 'install' ? 'the half-built .venv was removed' : 'the unfinished .git was removed';
  const todo: string[] = [];
  if (where !== '.') todo.push(`cd ${shellQuote(where)}`);
  if (wanted.install && !installed) todo.push('make install');
  if (wanted.git && !insideGitRepository(path.dirname(directory))) todo.push(FIRST_COMMIT_COMMAND);
  return {
    summary: `Interrupted ${during}. The project itself is complete and kept in ${where}; ${removed}.`,
    details: ['To finish by hand:', ...todo.map((command) => `  ${command}`)],
  };
}

/** Files whose change after `add` or `update` asks for a command, and which one. */
const CHANGE_STEPS: readonly { readonly matches: (path: string) => boolean; readonly step: NextStep }[] = [
  {
    matches: (file) => file === 'pyproject.toml',
    step: { stage: 'prepare', command: 'make install', why: 'pyproject.toml changed: bring .venv and uv.lock up to date' },
  },
  {
    matches: (file) => file.startsWith('migrations/'),
    step: {
      stage: 'run',
      command: 'make run',
      why: 'new migrations: make run applies them to the development database first (make migrate, for any other database)',
    },
  },
];

/**
 * The steps after `add` or `update` wrote something: the commands the changed
 * files call for (install, migrate), the gates, what the newly added features
 * need (a worker, secrets...), then review and commit.
 */
export function changeNextSteps(input: {
  /** Paths written, merged or left with conflicts. */
  readonly written: readonly string[];
  /** Features the project did not have before this run. */
  readonly newFeatures: readonly Feature[];
  readonly context: NextStepContext;
  readonly inGit: boolean;
  readonly commitMessage: string;
}): NextStepLine[] {
  const extra: NextStep[] = CHANGE_STEPS.filter(({ matches }) => input.written.some(matches)).map(({ step }) => step);
  extra.push({ stage: 'check', command: 'make check', why: 'the gates, on the changed project' });
  const steps = featureNextSteps(input.newFeatures, input.context, extra);
  if (input.inGit) {
    steps.push(
      { command: 'git add -A && git diff --staged', why: 'review every change, new files included' },
      { command: `git commit -m ${shellQuote(input.commitMessage)}`, why: 'then commit it' },
    );
  } else {
    steps.push({ why: 'review the changes, then keep a copy: this project is not in a git repository' });
  }
  return steps;
}
