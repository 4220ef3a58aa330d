import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyDecisions } from './apply/apply-merge.ts';
import type { Catalog } from './catalog/catalog.ts';
import { getFeature, type Feature, type FeatureId } from './catalog/features/index.ts';
import { loadTemplateTree } from './catalog/templates.ts';
import { CancelledError, ExitCode, UserError, usageError } from './errors.ts';
import { applyInsertion, type Insertion } from './generators/markers.ts';
import { runPlop } from './generators/plop-runner.ts';
import { canConflict } from './generators/resource-context.ts';
import { RESOURCE_TEMPLATES, planResource } from './generators/resource-plan.ts';
import { TASK_TEMPLATES, planTask } from './generators/task-plan.ts';
import { Reporter, type CliIO } from './io.ts';
import { MANIFEST_FILE, recordGenerated, serializeManifest, type GeneratedRecord } from './manifest/manifest.ts';
import type { FileDecision } from './merge/merge-project.ts';
import { unifiedDiff } from './merge/unified-diff.ts';
import type { GenerateFlags } from './options.ts';
import { PACKAGE_NAME, generatorVersion } from './paths.ts';
import { buildProjectNames } from './render/project-names.ts';
import { journalOwner, withOpenProject, type ProjectSession } from './project/open-project.ts';
import type { LocatedProject } from './steps/locate-project.ts';
import { projectLabel } from './steps/next-steps.ts';
import { chooseResourceAnswers, newRevisionId, validateResource } from './steps/resource-answers.ts';
import { chooseTaskAnswers, validateTask } from './steps/task-answers.ts';

export interface GenerateReport {
  readonly ok: boolean;
  readonly command: 'generate';
  readonly generator: 'resource' | 'task';
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

/** What a generator plans, whatever it generates: new files, marker insertions, the manifest record. */
interface GeneratorPlan {
  readonly name: string;
  readonly files: readonly { readonly path: string; readonly content: string }[];
  readonly insertions: readonly Insertion[];
  readonly record: GeneratedRecord;
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
 * A generated resource imports the list helpers (`listing`) and, when a write
 * can break a unique or foreign-key rule, `commit_or_conflict`
 * (`transactions`). A project whose milestones serve no lists has neither, and
 * `add` brings them the way it brings any feature: rendered, merged, recorded.
 */
function requireBuildingBlocks(features: readonly Feature[], needed: readonly FeatureId[]): void {
  const missing = needed.filter((id) => !features.some((feature) => feature.id === id));
  if (missing.length === 0) return;
  throw usageError(`generate resource builds on the ${missing.join(' and ')} feature${missing.length > 1 ? 's' : ''}, which this project does not have yet.`, [
    ...missing.map((id) => `${id}: ${getFeature(id).title}.`),
    `Add ${missing.length > 1 ? 'them' : 'it'} first (a merge like any add: your edits are kept), then run generate again:`,
    `  ${PACKAGE_NAME} add ${missing.join(' ')}`,
  ]);
}

async function planResourceRun(io: CliIO, flags: GenerateFlags, catalog: Catalog, project: LocatedProject, interactive: boolean): Promise<GeneratorPlan> {
  const features = catalog.featuresFor(project.answers.milestones, project.answers.extraFeatures);
  if (!features.some((feature) => feature.id === 'db')) {
    throw usageError('generate resource needs a project with the db feature (SQLAlchemy models and Alembic migrations).', [
      `This project has: ${features.map((feature) => feature.id).join(', ')}.`,
      `Add a milestone that brings it first, e.g. \`${PACKAGE_NAME} add crud-db\`.`,
    ]);
  }
  // Before any question: a terminal user should not answer them all to be told no.
  if (interactive) requireBuildingBlocks(features, ['listing']);
  const answers = await chooseResourceAnswers(io, interactive, flags);
  const packageName = buildProjectNames(project.answers.name).packageName;
  const validated = validateResource({
    root: project.root,
    packageName,
    features,
    generated: project.manifest.generated ?? [],
    name: answers.name,
    fields: answers.fields,
    ...(flags.plural !== undefined ? { plural: flags.plural } : {}),
  });
  requireBuildingBlocks(features, canConflict(validated.spec) ? ['listing', 'transactions'] : ['listing']);
  const templates = loadTemplateTree([RESOURCE_TEMPLATES]).get(RESOURCE_TEMPLATES) ?? [];
  const plan = planResource({
    packageName,
    spec: validated.spec,
    targets: validated.targets,
    migration: { revision: newRevisionId(), downRevisions: validated.inventory.migrationHeads, createdAt: new Date() },
    ...(flags.plural !== undefined ? { pluralOverride: flags.plural } : {}),
    generatorVersion: generatorVersion(),
    templates,
    commandName: PACKAGE_NAME,
  });
  const { names } = validated.spec;
  return {
    name: names.className,
    files: plan.files,
    insertions: plan.insertions,
    record: plan.record,
    next: [
      `make check      # the new tests in tests/${names.plural}/ run with the others`,
      `make run        # creates the ${names.plural} table (pending migrations, in development), then try GET /api/v1${names.route}`,
    ],
  };
}

async function planTaskRun(io: CliIO, flags: GenerateFlags, catalog: Catalog, project: LocatedProject, interactive: boolean): Promise<GeneratorPlan> {
  const features = catalog.featuresFor(project.answers.milestones, project.answers.extraFeatures);
  if (!features.some((feature) => feature.id === 'jobs')) {
    throw usageError('generate task needs a project with the jobs feature (Celery workers and the job ledger).', [
      `This project has: ${features.map((feature) => feature.id).join(', ')}.`,
      `Add the milestone that brings it first: \`${PACKAGE_NAME} add background-jobs\`.`,
    ]);
  }
  const answers = await chooseTaskAnswers(io, interactive, flags);
  const packageName = buildProjectNames(project.answers.name).packageName;
  const names = validateTask({ root: project.root, packageName, name: answers.name, trigger: answers.trigger });
  const plan = planTask({
    packageName,
    names,
    trigger: answers.trigger,
    generatorVersion: generatorVersion(),
    templates: loadTemplateTree([TASK_TEMPLATES]).get(TASK_TEMPLATES) ?? [],
    commandName: PACKAGE_NAME,
  });
  return {
    name: names.task,
    files: plan.files,
    insertions: plan.insertions,
    record: plan.record,
    next: [
      `make worker     # a worker that runs ${names.kind} (restart a running one: it imports tasks at start)`,
      `make check      # the new tests in tests/jobs/test_${names.task}_task.py run with the others`,
      ...(answers.trigger ? [`make run        # then POST /api/v1${names.route} and poll the Location it answers`] : []),
    ],
  };
}

/**
 * `generate <kind>`: plan the files and insertions, run them as
 * node-plop actions in a staging folder, then write the result into the
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
  const interactive = io.stdinIsTTY && !flags.yes && !flags.json;
  const plan =
    flags.kind === 'task'
      ? await planTaskRun(io, flags, catalog, project, interactive)
      : await planResourceRun(io, flags, catalog, project, interactive);

  // The insertions, computed without plop first: a missing marker is the
  // project's problem (exit 2), found before anything runs.
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

  const result = await runPlop(flags.kind, `generate ${flags.kind} ${plan.name}`, { files: plan.files, insertions: plan.insertions, current });
  if (result.failures.length > 0) {
    throw new UserError(`node-plop could not run the ${flags.kind} generator; nothing was written.`, ExitCode.failed, [
      ...result.failures.map((failure) => `${failure.type} ${failure.path}: ${failure.error}`),
    ]);
  }
  // Plop wrote what was planned, byte for byte; otherwise the manifest would
  // record content the project does not have.
  const mismatched = [
    ...plan.files.filter((file) => result.output.get(file.path) !== file.content).map((file) => file.path),
    ...touched.filter((relative) => result.output.get(relative) !== expected.files.get(relative)),
  ];
  if (mismatched.length > 0) {
    throw new UserError('node-plop produced other content than planned; nothing was written. This is a bug.', ExitCode.failed, mismatched);
  }

  const existing = plan.files.filter((file) => readText(project.root, file.path) !== undefined).map((file) => file.path);
  if (existing.length > 0) throw usageError('These files already exist; nothing was written.', existing);
  const manifest = recordGenerated(project.manifest, {
    record: plan.record,
    created: plan.files.map((file) => ({ path: file.path, content: Buffer.from(file.content, 'utf8') })),
    modified: touched.map((relative) => ({ path: relative, pristine: Buffer.from(pristineAfter.files.get(relative)!, 'utf8') })),
  });
  const decisions: FileDecision[] = [
    ...plan.files.map((file): FileDecision => ({ path: file.path, outcome: 'created', content: Buffer.from(result.output.get(file.path)!, 'utf8') })),
    ...touched.map(
      (relative): FileDecision => ({
        path: relative,
        outcome: 'updated',
        content: Buffer.from(result.output.get(relative)!, 'utf8'),
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
