import { ExitCode } from '../../errors.ts';
import type { Reporter } from '../../io.ts';
import { printNextSteps, projectLabel, type NextStepLine } from '../../steps/next-steps.ts';

export interface UpdateReport {
  readonly ok: boolean;
  readonly command: 'add' | 'update';
  readonly dryRun: boolean;
  readonly directory: string;
  readonly generator: { readonly from: string; readonly to: string };
  readonly milestones: readonly string[];
  readonly features: readonly string[];
  /** `add` only: what was added, and what the project already had. */
  readonly added?: { readonly milestones: readonly string[]; readonly features: readonly string[]; readonly alreadyThere: readonly string[] };
  /** Every file whose fate is worth a line (everything but "unchanged"). */
  readonly files: readonly { readonly path: string; readonly outcome: string; readonly reason?: string; readonly conflicts?: number }[];
  /** Files written with conflict markers. */
  readonly conflicts: readonly string[];
  /** Nothing changed (or, with --dry-run, nothing would). */
  readonly upToDate: boolean;
  /** Files were restored from a run that was killed half way. */
  readonly recovered: readonly string[];
  /** --dry-run: the unified diff of every change. */
  readonly diff?: string;
  /** After a run that wrote something: what the changes call for, then review and commit. */
  readonly nextSteps: readonly NextStepLine[];
}

/** The exit code the contract gives an add or update report: conflicts are never 0. */
export function updateExitCode(report: UpdateReport): number {
  return report.conflicts.length > 0 ? ExitCode.conflicts : ExitCode.ok;
}

const LABELS: Readonly<Record<string, string>> = {
  created: 'created',
  updated: 'updated',
  merged: 'merged',
  conflict: 'CONFLICT',
  removed: 'removed',
  'kept-deleted': 'kept',
  'kept-yours': 'kept',
};

function describe(file: UpdateReport['files'][number]): string {
  if (file.outcome === 'merged') return 'your changes and the template’s, merged';
  if (file.outcome === 'conflict') return `${file.conflicts ?? 1} conflict block${file.conflicts === 1 ? '' : 's'}`;
  if (file.outcome === 'updated') return 'you had not changed it';
  if (file.outcome === 'removed') return 'no longer generated, and you had not changed it';
  return file.reason ?? '';
}

/** The closing report of `add` and `update`: one line per file that moved, then what to do next. */
export function printUpdateReport(reporter: Reporter, report: UpdateReport, cwd: string): void {
  const where = projectLabel(cwd, report.directory);
  for (const name of report.added?.alreadyThere ?? []) reporter.line(`${name}: the project already has it.`);
  if (report.command === 'add' && report.added && report.added.milestones.length + report.added.features.length === 0) {
    reporter.line('Nothing to add.');
    return;
  }
  if (report.upToDate && report.conflicts.length > 0) {
    reporter.warn(`Nothing to update, but conflicts are still unresolved in: ${report.conflicts.join(', ')}`);
    reporter.warn('Resolve the <<<<<<< blocks (keep what you need from both sides, delete the marker lines), then commit.');
    return;
  }
  if (report.upToDate) {
    reporter.success(
      report.dryRun
        ? `Dry run: ${where} is already up to date with ${report.generator.to}; nothing would change.`
        : `${where} is already up to date with ${report.generator.to}.`,
    );
    return;
  }
  if (report.dryRun) {
    if (report.diff) reporter.line(report.diff.trimEnd());
    reporter.line();
    reporter.line(`Dry run: nothing was written. ${report.command === 'add' ? 'Adding' : 'Updating'} would change ${where}:`);
  } else {
    const what = [...(report.added?.milestones ?? []), ...(report.added?.features ?? [])].join(', ');
    const headline =
      report.command === 'add'
        ? `Added ${reporter.style('bold', what)} to ${where}`
        : `Updated ${where} (${report.generator.from} → ${report.generator.to})`;
    if (report.conflicts.length > 0) reporter.line(`${reporter.style('yellow', '!')} ${headline}, with conflicts to resolve:`);
    else reporter.success(`${headline}.`);
  }
  const width = Math.max(0, ...report.files.map((file) => file.path.length));
  for (const file of report.files) {
    const label = (LABELS[file.outcome] ?? file.outcome).padEnd(8);
    const styled = file.outcome === 'conflict' ? reporter.style('red', label) : label;
    reporter.line(`  ${styled}  ${file.path.padEnd(width)}  ${reporter.style('dim', describe(file))}`);
  }
  if (report.files.length === 0) reporter.line(`  only ${'.roadmap-project.json'} changes`);
  if (report.conflicts.length > 0) {
    const count = report.conflicts.length;
    reporter.line();
    reporter.warn(
      `${count} file${count === 1 ? ' has' : 's have'} conflicts${report.dryRun ? ' (would have)' : ''}: ${report.conflicts.join(', ')}`,
    );
    reporter.warn(
      'In each block, yours is above the ||||||| line and the template’s below =======: keep what you need from both, delete the marker lines.',
    );
  }
  printNextSteps(reporter, report.nextSteps, report.conflicts.length > 0 ? 'Then:' : 'Next steps:');
}
