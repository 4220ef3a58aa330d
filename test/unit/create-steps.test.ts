import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../src/errors.ts';
import { runCreate } from '../../src/main.ts';
import type { CreateFlags } from '../../src/options.ts';
import { CANCEL, fakeTerminal } from '../helpers/fake-io.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const noFlags: CreateFlags = { milestones: [], options: {}, yes: false, dryRun: true, force: false, json: false };

describe('create asks its questions in order: name → phase → milestone → options → git → install', () => {
  it('on a terminal with no flags, and builds the project from the answers', async () => {
    const cwd = makeTempDir();
    const terminal = fakeTerminal({ cwd, answers: ['My Logs', 'fundamentals', 'python-foundations', false, true] });
    const report = await runCreate(terminal.io, noFlags);
    expect(terminal.asked.map((question) => question.message)).toEqual([
      'Project name',
      'Where are you on the roadmap?',
      'Which milestone?',
      'Initialize a git repository with a first commit?',
      'Install dependencies now (uv sync)?',
    ]);
    expect(report.directory).toBe(path.join(cwd, 'my-logs'));
    expect(report.milestones).toEqual(['python-foundations']);
    expect(report.steps.map((step) => [step.step, step.status])).toEqual([
      ['install', 'planned'],
      ['git', 'skipped'],
    ]);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('offers in the milestone question only the milestones that exercise the chosen phase', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), answers: ['x', 'dsa', 'python-foundations', true, true] });
    await runCreate(terminal.io, noFlags);
    const milestoneQuestion = terminal.asked[2];
    expect(milestoneQuestion?.choices?.map((choice) => choice.value)).toEqual(['python-foundations']);
  });

  it('asks nothing a flag already answered', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), answers: [] });
    await runCreate(terminal.io, {
      ...noFlags,
      directory: 'proj',
      milestones: ['python-foundations'],
      git: false,
      install: false,
    });
    expect(terminal.asked).toEqual([]);
  });

  it('asks nothing with --yes and takes the defaults', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), answers: [] });
    const report = await runCreate(terminal.io, { ...noFlags, yes: true });
    expect(terminal.asked).toEqual([]);
    expect(report.project.distName).toBe('roadmap-project');
    expect(report.milestones).toEqual(['python-foundations']);
  });

  it('validates the typed name in the question itself', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), answers: ['ok-name', 'fundamentals', 'python-foundations', true, true] });
    await runCreate(terminal.io, noFlags);
    const validate = terminal.asked[0]?.validate;
    expect(validate?.('ok-name')).toBe(true);
    expect(validate?.('json')).toMatch(/standard library.*Try: json-app/);
  });

  it('turns Ctrl-C at any question into CancelledError, writing nothing', async () => {
    for (let at = 0; at < 5; at += 1) {
      const cwd = makeTempDir();
      const answers: unknown[] = ['proj', 'fundamentals', 'python-foundations', true, true];
      answers[at] = CANCEL;
      const terminal = fakeTerminal({ cwd, answers });
      await expect(runCreate(terminal.io, { ...noFlags, dryRun: false })).rejects.toBeInstanceOf(CancelledError);
      expect(readdirSync(cwd), `cancelled at question ${at}`).toEqual([]);
    }
  });
});

describe('create without a terminal never waits', () => {
  it('refuses a missing name, naming the flags that supply it', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), tty: false });
    await expect(runCreate(terminal.io, noFlags)).rejects.toThrowError(/No project name/);
  });

  it('refuses a missing milestone, naming --milestone', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), tty: false });
    const error = await runCreate(terminal.io, { ...noFlags, directory: 'p' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).details.join('\n')).toContain('--milestone');
  });

  it('uses option defaults and git/install defaults when they are not given', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), tty: false });
    const report = await runCreate(terminal.io, { ...noFlags, directory: 'p', milestones: ['python-foundations'] });
    expect(report.steps.every((step) => step.status === 'planned')).toBe(true);
  });

  it('--phase with --yes picks the first milestone of that phase', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), tty: false });
    const report = await runCreate(terminal.io, { ...noFlags, yes: true, phase: '3' });
    expect(report.milestones).toEqual(['python-foundations']);
  });

  it('writes the project for real when not a dry run', async () => {
    const cwd = makeTempDir();
    const terminal = fakeTerminal({ cwd, tty: false });
    const report = await runCreate(terminal.io, {
      ...noFlags,
      dryRun: false,
      directory: 'real',
      milestones: ['python-foundations'],
      git: false,
      install: false,
    });
    expect(report.ok).toBe(true);
    expect(existsSync(path.join(cwd, 'real', '.roadmap-project.json'))).toBe(true);
    expect(terminal.stdout()).toContain('Created real');
  });
});
