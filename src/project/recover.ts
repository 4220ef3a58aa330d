import { rmSync } from 'node:fs';
import path from 'node:path';
import {
  findJournals,
  manifestMatchesJournal,
  readJournalFile,
  resolveJournalPaths,
  rollbackJournal,
  type FoundJournal,
  type JournalData,
} from '../apply/update-journal.ts';
import { ExitCode, UserError, usageError } from '../errors.ts';
import type { Reporter } from '../io.ts';
import { PACKAGE_NAME } from '../paths.ts';
import { trackedPaths } from './clean-tree.ts';
import type { LockOwner } from './project-lock.ts';

/**
 * A journal folder at the project root is replayed only when it is provably
 * this tool's own interrupted work:
 *
 * - every path it names resolves inside the project (else exit 2, naming it);
 * - git does not track it (a journal never belongs in a commit);
 * - the process that wrote it is gone, and left a stale project lock whose pid
 *   and nonce are the journal's (the lock this run just took over);
 * - the manifest on disk is the one the journal found or the one it wrote.
 *
 * Anything else is refused with exit 2 and what to delete: a committed or
 * copied journal is never allowed to move files around.
 */

export type InterruptedPolicy =
  /** add, update, generate: put the project back, then carry on. */
  | 'recover'
  /** --dry-run: refuse, a dry run writes nothing, not even a recovery. */
  | 'refuse'
  /** check: report that the project is half written (exit 1). */
  | 'report';

export interface RecoverOptions {
  readonly root: string;
  /** The stale lock left by the killed run: taken over by a writer, found by a reader. */
  readonly staleLock: LockOwner | undefined;
  readonly policy: InterruptedPolicy;
  readonly reporter: Reporter;
}

type Verdict = { readonly trusted: true; readonly data: JournalData | undefined } | { readonly trusted: false; readonly reason: string };

function notOurs(journal: FoundJournal, reason: string, tracked: boolean): UserError {
  const name = path.basename(journal.dir);
  return usageError(`${name} at the project root is not the record of an interrupted ${PACKAGE_NAME} run, so it was not replayed: ${reason}.`, [
    'Nothing was changed.',
    tracked ? `Remove it from the repository and the disk: git rm -r --quiet ${name}` : `If you did not expect it, delete it: rm -rf ${name}`,
  ]);
}

function judge(root: string, journal: FoundJournal, staleLock: LockOwner | undefined, tracked: boolean): Verdict {
  const file = readJournalFile(journal.dir);
  if (file.kind === 'damaged') return { trusted: false, reason: `its journal.json cannot be used (${file.reason})` };
  // The paths first: a journal naming a path outside the project is refused as such, whatever else it claims.
  if (file.kind === 'ok') resolveJournalPaths(root, journal.dir, file.data);
  if (tracked) return { trusted: false, reason: 'it is tracked by git, and a journal is never committed' };
  const ownLock = staleLock !== undefined && staleLock.pid === journal.pid;
  if (file.kind === 'missing') {
    // Killed while staging: the folder never touched the project.
    return ownLock ? { trusted: true, data: undefined } : { trusted: false, reason: 'it holds no journal.json, and no lock of the process that wrote it' };
  }
  const { data } = file;
  if (data.pid !== journal.pid) return { trusted: false, reason: `its journal names pid ${data.pid}, its folder pid ${journal.pid}` };
  if (!ownLock || staleLock.nonce !== data.nonce) {
    return { trusted: false, reason: `no lock left by the process that wrote it (pid ${journal.pid}) vouches for it` };
  }
  if (!manifestMatchesJournal(root, journal.dir, data)) {
    return { trusted: false, reason: 'the manifest has changed since it was written' };
  }
  return { trusted: true, data };
}

/**
 * Deals with the journals a killed run left, before the manifest is read:
 * replays the trustworthy ones (policy `recover`), or refuses. Returns the
 * folders it restored from.
 */
export async function recoverInterruptedWork(options: RecoverOptions): Promise<string[]> {
  const { root, staleLock, policy, reporter } = options;
  const journals = findJournals(root);
  if (journals.length === 0) return [];
  const running = journals.find((journal) => journal.alive && journal.pid !== process.pid);
  if (running) {
    throw usageError(`Another ${PACKAGE_NAME} process (pid ${running.pid}) is changing this project right now.`, ['Wait for it to finish.']);
  }
  const tracked = await trackedPaths(root, journals.map((journal) => path.basename(journal.dir)));
  const verdicts = journals.map((journal) => ({ journal, verdict: judge(root, journal, staleLock, tracked.has(path.basename(journal.dir))) }));
  for (const { journal, verdict } of verdicts) {
    if (!verdict.trusted) throw notOurs(journal, verdict.reason, tracked.has(path.basename(journal.dir)));
  }
  if (policy === 'refuse') {
    throw usageError('An earlier update was interrupted before it finished.', [
      'Run the command without --dry-run first: it puts the project back as it was before that update.',
    ]);
  }
  if (policy === 'report') {
    throw new UserError('An update of this project was interrupted; its files are half written.', ExitCode.failed, [
      `Run \`${PACKAGE_NAME} update\` to put the project back as it was, then check again.`,
    ]);
  }
  const failures: string[] = [];
  for (const { journal, verdict } of verdicts) {
    if (verdict.trusted && verdict.data === undefined) {
      rmSync(journal.dir, { recursive: true, force: true });
      continue;
    }
    failures.push(...rollbackJournal(root, journal.dir));
  }
  if (failures.length > 0) {
    throw new UserError('An interrupted update could not be rolled back completely.', ExitCode.failed, [
      ...failures.map((file) => `not restored: ${file}`),
      `The original files are kept in ${journals.map((journal) => path.basename(journal.dir)).join(', ')}.`,
    ]);
  }
  reporter.warn('An earlier update was interrupted; the project was put back as it was before it.');
  return journals.map((journal) => journal.dir);
}
