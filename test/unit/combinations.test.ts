import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { CatalogError, loadRoadmap, validateRoadmap, type Roadmap } from '../../src/catalog/roadmap.ts';
import { parseCommand } from '../../src/cli.ts';
import { UserError } from '../../src/errors.ts';
import { runCreate } from '../../src/commands/create/run.ts';
import { chooseAddTargets } from '../../src/steps/add-targets.ts';
import { frameworkRefusedCombinations, invalidCombinations, milestoneSets, optionValues, pairsOf, pairwiseCombinations, validCombinations } from '../helpers/combinations.ts';
import { fakeTerminal } from '../helpers/fake-io.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const roadmap = loadRoadmap();
const catalog = new Catalog(roadmap);

/** The shipped catalog with one more declared incompatibility. */
function catalogWith(incompatible: Roadmap['incompatible']): Catalog {
  const copy = structuredClone(roadmap) as { incompatible: unknown };
  copy.incompatible = incompatible;
  return new Catalog(validateRoadmap(copy));
}

describe('the combination matrix of the shipped catalog', () => {
  const valid = validCombinations(catalog);

  it('is read from the catalog: every milestone set that combines, times every option value that applies', () => {
    const { combining, clashing } = milestoneSets(catalog);
    const available = catalog.milestones.filter((milestone) => catalog.isAvailable(milestone));
    expect(combining.length + clashing.length).toBe(2 ** available.length - 1);
    const expected = combining.reduce(
      (sum, milestones) => sum + catalog.optionsFor(milestones).reduce((product, option) => product * optionValues(option).length, 1),
      0,
    );
    // Less what a framework cannot build yet, which create refuses (Django builds every web milestone).
    expect(valid.length + frameworkRefusedCombinations(catalog).length).toBe(expected);
    const django = valid.filter((combination) => combination.options['framework'] === 'django');
    // Every non-empty mix of a framework's web milestones, with or without python-foundations.
    const mixes = (web: readonly string[]): Set<string> =>
      new Set(
        web
          .reduce<string[][]>((subsets, id) => [...subsets, ...subsets.map((subset) => [...subset, id])], [[]])
          .filter((subset) => subset.length > 0)
          .flatMap((subset) => [subset.join(','), ['python-foundations', ...subset].join(',')]),
      );
    expect(new Set(django.map((combination) => combination.milestones.join(',')))).toEqual(
      mixes(['rest-api-auth', 'crud-db', 'background-jobs', 'dockerized-app', 'cloud-deploy', 'scalable-service']),
    );
    // On every database the db option offers, MySQL (MariaDB through PyMySQL) included.
    expect(new Set(django.map((combination) => combination.options['db']))).toEqual(new Set(['sqlite', 'postgres', 'mysql']));
    const flask = valid.filter((combination) => combination.options['framework'] === 'flask');
    expect(new Set(flask.map((combination) => combination.milestones.join(',')))).toEqual(
      mixes(['rest-api-auth', 'crud-db', 'background-jobs', 'dockerized-app', 'cloud-deploy', 'scalable-service']),
    );
    // qa-automation combines with no other milestone; data-model-service (feature data: no database,
    // its own Dockerfile) with none that brings db or docker. Those are the only clashes.
    const withDatabase = new Set(catalog.milestones.filter((m) => m.features.includes('db')).map((m) => m.id));
    expect(clashing.length).toBeGreaterThan(0);
    for (const { milestones } of clashing) {
      const qaBeside = milestones.includes('qa-automation') && milestones.length > 1;
      const dataBeside = milestones.includes('data-model-service') && milestones.some((id) => withDatabase.has(id));
      expect(qaBeside || dataBeside, milestones.join(',')).toBe(true);
    }
    console.info(`${combining.length} milestone sets combine, ${clashing.length} clash; ${valid.length} valid combinations`);
  });

  it('refuses every invalid combination with exit 2, naming the valid choices, and writes nothing', async () => {
    const invalid = invalidCombinations(catalog);
    expect(invalid.length).toBeGreaterThan(0);
    const cwd = makeTempDir('cprp-matrix');
    for (const { milestones, flags, why, mustMention } of invalid) {
      const argv = ['project', '--milestone', milestones.join(','), ...flags, '--no-install', '--no-git'];
      const refusal = await refusalOf(argv, catalog, cwd);
      expect(refusal.exitCode, `${argv.join(' ')} (${why}): ${refusal.message}`).toBe(2);
      for (const text of mustMention) expect(refusal.message, argv.join(' ')).toContain(text);
    }
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('the covering array the default suite runs', () => {
  const all = validCombinations(catalog);
  const covering = pairwiseCombinations(catalog, all);

  it('covers every pair of settings some valid combination makes, with far fewer projects', () => {
    const needed = new Set(all.flatMap((combination) => pairsOf(catalog, combination)));
    const covered = new Set(covering.flatMap((combination) => pairsOf(catalog, combination)));
    expect([...needed].filter((pair) => !covered.has(pair))).toEqual([]);
    // Every value of every option, and every milestone, is in it.
    for (const option of catalog.options) {
      for (const value of optionValues(option)) {
        expect(covering.some((combination) => combination.options[option.id] === value), `${option.id}=${value}`).toBe(true);
      }
    }
    expect(covering.length).toBeLessThan(all.length / 10);
    console.info(`${covering.length} combinations cover the ${needed.size} pairs of ${all.length} valid combinations`);
  });

  it('is only valid combinations, each once, the same on every run', () => {
    const keys = covering.map((combination) => JSON.stringify(combination));
    expect(new Set(keys).size).toBe(keys.length);
    const valid = new Set(all.map((combination) => JSON.stringify(combination)));
    for (const key of keys) expect(valid.has(key), key).toBe(true);
    expect(pairwiseCombinations(catalog, all)).toEqual(covering);
  });

  it('misses a pair when one of its combinations is dropped (the check can fail)', () => {
    const needed = new Set(all.flatMap((combination) => pairsOf(catalog, combination)));
    const fewer = covering.slice(0, -1);
    const covered = new Set(fewer.flatMap((combination) => pairsOf(catalog, combination)));
    // Greedy takes each combination for at least one pair nothing before it covered,
    // and nothing comes after the last one.
    expect([...needed].some((pair) => !covered.has(pair))).toBe(true);
  });
});

/**
 * What the CLI does with argv up to its exit code, with the catalog loaded once
 * (the command line's own parsing and the create steps; `run` only adds the
 * catalog load and the printing of the error).
 */
async function refusalOf(argv: readonly string[], withCatalog: Catalog, cwd: string): Promise<{ exitCode: number; message: string }> {
  const terminal = fakeTerminal({ cwd, tty: false });
  try {
    const command = parseCommand(argv, withCatalog);
    if (command.kind !== 'create') throw new Error(`parsed as ${command.kind}`);
    await runCreate(terminal.io, command.flags, withCatalog);
    return { exitCode: 0, message: 'accepted' };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { exitCode: error.exitCode, message: [error.message, ...error.details].join('\n') };
  }
}

describe('incompatible features declared in the catalog', () => {
  const clash = { features: ['auth', 'jobs'] as const, reason: 'they were declared incompatible for this test.' };
  const withClash = catalogWith([{ features: [...clash.features], reason: clash.reason }]);

  it('split the milestone sets into the ones that combine and the ones that clash', () => {
    const { combining, clashing } = milestoneSets(withClash);
    expect(clashing.length).toBeGreaterThan(0);
    for (const { milestones } of clashing) {
      expect(milestones).toEqual(expect.arrayContaining(['rest-api-auth', 'background-jobs']));
    }
    expect(combining.some((milestones) => milestones.includes('rest-api-auth'))).toBe(true);
    expect(invalidCombinations(withClash).filter((entry) => entry.why === clash.reason)).toHaveLength(clashing.length);
  });

  it('make create refuse the milestones that bring them together (exit 2, the reason, nothing written)', async () => {
    const cwd = makeTempDir('cprp-clash');
    const argv = ['p', '--milestone', 'rest-api-auth,background-jobs', '--no-install', '--no-git'];
    const refusal = await refusalOf(argv, withClash, cwd);
    expect(refusal.exitCode).toBe(2);
    expect(refusal.message).toContain('auth (rest-api-auth)');
    expect(refusal.message).toContain('jobs (background-jobs)');
    expect(refusal.message).toContain(clash.reason);
    expect(readdirSync(cwd)).toEqual([]);
    // The same milestones one at a time are fine.
    expect((await refusalOf(['p', '--milestone', 'rest-api-auth', '--dry-run'], withClash, cwd)).exitCode).toBe(0);
  });

  it('make add refuse a milestone or feature that clashes with what the project has', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), tty: false });
    const ctx = {
      io: terminal.io,
      catalog: withClash,
      flags: { milestones: [], options: {}, yes: false, dryRun: false, force: false, json: false },
      interactive: false,
      reporter: undefined as never,
    };
    const answers = { name: 'p', milestones: ['rest-api-auth'], options: {} };
    await expect(chooseAddTargets(ctx, ['background-jobs'], answers)).rejects.toThrow(clash.reason);
    await expect(chooseAddTargets(ctx, ['jobs'], answers)).rejects.toThrow(clash.reason);
    await expect(chooseAddTargets(ctx, ['crud-db'], answers)).resolves.toMatchObject({ features: [] });
  });

  it('cannot both be needed by one milestone: the catalog is refused, naming the milestone', () => {
    const copy = structuredClone(roadmap) as { incompatible: unknown };
    copy.incompatible = [{ features: ['api', 'db'], reason: 'test' }];
    expect(() => validateRoadmap(copy)).toThrow(CatalogError);
    try {
      validateRoadmap(copy);
    } catch (error) {
      expect((error as CatalogError).details.join('\n')).toMatch(/\/milestones\/1\/features: needs api and db/);
    }
  });

  it('must name two distinct known features', () => {
    for (const features of [['auth'], ['auth', 'auth'], ['auth', 'payments']]) {
      const copy = structuredClone(roadmap) as { incompatible: unknown };
      copy.incompatible = [{ features, reason: 'test' }];
      expect(() => validateRoadmap(copy), JSON.stringify(features)).toThrow(CatalogError);
    }
  });
});
