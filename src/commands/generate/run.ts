import { frameworkOf } from '../../catalog/frameworks.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyDecisions } from '../../apply/apply-merge.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import { CancelledError, ExitCode, UserError, usageError } from '../../errors.ts';
import type { GeneratorId } from '../../generators/ids.ts';
import { applyInsertion, type Insertion } from '../../generators/markers.ts';
import type { GeneratorInput } from '../../generators/generator.ts';
import { GENERATORS } from '../../generators/registry.ts';
import { Reporter, type CliIO } from '../../io.ts';
import { MANIFEST_FILE, recordGenerated, serializeManifest } from '../../manifest/manifest.ts';
import type { FileDecision } from '../../merge/merge-project.ts';
import { unifiedDiff } from '../../merge/unified-diff.ts';
import type { GenerateFlags } from '../../options.ts';
import { PACKAGE_NAME } from '../../paths.ts';
import { journalOwner, withOpenProject, type ProjectSession } from '../../project/open-project.ts';
import { projectLabel } from '../../steps/next-steps.ts';

export interface GenerateReport {
  readonly ok: boolean;
  readonly command: 'generate';
  readonly generator: GeneratorId;
  readonly name: string;
  readonly dryRun: boolean;
  readonly directory: string;
  /** Every file written (or, with --dry-run, that would be). */
  readonly files: readonly { readonly path: string; readonly action: 'created' | 'modified'; readonly bytes: number }[];
  /** --dry-run: the unified diff of the template files that change. */
  readonly diff?: string;
  /** What to run next. */
  readonly next: readonly string[];
}

function readText(root: string, relative: string): string | undefined {
  try {
    return readFileSync(path.join(root, ...relative.split('/')), 'utf8');
  } catch {
    return undefined;
  }
}

/** `text` with every insertion applied, in order, or the problems. */
function insertAll(texts: ReadonlyMap<string, string>, insertions: readonly Insertion[]): { files: Map<string, string>; problems: string[] } {
  const files = new Map(texts);
  const problems: string[] = [];
  for (const insertion of insertions) {
    const current = files.get(insertion.path);
    if (current === undefined) {
      problems.push(`${insertion.path} is missing`);
      continue;
    }
    const result = applyInsertion(current, insertion);
    if (result.ok) files.set(insertion.path, result.content);
    else problems.push(result.error);
  }
  return { files, problems };
}

/**
 * `generate <kind>`: plan the files and insertions, apply the insertions to
 * the project's text and to the manifest's pristine copy, then write the result into the
 * project through the update journal with the manifest last, so Ctrl-C or an
 * error leaves the project exactly as it was. --dry-run prints instead.
 */
export async function runGenerate(io: CliIO, flags: GenerateFlags, catalog: Catalog): Promise<GenerateReport> {
  const reporter = new Reporter(io, flags.json);
  const command = ['generate', flags.kind, ...(flags.name !== undefined ? [flags.name] : [])].join(' ');
  const access = flags.dryRun ? ('dry-run' as const) : ('write' as const);
  return withOpenProject({ io, catalog, reporter, dir: flags.dir, command, access }, async (project) => {
    const report = await generateInto({ io, flags, catalog, project });
    printGenerateReport(reporter, report, io.cwd);
    return report;
  });
}

interface GenerateIntoOptions {
  readonly io: CliIO;
  readonly flags: GenerateFlags;
  readonly catalog: Catalog;
  readonly project: ProjectSession;
}

/** Plans, checks and (without --dry-run) writes one generator run into the open project. */
async function generateInto({ io, flags, catalog, project }: GenerateIntoOptions): Promise<GenerateReport> {
  const generator = GENERATORS[flags.kind];
  const features = catalog.featuresFor(project.answers.milestones, project.answers.extraFeatures);
  const { feature, why, hint } = generator.requires;
  // Each generator writes code for some frameworks (a FastAPI router, a Flask blueprint...).
  const framework = frameworkOf(project.answers.options);
  if (!generator.frameworks.includes(framework)) {
    throw usageError(`generate ${generator.id} does not write ${framework} code yet; nothing was written.`, [
      `This project was created with --framework ${framework}; generate ${generator.id} works in --framework ${generator.frameworks.join(' or ')} projects.`,
    ]);
  }
  if (!features.some((candidate) => candidate.id === feature)) {
    throw usageError(`generate ${generator.id} needs a project with the ${feature} feature (${why}).`, [
      `This project has: ${features.map((candidate) => candidate.id).join(', ')}.`,
      hint,
    ]);
  }
  const input: GeneratorInput = { io, catalog, project, features, flags, interactive: io.stdinIsTTY && !flags.yes && !flags.json };
  const plan = generator.plan(input, await generator.ask(input));

  // The insertions, applied once to the project's text: a missing marker is
  // the project's problem (exit 2), found before anything is written.
  const touched = [...new Set(plan.insertions.map((insertion) => insertion.path))];
  const current = new Map<string, string>();
  for (const relative of touched) {
    const text = readText(project.root, relative);
    if (text !== undefined) current.set(relative, text);
  }
  const expected = insertAll(current, plan.insertions);
  if (expected.problems.length > 0) {
    throw usageError(`Cannot register ${plan.name} in the project's files; nothing was written.`, [
      ...expected.problems,
      'The generator inserts lines at marker comments the templates placed; put the marker line back (see `update --dry-run` for the template version) and run again.',
    ]);
  }
  const pristine = new Map<string, string>();
  for (const relative of touched) {
    const base = project.base.get(relative);
    if (base) pristine.set(relative, base.content.toString('utf8'));
  }
  const pristineAfter = insertAll(pristine, plan.insertions);
  if (pristineAfter.problems.length > 0 || pristine.size !== touched.length) {
    throw new UserError(`The manifest's copy of ${touched.join(', ')} has no generator markers.`, ExitCode.failed, [
      ...pristineAfter.problems,
      `Run \`${PACKAGE_NAME} update\` first, so the manifest matches this version of the templates.`,
    ]);
  }

  const existing = plan.files.filter((file) => readText(project.root, file.path) !== undefined).map((file) => file.path);
  if (existing.length > 0) throw usageError('These files already exist; nothing was written.', existing);
  const manifest = recordGenerated(project.manifest, {
    record: plan.record,
    created: plan.files.map((file) => ({ path: file.path, content: Buffer.from(file.content, 'utf8') })),
    modified: touched.map((relative) => ({ path: relative, pristine: Buffer.from(pristineAfter.files.get(relative)!, 'utf8') })),
  });
  const decisions: FileDecision[] = [
    ...plan.files.map((file): FileDecision => ({ path: file.path, outcome: 'created', content: Buffer.from(file.content, 'utf8') })),
    ...touched.map(
      (relative): FileDecision => ({
        path: relative,
        outcome: 'updated',
        content: Buffer.from(expected.files.get(relative)!, 'utf8'),
        previous: Buffer.from(current.get(relative)!, 'utf8'),
      }),
    ),
  ];
  const report: GenerateReport = {
    ok: true,
    command: 'generate',
    generator: flags.kind,
    name: plan.name,
    dryRun: flags.dryRun,
    directory: project.root,
    files: decisions.map((decision) => ({
      path: decision.path,
      action: decision.outcome === 'created' ? 'created' : 'modified',
      bytes: decision.content!.length,
    })),
    ...(flags.dryRun ? { diff: decisions.filter((decision) => decision.outcome === 'updated').map(unifiedDiff).join('') } : {}),
    next: plan.next,
  };
  if (!flags.dryRun) {
    if (io.signal.aborted) throw new CancelledError();
    const transaction = await applyDecisions({
      root: project.root,
      decisions,
      manifest: serializeManifest(manifest),
      owner: journalOwner(project),
      signal: io.signal,
    });
    transaction.commit();
  }
  return report;
}

function printGenerateReport(reporter: Reporter, report: GenerateReport, cwd: string): void {
  const where = projectLabel(cwd, report.directory);
  if (report.dryRun) {
    if (report.diff) reporter.line(report.diff.trimEnd());
    reporter.line();
    reporter.line(`Dry run: nothing was written. generate ${report.generator} ${report.name} would change ${where}:`);
  } else {
    reporter.success(`Generated ${report.generator} ${reporter.style('bold', report.name)} in ${where}:`);
  }
  for (const file of report.files) {
    const mark = file.action === 'created' ? reporter.style('green', '+') : reporter.style('yellow', '~');
    reporter.line(`  ${mark} ${file.path} ${reporter.style('dim', file.action === 'created' ? `(${file.bytes} B)` : '(lines inserted at the generator markers)')}`);
  }
  reporter.line(`  ${reporter.style('yellow', '~')} ${MANIFEST_FILE} ${reporter.style('dim', '(records what was generated)')}`);
  if (report.dryRun) return;
  reporter.line();
  reporter.line('Next steps:');
  for (const step of report.next) reporter.line(`  ${step}`);
}
