import { readProjectFiles } from '../../apply/apply-merge.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import { Reporter, type CliIO } from '../../io.ts';
import { findDrift, type Drift } from '../../merge/drift.ts';
import type { NextFile } from '../../merge/merge-project.ts';
import type { CheckFlags } from '../../options.ts';
import { PACKAGE_NAME, generatorVersion } from '../../paths.ts';
import { withOpenProject } from '../../project/open-project.ts';
import type { LocatedProject } from '../../project/locate-project.ts';
import { projectLabel } from '../../steps/next-steps.ts';
import { renderFromAnswers } from '../../plan/plan-from-answers.ts';

export interface CheckReport {
  readonly ok: boolean;
  readonly command: 'check';
  readonly directory: string;
  readonly generator: { readonly recorded: string; readonly running: string };
  readonly strict: boolean;
  /** Template-owned files compared. */
  readonly checked: number;
  readonly drift: readonly Drift[];
}

/**
 * `check`, for the project's own CI: renders the recorded answers
 * with this generator and compares every template-owned file with the disk.
 * Writes nothing, takes no lock (a read-only checkout works), but waits for a
 * running `add`/`update` and refuses a half-written project. `ok` is false
 * (exit 1) when any file drifted.
 */
export async function runCheck(io: CliIO, flags: CheckFlags, catalog: Catalog): Promise<CheckReport> {
  const reporter = new Reporter(io, flags.json);
  return withOpenProject({ io, catalog, reporter, dir: flags.dir, command: 'check', access: 'check' }, async (project) =>
    compareWithTemplates({ io, flags, catalog, project, reporter }),
  );
}

interface CompareOptions {
  readonly io: CliIO;
  readonly flags: CheckFlags;
  readonly catalog: Catalog;
  readonly project: LocatedProject;
  readonly reporter: Reporter;
}

function compareWithTemplates({ io, flags, catalog, project, reporter }: CompareOptions): CheckReport {
  const plan = renderFromAnswers(catalog, project.answers, { records: project.manifest.generated ?? [], base: project.base });
  const next = new Map<string, NextFile>(
    plan.files.map((file) => [file.path, { content: file.content, policy: file.policy, executable: file.executable }]),
  );
  const disk = readProjectFiles(project.root, new Set([...project.base.keys(), ...next.keys()]));
  const drift = findDrift({
    base: project.base,
    next,
    disk,
    strict: flags.strict,
    ...(project.manifest.owned ? { owned: project.manifest.owned } : {}),
  });
  const report: CheckReport = {
    ok: drift.length === 0,
    command: 'check',
    directory: project.root,
    generator: { recorded: project.manifest.generator.version, running: generatorVersion() },
    strict: flags.strict,
    checked: plan.files.filter((file) => file.policy === 'merge').length,
    drift,
  };
  const where = projectLabel(io.cwd, project.root);
  if (report.ok) {
    const owned = Object.values(project.manifest.owned ?? {});
    const ownedChanges = owned.reduce((sum, record) => sum + (record.changes?.length ?? 0), 0);
    const ownedFiles = owned.filter((record) => record.file).length;
    const yours = [
      ...(flags.strict ? [] : ['lines you added']),
      ...(ownedChanges > 0 ? [`${ownedChanges} change${ownedChanges === 1 ? '' : 's'} you own`] : []),
      ...(ownedFiles > 0 ? [`${ownedFiles} file${ownedFiles === 1 ? '' : 's'} you own`] : []),
    ];
    reporter.success(
      `${where}: all ${report.checked} template-owned files match ${PACKAGE_NAME} ${report.generator.running}` +
        (yours.length > 0 ? ` (${yours.join(', ')} are yours).` : '.'),
    );
    return report;
  }
  reporter.line(`${where}: ${drift.length} template-owned file${drift.length === 1 ? '' : 's'} drifted from ${PACKAGE_NAME} ${report.generator.running}:`);
  const width = Math.max(...drift.map((item) => item.path.length));
  for (const item of drift) {
    reporter.line(`  ${item.kind.padEnd(16)}  ${item.path.padEnd(width)}  ${reporter.style('dim', item.detail)}`);
  }
  for (const item of drift.filter((candidate) => candidate.diff)) {
    reporter.line();
    for (const line of item.diff!.trimEnd().split('\n')) {
      const style = line.startsWith('@@') ? 'cyan' : line.startsWith('-') && !line.startsWith('---') ? 'red' : line.startsWith('+') && !line.startsWith('+++') ? 'green' : undefined;
      reporter.line(style ? reporter.style(style, line) : line);
    }
  }
  reporter.line();
  const edited = drift.filter((item) => item.kind === 'edited' && item.changes?.length);
  reporter.line('Generated lines belong to the template. For an edited line:');
  reporter.line('  a slip?     restore it: git checkout -- <file>');
  reporter.line('  deliberate? make it yours, so check passes it and update merges around it:');
  for (const item of edited) {
    const changes = item.changes!;
    reporter.line(
      changes.length === 1
        ? `              ${PACKAGE_NAME} own ${item.path}:${changes[0]!.line}`
        : `              ${PACKAGE_NAME} own ${item.path}   (its ${changes.length} changes; or :LINE for one: ${changes.map((change) => change.line).join(', ')})`,
    );
  }
  if (edited.length === 0) reporter.line(`              ${PACKAGE_NAME} own <file>[:<line>]`);
  reporter.line('Run `update` for outdated or missing files, and resolve conflict markers.');
  return report;
}
