import type { OptionValues } from '../../catalog/features/index.ts';
import type { StepResult } from '../../apply/post-steps.ts';
import type { WriteReport } from '../../apply/write-new-project.ts';
import type { Reporter } from '../../io.ts';
import type { ProjectNames } from '../../render/project-names.ts';
import { displayPath, printNextSteps, type NextStepLine } from '../../steps/next-steps.ts';

export interface CreateReport {
  readonly ok: boolean;
  readonly command: 'create';
  readonly dryRun: boolean;
  readonly directory: string;
  readonly project: ProjectNames;
  readonly milestones: readonly string[];
  readonly features: readonly string[];
  readonly options: OptionValues;
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
  readonly write?: WriteReport;
  readonly steps: readonly StepResult[];
  /** What to do next, in order: commands to type in the project folder, with why. */
  readonly nextSteps: readonly NextStepLine[];
}

/** The closing report: what was (or would be) written, how the post-steps went, what to do next. */
export function printCreateReport(reporter: Reporter, report: CreateReport, cwd: string): void {
  const where = displayPath(cwd, report.directory);
  const fileCount = `${report.files.length} file${report.files.length === 1 ? '' : 's'}`;
  if (report.dryRun) {
    reporter.line(`Dry run: nothing was written. ${report.project.distName} would be created in ${where} (${fileCount}):`);
    for (const file of report.files) reporter.line(`  ${reporter.style('green', '+')} ${file.path} ${reporter.style('dim', `(${file.bytes} B)`)}`);
    for (const step of report.steps) {
      reporter.line(`  ${step.step}: ${step.status === 'planned' ? `would run ${step.detail ?? ''}` : `skipped (${step.detail ?? ''})`}`);
    }
    return;
  }
  reporter.success(`Created ${reporter.style('bold', report.project.distName)} in ${where} (${fileCount}; milestones: ${report.milestones.join(', ')})`);
  for (const kept of report.write?.keptAside ?? []) {
    reporter.warn(`${kept.path} already existed with other content; yours is kept as ${kept.backup}`);
  }
  for (const step of report.steps) {
    if (step.status === 'done') reporter.success(`${step.step}: ${step.detail ?? 'done'}`);
    else if (step.status === 'skipped') reporter.line(`${reporter.style('dim', '-')} ${step.step}: skipped (${step.detail ?? ''})`);
    else {
      reporter.warn(`${step.step} failed: ${step.detail ?? ''}`);
      if (step.outputTail) reporter.warn(step.outputTail.split('\n').map((line) => `    ${line}`).join('\n'));
      if (step.manualCommand) reporter.warn(`The project is complete; finish this step by hand: ${step.manualCommand}`);
    }
  }
  printNextSteps(reporter, report.nextSteps);
  reporter.line('  Read README.md: it explains the roadmap skills this project exercises and how to extend it.');
}
