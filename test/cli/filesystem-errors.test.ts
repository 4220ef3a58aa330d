import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCli } from '../helpers/cli.ts';
import { tree } from '../helpers/hostile-project.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/**
 * The disk says no: a read-only folder (EROFS, EACCES), a full disk (ENOSPC).
 * Each is a clear message naming what could not be written, exit 1, and the
 * project (or the folder a project was to go into) exactly as before. Small
 * tmpfs and read-only bind mounts make these real, so they need root; as
 * another user they are skipped (CI runs as root).
 */

const ROOT = process.getuid?.() === 0 && hasExecutable('mount') && hasExecutable('setpriv');
const ROOT_HINT = 'root, mount and setpriv: the tests mount a small tmpfs and read-only bind mounts';
const NOBODY = 65534;
const CREATE = ['--milestone', 'python-foundations', '--no-git', '--no-install'];

const mounts: string[] = [];
afterEach(() => {
  for (const point of mounts.splice(0).reverse()) execFileSync('umount', [point]);
});

function mountTmpfs(point: string, size: string): void {
  mkdirSync(point, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', point]);
  mounts.push(point);
}

function bindReadOnly(folder: string): void {
  execFileSync('mount', ['--bind', folder, folder]);
  mounts.push(folder);
  execFileSync('mount', ['-o', 'remount,ro,bind', folder]);
}

/** Fills the file system holding `folder` until fewer than `leave` bytes are free. */
function fill(folder: string, leave: number): void {
  const free = Number(execFileSync('df', ['--output=avail', '-B1', folder], { encoding: 'utf8' }).split('\n')[1]);
  writeFileSync(path.join(folder, 'filler'), Buffer.alloc(Math.max(0, free - leave)));
}

function expectCleanFailure(result: { exitCode: number; stderr: string }, pattern: RegExp): void {
  expect(result.stderr).not.toMatch(/crashed|    at /);
  expect(result.stderr).toMatch(/^error: /m);
  expect(result.stderr).toMatch(pattern);
  expect(result.exitCode, result.stderr).toBe(1);
}

let project = '';
beforeAll(async () => {
  const parent = makeTempDir('cprp-fs-source');
  const result = await runCli(['log-tool', ...CREATE], { cwd: parent });
  if (result.exitCode !== 0) throw new Error(result.stderr);
  project = path.join(parent, 'log-tool');
});

describe('create', () => {
  it('into a read-only file system (EROFS): exit 1, nothing written', async (ctx) => {
    requireOrSkip(ctx, 'root', ROOT, ROOT_HINT);
    const parent = makeTempDir('cprp-fs');
    const target = path.join(parent, 'ro');
    mkdirSync(target);
    bindReadOnly(target);
    const result = await runCli(['proj', ...CREATE], { cwd: target });
    expectCleanFailure(result, /read-only file system[\s\S]*ro/i);
    expect(readdirSync(target)).toEqual([]);
  });

  it('into a folder the user may not write (EACCES): exit 1, nothing written', async (ctx) => {
    requireOrSkip(ctx, 'root', ROOT, ROOT_HINT);
    const parent = makeTempDir('cprp-fs');
    chmodSync(parent, 0o755);
    const target = path.join(parent, 'locked');
    mkdirSync(target, { mode: 0o555 });
    chmodSync(target, 0o555);
    const result = await execa('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, CLI_PATH, 'proj', ...CREATE], {
      cwd: target,
      env: { NO_COLOR: '1', HOME: '/nonexistent' },
      reject: false,
    });
    expectCleanFailure({ exitCode: result.exitCode ?? -1, stderr: String(result.stderr) }, /locked[\s\S]*permission denied/i);
    expect(readdirSync(target)).toEqual([]);
  });

  it('on a full disk (ENOSPC): exit 1, nothing left behind', async (ctx) => {
    requireOrSkip(ctx, 'root', ROOT, ROOT_HINT);
    const disk = path.join(makeTempDir('cprp-fs'), 'disk');
    mountTmpfs(disk, '64k');
    const result = await runCli(['proj', ...CREATE], { cwd: disk });
    expectCleanFailure(result, /no space left/i);
    expect(readdirSync(disk)).toEqual([]);
  });
});

describe('add', () => {
  it('on a full disk (ENOSPC): exit 1, the project exactly as before', async (ctx) => {
    requireOrSkip(ctx, 'root', ROOT, ROOT_HINT);
    const disk = path.join(makeTempDir('cprp-fs'), 'disk');
    mountTmpfs(disk, '4m');
    const dir = path.join(disk, 'log-tool');
    execFileSync('cp', ['-a', project, dir]);
    mkdirSync(path.join(disk, 'other'));
    fill(path.join(disk, 'other'), 24 * 1024);
    const before = tree(dir);
    const result = await runCli(['add', 'crud-db'], { cwd: dir });
    expectCleanFailure(result, /no space left/i);
    expect(tree(dir)).toEqual(before);
  });

  it('into a folder of the project on another, read-only file system (EXDEV): exit 1, the project exactly as before', async (ctx) => {
    requireOrSkip(ctx, 'root', ROOT, ROOT_HINT);
    const dir = path.join(makeTempDir('cprp-fs'), 'log-tool');
    execFileSync('cp', ['-a', project, dir]);
    bindReadOnly(path.join(dir, 'src', 'log_tool'));
    const before = tree(dir);
    const result = await runCli(['add', 'crud-db'], { cwd: dir });
    expectCleanFailure(result, /src\/log_tool\/[\s\S]*another file system/i);
    expect(tree(dir)).toEqual(before);
  });

  it('into a folder of the project the user may not write (EACCES): exit 1, the project exactly as before', async (ctx) => {
    requireOrSkip(ctx, 'root', ROOT, ROOT_HINT);
    const parent = makeTempDir('cprp-fs');
    chmodSync(parent, 0o755);
    const dir = path.join(parent, 'log-tool');
    execFileSync('cp', ['-a', project, dir]);
    execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, dir]);
    chmodSync(path.join(dir, 'src', 'log_tool'), 0o555);
    chownSync(path.join(dir, 'src', 'log_tool'), 0, 0);
    const before = tree(dir);
    const result = await execa('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, CLI_PATH, 'add', 'crud-db'], {
      cwd: dir,
      env: { NO_COLOR: '1', HOME: '/nonexistent' },
      reject: false,
    });
    expectCleanFailure({ exitCode: result.exitCode ?? -1, stderr: String(result.stderr) }, /src\/log_tool[\s\S]*permission denied/i);
    expect(tree(dir)).toEqual(before);
  });

  it('in a read-only project: update says so (exit 1) and check still works', async (ctx) => {
    requireOrSkip(ctx, 'root', ROOT, ROOT_HINT);
    const dir = path.join(makeTempDir('cprp-fs'), 'log-tool');
    execFileSync('cp', ['-a', project, dir]);
    bindReadOnly(dir);
    const update = await runCli(['add', 'crud-db'], { cwd: dir });
    expectCleanFailure(update, /read-only file system/i);
    const check = await runCli(['check'], { cwd: dir });
    expect(check.exitCode, check.stderr).toBe(0);
  });
});
