import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../../catalog/catalog.ts';
import { evidenceApplies, type Milestone } from '../../catalog/roadmap.ts';
import { Reporter, type CliIO } from '../../io.ts';
import { findProjectRoot, readManifest } from '../../manifest/read-manifest.ts';
import type { ListFlags } from '../../options.ts';
import { resolveProjectPath } from '../../project/project-paths.ts';
import { PROGRESS_STATE } from '../progress/state.ts';

export interface ListReport {
  readonly command: 'list';
  readonly title: string;
  readonly phases: Catalog['phases'];
  readonly options: Catalog['options'];
  readonly milestones: readonly (Milestone & { readonly available: boolean; readonly covered?: boolean })[];
  readonly project?: {
    readonly directory: string;
    readonly milestones: readonly string[];
    readonly features: readonly string[];
    readonly covered: readonly string[];
    /** The challenges of the covered milestones, as the last `progress` run found them. */
    readonly challenges: readonly { readonly id: string; readonly milestone: string; readonly title: string; readonly state: string }[];
  };
}

/** `list`: the roadmap, its milestones, and inside a project which milestones it already covers. */
export function runList(io: CliIO, flags: ListFlags, catalog: Catalog): ListReport {
  const root = findProjectRoot(path.resolve(io.cwd, flags.dir ?? '.'));
  const manifest = root ? readManifest(root) : undefined;
  const covered = manifest ? catalog.milestonesCoveredBy(new Set(manifest.features)).map((m) => m.id) : [];
  const report: ListReport = {
    command: 'list',
    title: catalog.roadmap.title,
    phases: catalog.phases,
    options: catalog.options,
    milestones: catalog.milestones.map((milestone) => ({
      ...milestone,
      available: catalog.isAvailable(milestone),
      ...(manifest ? { covered: covered.includes(milestone.id) } : {}),
    })),
    ...(root && manifest
      ? {
          project: {
            directory: root,
            milestones: manifest.answers.milestones,
            features: manifest.features,
            covered,
            challenges: challengeStates(catalog, root, covered, catalog.optionValuesOf(manifest.answers.options)),
          },
        }
      : {}),
  };
  if (!flags.json) printList(new Reporter(io, false), catalog, report);
  return report;
}

/**
 * The challenges the project ships (the covered milestones', for its options), with
 * the state the last `progress` run recorded (untrusted, checked).
 */
function challengeStates(
  catalog: Catalog,
  root: string,
  covered: readonly string[],
  options: Readonly<Record<string, string>>,
): { id: string; milestone: string; title: string; state: string }[] {
  let recorded: Record<string, unknown> = {};
  try {
    const document: unknown = JSON.parse(readFileSync(resolveProjectPath(root, PROGRESS_STATE, { kind: 'plan' }), 'utf8'));
    const challenges = (document as { challenges?: unknown } | null)?.challenges;
    if (typeof challenges === 'object' && challenges !== null) recorded = challenges as Record<string, unknown>;
  } catch {
    // No progress run yet, or an unreadable record: every challenge shows as not run.
  }
  const known = new Set(['done', 'started', 'todo']);
  return covered.flatMap((milestone) =>
    (catalog.milestone(milestone)?.challenges ?? []).filter((challenge) => evidenceApplies(challenge, options)).map((challenge) => {
      const state = recorded[challenge.id];
      return { id: challenge.id, milestone, title: challenge.title, state: typeof state === 'string' && known.has(state) ? state : 'not-run' };
    }),
  );
}

function printList(reporter: Reporter, catalog: Catalog, report: ListReport): void {
  const { style } = { style: reporter.style.bind(reporter) };
  reporter.line(style('bold', `${report.title}: ${catalog.phases.length} phases, ${catalog.milestones.length} milestones`));
  for (const phase of catalog.phases) {
    reporter.line();
    reporter.line(style('bold', `Phase ${phase.number} · ${phase.title}`) + style('dim', ` [${phase.id}]`));
    reporter.line(`  Goal: ${phase.goal}`);
    for (const topic of phase.topics) {
      // A topic is covered when an available milestone claims it (with evidence: roadmap.json).
      const by = catalog.milestones.filter((milestone) => catalog.isAvailable(milestone) && milestone.topics.some((claim) => claim.id === topic.id));
      const covered = by.length > 0 ? style('dim', ` covered by ${by.map((milestone) => milestone.id).join(', ')}`) : '';
      reporter.line(`  - ${topic.title} ${style('dim', `[${topic.id}]`)}${covered}`);
    }
    reporter.line(`  Outcome: ${phase.outcome}`);
    const milestones = catalog.milestonesForPhase(phase.id).map((milestone) => milestone.id);
    if (milestones.length > 0) reporter.line(`  Milestones: ${milestones.join(', ')}`);
  }
  reporter.line();
  reporter.line(style('bold', 'Milestones') + style('dim', ' (create with --milestone ID)'));
  const width = Math.max(...catalog.milestones.map((milestone) => milestone.id.length));
  for (const milestone of report.milestones) {
    const mark = milestone.covered ? style('green', '✔') : ' ';
    const status = milestone.available ? '' : style('dim', ' (coming soon)');
    reporter.line(`${mark} ${milestone.id.padEnd(width)}  ${milestone.title}${status}`);
    const phases = milestone.phases.map((id) => catalog.phase(id)?.number ?? id).join(', ');
    reporter.line(`  ${' '.repeat(width)}  phases ${phases}; features ${milestone.features.join(', ')}`);
    for (const option of catalog.optionsFor([milestone.id])) {
      if (option.text) {
        reporter.line(`  ${' '.repeat(width)}  --${option.id} ${option.text.placeholder}${option.text.default === 'git-remote' ? ' (default: the git remote origin)' : ''}`);
        continue;
      }
      const choices = option.choices.map((choice) => (choice.value === option.default ? `${choice.value} (default)` : choice.value));
      reporter.line(`  ${' '.repeat(width)}  --${option.id} ${choices.join(' | ')}`);
    }
  }
  if (report.project) {
    reporter.line();
    reporter.line(
      `This project (${report.project.directory}) covers: ${report.project.covered.length > 0 ? report.project.covered.join(', ') : 'no milestone yet'}`,
    );
    const challenges = report.project.challenges;
    if (challenges.length > 0) {
      const done = challenges.filter((challenge) => challenge.state === 'done').length;
      reporter.line(`Challenges: ${done} of ${challenges.length} done ${style('dim', '(as the last `progress` run found them)')}`);
      const idWidth = Math.max(...challenges.map((challenge) => challenge.id.length));
      for (const challenge of challenges) {
        const mark = challenge.state === 'done' ? style('green', '✔') : challenge.state === 'not-run' ? '?' : '·';
        reporter.line(`  ${mark} ${challenge.id.padEnd(idWidth)}  ${challenge.title}`);
      }
    }
  }
}
