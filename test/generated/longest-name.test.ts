import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { loadRoadmap } from '../../src/catalog/roadmap.ts';
import { unsupportedOn } from '../../src/catalog/frameworks.ts';
import { MAX_NAME_LENGTH } from '../../src/render/project-names.ts';
import { PYTHON_DEPENDENCIES } from '../../src/catalog/python-dependencies.ts';
import { generateProject, mustRun } from '../helpers/python-project.ts';
import { requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const catalog = new Catalog(loadRoadmap());
const milestones = catalog.milestones.filter((milestone) => catalog.isAvailable(milestone)).map((m) => m.id);
const RUFF = PYTHON_DEPENDENCIES.ruff.requirement; // the exact version the projects pin
// The longest name the validator accepts, with the widest import package it can produce.
const LONGEST = `a${'-bcdefghij'.repeat(4)}`.slice(0, MAX_NAME_LENGTH);

/**
 * Templates must render already formatted for every name the CLI accepts: the
 * longest names make the longest import lines. Only ruff is needed (run with
 * uvx at the projects' pinned version), so this stays cheap.
 */
describe(`the longest accepted name (${MAX_NAME_LENGTH} characters) renders formatted code`, () => {
  it('is as long as the limit', () => {
    expect(LONGEST).toHaveLength(MAX_NAME_LENGTH);
  });

  for (const milestone of milestones) {
    it(`${milestone}: ruff format --check and ruff check pass`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const dir = await generateProject(LONGEST, ['--milestone', milestone]);
      await mustRun(dir, ['uvx', '--from', RUFF, 'ruff', 'format', '--no-cache', '--check', '.']);
      await mustRun(dir, ['uvx', '--from', RUFF, 'ruff', 'check', '--no-cache', '.']);
    });
  }

  // The other frameworks' templates, every milestone built on each in one project.
  const framework = catalog.option('framework');
  for (const choice of framework?.choices.filter((candidate) => candidate.value !== framework.default) ?? []) {
    const onIt = catalog.milestones
      .filter((milestone) => milestone.options.includes('framework') && catalog.isAvailable(milestone))
      .filter((milestone) => unsupportedOn(catalog.featuresFor([milestone.id]), choice.value).length === 0)
      .map((milestone) => milestone.id);
    it(`--framework ${choice.value} (${onIt.join(', ')}): ruff format --check and ruff check pass`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const dir = await generateProject(LONGEST, ['--milestone', ['python-foundations', ...onIt].join(','), '--framework', choice.value]);
      await mustRun(dir, ['uvx', '--from', RUFF, 'ruff', 'format', '--no-cache', '--check', '.']);
      await mustRun(dir, ['uvx', '--from', RUFF, 'ruff', 'check', '--no-cache', '.']);
    });
  }
});
