import { Catalog } from './catalog/catalog.ts';
import type { OptionValues } from './catalog/features/index.ts';
import { loadRoadmap } from './catalog/roadmap.ts';
import { inspectTarget, writeNewProject, type WriteReport } from './apply/write-new-project.ts';
import { initGitRepository, installDependencies, type StepResult, type StepRunner } from './apply/post-steps.ts';
import { Transaction } from './apply/transaction.ts';
import { CancelledError, isCancelled, usageError } from './errors.ts';
import { Reporter, type CliIO } from './io.ts';
import type { CreateFlags } from './options.ts';
import { generatorVersion } from './paths.ts';
import type { ProjectNames } from './render/project-names.ts';
import { mergeAnswers, readAnswersFile } from './steps/answers-file.ts';
import type { StepContext } from './steps/context.ts';
import { chooseGit } from './steps/git.ts';
import { chooseInstall } from './steps/install.ts';
import { chooseMilestones } from './steps/milestones.ts';
import { createNextSteps, interruptedAfterWrite, printCreateReport, type NextStepLine } from './steps/next-steps.ts';
import { chooseOptions } from './steps/options.ts';
import { chooseProjectName } from './steps/project-name.ts';
import { planFromAnswers } from './steps/write-project.ts';

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

export function loadCatalog(): Catalog {
  return new Catalog(loadRoadmap());
}

function spinnerRunner(io: CliIO, reporter: Reporter): StepRunner {
  return {
    async spin(label, work) {
      if (reporter.quiet) return work();
      if (!io.stderr.isTTY) {
        reporter.line(`… ${label}`);
        return work();
      }
      const { default: yoctoSpinner } = await import('yocto-spinner');
      // handleSignals: false: the spinner's own SIGINT handler would exit the process on
      // the spot, before the step's cleanup and report (cli.ts owns signals).
      const spinner = yoctoSpinner({ text: label, stream: io.stderr as NodeJS.WriteStream, handleSignals: false }).start();
      try {
        return await work();
      } finally {
        spinner.stop();
      }
    },
  };
}

/**
 * `create`: the step list (after create-astro). Each step decides its
 * answer from flag → --yes default → prompt; the only side effects are the
 * write and the post-steps at the end, so --dry-run simply stops before them.
 */
export async function runCreate(io: CliIO, rawFlags: CreateFlags, catalog = loadCatalog()): Promise<CreateReport> {
  const flags = rawFlags.answersFile ? mergeAnswers(rawFlags, readAnswersFile(rawFlags.answersFile, io.cwd)) : rawFlags;
  const reporter = new Reporter(io, flags.json);
  const ctx: StepContext = {
    io,
    catalog,
    flags,
    interactive: io.stdinIsTTY && !flags.yes && !flags.json,
    reporter,
  };

  const location = await chooseProjectName(ctx);
  const state = inspectTarget(location.directory);
  if (state === 'not-a-directory') throw usageError(`${location.directory} exists and is not a directory.`);
  if (state === 'non-empty' && !flags.force && !flags.dryRun) {
    throw usageError(`${location.directory} is not empty.`, [
      'Choose another directory, or pass --force to generate into it (existing files are kept; any replaced file is saved as <name>.orig).',
    ]);
  }
  const milestones = await chooseMilestones(ctx);
  const options = await chooseOptions(ctx, milestones);
  const git = await chooseGit(ctx);
  const install = await chooseInstall(ctx);

  const answers = { name: location.name, milestones: milestones.map((milestone) => milestone.id), options };
  const { plan, files } = planFromAnswers(catalog, answers);
  const base = {
    command: 'create' as const,
    directory: location.directory,
    project: plan.names,
    milestones: answers.milestones,
    features: plan.features.map((feature) => feature.id),
    options,
    files: files.map((file) => ({ path: file.path, bytes: file.content.length })),
  };
  if (flags.dryRun) {
    const steps: StepResult[] = [
      { step: 'install', status: install ? 'planned' : 'skipped', detail: install ? 'uv sync' : 'not requested' },
      { step: 'git', status: git ? 'planned' : 'skipped', detail: git ? 'git init and a first commit' : 'not requested' },
    ];
    const report: CreateReport = { ...base, ok: true, dryRun: true, steps, nextSteps: [] };
    printCreateReport(reporter, report, io.cwd);
    return report;
  }

  if (io.signal.aborted) throw new CancelledError();
  const { transaction: written, report: write } = await writeNewProject(location.directory, files, {
    force: flags.force,
    signal: io.signal,
  });
  // Every file is in place: the project is complete, and it is kept from here on
  // whatever becomes of the post-steps. Ctrl-C during one of them removes only what
  // that step had made (a half-built .venv, a .git) and says what to run instead.
  written.commit();
  const post = new Transaction();
  const steps: StepResult[] = [];
  let running: 'install' | 'git' = 'install';
  try {
    if (io.signal.aborted) throw new CancelledError();
    const runner = spinnerRunner(io, reporter);
    steps.push(
      install
        ? await installDependencies(location.directory, runner, post, io.signal)
        : { step: 'install', status: 'skipped', detail: 'not requested', manualCommand: 'uv sync' },
    );
    if (io.signal.aborted) throw new CancelledError();
    running = 'git';
    steps.push(
      git
        ? await initGitRepository(
            location.directory,
            `Initial commit from create-python-roadmap-project ${generatorVersion()}`,
            post,
            io.signal,
          )
        : { step: 'git', status: 'skipped', detail: 'not requested' },
    );
    if (io.signal.aborted) throw new CancelledError();
  } catch (error) {
    if (!isCancelled(error)) throw error;
    post.rollback();
    throw new CancelledError('Interrupted.', interruptedAfterWrite(io.cwd, location.directory, running, { install, git }, steps));
  }
  post.commit();
  const installed = steps.some((step) => step.step === 'install' && step.status === 'done');
  const nextSteps = createNextSteps(io.cwd, location.directory, installed, plan.features, {
    project: plan.names,
    options: plan.context.options,
    features: new Set(plan.features.map((feature) => feature.id)),
  });
  const report: CreateReport = {
    ...base,
    ok: steps.every((step) => step.status !== 'failed'),
    dryRun: false,
    write,
    steps,
    nextSteps,
  };
  printCreateReport(reporter, report, io.cwd);
  return report;
}

export { runList } from './steps/list.ts';
