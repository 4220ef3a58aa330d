import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import { evidenceApplies, type Challenge } from '../../src/catalog/roadmap.ts';
import { mustRun, runIn } from './python-project.ts';
import { hasExecutable, requireOrSkip, UV, UV_HINT } from './requirements.ts';
import { makeTempDir } from './temp-dir.ts';

/**
 * The proof every challenge owes (docs/ARCHITECTURE.md, "Adding challenges"):
 * on the freshly generated project each of its tests fails, and once the
 * milestone's reference solutions (test/fixtures/challenges/<milestone>.patch,
 * all of them in one patch because they do not conflict) are applied to a copy,
 * each passes. Results come from the project's own runner (tests/challenges/conftest.py,
 * `--challenge-report`), the same data `progress` reads.
 */

export interface ChallengeResult {
  readonly done: boolean;
  readonly passed: number;
  readonly total: number;
  readonly failing: readonly string[];
}

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/challenges');

/** The challenges a project of `milestone` ships on `framework` (its default when absent). */
export function challengesOf(milestone: string, framework?: string): readonly Challenge[] {
  const catalog = loadCatalog();
  const options = catalog.optionValuesOf(framework ? { framework } : {});
  return (catalog.milestone(milestone)?.challenges ?? []).filter((challenge) => evidenceApplies(challenge, options));
}

/**
 * The reference solutions of a milestone's challenges: `<milestone>.patch`, or
 * `<milestone>.<framework>.patch` on a framework whose code differs.
 */
export function solutionPatch(milestone: string, framework?: string): string {
  return path.join(FIXTURES, framework ? `${milestone}.${framework}.patch` : `${milestone}.patch`);
}

/** Runs every challenge test of a project and returns the runner's JSON report. */
export async function runChallenges(dir: string, env: Record<string, string | undefined> = {}): Promise<Record<string, ChallengeResult>> {
  const report = path.join(makeTempDir('cprp-challenges'), 'report.json');
  await mustRun(
    dir,
    ['uv', 'run', '--locked', 'pytest', 'tests/challenges', '-m', 'challenge', '--no-cov', '-p', 'no:cacheprovider', '-q', `--challenge-report=${report}`],
    env,
  );
  return readReport(report);
}

export function readReport(file: string): Record<string, ChallengeResult> {
  return (JSON.parse(readFileSync(file, 'utf8')) as { challenges: Record<string, ChallengeResult> }).challenges;
}

/** A copy of the project (without its virtualenv) with the milestone's reference solutions applied. */
export async function solvedCopy(dir: string, milestone: string, framework?: string): Promise<string> {
  const copy = path.join(makeTempDir('cprp-solved'), path.basename(dir));
  cpSync(dir, copy, { recursive: true, filter: (source) => !source.includes(`${path.sep}.venv`) });
  await mustRun(copy, ['git', 'apply', '-p1', solutionPatch(milestone, framework)]);
  return copy;
}

/**
 * The `it`s proving a milestone's challenges: each fails on the fresh project,
 * each passes on the reference solution, and `make challenge` speaks plainly.
 * `project()` is the generated, synced project of the test file's beforeAll;
 * `framework` names its framework when that is not the default.
 */
export function itProvesTheChallenges(
  milestone: string,
  project: () => string,
  env: Record<string, string | undefined> = {},
  framework?: string,
): void {
  const challenges = challengesOf(milestone, framework);

  it(`${milestone} has at least five challenges, each with a statement and tests`, () => {
    // The rule holds for the milestone on its default framework; another framework may ship
    // fewer (challenges whose code it lacks, like Django's settings guards), never none.
    const all = challengesOf(milestone);
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(new Set(all.map((challenge) => challenge.level))).toEqual(new Set(['warm-up', 'practice', 'stretch']));
    expect(challenges.length).toBeGreaterThan(0);
    expect(existsSync(solutionPatch(milestone, framework))).toBe(true);
  });

  it('every challenge test fails on the fresh project, and make challenge lists them so', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    const report = path.join(makeTempDir('cprp-challenges'), 'report.json');
    const listing = await mustRun(project(), ['make', 'challenge', `report=${report}`], env);
    const results = readReport(report);
    for (const challenge of challenges) {
      const result = results[challenge.id];
      expect(result, `no tests for challenge ${challenge.id}`).toBeDefined();
      expect(result?.total, challenge.id).toBeGreaterThan(0);
      expect(result?.passed, `${challenge.id}: a check passes before anyone solved it`).toBe(0);
      expect(listing).toMatch(new RegExp(`${challenge.id} +${challenge.level} +0/${result?.total} checks pass +${escape(challenge.title)}`));
    }
  });

  it('every challenge test passes on the reference solutions', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'git', hasExecutable('git'), 'install git (the reference solutions are applied with git apply)');
    const results = await runChallenges(await solvedCopy(project(), milestone, framework), env);
    for (const challenge of challenges) {
      expect(results[challenge.id], `${challenge.id}: ${results[challenge.id]?.failing.join('; ')}`).toMatchObject({ done: true });
    }
  });

  it('make challenge id=... says what still fails, with hints on request', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    const first = challenges[0]!;
    const one = await runIn(project(), ['make', 'challenge', `id=${first.id}`, 'hint=1'], env);
    expect(one.exitCode).not.toBe(0);
    expect(one.output).toContain(`${first.id} (${first.level}): ${first.title}`);
    expect(one.output).toContain('still to do: ');
    expect(one.output).toContain('Hint 1: ');
    expect(one.output).toContain(`make challenge id=${first.id} hint=2`);
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
