import path from 'node:path';
import type { Reporter } from '../io.ts';
import type { CreateReport } from '../main.ts';

/** Where a path is, said the shortest way for the user. */
export function displayPath(cwd: string, target: string): string {
  const relative = path.relative(cwd, target);
  if (relative === '') return '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? target : relative;
}

/** A project named for a sentence: its folder name, and where it is when that is not the current folder. */
export function projectLabel(cwd: string, root: string): string {
  const where = displayPath(cwd, root);
  const name = path.basename(root);
  return where === '.' || where === name ? name : `${name} (${where})`;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
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
  const installed = report.steps.some((step) => step.step === 'install' && step.status === 'done');
  reporter.line();
  reporter.line('Next steps:');
  if (where !== '.') reporter.line(`  cd ${shellQuote(where)}`);
  if (!installed) reporter.line('  make install    # uv sync: creates .venv and uv.lock');
  reporter.line('  make check      # tests with coverage, lint, format and type checks');
  reporter.line('  make run');
  reporter.line('  Read README.md: it explains the roadmap skills this project exercises and how to extend it.');
}
