import { execa } from 'execa';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, runCli } from '../helpers/cli.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/** Each typo, and the suggestion the error must carry (exit 2, nothing written). */
const TYPOS: readonly { readonly args: readonly string[]; readonly error: string; readonly hint: string }[] = [
  { args: ['p', '--milestone', 'rest-api-oauth'], error: 'Unknown milestone "rest-api-oauth".', hint: 'Did you mean "rest-api-auth"?' },
  { args: ['p', '--milestone', 'background'], error: 'Unknown milestone "background".', hint: 'Did you mean "background-jobs"?' },
  { args: ['p', '--milestone', 'crud-db', '--db', 'postgresql'], error: '"postgresql" is not a valid value for --db.', hint: 'Did you mean "postgres"?' },
  { args: ['p', '--milestone', 'cloud-deploy', '--deploy', 'kubernets'], error: '"kubernets" is not a valid value for --deploy.', hint: 'Did you mean "kubernetes"?' },
  { args: ['p', '--milestone', 'crud-db', '--phase', 'databse'], error: 'Unknown phase "databse".', hint: 'Did you mean "databases"?' },
  { args: ['p', '--milestones', 'crud-db'], error: "Unknown flag '--milestones'", hint: 'Did you mean --milestone?' },
  { args: ['p', '--milestone', 'crud-db', '--dry-rn'], error: "Unknown flag '--dry-rn'", hint: 'Did you mean --dry-run?' },
  { args: ['p', '--milestone', 'crud-db', '--strict'], error: "Unknown flag '--strict'", hint: '--strict is a flag of check, not of create.' },
  { args: ['chek'], error: 'Unknown command "chek". Did you mean "check"?', hint: 'pass ./chek' },
  { args: ['udpate', '--dry-run'], error: 'Unknown command "udpate". Did you mean "update"?', hint: 'pass ./udpate' },
  { args: ['generate', 'resourse', 'Invoice'], error: 'Unknown generator "resourse".', hint: 'Did you mean "resource"?' },
];

describe('typos get a "did you mean" with the valid choices', () => {
  it.each(TYPOS.map((typo) => [typo.args.join(' '), typo]))('%s', async (_name, typo) => {
    const cwd = makeTempDir('cprp-typo');
    const result = await runCli(typo.args, { cwd });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain(`error: ${typo.error}`);
    expect(result.stderr).toContain(typo.hint);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a folder named like a command is still possible: ./chek, or any create flag', async () => {
    const cwd = makeTempDir('cprp-typo');
    expect((await runCli(['./chek', '--yes', '--dry-run'], { cwd })).exitCode).toBe(0);
    expect((await runCli(['lists', '--milestone', 'python-foundations', '--dry-run'], { cwd })).exitCode).toBe(0);
  });

  it('nothing close, no guess: the valid choices only', async () => {
    const result = await runCli(['p', '--milestone', 'quantum-computing'], { cwd: makeTempDir('cprp-typo') });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).not.toContain('Did you mean');
    expect(result.stderr).toContain('Valid milestones:');
  });

  it('add inside a project: a misspelt milestone', async () => {
    const cwd = makeTempDir('cprp-typo');
    expect((await runCli(['proj', '--milestone', 'python-foundations', '--no-git', '--no-install'], { cwd })).exitCode).toBe(0);
    const result = await runCli(['add', 'crud-bd'], { cwd: path.join(cwd, 'proj') });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Unknown milestone or feature "crud-bd".');
    expect(result.stderr).toContain('Did you mean "crud-db"?');
  });
});

describe('npm run without `--` loses flags to npm', () => {
  /** A package whose `create` script runs the built CLI, as this repository's own does. */
  function packageDir(): string {
    const dir = makeTempDir('cprp-npm');
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'npm-flags', version: '1.0.0', private: true, scripts: { create: `node ${JSON.stringify(CLI_PATH)}` } }),
    );
    return dir;
  }

  const npm = (cwd: string, args: string[]) =>
    execa('npm', args, { cwd, reject: false, env: { NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_yes: '' } });

  it('`npm run create ../x --yes --dry-run` is refused, naming the flags and the command that works', async (ctx) => {
    requireOrSkip(ctx, 'npm', hasExecutable('npm'), 'install npm');
    const cwd = packageDir();
    const result = await npm(cwd, ['run', 'create', 'x', '--yes', '--dry-run']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('error: npm kept --yes, --dry-run for itself: `npm run create` passes flags on to the script only after `--`.');
    expect(result.stderr).toContain('Run: npm run create -- x --yes --dry-run');
    // --dry-run was lost: without this check the project would have been written.
    expect(readdirSync(cwd)).toEqual(['package.json']);
  });

  it('a lost flag that took a value: the hint cannot rebuild the line, and says where `--` goes', async (ctx) => {
    requireOrSkip(ctx, 'npm', hasExecutable('npm'), 'install npm');
    const result = await npm(packageDir(), ['run', 'create', 'x', '--milestone', 'crud-db']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('npm kept --milestone for itself');
    expect(result.stderr).toContain('npm run create -- <the same arguments>');
  });

  it('with `--`, the flags arrive and the command runs', async (ctx) => {
    requireOrSkip(ctx, 'npm', hasExecutable('npm'), 'install npm');
    const result = await npm(packageDir(), ['run', 'create', '--', 'x', '--yes', '--dry-run']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Dry run: nothing was written.');
  });
});
