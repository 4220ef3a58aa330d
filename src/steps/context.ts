import type { Catalog } from '../catalog/catalog.ts';
import type { CliIO, Reporter } from '../io.ts';

/**
 * What every step may read. Steps return their answer; they never exit. `F` is
 * the running command's flags: a step names the flags it reads in its signature
 * (`StepContext<CreateFlags>`, `StepContext<{ options: ... }>`), so a command
 * passes its own flags and never builds another command's.
 */
export interface StepContext<F = unknown> {
  readonly io: CliIO;
  readonly catalog: Catalog;
  readonly flags: F;
  /** Questions are asked only on a TTY, without --yes and without --json. */
  readonly interactive: boolean;
  readonly reporter: Reporter;
  /** The URL of the git remote `origin` where the project is (or goes), read when an answer needs it. */
  readonly gitRemote?: () => string | undefined;
}
