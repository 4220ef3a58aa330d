import type { Catalog } from '../../catalog/catalog.ts';
import { usageError } from '../../errors.ts';
import { Reporter, type CliIO } from '../../io.ts';
import type { AddFlags } from '../../options.ts';
import { generatorVersion } from '../../paths.ts';
import { withOpenProject } from '../../project/open-project.ts';
import type { ProjectAnswers } from '../../render/context.ts';
import { chooseAddTargets } from '../../steps/add-targets.ts';
import type { StepContext } from '../../steps/context.ts';
import { chooseOptions } from '../../steps/options.ts';
import { remoteOf } from '../../steps/repository.ts';
import { openOptions, renderAndMerge } from '../update/merge.ts';
import { printUpdateReport, type UpdateReport } from '../update/report.ts';

/**
 * `add` (README, "Growing a project"): the named milestones and features, and the options
 * they bring (flag → --yes default → question, validated like `create`), join
 * the recorded answers; then the project is re-rendered and merged like `update`.
 */
export async function runAdd(io: CliIO, flags: AddFlags, catalog: Catalog): Promise<UpdateReport> {
  const reporter = new Reporter(io, flags.json);
  return withOpenProject(openOptions({ io, catalog, reporter, command: ['add', ...flags.targets].join(' ') }, flags), async (project) => {
    const ctx: StepContext<AddFlags> = {
      io,
      catalog,
      flags,
      interactive: io.stdinIsTTY && !flags.yes && !flags.json,
      reporter,
      gitRemote: remoteOf(project.root),
    };
    const targets = await chooseAddTargets(ctx, flags.targets, project.answers);
    const options = await chooseOptions(ctx, targets.milestones, project.answers.options);
    const added = {
      milestones: targets.milestones.map((milestone) => milestone.id),
      features: targets.features,
      alreadyThere: targets.alreadyThere,
    };
    if (added.milestones.length === 0 && added.features.length === 0) {
      const report: UpdateReport = {
        ok: true,
        command: 'add',
        dryRun: flags.dryRun,
        directory: project.root,
        generator: { from: project.manifest.generator.version, to: generatorVersion() },
        milestones: project.answers.milestones,
        features: catalog.featuresFor(project.answers.milestones, project.answers.extraFeatures).map((feature) => feature.id),
        added,
        files: [],
        conflicts: [],
        upToDate: true,
        recovered: project.recovered,
        nextSteps: [],
      };
      printUpdateReport(reporter, report, io.cwd);
      return report;
    }
    const answers: ProjectAnswers = {
      name: project.answers.name,
      milestones: [...project.answers.milestones, ...added.milestones],
      extraFeatures: [...(project.answers.extraFeatures ?? []), ...added.features],
      options: { ...project.answers.options, ...options },
    };
    const present = new Set(catalog.featuresFor(project.answers.milestones, project.answers.extraFeatures).map((feature) => feature.id));
    for (const feature of catalog.featuresFor(answers.milestones, answers.extraFeatures)) {
      const refusal = present.has(feature.id) ? undefined : feature.addRefusal?.(answers.options);
      if (refusal !== undefined) {
        throw usageError(`add cannot bring ${feature.id} into this project: ${refusal}.`, [
          'Create a new project with it instead (create --milestone ...), and move your code over.',
        ]);
      }
    }
    const note = ` (adding ${[...added.milestones, ...added.features].join(', ')})`;
    const report = await renderAndMerge({ io, catalog, project, answers, dryRun: flags.dryRun, json: flags.json, command: 'add', note, added });
    printUpdateReport(reporter, report, io.cwd);
    return report;
  });
}
