import path from 'node:path';
import { applyDecisions, readProjectFiles } from '../../apply/apply-merge.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import { CancelledError, usageError } from '../../errors.ts';
import { Reporter, type CliIO } from '../../io.ts';
import { MANIFEST_FILE, isBinary, ownedEntry, serializeManifest, type OwnedFile, type ProjectManifest } from '../../manifest/manifest.ts';
import { changeAtLine, changesBetween, isAccepted, toAccepted, type AcceptedChange } from '../../merge/drift-hunks.ts';
import type { OwnFlags } from '../../options.ts';
import { PACKAGE_NAME } from '../../paths.ts';
import { journalOwner, withOpenProject, type ProjectSession } from '../../project/open-project.ts';
import { projectLabel } from '../../steps/next-steps.ts';
import { renderFromAnswers } from '../../plan/plan-from-answers.ts';

export interface OwnReport {
  readonly ok: boolean;
  readonly command: 'own';
  readonly dryRun: boolean;
  readonly directory: string;
  /** One entry per file named: what is now (or, with --release, no longer) the user's. */
  readonly files: readonly {
    readonly path: string;
    /** `file`: the whole file; `changes`: the changes taken; `released`: given back. */
    readonly took: 'file' | 'changes' | 'released';
    readonly changes: readonly { readonly line: number; readonly removed: readonly string[]; readonly added: readonly string[] }[];
  }[];
}

/** `PATH` or `PATH:LINE`; the path relative to where the command runs, like any file argument. */
function parseTarget(target: string, cwd: string, root: string): { path: string; line?: number } {
  const match = /^(.*):(\d+)$/.exec(target);
  const file = match ? match[1]! : target;
  const relative = path.relative(root, path.resolve(cwd, file)).split(path.sep).join('/');
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw usageError(`${target} is not a file of the project at ${root}.`);
  }
  return match ? { path: relative, line: Number(match[2]) } : { path: relative };
}

/**
 * `own`: the user takes a template-owned file, or some changes to its generated
 * lines, as theirs. Recorded in the manifest (`owned`), so `check` stops
 * calling them drift while `update` keeps merging the file three ways, which
 * carries template changes in around them. Only the manifest is written, through
 * the same journal as `update`.
 */
export async function runOwn(io: CliIO, flags: OwnFlags, catalog: Catalog): Promise<OwnReport> {
  const reporter = new Reporter(io, flags.json);
  const command = ['own', ...flags.targets].join(' ');
  return withOpenProject({ io, catalog, reporter, dir: flags.dir, command, access: flags.dryRun ? 'dry-run' : 'write' }, (project) =>
    takeOwnership(io, flags, catalog, project, reporter),
  );
}

async function takeOwnership(io: CliIO, flags: OwnFlags, catalog: Catalog, project: ProjectSession, reporter: Reporter): Promise<OwnReport> {
  const plan = renderFromAnswers(catalog, project.answers, { records: project.manifest.generated ?? [], base: project.base });
  const generated = new Map(plan.files.map((file) => [file.path, file]));
  const targets = flags.targets.map((target) => parseTarget(target, io.cwd, project.root));
  if (targets.length === 0) {
    throw usageError('Name the files to own: own PATH (every change in it), PATH:LINE (one change), --file PATH (the whole file).', [
      `\`${PACKAGE_NAME} check\` lists the files that drifted and the line of each change.`,
    ]);
  }
  const disk = readProjectFiles(project.root, new Set(targets.map((target) => target.path)));
  const owned: Record<string, OwnedFile> = { ...(project.manifest.owned ?? {}) };
  const files: OwnReport['files'][number][] = [];
  for (const target of targets) {
    const planned = generated.get(target.path);
    if (!planned || planned.policy !== 'merge') {
      throw usageError(`${target.path} is not a template-owned file: it is yours already, and check does not look at it.`);
    }
    const current = owned[target.path] ?? {};
    if (flags.release) {
      const kept = target.line === undefined ? [] : (current.changes ?? []).filter((change) => !changeAtLineOf(change, planned.content, disk.get(target.path), target.line!));
      owned[target.path] = { ...(target.line === undefined ? {} : current.file ? { file: true as const } : {}), changes: kept };
      files.push({ path: target.path, took: 'released', changes: [] });
      continue;
    }
    if (flags.file) {
      owned[target.path] = { file: true, ...(current.changes ? { changes: current.changes } : {}) };
      files.push({ path: target.path, took: 'file', changes: [] });
      continue;
    }
    const content = disk.get(target.path);
    if (!Buffer.isBuffer(content)) throw usageError(`${target.path} is not there to take changes from; --file takes the whole file.`);
    if (isBinary(content) || isBinary(planned.content)) throw usageError(`${target.path} is binary: its changes cannot be taken one by one; --file takes the whole file.`);
    const changes = changesBetween(planned.content, content);
    if (changes.length === 0) {
      throw usageError(`${target.path} is as generated: there is no change to own.`, ['--file takes the whole file, for changes still to come.']);
    }
    const chosen = target.line === undefined ? changes : changes.filter((change) => changeAtLine(change, target.line!));
    if (chosen.length === 0) {
      throw usageError(`Line ${target.line} of ${target.path} is not in a change from the generated file.`, [
        `Changes start at line${changes.length === 1 ? '' : 's'} ${changes.map((change) => change.line).join(', ')}.`,
      ]);
    }
    const accepted: AcceptedChange[] = [...(current.changes ?? [])];
    for (const change of chosen) if (!isAccepted(change, accepted)) accepted.push(toAccepted(change));
    owned[target.path] = { ...(current.file ? { file: true as const } : {}), changes: accepted };
    files.push({ path: target.path, took: 'changes', changes: chosen.map(({ line, removed, added }) => ({ line, removed, added })) });
  }
  const report: OwnReport = { ok: true, command: 'own', dryRun: flags.dryRun, directory: project.root, files };
  if (!flags.dryRun) {
    if (io.signal.aborted) throw new CancelledError();
    const manifest = withOwned(project.manifest, owned);
    const transaction = await applyDecisions({
      root: project.root,
      decisions: [],
      manifest: serializeManifest(manifest),
      owner: journalOwner(project),
      signal: io.signal,
    });
    transaction.commit();
  }
  printOwnReport(reporter, report, io.cwd);
  return report;
}

/** For --release PATH:LINE: the accepted change found at that line of the file on disk. */
function changeAtLineOf(accepted: AcceptedChange, generated: Buffer, disk: unknown, line: number): boolean {
  if (!Buffer.isBuffer(disk)) return false;
  return changesBetween(generated, disk).some((change) => changeAtLine(change, line) && isAccepted(change, [accepted]));
}

/** The manifest with a new `owned` field, in the place buildManifest puts it (before the pristine blob). */
function withOwned(manifest: ProjectManifest, owned: Readonly<Record<string, OwnedFile>>): ProjectManifest {
  const { owned: _previous, pristine, ...rest } = manifest;
  return { ...rest, ...ownedEntry(owned, (file) => manifest.files[file]?.policy === 'merge'), pristine };
}

function printOwnReport(reporter: Reporter, report: OwnReport, cwd: string): void {
  const prefix = report.dryRun ? 'Dry run: nothing was written. Would record' : 'Recorded';
  for (const file of report.files) {
    if (file.took === 'released') {
      reporter.success(`${prefix} ${file.path} as the template's again: check reports its edits as drift.`);
    } else if (file.took === 'file') {
      reporter.success(`${prefix} ${file.path} as yours, the whole file: check no longer compares it; update still merges into it.`);
    } else {
      const lines = file.changes.map((change) => change.line).join(', ');
      reporter.success(
        `${prefix} ${file.changes.length} change${file.changes.length === 1 ? '' : 's'} in ${file.path} as yours (line${file.changes.length === 1 ? '' : 's'} ${lines}): check passes ${file.changes.length === 1 ? 'it' : 'them'}, update merges around ${file.changes.length === 1 ? 'it' : 'them'}.`,
      );
    }
  }
  if (!report.dryRun) {
    reporter.line(`The record is in ${MANIFEST_FILE} (owned) in ${projectLabel(cwd, report.directory)}: commit it with your change.`);
  }
}
