import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { commitAll, copyGenerator, edit, read, snapshot, write, type GeneratorCopy } from '../helpers/project-history.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const GIT = hasExecutable('git');
const PACKAGE = 'log_tool';

/** A freshly generated python-foundations project in its own git repository (first commit made by the CLI). */
async function freshProject(): Promise<string> {
  const parent = makeTempDir('cprp-update');
  const result = await runCli(['log-tool', '--milestone', 'python-foundations', '--no-install'], { cwd: parent });
  if (result.exitCode !== 0) throw new Error(`generation failed: ${result.stderr}`);
  return path.join(parent, 'log-tool');
}

/** The user's work: edits in shared, template-owned files, committed. */
async function withUserEdits(dir: string): Promise<void> {
  edit(dir, 'pyproject.toml', 'dependencies = [\n', 'dependencies = [\n    "rich~=13.9",\n');
  edit(dir, 'README.md', '## Quickstart\n', '## Quickstart\n\nMy own note for readers.\n');
  write(dir, 'Makefile', `${read(dir, 'Makefile')}\n.PHONY: mine\nmine: ## My target\n\t@echo mine\n`);
  edit(dir, `src/${PACKAGE}/cli.py`, /\n$/, '\n# my comment at the end of the main module\n');
  await commitAll(dir, 'my edits');
}

let v2: GeneratorCopy;

beforeAll(() => {
  // The next release: changed generated lines, a new file, a dropped file, and a second milestone.
  v2 = copyGenerator('0.2.0');
  v2.replaceInTemplate('base/pyproject.toml.hbs', 'line-length = 100', 'line-length = 110');
  v2.replaceInTemplate('base/Makefile.hbs', '## Run the tests with the coverage gate', '## Run the tests, with the coverage gate');
  v2.writeTemplate('base/CONTRIBUTING.md.hbs', '# Contributing to {{project.displayName}}\n\nRun `make check` before you push.\n');
  v2.removeTemplate('base/dot-editorconfig');
  v2.addMilestoneLike('python-foundations', 'foundations-plus', 'Python foundations, part two');
});

/**
 * Starts the next release's `update`, slowed down between writes, and returns
 * once it is writing: the journal exists and at least one file has moved.
 * The child comes wrapped (`{ child }`): an async function returning the child
 * itself would wait for it to exit. Its type is inferred from execa's options.
 */
async function updateCaughtWriting(dir: string) {
  const child = execa(process.execPath, [v2.cli, 'update'], {
    cwd: dir,
    env: { NO_COLOR: '1', CREATE_PYTHON_ROADMAP_PROJECT_TEST_WRITE_DELAY_MS: '150' },
    reject: false,
    stdin: 'ignore',
  });
  const deadline = Date.now() + 20_000;
  while (!readdirSync(dir).some((entry) => entry.startsWith('.cprp-update-')) && Date.now() < deadline) await sleep(20);
  await sleep(400);
  return { child };
}

describe('update', () => {
  it('changes nothing, and says so, when the project is up to date', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    const before = snapshot(dir);
    const result = await runCli(['update'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('already up to date');
    expect(snapshot(dir)).toEqual(before);
  });

  it('moves to the new version keeping every user edit, and a second run changes nothing', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    await withUserEdits(dir);
    const result = await runCli(['update'], { cwd: dir, cli: v2.cli });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/merged\s+pyproject\.toml/);
    expect(result.stdout).toMatch(/created\s+CONTRIBUTING\.md/);

    const pyproject = read(dir, 'pyproject.toml');
    expect(pyproject).toContain('line-length = 110');
    expect(pyproject).toContain('"rich~=13.9",');
    expect(read(dir, 'Makefile')).toContain('## Run the tests, with the coverage gate');
    expect(read(dir, 'Makefile')).toContain('mine: ## My target');
    expect(read(dir, 'README.md')).toContain('My own note for readers.');
    expect(read(dir, 'README.md')).toContain('create-python-roadmap-project) 0.2.0');
    expect(read(dir, `src/${PACKAGE}/cli.py`)).toContain('# my comment at the end of the main module');
    expect(existsSync(path.join(dir, '.editorconfig'))).toBe(false);
    expect(read(dir, 'CONTRIBUTING.md')).toBe('# Contributing to log-tool\n\nRun `make check` before you push.\n');
    const manifest = JSON.parse(read(dir, '.roadmap-project.json')) as { generator: { version: string } };
    expect(manifest.generator.version).toBe('0.2.0');
    expect(readdirSync(dir).filter((entry) => entry.startsWith('.cprp-'))).toEqual([]);

    await commitAll(dir, 'update to 0.2.0');
    const after = snapshot(dir);
    const again = await runCli(['update'], { cwd: dir, cli: v2.cli });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('already up to date');
    expect(snapshot(dir)).toEqual(after);

    const check = await runCli(['check'], { cwd: dir, cli: v2.cli });
    expect(check.stdout).toContain('match');
    expect(check.exitCode).toBe(0);
  });

  it('exits 3 and lists the conflicts, marked with labelled diff3 markers', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    edit(dir, 'pyproject.toml', 'line-length = 100', 'line-length = 120');
    await commitAll(dir, 'wider lines');
    const result = await runCli(['update'], { cwd: dir, cli: v2.cli });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toMatch(/CONFLICT\s+pyproject\.toml\s+1 conflict block/);
    expect(result.stderr).toContain('1 file has conflicts: pyproject.toml');
    expect(read(dir, 'pyproject.toml')).toContain(
      [
        '<<<<<<< yours',
        'line-length = 120',
        '||||||| generated by create-python-roadmap-project 0.1.0',
        'line-length = 100',
        '=======',
        'line-length = 110',
        '>>>>>>> create-python-roadmap-project 0.2.0 (updating from 0.1.0)',
      ].join('\n'),
    );

    // Committed unresolved, the conflict still fails `update` (never 0) and `check`.
    await commitAll(dir, 'unresolved');
    const again = await runCli(['update'], { cwd: dir, cli: v2.cli });
    expect(again.exitCode).toBe(3);
    expect(again.stderr).toContain('still unresolved in: pyproject.toml');
    const check = await runCli(['check'], { cwd: dir, cli: v2.cli });
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(/conflict-markers\s+pyproject\.toml/);
  });

  it('refuses a dirty git tree unless --allow-dirty', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    write(dir, 'scratch.txt', 'not committed\n');
    const before = snapshot(dir);
    const refused = await runCli(['update'], { cwd: dir, cli: v2.cli });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('uncommitted changes');
    expect(refused.stderr).toContain('scratch.txt');
    expect(snapshot(dir)).toEqual(before);
    const allowed = await runCli(['update', '--allow-dirty'], { cwd: dir, cli: v2.cli });
    expect(allowed.exitCode).toBe(0);
    expect(read(dir, 'pyproject.toml')).toContain('line-length = 110');
    expect(read(dir, 'scratch.txt')).toBe('not committed\n');
  });

  it('--dry-run prints a unified diff and writes nothing', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    await withUserEdits(dir);
    write(dir, 'scratch.txt', 'a dirty tree is fine for a dry run\n');
    const before = snapshot(dir);
    const result = await runCli(['update', '--dry-run', '--dir', dir], { cwd: path.dirname(dir), cli: v2.cli });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('diff --git a/pyproject.toml b/pyproject.toml');
    expect(result.stdout).toContain('-line-length = 100\n+line-length = 110');
    expect(result.stdout).toContain('--- /dev/null\n+++ b/CONTRIBUTING.md');
    expect(result.stdout).toContain('--- a/.editorconfig\n+++ /dev/null');
    expect(result.stdout).toContain('Dry run: nothing was written.');
    expect(snapshot(dir)).toEqual(before);

    edit(dir, 'pyproject.toml', 'line-length = 100', 'line-length = 120');
    const conflicted = await runCli(['update', '--dry-run'], { cwd: dir, cli: v2.cli });
    expect(conflicted.exitCode).toBe(3);
    expect(conflicted.stdout).toContain('+<<<<<<< yours');
    expect(read(dir, 'pyproject.toml')).not.toContain('<<<<<<<');
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`leaves the project exactly as it was when interrupted (${signal})`, async (ctx) => {
      requireOrSkip(ctx, 'git', GIT, 'install git');
      const dir = await freshProject();
      await withUserEdits(dir);
      const before = snapshot(dir);
      const { child } = await updateCaughtWriting(dir);
      expect(snapshot(dir)).not.toEqual(before);
      child.kill(signal);
      const result = await child;
      expect(result.exitCode).toBe(130);
      expect(String(result.stderr)).toContain('Interrupted; nothing was written.');
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it('puts back a project whose update was killed outright, on the next run', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    await withUserEdits(dir);
    const control = path.join(makeTempDir('cprp-control'), 'log-tool');
    await execa('cp', ['-a', dir, control]);
    const { child } = await updateCaughtWriting(dir);
    child.kill('SIGKILL');
    await child;
    expect(readdirSync(dir).some((entry) => entry.startsWith('.cprp-update-'))).toBe(true);

    const check = await runCli(['check'], { cwd: dir, cli: v2.cli });
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toContain('interrupted');
    const resumed = await runCli(['update'], { cwd: dir, cli: v2.cli });
    expect(resumed.stderr).toContain('An earlier update was interrupted; the project was put back');
    expect(resumed.exitCode).toBe(0);
    const clean = await runCli(['update'], { cwd: control, cli: v2.cli });
    expect(clean.exitCode).toBe(0);
    expect(snapshot(dir)).toEqual(snapshot(control));
  });
});

describe('check', () => {
  it('passes on a generated project and catches a hand-edited template-owned file', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    const clean = await runCli(['check'], { cwd: path.join(dir, 'src') });
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toMatch(/all \d+ template-owned files match/);

    write(dir, 'my_notes.md', 'a file of my own\n');
    edit(dir, 'pyproject.toml', '--cov-fail-under=90', '--cov-fail-under=10');
    const drifted = await runCli(['check', '--json'], { cwd: dir });
    expect(drifted.exitCode).toBe(1);
    const report = JSON.parse(drifted.stdout) as { ok: boolean; drift: { path: string; kind: string }[] };
    expect(report.ok).toBe(false);
    expect(report.drift).toEqual([expect.objectContaining({ path: 'pyproject.toml', kind: 'edited' })]);
  });

  it('is outdated against a newer generator until the project is updated', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    const result = await runCli(['check'], { cwd: dir, cli: v2.cli });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/outdated\s+pyproject\.toml/);
    expect(result.stdout).toMatch(/missing\s+CONTRIBUTING\.md/);
    expect(result.stdout).toMatch(/obsolete\s+\.editorconfig/);
  });

  it('refuses to run outside a generated project', async () => {
    const result = await runCli(['check'], { cwd: makeTempDir('cprp-empty') });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('No .roadmap-project.json');
  });
});

describe('add', () => {
  it('adds a milestone, records it, and keeps the user’s edits', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    await withUserEdits(dir);
    const result = await runCli(['add', 'foundations-plus'], { cwd: dir, cli: v2.cli });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Added foundations-plus');
    const readme = read(dir, 'README.md');
    expect(readme).toContain('### Python foundations, part two');
    expect(readme).toContain('My own note for readers.');
    expect(read(dir, 'pyproject.toml')).toContain('"rich~=13.9",');
    const manifest = JSON.parse(read(dir, '.roadmap-project.json')) as { answers: { milestones: string[] } };
    expect(manifest.answers.milestones).toEqual(['python-foundations', 'foundations-plus']);

    await commitAll(dir, 'added');
    const again = await runCli(['add', 'foundations-plus'], { cwd: dir, cli: v2.cli });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('foundations-plus: the project already has it.');
  });

  it('refuses unknown names and options that do not apply, with exit 2', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    const before = snapshot(dir);
    const unknown = await runCli(['add', 'blockchain'], { cwd: dir });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('Unknown milestone or feature "blockchain"');
    expect(unknown.stderr).toContain('You can add: python-foundations');


    const option = await runCli(['add', 'python-foundations', '--db', 'postgres'], { cwd: dir });
    expect(option.exitCode).toBe(2);
    expect(option.stderr).toContain('--db');
    const nothing = await runCli(['add'], { cwd: dir });
    expect(nothing.exitCode).toBe(2);
    expect(nothing.stderr).toContain('Name what to add');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('command line', () => {
  it('documents add, update, check and generate; generate never creates a folder named generate', async () => {
    const cwd = makeTempDir('cprp-help');
    for (const command of ['add', 'update', 'check', 'generate']) {
      const help = await runCli([command, '--help'], { cwd });
      expect(help.exitCode).toBe(0);
      expect(help.stdout).toContain(`create-python-roadmap-project ${command}`);
      expect(help.stdout).toContain('Exit codes');
    }
    const main = await runCli(['--help'], { cwd });
    expect(main.stdout).toMatch(/update \[--dry-run\]/);
    const generate = await runCli(['generate', 'resource', 'Invoice', '--fields', 'total:decimal'], { cwd });
    expect(generate.exitCode).toBe(2);
    expect(generate.stderr).toContain('No .roadmap-project.json');
    expect(existsSync(path.join(cwd, 'generate'))).toBe(false);
    const extra = await runCli(['update', 'now'], { cwd });
    expect(extra.exitCode).toBe(2);
  });
});
