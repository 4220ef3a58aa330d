import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processIsAlive } from '../apply/processes.ts';
import { CancelledError, usageError } from '../errors.ts';
import { PACKAGE_NAME } from '../paths.ts';
import { onFile } from './fs-errors.ts';

/**
 * One command at a time changes a project. `add`, `update` and `generate`
 * hold `.cprp-lock` at the project root from before they recover or read
 * anything until they are done: created with an exclusive link (a second
 * process gets EEXIST, never a half-written file), holding the owner's pid,
 * host, command and a random nonce. The nonce is copied into every journal
 * the owner writes, which is how a later run knows a journal is the work of
 * the process whose stale lock it finds.
 *
 * A lock whose process is gone (same host, pid not running) is stale and taken
 * over; a live one is waited for briefly, then the command stops with exit 2
 * naming the holder. A takeover goes through a second, short-lived lock file so
 * two runs finding the same stale lock cannot both take it.
 */

export const LOCK_FILE = '.cprp-lock';
const TAKEOVER_FILE = '.cprp-lock.takeover';

/** For tests and scripts: how long to wait for a lock held by a live process (default 5 s). */
export const LOCK_WAIT_ENV = 'CREATE_PYTHON_ROADMAP_PROJECT_LOCK_WAIT_MS';
const DEFAULT_WAIT_MS = 5_000;
const POLL_MS = 100;

export interface LockOwner {
  readonly format: 1;
  readonly pid: number;
  readonly nonce: string;
  readonly hostname: string;
  /** The command line that holds it, for the message another run prints. */
  readonly command: string;
  readonly started: string;
}

export interface ProjectLock {
  readonly root: string;
  readonly owner: LockOwner;
  /** The stale lock this run took over: a killed run's, whose journal may be waiting. */
  readonly previous?: LockOwner;
  release(): void;
  /**
   * Lets go without having changed anything: a stale lock that was taken over
   * is put back as it was, so a refused command leaves the project exactly as
   * it found it.
   */
  abandon(): void;
}

export interface AcquireLockOptions {
  readonly root: string;
  readonly command: string;
  readonly signal?: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
}

function lockPath(root: string): string {
  return path.join(root, LOCK_FILE);
}

function isOwner(value: unknown): value is LockOwner {
  const owner = value as Partial<LockOwner> | null;
  return (
    typeof owner === 'object' &&
    owner !== null &&
    owner.format === 1 &&
    Number.isSafeInteger(owner.pid) &&
    (owner.pid ?? 0) > 0 &&
    typeof owner.nonce === 'string' &&
    /^[0-9a-f]{32}$/.test(owner.nonce) &&
    typeof owner.hostname === 'string' &&
    typeof owner.command === 'string' &&
    typeof owner.started === 'string'
  );
}

/** The lock's owner; 'damaged' for a file this tool did not write; undefined when there is none. */
export function readLockOwner(root: string, file = LOCK_FILE): LockOwner | 'damaged' | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(root, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const owner = JSON.parse(text) as unknown;
    return isOwner(owner) ? owner : 'damaged';
  } catch {
    return 'damaged';
  }
}

/** A lock whose process is provably gone: written on this host by a pid that no longer runs. */
export function isStale(owner: LockOwner): boolean {
  return owner.hostname === os.hostname() && owner.pid !== process.pid && !processIsAlive(owner.pid);
}

function newOwner(command: string): LockOwner {
  return {
    format: 1,
    pid: process.pid,
    nonce: randomBytes(16).toString('hex'),
    hostname: os.hostname(),
    command,
    started: new Date().toISOString(),
  };
}

/** Creates `file` holding `owner` only if it does not exist: written aside, then hard-linked into place. */
function createExclusive(root: string, file: string, owner: LockOwner): boolean {
  const temporary = path.join(root, `${LOCK_FILE}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  onFile(temporary, () => writeFileSync(temporary, `${JSON.stringify(owner)}\n`, { flag: 'wx' }));
  try {
    linkSync(temporary, path.join(root, file));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function removeIfOwned(root: string, file: string, nonce: string): void {
  const current = readLockOwner(root, file);
  if (current !== undefined && current !== 'damaged' && current.nonce === nonce) {
    try {
      unlinkSync(path.join(root, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * Replaces the stale lock `stale` with ours, unless another run got there first.
 * Returns false when the lock changed meanwhile (the caller looks again).
 */
function takeOver(root: string, stale: LockOwner, owner: LockOwner): boolean {
  if (!createExclusive(root, TAKEOVER_FILE, owner)) {
    const other = readLockOwner(root, TAKEOVER_FILE);
    // A takeover left by a killed run: remove it and look again.
    if (other === 'damaged' || (other !== undefined && isStale(other))) unlinkSync(path.join(root, TAKEOVER_FILE));
    return false;
  }
  try {
    const current = readLockOwner(root);
    if (current === undefined || current === 'damaged' || current.nonce !== stale.nonce) return false;
    unlinkSync(lockPath(root));
    return createExclusive(root, LOCK_FILE, owner);
  } finally {
    removeIfOwned(root, TAKEOVER_FILE, owner.nonce);
  }
}

function heldMessage(owner: LockOwner): Error {
  const where = owner.hostname === os.hostname() ? '' : ` on ${owner.hostname}`;
  return usageError(
    `Another ${PACKAGE_NAME} process (pid ${owner.pid}${where}, "${owner.command}", since ${owner.started}) is changing this project.`,
    ['Wait for it to finish, then run the command again.', `If no such process is running any more, delete ${LOCK_FILE} at the project root.`],
  );
}

export function waitLimit(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[LOCK_WAIT_ENV]);
  return Number.isFinite(value) && value >= 0 ? value : DEFAULT_WAIT_MS;
}

/**
 * Takes the project's lock, waiting up to the limit for a live holder;
 * throws a usage error (exit 2) naming the holder when it does not let go.
 */
export async function acquireProjectLock(options: AcquireLockOptions): Promise<ProjectLock> {
  const { root } = options;
  const owner = newOwner(options.command);
  const deadline = Date.now() + waitLimit(options.env);
  let previous: LockOwner | undefined;
  let previousText: string | undefined;
  for (;;) {
    if (options.signal?.aborted) throw new CancelledError();
    if (createExclusive(root, LOCK_FILE, owner)) break;
    const current = readLockOwner(root);
    if (current === 'damaged') {
      throw usageError(`${LOCK_FILE} at the project root was not written by ${PACKAGE_NAME}.`, [
        `Nothing was changed. If no ${PACKAGE_NAME} command is running in this project, delete it.`,
      ]);
    }
    if (current !== undefined && isStale(current)) {
      const text = readFileSync(lockPath(root), 'utf8');
      if (takeOver(root, current, owner)) {
        previous = current;
        previousText = text;
        break;
      }
      await sleep(10);
      continue;
    }
    if (current !== undefined && Date.now() >= deadline) throw heldMessage(current);
    await sleep(POLL_MS);
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    removeIfOwned(root, LOCK_FILE, owner.nonce);
  };
  const abandon = (): void => {
    if (released || previousText === undefined) return release();
    released = true;
    const current = readLockOwner(root);
    if (current === undefined || current === 'damaged' || current.nonce !== owner.nonce) return;
    const temporary = path.join(root, `${LOCK_FILE}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    writeFileSync(temporary, previousText);
    renameSync(temporary, lockPath(root));
  };
  return { root, owner, ...(previous ? { previous } : {}), release, abandon };
}

/**
 * For commands that only read (`check`, `--dry-run`): they take no lock (a
 * read-only checkout must still work), but wait like a writer for a live
 * holder to finish, so they never read a project half way through a change.
 * Returns the lock left by a killed run, if any.
 */
export async function waitForWriters(options: Omit<AcquireLockOptions, 'command'>): Promise<LockOwner | undefined> {
  const deadline = Date.now() + waitLimit(options.env);
  for (;;) {
    if (options.signal?.aborted) throw new CancelledError();
    const current = readLockOwner(options.root);
    if (current === undefined) return undefined;
    if (current === 'damaged') {
      throw usageError(`${LOCK_FILE} at the project root was not written by ${PACKAGE_NAME}.`, [
        `If no ${PACKAGE_NAME} command is running in this project, delete it.`,
      ]);
    }
    if (isStale(current)) return current;
    if (Date.now() >= deadline) throw heldMessage(current);
    await sleep(POLL_MS);
  }
}
