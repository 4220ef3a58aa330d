import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import os from 'node:os';
import {
  JOURNAL_PREFIX,
  applyJournal,
  discardJournal,
  prepareJournal,
  rollbackJournal,
  type JournalChange,
} from '../../src/apply/update-journal.ts';
import { UserError, isCancelled } from '../../src/errors.ts';
import { Reporter } from '../../src/io.ts';
import type { LockOwner } from '../../src/project/project-lock.ts';
import { recoverInterruptedWork } from '../../src/project/recover.ts';
import { fakeTerminal } from '../helpers/fake-io.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const OWNER = { nonce: 'ab'.repeat(16), command: 'update' };

/** The lock a run holding OWNER's nonce leaves when it is killed. */
function staleLock(pid: number, nonce = OWNER.nonce): LockOwner {
  return { format: 1, pid, nonce, hostname: os.hostname(), command: 'update', started: new Date().toISOString() };
}

const quiet = (): Reporter => new Reporter(fakeTerminal({ cwd: os.tmpdir() }).io, true);

/** Every file and folder under `root` with its mode and bytes: equal snapshots mean nothing changed. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      const key = path.relative(root, full);
      const mode = (statSync(full).mode & 0o777).toString(8);
      if (entry.isDirectory()) {
        out[`${key}/`] = mode;
        walk(full);
      } else {
        out[key] = `${mode} ${readFileSync(full, 'base64')}`;
      }
    }
  };
  walk(root);
  return out;
}

function project(): string {
  const root = makeTempDir('cprp-journal');
  writeFileSync(path.join(root, 'edit.txt'), 'before\n');
  chmodSync(path.join(root, 'edit.txt'), 0o755);
  writeFileSync(path.join(root, 'gone.txt'), 'remove me\n');
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'src', 'keep.py'), 'x = 1\n');
  writeFileSync(path.join(root, '.roadmap-project.json'), '{"old": true}\n');
  return root;
}

const CHANGES: readonly JournalChange[] = [
  { path: 'edit.txt', content: Buffer.from('after\n') },
  { path: 'gone.txt' },
  { path: 'new/deep/file.sh', content: Buffer.from('echo hi\n'), executable: true },
  { path: 'src/added.py', content: Buffer.from('y = 2\n') },
  { path: '.roadmap-project.json', content: Buffer.from('{"new": true}\n') },
];

/** A signal that reports "aborted" from its (k+1)-th look on: an interruption between any two steps. */
function abortAfter(looks: number): AbortSignal {
  let count = 0;
  return {
    get aborted() {
      count += 1;
      return count > looks;
    },
  } as AbortSignal;
}

describe('update journal', () => {
  it('applies every change, keeping modes, and leaves no trace once discarded', async () => {
    const root = project();
    const dir = prepareJournal(root, CHANGES, OWNER);
    await applyJournal(root, dir);
    discardJournal(dir);
    expect(readFileSync(path.join(root, 'edit.txt'), 'utf8')).toBe('after\n');
    expect(statSync(path.join(root, 'edit.txt')).mode & 0o777).toBe(0o755);
    expect(existsSync(path.join(root, 'gone.txt'))).toBe(false);
    expect(statSync(path.join(root, 'new/deep/file.sh')).mode & 0o111).not.toBe(0);
    expect(readFileSync(path.join(root, '.roadmap-project.json'), 'utf8')).toBe('{"new": true}\n');
    expect(readdirSync(root).filter((entry) => entry.startsWith(JOURNAL_PREFIX))).toEqual([]);
  });

  it('puts the project back exactly, whichever step it was interrupted at', async () => {
    for (let looks = 0; looks <= CHANGES.length + 1; looks += 1) {
      const root = project();
      const before = snapshot(root);
      const dir = prepareJournal(root, CHANGES, OWNER);
      const error = await applyJournal(root, dir, abortAfter(looks)).catch((caught: unknown) => caught);
      if (looks <= CHANGES.length) expect(isCancelled(error), `interrupted after ${looks} steps`).toBe(true);
      expect(rollbackJournal(root, dir)).toEqual([]);
      expect(snapshot(root), `interrupted after ${looks} steps`).toEqual(before);
    }
  });

  it('recovers after a kill between the two renames of one file', () => {
    const root = project();
    const before = snapshot(root);
    const dir = prepareJournal(root, CHANGES, OWNER);
    // What a SIGKILL can leave: the old file moved aside, the new one not yet in place.
    renameSync(path.join(root, 'edit.txt'), path.join(dir, 'old', '0'));
    expect(rollbackJournal(root, dir)).toEqual([]);
    expect(snapshot(root)).toEqual(before);
  });

  it('lets the next run replay the journal of a process that died, vouched for by its stale lock', async () => {
    const root = project();
    const before = snapshot(root);
    const dir = prepareJournal(root, CHANGES, OWNER);
    await applyJournal(root, dir, abortAfter(3)).catch(() => undefined);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid ?? 0;
    const moved = path.join(root, `${JOURNAL_PREFIX}${dead}-deadbeef`);
    renameSync(dir, moved);
    const journal = path.join(moved, 'journal.json');
    writeFileSync(journal, readFileSync(journal, 'utf8').replace(`"pid":${process.pid}`, `"pid":${dead}`));
    const recovered = await recoverInterruptedWork({ root, staleLock: staleLock(dead), policy: 'recover', reporter: quiet() });
    expect(recovered).toEqual([moved]);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses, touching nothing, a journal no stale lock vouches for', async () => {
    const root = project();
    const dir = prepareJournal(root, CHANGES, OWNER);
    await applyJournal(root, dir, abortAfter(3)).catch(() => undefined);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid ?? 0;
    const moved = path.join(root, `${JOURNAL_PREFIX}${dead}-deadbeef`);
    renameSync(dir, moved);
    const journal = path.join(moved, 'journal.json');
    writeFileSync(journal, readFileSync(journal, 'utf8').replace(`"pid":${process.pid}`, `"pid":${dead}`));
    const before = snapshot(root);
    for (const lock of [undefined, staleLock(dead, 'cd'.repeat(16)), staleLock(dead + 1)]) {
      const error = await recoverInterruptedWork({ root, staleLock: lock, policy: 'recover', reporter: quiet() }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).exitCode).toBe(2);
      expect((error as UserError).details.join('\n')).toContain(`rm -rf ${JOURNAL_PREFIX}${dead}-deadbeef`);
      expect(snapshot(root)).toEqual(before);
    }
  });

  it('refuses to look at the journal of a process that is still running', async () => {
    const root = project();
    prepareJournal(root, CHANGES, OWNER);
    const before = snapshot(root);
    const error = await recoverInterruptedWork({ root, staleLock: undefined, policy: 'recover', reporter: quiet() }).catch((caught: unknown) => caught);
    expect((error as UserError).message).toContain(`pid ${process.pid}`);
    expect(snapshot(root)).toEqual(before);
  });
});
