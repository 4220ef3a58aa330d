import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../src/errors.ts';
import { runCreate } from '../../src/commands/create/run.ts';
import type { CreateFlags } from '../../src/options.ts';
import { BACK, CANCEL, ENTER, fakeTerminal } from '../helpers/fake-io.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const noFlags: CreateFlags = { milestones: [], options: {}, yes: false, dryRun: true, force: false, json: false };

describe('create asks its questions in order: name → phase → milestone → companions → options → git → install', () => {
  it('on a terminal with no flags, and builds the project from the answers', async () => {
    const cwd = makeTempDir();
    const terminal = fakeTerminal({ cwd, answers: ['My Logs', 'backend', 'crud-db', ['background-jobs'], 'fastapi', 'postgres', false, true] });
    const report = await runCreate(terminal.io, noFlags);
    expect(terminal.asked.map((question) => question.message)).toEqual([
      'Project name',
      'Where are you on the roadmap?',
      'Which milestone?',
      'Combine crud-db with other milestones in the same project?',
      'Web framework',
      'Database for local development',
      'Initialize a git repository with a first commit?',
      'Install dependencies now (uv sync)?',
    ]);
    expect(report.directory).toBe(path.join(cwd, 'my-logs'));
    expect(report.milestones).toEqual(['crud-db', 'background-jobs']);
    expect(report.options).toEqual({ framework: 'fastapi', db: 'postgres' });
    expect(report.steps.map((step) => [step.step, step.status])).toEqual([
      ['install', 'planned'],
      ['git', 'skipped'],
    ]);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('offers in the milestone question only the milestones that exercise the chosen phase', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), answers: ['x', 'backend', 'crud-db', [], 'fastapi', 'sqlite', true, true] });
    await runCreate(terminal.io, noFlags);
    const milestoneQuestion = terminal.asked[2];
    expect(milestoneQuestion?.message).toBe('Which milestone?');
    expect(milestoneQuestion?.choices?.map((choice) => choice.value)).toEqual(['rest-api-auth', 'crud-db', 'background-jobs', 'data-model-service']);
  });

  it('does not ask a question with one possible answer: a phase with one milestone picks it', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), answers: ['x', 'dsa', [], true, true] });
    const report = await runCreate(terminal.io, noFlags);
    expect(terminal.asked.map((question) => question.message)).not.toContain('Which milestone?');
    expect(report.milestones).toEqual(['python-foundations']);
    expect(terminal.stdout()).toContain('Milestone: Python foundations: a typed command-line log analyzer (python-foundations), the only one of phase 3');
    // Every framework builds rest-api-auth: the framework question offers all three.
    const api = fakeTerminal({ cwd: makeTempDir(), answers: ['x', 'backend', 'rest-api-auth', [], 'flask', 'sqlite', true, true] });
    const auth = await runCreate(api.io, noFlags);
    const framework = api.asked.find((question) => question.message === 'Web framework');
    expect(framework?.choices?.map((choice) => choice.value)).toEqual(['fastapi', 'django', 'flask']);
    expect(auth.milestones).toEqual(['rest-api-auth']);
  });

  it('Enter at every question builds what --yes builds', async () => {
    const entered = fakeTerminal({ cwd: makeTempDir(), answers: Array.from({ length: 9 }, () => ENTER) });
    const interactive = await runCreate(entered.io, noFlags);
    const flagged = await runCreate(fakeTerminal({ cwd: makeTempDir(), tty: false }).io, { ...noFlags, yes: true });
    expect(interactive.milestones).toEqual(flagged.milestones);
    expect(interactive.options).toEqual(flagged.options);
    expect(interactive.steps).toEqual(flagged.steps);
    expect(interactive.project.distName).toBe(flagged.project.distName);
    // Enter with --phase agrees too: the default milestone when the phase has it, else its first.
    for (const phase of ['testing', 'portfolio']) {
      const withPhase = await runCreate(fakeTerminal({ cwd: makeTempDir(), answers: Array.from({ length: 8 }, () => ENTER) }).io, { ...noFlags, phase });
      const yes = await runCreate(fakeTerminal({ cwd: makeTempDir(), tty: false }).io, { ...noFlags, phase, yes: true });
      expect(withPhase.milestones, phase).toEqual(yes.milestones);
    }
  });

  it('Escape goes back one question, which starts on the answer given before', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), answers: ['proj', 'backend', BACK, 'fundamentals', [], BACK, BACK, 'backend', 'crud-db', [], 'fastapi', 'sqlite', true, true] });
    const report = await runCreate(terminal.io, noFlags);
    expect(terminal.asked.map((question) => question.message)).toEqual([
      'Project name',
      'Where are you on the roadmap?',
      'Which milestone?', // Escape
      'Where are you on the roadmap?',
      'Combine python-foundations with other milestones in the same project?',
      'Initialize a git repository with a first commit?', // Escape: back to the companions
      'Combine python-foundations with other milestones in the same project?', // Escape: the milestone was not asked, so the phase
      'Where are you on the roadmap?',
      'Which milestone?',
      'Combine crud-db with other milestones in the same project?',
      'Web framework',
      'Database for local development',
      'Initialize a git repository with a first commit?',
      'Install dependencies now (uv sync)?',
    ]);
    const phases = terminal.asked[3]?.choices?.map((choice) => choice.value) ?? [];
    expect(terminal.asked[3]?.initial).toBe(phases.indexOf('backend'));
    expect(terminal.asked[7]?.initial).toBe(phases.indexOf('fundamentals'));
    expect(report.milestones).toEqual(['crud-db']);
    expect(report.project.distName).toBe('proj');
  });

  it('offers a framework only where it builds every chosen milestone, then the databases it supports (all of them on Django)', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), answers: ['x', 'backend', 'crud-db', [], 'django', 'postgres', true, true] });
    const report = await runCreate(terminal.io, noFlags);
    const question = (message: string) => terminal.asked.find((asked) => asked.message === message)?.choices?.map((choice) => choice.value);
    expect(question('Web framework')).toEqual(['fastapi', 'django', 'flask']);
    expect(question('Database for local development')).toEqual(['sqlite', 'postgres', 'mysql']);
    expect(report.options).toEqual({ framework: 'django', db: 'postgres' });
  });

  it('offers every framework for crud-db with background-jobs: Django builds both', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), answers: ['x', 'backend', 'crud-db', ['background-jobs'], 'django', 'sqlite', true, true] });
    const report = await runCreate(terminal.io, noFlags);
    const question = (message: string) => terminal.asked.find((asked) => asked.message === message)?.choices?.map((choice) => choice.value);
    expect(question('Web framework')).toEqual(['fastapi', 'django', 'flask']);
    expect(report.milestones).toEqual(['crud-db', 'background-jobs']);
    expect(report.options).toEqual({ framework: 'django', db: 'sqlite' });
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
    const terminal = fakeTerminal({ cwd: makeTempDir(), answers: ['ok-name', 'fundamentals', [], true, true] });
    await runCreate(terminal.io, noFlags);
    const validate = terminal.asked[0]?.validate;
    expect(validate?.('ok-name')).toBe(true);
    expect(validate?.('json')).toMatch(/standard library.*Try: json-app/);
  });

  it('turns Ctrl-C at any question into CancelledError, writing nothing', async () => {
    for (let at = 0; at < 5; at += 1) {
      const cwd = makeTempDir();
      const answers: unknown[] = ['proj', 'fundamentals', [], true, true];
      answers[at] = CANCEL;
      const terminal = fakeTerminal({ cwd, answers });
      await expect(runCreate(terminal.io, { ...noFlags, dryRun: false })).rejects.toBeInstanceOf(CancelledError);
      expect(readdirSync(cwd), `cancelled at question ${at}`).toEqual([]);
    }
  });
});

describe('a directory that is not empty, on a terminal: cancel, another name, or continue into it', () => {
  const real = { ...noFlags, dryRun: false, milestones: ['python-foundations'], git: false, install: false };
  function withTakenFolder(): string {
    const cwd = makeTempDir();
    mkdirSync(path.join(cwd, 'taken'));
    writeFileSync(path.join(cwd, 'taken', 'notes.txt'), 'mine');
    return cwd;
  }

  it('another name: asked again, the project goes beside the taken folder', async () => {
    const cwd = withTakenFolder();
    const terminal = fakeTerminal({ cwd, answers: ['rename', 'fresh'] });
    const report = await runCreate(terminal.io, { ...real, directory: 'taken' });
    expect(terminal.asked.map((question) => question.message)).toEqual(['taken is not empty. What now?', 'Project name']);
    expect(report.directory).toBe(path.join(cwd, 'fresh'));
    expect(readdirSync(path.join(cwd, 'taken'))).toEqual(['notes.txt']);
  });

  it('continue: generates into it and keeps what was there (--force)', async () => {
    const cwd = withTakenFolder();
    const report = await runCreate(fakeTerminal({ cwd, answers: ['continue'] }).io, { ...real, directory: 'taken' });
    expect(report.directory).toBe(path.join(cwd, 'taken'));
    expect(readFileSync(path.join(cwd, 'taken', 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(cwd, 'taken', '.roadmap-project.json'))).toBe(true);
  });

  it('cancel: nothing written, like Ctrl-C', async () => {
    const cwd = withTakenFolder();
    await expect(runCreate(fakeTerminal({ cwd, answers: ['cancel'] }).io, { ...real, directory: 'taken' })).rejects.toBeInstanceOf(CancelledError);
    expect(readdirSync(cwd)).toEqual(['taken']);
  });
});

describe('a project name given as the directory is placed like a typed one', () => {
  it('"My Cool API" becomes the folder my-cool-api, as at the name question', async () => {
    const cwd = makeTempDir();
    const flagged = await runCreate(fakeTerminal({ cwd, tty: false }).io, { ...noFlags, directory: 'My Cool API', milestones: ['python-foundations'] });
    const typed = await runCreate(fakeTerminal({ cwd, answers: ['My Cool API', 'fundamentals', [], true, true] }).io, noFlags);
    expect(flagged.directory).toBe(path.join(cwd, 'my-cool-api'));
    expect(typed.directory).toBe(flagged.directory);
    expect(flagged.project.displayName).toBe('My Cool API');
  });

  it('a path keeps its parent; an existing folder and --name keep the path as typed', async () => {
    const cwd = makeTempDir();
    mkdirSync(path.join(cwd, 'Existing Folder'));
    const run = (flags: Partial<CreateFlags>) =>
      runCreate(fakeTerminal({ cwd, tty: false }).io, { ...noFlags, milestones: ['python-foundations'], ...flags });
    expect((await run({ directory: 'apps/My API' })).directory).toBe(path.join(cwd, 'apps', 'my-api'));
    expect((await run({ directory: 'Existing Folder' })).directory).toBe(path.join(cwd, 'Existing Folder'));
    expect((await run({ directory: 'Any Path', name: 'svc' })).directory).toBe(path.join(cwd, 'Any Path'));
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
    // Both post-steps default to on: a dry run lists them as planned.
    expect(report.steps.map(({ step, status }) => ({ step, status }))).toEqual([
      { step: 'install', status: 'planned' },
      { step: 'git', status: 'planned' },
    ]);
  });

  it('--phase with --yes picks the default milestone when the phase has it', async () => {
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
