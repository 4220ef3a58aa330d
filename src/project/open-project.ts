import type { JournalOwner } from '../apply/update-journal.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { CliIO, Reporter } from '../io.ts';
import { assertCleanTree } from './clean-tree.ts';
import { loadProject, locateProjectRoot, type LocatedProject } from './locate-project.ts';
import { acquireProjectLock, waitForWriters, type ProjectLock } from './project-lock.ts';
import { recoverInterruptedWork } from './recover.ts';

/**
 * How every command that works inside a project starts, always in this order:
 *
 *   locate → lock → recover → read the manifest → guard the tree
 *
 * The lock comes first so nothing else changes the project while this command
 * looks at it; a killed run is put back before the manifest is read, so the
 * manifest read is the one the files on disk belong to; the manifest is
 * validated (schema, paths, answers this version knows) before anything is
 * planned; the git tree is checked last, once the tool's own leftovers are gone.
 * The command then renders, merges and applies, and closes the session.
 */

export type ProjectAccess =
  /** add, update, generate: lock the project, put back a killed run. */
  | 'write'
  /** --dry-run of a writer: no lock, refuse a half-written project. */
  | 'dry-run'
  /** check: no lock (a read-only checkout must work), report a half-written project. */
  | 'check';

export interface OpenProjectOptions {
  readonly io: CliIO;
  readonly catalog: Catalog;
  readonly reporter: Reporter;
  /** --dir, as given. */
  readonly dir?: string | undefined;
  /** The command line, recorded in the lock so a second run can say who holds it. */
  readonly command: string;
  readonly access: ProjectAccess;
  /** add and update: refuse uncommitted changes unless allowed (generate only adds, and shows them). */
  readonly cleanTree?: { readonly allowDirty: boolean };
}

export interface ProjectSession extends LocatedProject {
  /** The project lock, held until `close()` (writers only). */
  readonly lock: ProjectLock | undefined;
  /** Journal folders a killed run left, replayed before the manifest was read. */
  readonly recovered: readonly string[];
  close(): void;
}

export async function openProject(options: OpenProjectOptions): Promise<ProjectSession> {
  const { io, reporter, access } = options;
  const root = locateProjectRoot(io.cwd, options.dir);
  const lock = access === 'write' ? await acquireProjectLock({ root, command: options.command, signal: io.signal, env: io.env }) : undefined;
  let recovered: string[] = [];
  try {
    const staleLock = lock ? lock.previous : await waitForWriters({ root, signal: io.signal, env: io.env });
    recovered = await recoverInterruptedWork({
      root,
      staleLock,
      policy: access === 'write' ? 'recover' : access === 'dry-run' ? 'refuse' : 'report',
      reporter,
    });
    const project = loadProject(root, options.catalog);
    if (options.cleanTree && access === 'write') await assertCleanTree(root, options.cleanTree.allowDirty, reporter);
    return { ...project, lock, recovered, close: () => lock?.release() };
  } catch (error) {
    // Refused before changing anything: leave even a stale lock where it was.
    if (recovered.length === 0) lock?.abandon();
    else lock?.release();
    throw error;
  }
}

/** Who writes: the lock's owner, recorded in the journal. Only a session opened to write has one. */
export function journalOwner(session: ProjectSession): JournalOwner {
  if (!session.lock) throw new Error('The project was opened to read, not to write.');
  return session.lock.owner;
}

/** Opens the project, runs `work` with it, and closes it (releasing the lock) whatever happens. */
export async function withOpenProject<T>(options: OpenProjectOptions, work: (session: ProjectSession) => Promise<T>): Promise<T> {
  const session = await openProject(options);
  try {
    return await work(session);
  } finally {
    session.close();
  }
}
