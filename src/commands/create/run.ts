import { loadCatalog, type Catalog } from '../../catalog/catalog.ts';
import { writeSecretOnce } from '../../apply/development-secret.ts';
import { writeNewProject } from '../../apply/write-new-project.ts';
import { initGitRepository, installDependencies, type StepResult, type StepRunner } from '../../apply/post-steps.ts';
import { Transaction } from '../../apply/transaction.ts';
import { BackError, CancelledError, isCancelled } from '../../errors.ts';
import { Reporter, type CliIO, type Prompter, type Question } from '../../io.ts';
import type { CreateFlags } from '../../options.ts';
import { generatorVersion } from '../../paths.ts';
import { mergeAnswers, readAnswersFile } from '../../steps/answers-file.ts';
import type { StepContext } from '../../steps/context.ts';
import { chooseGit } from '../../steps/git.ts';
import { chooseInstall } from '../../steps/install.ts';
import { chooseMilestones } from '../../steps/milestones.ts';
import { createNextSteps, interruptedAfterWrite } from '../../steps/next-steps.ts';
import { chooseOptions } from '../../steps/options.ts';
import { chooseProjectName } from '../../steps/project-name.ts';
import { remoteOf } from '../../steps/repository.ts';
import { planFromAnswers } from '../../plan/plan-from-answers.ts';
import { printCreateReport, type CreateReport } from './report.ts';


/** The question as asked again after Escape: the answer given before is where the cursor starts. */
function withPreviousAnswer(question: Question, previous: unknown): Question {
  if (question.type === 'select') {
    const index = question.choices?.findIndex((choice) => choice.value === previous) ?? -1;
    return index < 0 ? question : { ...question, initial: index };
  }
  if (question.type === 'multiselect' && question.choices) {
    const ticked: unknown[] = Array.isArray(previous) ? previous : [];
    return { ...question, choices: question.choices.map((choice) => ({ ...choice, selected: ticked.includes(choice.value) })) };
  }
  if (question.type === 'text' && typeof previous === 'string') return { ...question, initial: previous };
  if (question.type === 'confirm' && typeof previous === 'boolean') return { ...question, initial: previous };
  return question;
}

/**
 * Runs the questions so that Escape goes back one question: the answers so far
 * are recorded, and on Escape the steps run again from the start, replaying
 * every answer but the last, whose question is asked again (its answer as the
 * starting point). The steps decide what to ask from the answers alone, so the
 * replay reaches the same question, whatever the flags skipped. Escape at the
 * first question asks it again.
 */
async function withGoBack<T>(ctx: StepContext<CreateFlags>, steps: (ctx: StepContext<CreateFlags>) => Promise<T>): Promise<T> {
  if (!ctx.interactive) return steps(ctx);
  const given: unknown[] = [];
  let previous: { answer: unknown } | undefined;
  for (;;) {
    let index = 0;
    const prompt: Prompter = async (question) => {
      if (index < given.length) return given[index++];
      const asked = previous ? withPreviousAnswer(question, previous.answer) : question;
      previous = undefined;
      const answer = await ctx.io.prompt(asked);
      given.push(answer);
      index += 1;
      return answer;
    };
    try {
      return await steps({ ...ctx, io: { ...ctx.io, prompt } });
    } catch (error) {
      if (!(error instanceof BackError)) throw error;
      previous = given.length > 0 ? { answer: given.pop() } : undefined;
    }
  }
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
  const ctx: StepContext<CreateFlags> = {
    io,
    catalog,
    flags,
    interactive: io.stdinIsTTY && !flags.yes && !flags.json,
    reporter,
  };

  if (ctx.interactive) reporter.line(reporter.style('dim', 'Esc goes back one question; Ctrl-C cancels.'));
  const { location, milestones, options, git, install } = await withGoBack(ctx, async (asking) => {
    const location = await chooseProjectName(asking);
    const there = { ...asking, gitRemote: remoteOf(location.directory) };
    const milestones = await chooseMilestones(there);
    const options = await chooseOptions(there, milestones);
    const git = await chooseGit(there);
    const install = await chooseInstall(there);
    return { location, milestones, options, git, install };
  });

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
    force: location.force,
    signal: io.signal,
  });
  // Every file is in place: the project is complete, and it is kept from here on
  // whatever becomes of the post-steps. Ctrl-C during one of them removes only what
  // that step had made (a half-built .venv, a .git) and says what to run instead.
  written.commit();
  writeSecretOnce(location.directory, plan.context.secretKey, files, reporter);
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
    gitRemote: remoteOf(location.directory),
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

