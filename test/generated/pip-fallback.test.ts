import { execaSync } from 'execa';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { mustRun } from '../helpers/python-project.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/**
 * A PATH with python3, git and make but no uv: what a learner without uv has.
 * The generator must fall back to venv + pip, and the project must pass its
 * gates through its Makefile as the next steps say (`make check`), the Makefile
 * finding the tools in .venv/bin by itself.
 */
function pathWithoutUv(): string {
  const bin = path.join(makeTempDir('cprp-nouv'), 'bin');
  mkdirSync(bin);
  const python = execaSync('python3', ['-c', 'import sys; print(sys.executable)']).stdout.trim();
  symlinkSync(python, path.join(bin, 'python3'));
  symlinkSync(process.execPath, path.join(bin, 'node'));
  for (const tool of ['git', 'make', 'sh', 'env']) {
    const found = execaSync('sh', ['-c', `command -v ${tool}`], { reject: false }).stdout.trim();
    if (found) symlinkSync(found, path.join(bin, tool));
  }
  return bin;
}

describe('without uv, the generator installs with venv + pip, and the project works', () => {
  it('installs, then passes its gates through `make check`, saying once that uv is missing', async (ctx) => {
    requireOrSkip(ctx, 'python3 with venv', hasExecutable('python3'), 'install Python 3.11+');
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    const bin = pathWithoutUv();
    const cwd = makeTempDir('cprp-pip');
    const result = await runCli(['pip-logs', '--milestone', 'python-foundations', '--no-git', '--json'], {
      cwd,
      env: { PATH: bin },
      timeoutMs: 10 * 60_000,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { steps: { step: string; status: string; detail: string }[] };
    expect(report.steps[0]).toEqual({ step: 'install', status: 'done', detail: 'venv + pip (uv was not found)' });
    const dir = path.join(cwd, 'pip-logs');
    const next = (JSON.parse(result.stdout) as { nextSteps: { command?: string }[] }).nextSteps.map((step) => step.command);
    expect(next).toContain('make check');
    const output = await mustRun(dir, ['make', 'check'], { PATH: bin });
    expect(output).toContain('Required test coverage of 90% reached');
    expect(output).toContain('Success: no issues found');
    expect(output.split('uv is not on the PATH: running the tools from .venv/bin').length - 1).toBe(1);
    expect(output).not.toContain('uv: not found');
    // make run works the same way: the analyzer runs on the sample log.
    expect(await mustRun(dir, ['make', 'run'], { PATH: bin })).toContain('uv is not on the PATH');
  });
});
