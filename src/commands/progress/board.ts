import type { Catalog } from '../../catalog/catalog.ts';
import { evidenceApplies, type Challenge, type ChallengeLevel } from '../../catalog/roadmap.ts';

/**
 * The progress board, computed purely from the catalog and what was found in
 * each project (the files that exist, the challenge results its own runner
 * reported). `run.ts` gathers those facts; this module decides what they mean.
 */

/** What one project's challenge runner said about one challenge (tests/challenges/conftest.py). */
export interface ChallengeResult {
  readonly done: boolean;
  readonly passed: number;
  readonly total: number;
  readonly failing: readonly string[];
}

/** The facts gathered from one project. */
export interface ProjectFacts {
  readonly name: string;
  readonly directory: string;
  readonly packageName: string;
  /** The milestones the project's features cover (catalog.milestonesCoveredBy). */
  readonly milestones: readonly string[];
  readonly options: Readonly<Record<string, string>>;
  /** Whether a project-relative path exists (already checked against the project root). */
  readonly exists: (file: string) => boolean;
  /** The runner's results by challenge id, or why there are none. */
  readonly challenges: { readonly results: Readonly<Record<string, ChallengeResult>> } | { readonly notRun: string };
}

export type ChallengeState = 'done' | 'started' | 'todo' | 'not-run';

export interface ChallengeStatus {
  readonly id: string;
  readonly title: string;
  readonly level: ChallengeLevel;
  readonly milestone: string;
  readonly topics: readonly string[];
  readonly state: ChallengeState;
  readonly passed: number;
  readonly total: number;
  /** What the failing checks promise, in the words of their docstrings. */
  readonly failing: readonly string[];
}

export interface TopicStatus {
  readonly id: string;
  readonly title: string;
  /** Files of the project that demonstrate the topic (roadmap.json evidence, present on disk). */
  readonly demonstrated: readonly { readonly file: string; readonly symbol: string }[];
  /** Done challenges that exercise the topic. */
  readonly challenges: readonly string[];
  readonly done: boolean;
}

export interface PhaseStatus {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly topics: readonly TopicStatus[];
  readonly done: number;
  readonly total: number;
}

export interface ProjectBoard {
  readonly name: string;
  readonly directory: string;
  readonly milestones: readonly string[];
  readonly challenges: readonly ChallengeStatus[];
  /** Why the challenge tests could not be run, when they could not. */
  readonly notRun?: string;
}

export interface Board {
  readonly projects: readonly ProjectBoard[];
  readonly phases: readonly PhaseStatus[];
  readonly topics: { readonly done: number; readonly total: number };
  readonly challenges: { readonly done: number; readonly total: number };
  readonly next: readonly string[];
}

const LEVEL_ORDER: Record<ChallengeLevel, number> = { 'warm-up': 0, practice: 1, stretch: 2 };

function challengeStatus(challenge: Challenge, milestone: string, facts: ProjectFacts): ChallengeStatus {
  const base = { id: challenge.id, title: challenge.title, level: challenge.level, milestone, topics: challenge.topics };
  if ('notRun' in facts.challenges) return { ...base, state: 'not-run', passed: 0, total: 0, failing: [] };
  const result = facts.challenges.results[challenge.id];
  if (!result) return { ...base, state: 'not-run', passed: 0, total: 0, failing: [] };
  const state: ChallengeState = result.done ? 'done' : result.passed > 0 ? 'started' : 'todo';
  return { ...base, state, passed: result.passed, total: result.total, failing: result.failing };
}

function projectBoard(catalog: Catalog, facts: ProjectFacts): ProjectBoard {
  const challenges = facts.milestones.flatMap((id) =>
    (catalog.milestone(id)?.challenges ?? [])
      .filter((challenge) => evidenceApplies(challenge, facts.options) && facts.exists(challengeStatement(challenge.id)))
      .map((challenge) => challengeStatus(challenge, id, facts)),
  );
  return {
    name: facts.name,
    directory: facts.directory,
    milestones: facts.milestones,
    challenges,
    ...('notRun' in facts.challenges ? { notRun: facts.challenges.notRun } : {}),
  };
}

/** The reason a board has no challenge results when the user asked for none. */
export const SKIPPED = 'skipped (--skip-tests)';

/** Where a challenge's statement lives in a project. */
export function challengeStatement(id: string): string {
  return `challenges/${id}.md`;
}

/** The board of one project, or of a portfolio: a topic is done when any project demonstrates it or any done challenge exercises it. */
export function buildBoard(catalog: Catalog, projects: readonly ProjectFacts[]): Board {
  const boards = projects.map((facts) => projectBoard(catalog, facts));
  const evidence = new Map<string, { file: string; symbol: string }[]>();
  for (const facts of projects) {
    for (const id of facts.milestones) {
      for (const claim of catalog.milestone(id)?.topics ?? []) {
        for (const item of claim.evidence) {
          if (!evidenceApplies(item, facts.options)) continue;
          const file = item.file.replaceAll('{package}', facts.packageName);
          if (!facts.exists(file)) continue;
          const shown = projects.length > 1 ? `${facts.name}/${file}` : file;
          const list = evidence.get(claim.id) ?? [];
          if (!list.some((known) => known.file === shown && known.symbol === item.symbol)) list.push({ file: shown, symbol: item.symbol });
          evidence.set(claim.id, list);
        }
      }
    }
  }
  const doneChallenges = boards.flatMap((board) => board.challenges).filter((challenge) => challenge.state === 'done');
  const phases = catalog.phases.map((phase): PhaseStatus => {
    const topics = phase.topics.map((topic): TopicStatus => {
      const demonstrated = evidence.get(topic.id) ?? [];
      const challenges = doneChallenges.filter((challenge) => challenge.topics.includes(topic.id)).map((challenge) => challenge.id);
      return { id: topic.id, title: topic.title, demonstrated, challenges, done: demonstrated.length > 0 || challenges.length > 0 };
    });
    return { id: phase.id, number: phase.number, title: phase.title, topics, done: topics.filter((topic) => topic.done).length, total: topics.length };
  });
  const allChallenges = boards.flatMap((board) => board.challenges);
  return {
    projects: boards,
    phases,
    topics: { done: phases.reduce((sum, phase) => sum + phase.done, 0), total: phases.reduce((sum, phase) => sum + phase.total, 0) },
    challenges: { done: doneChallenges.length, total: allChallenges.length },
    next: nextSteps(catalog, boards),
  };
}

/** What to do next: the easiest unfinished challenge, else a milestone no project covers yet. */
function nextSteps(catalog: Catalog, boards: readonly ProjectBoard[]): string[] {
  const notRun = boards.find((board) => board.notRun !== undefined);
  if (notRun?.notRun === SKIPPED) return ['Run progress without --skip-tests to see which challenges are done.'];
  if (notRun) return [`Install the project's dependencies (make install in ${notRun.name}), then run progress again: ${notRun.notRun}`];
  const open = boards
    .flatMap((board) => board.challenges.map((challenge) => ({ board, challenge })))
    .filter(({ challenge }) => challenge.state !== 'done')
    .sort((a, b) => Number(b.challenge.state === 'started') - Number(a.challenge.state === 'started') || LEVEL_ORDER[a.challenge.level] - LEVEL_ORDER[b.challenge.level]);
  const first = open[0];
  if (first) {
    const where = boards.length > 1 ? ` in ${first.board.name}` : '';
    const todo = first.challenge.failing[0];
    return [
      `Challenge ${first.challenge.id} (${first.challenge.level}): ${first.challenge.title}${where}. Read challenges/${first.challenge.id}.md, then run make challenge id=${first.challenge.id}.`,
      ...(todo ? [`Still to do: ${todo}`] : []),
    ];
  }
  const covered = new Set(boards.flatMap((board) => board.milestones));
  const milestone = catalog.milestones.find((candidate) => !covered.has(candidate.id) && catalog.isAvailable(candidate));
  if (milestone) return [`Every challenge is done. Next milestone: ${milestone.title} (add --milestone ${milestone.id}, or create a new project with it).`];
  return ['Every challenge of every milestone is done.'];
}
