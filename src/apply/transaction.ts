import { mkdirSync, renameSync, rmSync, rmdirSync, unlinkSync } from 'node:fs';
import { discardJournal, rollbackJournal } from './update-journal.ts';

type UndoAction =
  | { readonly kind: 'remove-tree'; readonly path: string }
  | { readonly kind: 'remove-file'; readonly path: string }
  | { readonly kind: 'remove-empty-dir'; readonly path: string }
  | { readonly kind: 'recreate-empty-dir'; readonly path: string }
  | { readonly kind: 'restore'; readonly from: string; readonly to: string }
  | { readonly kind: 'journal'; readonly root: string; readonly dir: string };

/**
 * A journal of every change made to the user's disk, so that a failure or a
 * Ctrl-C at any point before `commit()` puts things back exactly as they were.
 * Undo runs in reverse order and keeps going past individual failures: leaving
 * less behind is always better than stopping half way.
 */
export class Transaction {
  private readonly undo: UndoAction[] = [];
  private finished = false;

  /** We created this whole tree; undo removes it. */
  createdTree(path: string): void {
    this.undo.push({ kind: 'remove-tree', path });
  }

  createdFile(path: string): void {
    this.undo.push({ kind: 'remove-file', path });
  }

  createdDir(path: string): void {
    this.undo.push({ kind: 'remove-empty-dir', path });
  }

  /** An empty directory was removed to make room for a rename; undo recreates it. */
  removedEmptyDir(path: string): void {
    this.undo.push({ kind: 'recreate-empty-dir', path });
  }

  /** A user's file was moved aside to `backup`; undo moves it back to `original`. */
  movedAside(original: string, backup: string): void {
    this.undo.push({ kind: 'restore', from: backup, to: original });
  }

  /**
   * Changes to an existing project were made through an update journal
   * (update-journal.ts): undo replays it backwards, commit deletes its backups.
   */
  journaled(root: string, dir: string): void {
    this.undo.push({ kind: 'journal', root, dir });
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Keep everything: the journal is dropped (with the backups an update journal kept). */
  commit(): void {
    for (const action of this.undo) if (action.kind === 'journal') discardJournal(action.dir);
    this.finished = true;
    this.undo.length = 0;
  }

  /** Undo everything recorded, newest first. Returns the paths it could not restore. */
  rollback(): string[] {
    const failures: string[] = [];
    for (const action of this.undo.reverse()) {
      try {
        switch (action.kind) {
          case 'remove-tree':
            rmSync(action.path, { recursive: true, force: true, maxRetries: 3 });
            break;
          case 'remove-file':
            unlinkSync(action.path);
            break;
          case 'remove-empty-dir':
            rmdirSync(action.path);
            break;
          case 'recreate-empty-dir':
            mkdirSync(action.path);
            break;
          case 'restore':
            renameSync(action.from, action.to);
            break;
          case 'journal':
            failures.push(...rollbackJournal(action.root, action.dir));
            break;
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          failures.push(action.kind === 'restore' ? action.to : action.kind === 'journal' ? action.dir : action.path);
        }
      }
    }
    this.undo.length = 0;
    this.finished = true;
    return failures;
  }
}
