import { execa } from 'execa';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT } from '../helpers/cli.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

interface PtyRun {
  readonly exit: number;
  readonly transcript: string;
  readonly failed_step: number | null;
}

const PYTHON = hasExecutable('python3');

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
      // The phase question starts on the portfolio phase, whose first available milestone
      // (crud-db) has a --db option: every kind of question is asked once.
      { expect: 'Where are you on the roadmap\\?', send: '\r' },
      { expect: 'Which milestone\\?', send: '\r' },
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
      'Database for local development',
      'Initialize a git',
      'Install dependencies',
    ].map((text) => run.transcript.indexOf(text));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(run.transcript).toContain('Created typed-name');
    // The portfolio phase and its first milestone are the defaults: a web project with a database.
    expect(existsSync(path.join(cwd, 'typed-name', 'src', 'typed_name', 'main.py'))).toBe(true);
    expect(existsSync(path.join(cwd, 'typed-name', 'alembic.ini'))).toBe(true);
    expect(readFileSync(path.join(cwd, 'typed-name', '.env.example'), 'utf8')).toContain('DATABASE_URL=sqlite');
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
