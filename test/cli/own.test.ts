import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { commitAll, copyGenerator, edit, read, type GeneratorCopy } from '../helpers/project-history.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const GIT = hasExecutable('git');
const CLI_MODULE = 'src/log_tool/cli.py';
/** A generated line of the project's command-line module, and the user's deliberate change to it. */
const GENERATED_LINE = '        prog="log-tool",';
const CHANGED_LINE = '        prog="logtool",';

interface Drift {
  readonly path: string;
  readonly kind: string;
  readonly diff?: string;
  readonly changes?: readonly { readonly line: number; readonly removed: readonly string[]; readonly added: readonly string[] }[];
}

async function freshProject(): Promise<string> {
  const parent = makeTempDir('cprp-own');
  const result = await runCli(['log-tool', '--milestone', 'python-foundations', '--no-install'], { cwd: parent });
  if (result.exitCode !== 0) throw new Error(`generation failed: ${result.stderr}`);
  return path.join(parent, 'log-tool');
}

function lineOf(dir: string, file: string, text: string): number {
  return read(dir, file).split('\n').indexOf(text) + 1;
}

let v2: GeneratorCopy;

beforeAll(() => {
  // A later release that changes another line of the same module.
  v2 = copyGenerator('0.2.0');
  v2.replaceInTemplate('cli/src/__package__/cli.py.hbs', 'description=', 'description=(\n        ');
});

describe('check shows the lines that drifted, and own makes a deliberate change the user\'s', () => {
  it('check prints the unified diff of the drifted lines only (added lines are not drift), and --json carries it', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    edit(dir, CLI_MODULE, GENERATED_LINE, CHANGED_LINE);
    edit(dir, CLI_MODULE, /\n$/, '\n# a line I only added\n');
    const result = await runCli(['check'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`--- generated/${CLI_MODULE}\n+++ yours/${CLI_MODULE}\n@@ -`);
    expect(result.stdout).toContain(`\n-${GENERATED_LINE}\n+${CHANGED_LINE}\n`);
    expect(result.stdout).not.toContain('+# a line I only added');
    const line = lineOf(dir, CLI_MODULE, CHANGED_LINE);
    expect(result.stdout).toContain(`create-python-roadmap-project own ${CLI_MODULE}:${line}`);

    const json = await runCli(['check', '--json'], { cwd: dir });
    const drift = (JSON.parse(json.stdout) as { drift: Drift[] }).drift;
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ path: CLI_MODULE, kind: 'edited', changes: [{ line, removed: [GENERATED_LINE], added: [CHANGED_LINE] }] });
    expect(drift[0]?.diff).toContain(`-${GENERATED_LINE}\n+${CHANGED_LINE}`);
  });

  it('own FILE:LINE takes that change: check passes, another edit is drift again, and update merges around it', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    edit(dir, CLI_MODULE, GENERATED_LINE, CHANGED_LINE);
    const own = await runCli(['own', `${CLI_MODULE}:${lineOf(dir, CLI_MODULE, CHANGED_LINE)}`], { cwd: dir });
    expect(own.exitCode, own.stderr).toBe(0);
    expect(own.stdout).toContain(`Recorded 1 change in ${CLI_MODULE} as yours`);
    const manifest = JSON.parse(readFileSync(path.join(dir, '.roadmap-project.json'), 'utf8'));
    expect(manifest.owned[CLI_MODULE].changes).toEqual([{ anchor: expect.any(String), removed: [GENERATED_LINE], added: [CHANGED_LINE] }]);

    const passing = await runCli(['check'], { cwd: dir });
    expect(passing.exitCode, passing.stdout).toBe(0);
    expect(passing.stdout).toContain('1 change you own');

    // Another change to a generated line is still drift.
    edit(dir, CLI_MODULE, 'def main(', 'def main_entry(');
    const again = await runCli(['check', '--json'], { cwd: dir });
    expect(again.exitCode).toBe(1);
    const changes = (JSON.parse(again.stdout) as { drift: Drift[] }).drift[0]?.changes ?? [];
    expect(changes).toHaveLength(1);
    expect(changes[0]?.added[0]).toMatch(/^def main_entry\(/);
    edit(dir, CLI_MODULE, 'def main_entry(', 'def main(');
    await commitAll(dir, 'a deliberate change, owned');

    // A newer release changes another line of the same module: the update merges both,
    // keeps the record, and check (of the new version) still passes.
    const update = await runCli(['update'], { cwd: dir, cli: v2.cli });
    expect(update.exitCode, update.stdout + update.stderr).toBe(0);
    expect(update.stdout).toMatch(/merged\s+src\/log_tool\/cli\.py/);
    const merged = read(dir, CLI_MODULE);
    expect(merged).toContain(CHANGED_LINE);
    expect(merged).toContain('description=(\n');
    expect(JSON.parse(readFileSync(path.join(dir, '.roadmap-project.json'), 'utf8')).owned[CLI_MODULE].changes).toHaveLength(1);
    const after = await runCli(['check'], { cwd: dir, cli: v2.cli });
    expect(after.exitCode, after.stdout).toBe(0);
  });

  it('own --file takes the whole file; --release gives it back', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    edit(dir, 'Makefile', 'RUN ?= uv run', 'RUN ?= .venv/bin/python -m');
    expect((await runCli(['own', '--file', 'Makefile'], { cwd: dir })).exitCode).toBe(0);
    edit(dir, 'Makefile', '.DEFAULT_GOAL := help', '.DEFAULT_GOAL := check');
    expect((await runCli(['check'], { cwd: dir })).exitCode).toBe(0);
    expect((await runCli(['own', '--release', 'Makefile'], { cwd: dir })).exitCode).toBe(0);
    const check = await runCli(['check'], { cwd: dir });
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(/edited\s+Makefile/);
  });

  it('refuses what cannot be owned: a file the user owns already, a line with no change, an unchanged file', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const dir = await freshProject();
    const notTemplate = await runCli(['own', 'mine.txt'], { cwd: dir });
    expect(notTemplate.exitCode).toBe(2);
    expect(notTemplate.stderr).toContain('mine.txt is not a template-owned file');
    const unchanged = await runCli(['own', 'Makefile'], { cwd: dir });
    expect(unchanged.exitCode).toBe(2);
    expect(unchanged.stderr).toContain('Makefile is as generated: there is no change to own.');
    edit(dir, CLI_MODULE, GENERATED_LINE, CHANGED_LINE);
    const wrongLine = await runCli(['own', `${CLI_MODULE}:1`], { cwd: dir });
    expect(wrongLine.exitCode).toBe(2);
    expect(wrongLine.stderr).toContain(`Changes start at line ${lineOf(dir, CLI_MODULE, CHANGED_LINE)}.`);
    expect(JSON.parse(readFileSync(path.join(dir, '.roadmap-project.json'), 'utf8')).owned).toBeUndefined();
  });
});
