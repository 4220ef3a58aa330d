import type { Catalog } from '../catalog/catalog.ts';
import type { CliIO, Reporter } from '../io.ts';
import type { CreateFlags } from '../options.ts';

/** What every create step may read. Steps return their answer; they never exit. */
export interface StepContext {
  readonly io: CliIO;
  readonly catalog: Catalog;
  readonly flags: CreateFlags;
  /** Questions are asked only on a TTY, without --yes and without --json. */
  readonly interactive: boolean;
  readonly reporter: Reporter;
  /** The URL of the git remote `origin` where the project is (or goes), read when an answer needs it. */
  readonly gitRemote?: () => string | undefined;
}
