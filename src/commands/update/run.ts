import type { Catalog } from '../../catalog/catalog.ts';
import { Reporter, type CliIO } from '../../io.ts';
import { MANIFEST_FILE } from '../../manifest/manifest.ts';
import type { UpdateFlags } from '../../options.ts';
import { generatorVersion } from '../../paths.ts';
import { withOpenProject } from '../../project/open-project.ts';
import type { ProjectAnswers } from '../../render/context.ts';
import { answersFromSources } from '../../steps/options.ts';
import { remoteOf } from '../../steps/repository.ts';
import { openOptions, renderAndMerge } from './merge.ts';
import { printUpdateReport, type UpdateReport } from './report.ts';

/** `update` (README, "Growing a project"): the recorded answers, re-rendered by this version, merged into the project. */
export async function runUpdate(io: CliIO, flags: UpdateFlags, catalog: Catalog): Promise<UpdateReport> {
  const reporter = new Reporter(io, flags.json);
  return withOpenProject(openOptions({ io, catalog, reporter, command: 'update' }, flags), async (project) => {
    const from = project.manifest.generator.version;
    const note = from === generatorVersion() ? '' : ` (updating from ${from})`;
    // An answer the project never had a source for (the repository, before a git remote
    // existed) is recorded as soon as one appears.
    const found = answersFromSources(
      {
        io,
        catalog,
        flags,
        interactive: false,
        reporter,
        gitRemote: remoteOf(project.root),
      },
      project.answers.milestones,
      project.answers.options,
    );
    for (const [id, value] of Object.entries(found)) reporter.line(`--${id} ${value}: from the git remote origin, now recorded in ${MANIFEST_FILE}.`);
    const answers: ProjectAnswers = { ...project.answers, options: { ...project.answers.options, ...found } };
    const report = await renderAndMerge({ io, catalog, project, answers, dryRun: flags.dryRun, json: flags.json, command: 'update', note });
    printUpdateReport(reporter, report, io.cwd);
    return report;
  });
}
