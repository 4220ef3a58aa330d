import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { CancelledError } from '../errors.ts';
import type { Transaction } from './transaction.ts';

/** `planned`: what --dry-run would do. */
export type StepStatus = 'done' | 'skipped' | 'failed' | 'planned';

export interface StepResult {
  readonly step: 'install' | 'git';
  readonly status: StepStatus;
  /** Why it was skipped or how it failed, in one line. */
  readonly detail?: string;
  /** The last lines the failing command printed. */
  readonly outputTail?: string;
  /** What to run by hand to finish the step. */
  readonly manualCommand?: string;
}

export interface StepRunner {
  /** Shows progress for a long step; the callback's promise decides when it ends. */
  spin<T>(label: string, work: () => Promise<T>): Promise<T>;
}

/** Finds an executable on PATH without spawning anything. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const extensions = process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD').split(';') : [''];
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** A child killed by one of these was stopped by the user (or the system), not failed by its own doing. */
const INTERRUPTS: ReadonlySet<string> = new Set(['SIGINT', 'SIGTERM', 'SIGHUP']);

/** Runs a child process that dies with us: Ctrl-C stops it and surfaces as CancelledError. */
async function run(
  file: string,
  args: readonly string[],
  cwd: string,
  signal: AbortSignal | undefined,
): Promise<{ ok: true } | { ok: false; output: string; message: string }> {
  // Loaded when a process is spawned: a create without install or git never parses execa.
  const { execa } = await import('execa');
  const result = await execa(file, args, {
    cwd,
    reject: false,
    all: true,
    stdin: 'ignore',
    ...(signal ? { cancelSignal: signal } : {}),
    forceKillAfterDelay: 3000,
  });
  if (result.isCanceled || signal?.aborted) throw new CancelledError();
  if (result.failed && (result.signal !== undefined || result.exitCode === 130)) {
    // On a terminal, Ctrl-C reaches the child and us together: the child may be
    // reported first. Give our own SIGINT handler the turn it is owed before
    // calling this a failure of the command.
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (signal?.aborted || INTERRUPTS.has(result.signal ?? '')) throw new CancelledError();
  }
  if (result.failed) {
    return { ok: false, output: String(result.all ?? ''), message: result.shortMessage ?? `${file} failed` };
  }
  return { ok: true };
}

const isWindows = process.platform === 'win32';

/**
 * Installs the project's environment: `uv sync` when uv is on PATH (it also
 * writes uv.lock), otherwise a venv with an up-to-date pip, which understands
 * PEP 735 dependency groups. Paths it creates are recorded in the transaction,
 * so a Ctrl-C during the install leaves nothing behind.
 */
export async function installDependencies(
  projectDir: string,
  runner: StepRunner,
  transaction: Transaction,
  signal?: AbortSignal,
): Promise<StepResult> {
  for (const created of ['.venv', 'uv.lock']) {
    const full = path.join(projectDir, created);
    if (!existsSync(full)) transaction.createdTree(full);
  }
  const uv = findExecutable('uv');
  if (uv) {
    const result = await runner.spin('Installing dependencies with uv sync', () =>
      run(uv, ['sync'], projectDir, signal),
    );
    if (result.ok) return { step: 'install', status: 'done', detail: 'uv sync' };
    return {
      step: 'install',
      status: 'failed',
      detail: result.message,
      outputTail: tail(result.output),
      manualCommand: 'uv sync',
    };
  }
  const python = findExecutable('python3') ?? findExecutable('python');
  const manual = isWindows
    ? 'python -m venv .venv && .venv\\Scripts\\python -m pip install --upgrade pip && .venv\\Scripts\\python -m pip install -e . --group dev'
    : 'python3 -m venv .venv && .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e . --group dev';
  if (!python) {
    return { step: 'install', status: 'skipped', detail: 'neither uv nor python3 is on PATH', manualCommand: manual };
  }
  const venvPython = isWindows
    ? path.join(projectDir, '.venv', 'Scripts', 'python.exe')
    : path.join(projectDir, '.venv', 'bin', 'python');
  const result = await runner.spin('uv not found: installing with venv and pip', async () => {
    for (const [file, args] of [
      [python, ['-m', 'venv', '.venv']],
      [venvPython, ['-m', 'pip', 'install', '--quiet', '--upgrade', 'pip']],
      [venvPython, ['-m', 'pip', 'install', '--quiet', '-e', '.', '--group', 'dev']],
    ] as const) {
      const step = await run(file, args, projectDir, signal);
      if (!step.ok) return step;
    }
    return { ok: true } as const;
  });
  if (result.ok) return { step: 'install', status: 'done', detail: 'venv + pip (uv was not found)' };
  return {
    step: 'install',
    status: 'failed',
    detail: result.message,
    outputTail: tail(result.output),
    manualCommand: manual,
  };
}

async function gitOutput(git: string, args: readonly string[], cwd: string): Promise<string | undefined> {
  const { execa } = await import('execa');
  const result = await execa(git, args, { cwd, reject: false, stdin: 'ignore' });
  return result.failed ? undefined : String(result.stdout).trim();
}

/**
 * `git init` and a first commit, so the learner's own changes show up as diffs
 * from the generated baseline. Skipped inside an existing repository: the
 * project then belongs to that repository's history.
 */
export async function initGitRepository(
  projectDir: string,
  message: string,
  transaction: Transaction,
  signal?: AbortSignal,
): Promise<StepResult> {
  const git = findExecutable('git');
  const manual = 'git init && git add -A && git commit -m "Initial commit"';
  if (!git) return { step: 'git', status: 'skipped', detail: 'git is not on PATH', manualCommand: manual };
  const enclosing = await gitOutput(git, ['rev-parse', '--show-toplevel'], projectDir);
  if (enclosing !== undefined) {
    return { step: 'git', status: 'skipped', detail: `already inside the git repository at ${enclosing}` };
  }
  const dotGit = path.join(projectDir, '.git');
  if (!existsSync(dotGit)) transaction.createdTree(dotGit);
  const identity: string[] = [];
  if (!(await gitOutput(git, ['config', 'user.email'], projectDir))) {
    identity.push('-c', 'user.name=create-python-roadmap-project', '-c', 'user.email=create-python-roadmap-project@users.noreply.localhost');
  }
  for (const args of [
    ['-c', 'init.defaultBranch=main', 'init', '--quiet'],
    ['add', '--all'],
    [...identity, 'commit', '--quiet', '--no-verify', '--message', message],
  ]) {
    const result = await run(git, args, projectDir, signal);
    if (!result.ok) {
      return { step: 'git', status: 'failed', detail: result.message, outputTail: tail(result.output), manualCommand: manual };
    }
  }
  return { step: 'git', status: 'done', detail: identity.length ? 'committed as create-python-roadmap-project (no git identity is configured)' : 'initial commit created' };
}
