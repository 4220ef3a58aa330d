import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../src/errors.ts';
import { LOCK_FILE, acquireProjectLock, readLockOwner, waitForWriters, type LockOwner } from '../../src/project/project-lock.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const FAST = { CREATE_PYTHON_ROADMAP_PROJECT_LOCK_WAIT_MS: '200' };

function owner(pid: number, fields: Partial<LockOwner> = {}): LockOwner {
  return { format: 1, pid, nonce: 'ab'.repeat(16), hostname: os.hostname(), command: 'add crud-db', started: '2030-01-01T00:00:00.000Z', ...fields };
}

function plant(root: string, value: unknown): void {
  writeFileSync(path.join(root, LOCK_FILE), typeof value === 'string' ? value : JSON.stringify(value));
}

const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

describe('the project lock', () => {
  it('is one exclusive file holding the owner, gone once released', async () => {
    const root = makeTempDir('cprp-lock');
    const lock = await acquireProjectLock({ root, command: 'update', env: FAST });
    const recorded = readLockOwner(root);
    expect(recorded).toEqual(lock.owner);
    expect(lock.owner).toMatchObject({ pid: process.pid, command: 'update', hostname: os.hostname() });
    expect(lock.previous).toBeUndefined();
    const second = await refusal(acquireProjectLock({ root, command: 'add crud-db', env: FAST }));
    expect(second.exitCode).toBe(2);
    expect(second.message).toContain(`pid ${process.pid}`);
    expect(second.message).toContain('"update"');
    lock.release();
    expect(readdirSync(root)).toEqual([]);
  });

  it('waits for a live holder, then exits 2 naming it', async () => {
    const root = makeTempDir('cprp-lock');
    const holder = spawn('sleep', ['30']);
    try {
      plant(root, owner(holder.pid!));
      const started = Date.now();
      const error = await refusal(acquireProjectLock({ root, command: 'update', env: FAST }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(error.message).toContain(`pid ${holder.pid}, "add crud-db"`);
      expect(error.details.join('\n')).toContain(`delete ${LOCK_FILE}`);
      expect(JSON.parse(readFileSync(path.join(root, LOCK_FILE), 'utf8'))).toEqual(owner(holder.pid!));
    } finally {
      holder.kill();
    }
  });

  it('gets the lock as soon as a live holder lets go', async () => {
    const root = makeTempDir('cprp-lock');
    const first = await acquireProjectLock({ root, command: 'add crud-db' });
    setTimeout(() => first.release(), 150);
    const second = await acquireProjectLock({ root, command: 'add background-jobs', env: { CREATE_PYTHON_ROADMAP_PROJECT_LOCK_WAIT_MS: '5000' } });
    expect(readLockOwner(root)).toEqual(second.owner);
    second.release();
  });

  it('takes over the lock of a dead process, and remembers it', async () => {
    const root = makeTempDir('cprp-lock');
    const stale = owner(deadPid());
    plant(root, stale);
    const lock = await acquireProjectLock({ root, command: 'update', env: FAST });
    expect(lock.previous).toEqual(stale);
    expect(readLockOwner(root)).toEqual(lock.owner);
    lock.release();
    expect(existsSync(path.join(root, LOCK_FILE))).toBe(false);
  });

  it('abandoning a takeover puts the stale lock back byte for byte', async () => {
    const root = makeTempDir('cprp-lock');
    const text = `${JSON.stringify(owner(deadPid()), null, 2)}\n`;
    plant(root, text);
    const lock = await acquireProjectLock({ root, command: 'update', env: FAST });
    lock.abandon();
    expect(readFileSync(path.join(root, LOCK_FILE), 'utf8')).toBe(text);
    expect(readdirSync(root)).toEqual([LOCK_FILE]);
  });

  it('never takes over a lock from another host or one it cannot read', async () => {
    const root = makeTempDir('cprp-lock');
    plant(root, owner(deadPid(), { hostname: 'elsewhere.example' }));
    expect((await refusal(acquireProjectLock({ root, command: 'update', env: FAST }))).message).toContain('on elsewhere.example');
    plant(root, 'not json');
    expect((await refusal(acquireProjectLock({ root, command: 'update', env: FAST }))).message).toContain('was not written by');
  });

  it('two runs racing for one stale lock: exactly one gets it', async () => {
    const dead = deadPid();
    for (let round = 0; round < 10; round += 1) {
      const root = makeTempDir('cprp-lock');
      plant(root, owner(dead));
      const results = await Promise.allSettled([
        acquireProjectLock({ root, command: 'a', env: { CREATE_PYTHON_ROADMAP_PROJECT_LOCK_WAIT_MS: '0' } }),
        acquireProjectLock({ root, command: 'b', env: { CREATE_PYTHON_ROADMAP_PROJECT_LOCK_WAIT_MS: '0' } }),
      ]);
      const won = results.filter((result) => result.status === 'fulfilled');
      // Both run in this one process (same pid), so the loser sees a live holder and gives up.
      expect(won).toHaveLength(1);
    }
  });

  it('readers wait for a live writer, see a stale lock, and stop on Ctrl-C', async () => {
    const root = makeTempDir('cprp-lock');
    expect(await waitForWriters({ root, env: FAST })).toBeUndefined();
    const stale = owner(deadPid());
    plant(root, stale);
    expect(await waitForWriters({ root, env: FAST })).toEqual(stale);
    const holder = spawn('sleep', ['30']);
    try {
      plant(root, owner(holder.pid!));
      expect((await refusal(waitForWriters({ root, env: FAST }))).message).toContain(`pid ${holder.pid}`);
      const controller = new AbortController();
      controller.abort();
      await expect(waitForWriters({ root, signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    } finally {
      holder.kill();
    }
  });
});
