import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, runCli } from '../helpers/cli.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

interface PtyRun {
  readonly exit: number;
  readonly transcript: string;
  readonly failed_step: number | null;
}

const PYTHON = hasExecutable('python3');
const UP = '\u001b[A';
const DOWN = '\u001b[B';

function manifestOf(project: string): { answers: { milestones: string[]; options: Record<string, string> } } {
  return JSON.parse(readFileSync(path.join(project, '.roadmap-project.json'), 'utf8'));
}

/** Runs the CLI on a real pseudo-terminal, typing `steps` as a person would. */
async function onTerminal(cwd: string, args: string[], steps: { expect: string; send: string }[]): Promise<PtyRun> {
  const spec = { argv: [process.execPath, CLI_PATH, ...args], cwd, steps, timeout: 15 };
  const result = await execa('python3', [path.join(REPO_ROOT, 'test/helpers/pty_driver.py'), JSON.stringify(spec)]);
  return JSON.parse(result.stdout) as PtyRun;
}

describe('on a terminal, create asks: name → phase → milestone → options → git → install', () => {
  it('and writes the project from the answers typed', async (ctx) => {
    requireOrSkip(ctx, 'python3 (drives the pseudo-terminal)', PYTHON, 'install Python 3');
    const cwd = makeTempDir('cprp-pty');
    const run = await onTerminal(cwd, [], [
      { expect: 'Project name', send: 'Typed Name\r' },
      // Up from the first phase wraps to the last, the portfolio phase: every kind of question follows.
      { expect: 'Where are you on the roadmap\\?', send: `${UP}\r` },
      { expect: 'Which milestone\\?', send: `${DOWN}\r` },
      // The others, in catalog order: python-foundations, rest-api-auth, background-jobs, ...
      { expect: 'Combine crud-db with other milestones', send: `${DOWN}${DOWN} \r` },
      // FastAPI and Flask both build crud-db with background-jobs: the framework is asked.
      { expect: 'Web framework', send: '\r' },
      { expect: 'Database for local development', send: '\r' },
      { expect: 'Initialize a git repository', send: 'n' },
      { expect: 'Install dependencies now', send: 'n' },
    ]);
    expect(run.failed_step, run.transcript).toBeNull();
    expect(run.exit, run.transcript).toBe(0);
    const order = [
      'Project name',
      'Where are you on the roadmap',
      'Which milestone',
      'Combine crud-db',
      'Web framework',
      'Database for local development',
      'Initialize a git',
      'Install dependencies',
    ].map((text) => run.transcript.indexOf(text));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(run.transcript).toContain('Created typed-name');
    expect(manifestOf(path.join(cwd, 'typed-name')).answers).toMatchObject({ milestones: ['crud-db', 'background-jobs'], options: { framework: 'fastapi', db: 'sqlite' } });
    expect(readFileSync(path.join(cwd, 'typed-name', '.env.example'), 'utf8')).toContain('DATABASE_URL=sqlite');
  });

  it('Enter at every question builds what --yes builds, and skips the milestone question of a one-milestone phase', async (ctx) => {
    requireOrSkip(ctx, 'python3 (drives the pseudo-terminal)', PYTHON, 'install Python 3');
    const cwd = makeTempDir('cprp-pty');
    const run = await onTerminal(cwd, ['--no-git', '--no-install'], [
      { expect: 'Project name', send: '\r' },
      { expect: 'Where are you on the roadmap\\?', send: '\r' },
      { expect: 'Combine python-foundations with other milestones', send: '\r' },
    ]);
    expect(run.failed_step, run.transcript).toBeNull();
    expect(run.exit, run.transcript).toBe(0);
    expect(run.transcript).not.toContain('Which milestone?');
    expect(run.transcript).toContain('the only one of phase 1');
    const yes = makeTempDir('cprp-pty');
    expect((await runCli(['--yes', '--no-git', '--no-install'], { cwd: yes })).exitCode).toBe(0);
    expect(manifestOf(path.join(cwd, 'roadmap-project')).answers).toEqual(manifestOf(path.join(yes, 'roadmap-project')).answers);
  });

  it('Escape goes back one question', async (ctx) => {
    requireOrSkip(ctx, 'python3 (drives the pseudo-terminal)', PYTHON, 'install Python 3');
    const cwd = makeTempDir('cprp-pty');
    const run = await onTerminal(cwd, ['--no-git', '--no-install'], [
      { expect: 'Esc goes back one question', send: '' },
      { expect: 'Project name', send: 'went-back\r' },
      { expect: 'Where are you on the roadmap\\?', send: '\r' },
      // Escape at the companions: the phase is asked again, starting on the phase chosen before.
      { expect: 'Combine python-foundations', send: '\u001b' },
      { expect: 'Where are you on the roadmap\\?', send: `${UP}\r` },
      { expect: 'Which milestone\\?', send: `${DOWN}\r` },
      { expect: 'Combine crud-db', send: '\r' },
      { expect: 'Web framework', send: '\r' },
      { expect: 'Database for local development', send: '\r' },
    ]);
    expect(run.failed_step, run.transcript).toBeNull();
    expect(run.exit, run.transcript).toBe(0);
    expect(manifestOf(path.join(cwd, 'went-back')).answers.milestones).toEqual(['crud-db']);
  });

  it('a folder that is not empty: choose another name, and the project goes there', async (ctx) => {
    requireOrSkip(ctx, 'python3 (drives the pseudo-terminal)', PYTHON, 'install Python 3');
    const cwd = makeTempDir('cprp-pty');
    mkdirSync(path.join(cwd, 'taken'));
    writeFileSync(path.join(cwd, 'taken', 'notes.txt'), 'mine');
    const run = await onTerminal(cwd, ['taken', '--milestone', 'python-foundations', '--no-git', '--no-install'], [
      { expect: 'taken is not empty\\. What now\\?', send: '\r' },
      { expect: 'Project name', send: `${'\u007f'.repeat(10)}elsewhere\r` },
    ]);
    expect(run.failed_step, run.transcript).toBeNull();
    expect(run.exit, run.transcript).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual(['elsewhere', 'taken']);
    expect(readdirSync(path.join(cwd, 'taken'))).toEqual(['notes.txt']);
  });

  it('a folder that is not empty: continue into it, keeping what is there', async (ctx) => {
    requireOrSkip(ctx, 'python3 (drives the pseudo-terminal)', PYTHON, 'install Python 3');
    const cwd = makeTempDir('cprp-pty');
    mkdirSync(path.join(cwd, 'taken'));
    writeFileSync(path.join(cwd, 'taken', 'notes.txt'), 'mine');
    const run = await onTerminal(cwd, ['taken', '--milestone', 'python-foundations', '--no-git', '--no-install'], [
      { expect: 'taken is not empty\\. What now\\?', send: `${DOWN}${DOWN}\r` },
    ]);
    expect(run.exit, run.transcript).toBe(0);
    expect(readFileSync(path.join(cwd, 'taken', 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(cwd, 'taken', '.roadmap-project.json'))).toBe(true);
  });

  it('cloud-deploy asks for the repository (the flag --repository answers it), and the image is named after it', async (ctx) => {
    requireOrSkip(ctx, 'python3 (drives the pseudo-terminal)', PYTHON, 'install Python 3');
    const cwd = makeTempDir('cprp-pty');
    const run = await onTerminal(cwd, ['ship', '--milestone', 'cloud-deploy', '--no-git', '--no-install'], [
      { expect: 'Web framework', send: '\r' },
      { expect: 'Database for local development', send: '\r' },
      { expect: 'CI/CD provider', send: '\r' },
      { expect: 'Deployment target', send: '\r' },
      { expect: 'Repository on GitHub or GitLab', send: 'not valid\r' },
      { expect: 'is not a valid --repository', send: `${'\u007f'.repeat(9)}https://github.com/Octo/Ship.git\r` },
    ]);
    expect(run.failed_step, run.transcript).toBeNull();
    expect(run.exit, run.transcript).toBe(0);
    expect(readFileSync(path.join(cwd, 'ship', 'render.yaml'), 'utf8')).toContain('url: ghcr.io/octo/ship:latest');
  });

  it('refuses an invalid name at the question and lets the user type another', async (ctx) => {
    requireOrSkip(ctx, 'python3 (drives the pseudo-terminal)', PYTHON, 'install Python 3');
    const cwd = makeTempDir('cprp-pty');
    const run = await onTerminal(cwd, ['--milestone', 'python-foundations', '--no-git', '--no-install'], [
      { expect: 'Project name', send: 'json\r' },
      { expect: 'Try: json-app', send: '\u007f\u007f\u007f\u007fgood-name\r' },
    ]);
    expect(run.exit, run.transcript).toBe(0);
    expect(readdirSync(cwd)).toEqual(['good-name']);
  });

  it('exits 130 on Ctrl-C at a question, leaving nothing behind', async (ctx) => {
    requireOrSkip(ctx, 'python3 (drives the pseudo-terminal)', PYTHON, 'install Python 3');
    const cwd = makeTempDir('cprp-pty');
    const run = await onTerminal(cwd, [], [
      { expect: 'Project name', send: 'abandoned\r' },
      { expect: 'Where are you on the roadmap\\?', send: '\u0003' },
    ]);
    expect(run.exit, run.transcript).toBe(130);
    expect(run.transcript).toContain('Interrupted; nothing was written.');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('with --yes asks nothing even on a terminal', async (ctx) => {
    requireOrSkip(ctx, 'python3 (drives the pseudo-terminal)', PYTHON, 'install Python 3');
    const cwd = makeTempDir('cprp-pty');
    const run = await onTerminal(cwd, ['quiet', '--yes', '--no-git', '--no-install'], []);
    expect(run.exit, run.transcript).toBe(0);
    expect(run.transcript).not.toContain('?');
    expect(readdirSync(cwd)).toEqual(['quiet']);
  });
});
