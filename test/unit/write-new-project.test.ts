import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepStaleStaging, writeNewProject, type FileToWrite } from '../../src/apply/write-new-project.ts';
import { CancelledError, UserError } from '../../src/errors.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const files: FileToWrite[] = [
  { path: 'README.md', content: Buffer.from('# new\n'), executable: false },
  { path: 'src/pkg/__init__.py', content: Buffer.from('"""pkg."""\n'), executable: false },
  { path: 'scripts/run.sh', content: Buffer.from('#!/bin/sh\n'), executable: true },
];

/** Every path under dir, relative, sorted: a snapshot of what is on disk. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('writeNewProject', () => {
  it('creates a missing target, parents included, with every file and mode', async () => {
    const target = path.join(makeTempDir(), 'a', 'b', 'project');
    const { transaction, report } = await writeNewProject(target, files, { force: false });
    transaction.commit();
    expect(report.created).toEqual(['README.md', 'src/pkg/__init__.py', 'scripts/run.sh']);
    expect(readFileSync(path.join(target, 'src/pkg/__init__.py'), 'utf8')).toBe('"""pkg."""\n');
    expect(statSync(path.join(target, 'scripts/run.sh')).mode & 0o111).not.toBe(0);
    expect(statSync(path.join(target, 'README.md')).mode & 0o111).toBe(0);
  });

  it('leaves no staging directory beside the target', async () => {
    const parent = makeTempDir();
    const { transaction } = await writeNewProject(path.join(parent, 'p'), files, { force: false });
    transaction.commit();
    expect(readdirSync(parent)).toEqual(['p']);
  });

  it('fills an existing empty directory', async () => {
    const target = path.join(makeTempDir(), 'empty');
    mkdirSync(target);
    const { transaction } = await writeNewProject(target, files, { force: false });
    transaction.commit();
    expect(tree(target)).toContain('README.md');
  });

  it('refuses a non-empty directory without --force, touching nothing', async () => {
    const parent = makeTempDir();
    const target = path.join(parent, 'taken');
    mkdirSync(target);
    writeFileSync(path.join(target, 'notes.txt'), 'mine');
    await expect(writeNewProject(target, files, { force: false })).rejects.toThrowError(/is not empty/);
    expect(tree(parent)).toEqual(['taken', 'taken/notes.txt']);
  });

  it('refuses a target that is a file', async () => {
    const target = path.join(makeTempDir(), 'file');
    writeFileSync(target, 'x');
    await expect(writeNewProject(target, files, { force: false })).rejects.toBeInstanceOf(UserError);
  });

  it('with --force keeps unrelated files, skips identical ones, and keeps replaced ones as .orig', async () => {
    const target = makeTempDir();
    writeFileSync(path.join(target, 'notes.txt'), 'mine');
    writeFileSync(path.join(target, 'README.md'), '# my own readme\n');
    mkdirSync(path.join(target, 'scripts'));
    writeFileSync(path.join(target, 'scripts/run.sh'), '#!/bin/sh\n');
    const { transaction, report } = await writeNewProject(target, files, { force: true });
    transaction.commit();
    expect(report.created).toEqual(['src/pkg/__init__.py']);
    expect(report.unchanged).toEqual(['scripts/run.sh']);
    expect(report.keptAside).toEqual([{ path: 'README.md', backup: 'README.md.orig' }]);
    expect(readFileSync(path.join(target, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(path.join(target, 'README.md.orig'), 'utf8')).toBe('# my own readme\n');
    expect(readFileSync(path.join(target, 'README.md'), 'utf8')).toBe('# new\n');
  });

  it('with --force picks a free backup name when .orig is taken', async () => {
    const target = makeTempDir();
    writeFileSync(path.join(target, 'README.md'), 'v1');
    writeFileSync(path.join(target, 'README.md.orig'), 'v0');
    const { transaction, report } = await writeNewProject(target, files, { force: true });
    transaction.commit();
    expect(report.keptAside).toEqual([{ path: 'README.md', backup: 'README.md.orig.2' }]);
    expect(readFileSync(path.join(target, 'README.md.orig'), 'utf8')).toBe('v0');
  });

  it('with --force refuses, before writing anything, a plan that needs a directory where a file is', async () => {
    const target = makeTempDir();
    writeFileSync(path.join(target, 'src'), 'a file, not a folder');
    await expect(writeNewProject(target, files, { force: true })).rejects.toThrowError(/src exists and is not a directory/);
    expect(tree(target)).toEqual(['src']);
  });

  it('rolls a --force write back to exactly what was there', async () => {
    const target = makeTempDir();
    writeFileSync(path.join(target, 'README.md'), 'mine');
    writeFileSync(path.join(target, 'keep.txt'), 'keep');
    const before = tree(target);
    const { transaction } = await writeNewProject(target, files, { force: true });
    expect(transaction.rollback()).toEqual([]);
    expect(tree(target)).toEqual(before);
    expect(readFileSync(path.join(target, 'README.md'), 'utf8')).toBe('mine');
  });

  it('rolls a new project back to nothing, parents included', async () => {
    const parent = makeTempDir();
    const target = path.join(parent, 'x', 'y');
    const { transaction } = await writeNewProject(target, files, { force: false });
    transaction.rollback();
    expect(tree(parent)).toEqual([]);
  });

  it('rolls an empty target back to an empty directory', async () => {
    const target = path.join(makeTempDir(), 'empty');
    mkdirSync(target);
    const { transaction } = await writeNewProject(target, files, { force: false });
    transaction.rollback();
    expect(existsSync(target)).toBe(true);
    expect(tree(target)).toEqual([]);
  });

  it('stops on a cancelled signal, leaving neither the target nor the staging directory', async () => {
    const parent = makeTempDir();
    const controller = new AbortController();
    controller.abort();
    await expect(
      writeNewProject(path.join(parent, 'p'), files, { force: false, signal: controller.signal }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(tree(parent)).toEqual([]);
  });
});

describe('sweepStaleStaging', () => {
  it('removes staging directories of dead processes and keeps live ones', () => {
    const parent = makeTempDir();
    const target = path.join(parent, 'proj');
    const dead = path.join(parent, `.proj.cprp-staging-999999999-abcd`);
    const live = path.join(parent, `.proj.cprp-staging-${process.ppid}-abcd`);
    const other = path.join(parent, `.other.cprp-staging-999999999-abcd`);
    for (const dir of [dead, live, other]) mkdirSync(dir);
    sweepStaleStaging(target);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });
});
