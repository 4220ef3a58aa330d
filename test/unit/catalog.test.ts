import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { FEATURE_IDS } from '../../src/catalog/features/index.ts';
import { CatalogError, loadRoadmap, validateRoadmap, type Roadmap } from '../../src/catalog/roadmap.ts';
import { ROADMAP_PATH, ROADMAP_SCHEMA_PATH } from '../../src/paths.ts';

const schema = JSON.parse(readFileSync(ROADMAP_SCHEMA_PATH, 'utf8')) as object;
const pristine = JSON.parse(readFileSync(ROADMAP_PATH, 'utf8')) as Roadmap;

/** A deep copy of the real catalog, changed by `mutate`, then validated. */
function problemsAfter(mutate: (roadmap: any) => void): { path: string; message: string }[] {
  const copy = structuredClone(pristine) as any;
  mutate(copy);
  try {
    validateRoadmap(copy);
  } catch (error) {
    if (error instanceof CatalogError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('the packaged roadmap.json', () => {
  const catalog = new Catalog(loadRoadmap());

  it('has the ten phases of the roadmap, numbered in order, each with goal, topics and outcome', () => {
    expect(catalog.phases.map((phase) => phase.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const phase of catalog.phases) {
      expect(phase.goal.length).toBeGreaterThan(10);
      expect(phase.outcome.length).toBeGreaterThan(10);
      expect(phase.topics.length).toBeGreaterThan(2);
    }
  });

  it('has the five portfolio milestones of phase 10 under their stable ids', () => {
    const portfolio = catalog.milestonesForPhase('portfolio').map((milestone) => milestone.id);
    expect(portfolio).toEqual(
      expect.arrayContaining(['rest-api-auth', 'crud-db', 'background-jobs', 'dockerized-app', 'cloud-deploy']),
    );
  });

  it('gives every milestone phases, topics, features, options and learning content that resolve', () => {
    for (const milestone of catalog.milestones) {
      expect(milestone.phases.length).toBeGreaterThan(0);
      for (const topic of milestone.topics) expect(catalog.topicTitle(topic.id)).not.toBe(topic.id);
      for (const option of milestone.options) expect(catalog.option(option)?.id).toBe(option);
      expect(milestone.learning.decisions.length).toBeGreaterThan(0);
      expect(milestone.learning.challenges.length).toBeGreaterThan(0);
    }
  });

  it('lists a milestone for every phase, the specialization included (qa-automation, data-model-service)', () => {
    // The phase question disables a phase without milestones (test/unit/create-steps.test.ts).
    const empty = catalog.phases.filter((phase) => catalog.milestonesForPhase(phase.id).length === 0).map((phase) => phase.id);
    expect(empty).toEqual([]);
  });

  it('names the same feature ids in its schema as the feature registry', () => {
    const featureEnum = (schema as any).definitions.featureId.enum;
    expect([...featureEnum].sort()).toEqual([...FEATURE_IDS].sort());
  });

  it('has a default milestone that can be generated', () => {
    expect(catalog.isAvailable(catalog.defaultMilestone)).toBe(true);
  });
});

describe('a broken catalog is a clear error naming the path inside the JSON', () => {
  it.each([
    ['a missing goal', (r: any) => delete r.phases[2].goal, '/phases/2', 'missing the required property "goal"'],
    ['an unknown property', (r: any) => (r.milestones[0].colour = 'red'), '/milestones/0', 'unknown property "colour"'],
    ['an unknown feature', (r: any) => (r.milestones[1].features[0] = 'blockchain'), '/milestones/1/features/0', 'must be one of'],
    ['a non-kebab id', (r: any) => (r.phases[0].topics[0].id = 'Data Types'), '/phases/0/topics/0/id', 'must match pattern'],
    ['an unknown topic reference', (r: any) => (r.milestones[0].topics[1].id = 'quantum'), '/milestones/0/topics/1/id', 'unknown topic id "quantum"'],
    ['a topic claimed twice', (r: any) => (r.milestones[0].topics[1].id = r.milestones[0].topics[0].id), '/milestones/0/topics/1/id', 'claimed twice'],
    ['a claim without evidence', (r: any) => (r.milestones[0].topics[0].evidence = []), '/milestones/0/topics/0/evidence', 'must NOT have fewer than 1 items'],
    ['a claim with no evidence for one choice', (r: any) => r.milestones[5].topics[0].evidence.pop(), '/milestones/5/topics/0/evidence', 'no evidence for "ci-cd" when framework=fastapi, db=sqlite, ci=gitlab'],
    ['evidence for an option the milestone lacks', (r: any) => (r.milestones[0].topics[0].evidence[0].when = { ci: 'github' }), '/milestones/0/topics/0/evidence/0/when/ci', 'not an option of this milestone'],
    ['evidence for a choice that does not exist', (r: any) => (r.milestones[5].topics[0].evidence[0].when = { ci: 'jenkins' }), '/milestones/5/topics/0/evidence/0/when/ci', '"jenkins" is not a choice of ci'],
    ['a list condition with a choice that does not exist', (r: any) => (r.milestones[5].topics[0].evidence[0].when = { ci: ['github', 'jenkins'] }), '/milestones/5/topics/0/evidence/0/when/ci', '"jenkins" is not a choice of ci'],
    ['a challenge for a choice that does not exist', (r: any) => (r.milestones[2].challenges[0].when = { framework: ['flask', 'rails'] }), '/milestones/2/challenges/0/when/framework', '"rails" is not a choice of framework'],
    ['a challenge for an option the milestone lacks', (r: any) => (r.milestones[2].challenges[0].when = { ci: 'github' }), '/milestones/2/challenges/0/when/ci', 'not an option of this milestone'],
    ['a list condition of one value', (r: any) => (r.milestones[2].challenges[0].when = { framework: ['flask'] }), '/milestones/2/challenges/0/when/framework', 'must'],
    ['evidence outside the project', (r: any) => (r.milestones[0].topics[0].evidence[0].file = '../secrets.py'), '/milestones/0/topics/0/evidence/0/file', 'must match pattern'],
    ['a phase with no claimed topic', (r: any) => r.milestones[2].phases.push('specialization'), '/milestones/2/phases/4', 'none of its topics is claimed'],
    ['a claimed topic whose phase is not listed', (r: any) => (r.milestones[4].phases = ['devops']), '/milestones/4/phases', 'belongs to phase "portfolio"'],
    ['an unknown phase reference', (r: any) => (r.milestones[2].phases[0] = 'phase-eleven'), '/milestones/2/phases/0', 'unknown phase id'],
    ['an unknown option reference', (r: any) => (r.milestones[1].options = ['colour']), '/milestones/1/options/0', 'unknown option id "colour"'],
    ['a duplicate phase id', (r: any) => (r.phases[1].id = r.phases[0].id), '/phases/1/id', 'duplicate phase id'],
    ['a duplicate topic id', (r: any) => (r.phases[1].topics[0].id = r.phases[0].topics[0].id), '/phases/1/topics/0/id', 'duplicate topic id'],
    ['phases out of order', (r: any) => (r.phases[3].number = 7), '/phases/3/number', 'expected 4, found 7'],
    ['a default that is not a choice', (r: any) => (r.options[1].default = 'oracle'), '/options/1/default', '"oracle" is not one of its choices'],
    ['an option named like a built-in flag', (r: any) => (r.options[0].id = 'force'), '/options/0/id', 'built-in flag'],
    ['an unknown default milestone', (r: any) => (r.defaultMilestone = 'nope'), '/defaultMilestone', 'unknown milestone id "nope"'],
    ['an empty milestone list', (r: any) => (r.milestones = []), '/milestones', 'must NOT have fewer than 1 items'],
    ['a wrong type', (r: any) => (r.phases[0].number = 'one'), '/phases/0/number', 'must be integer'],
  ])('%s', (_label, mutate, where, message) => {
    const problems = problemsAfter(mutate);
    expect(problems).toContainEqual(expect.objectContaining({ path: where, message: expect.stringContaining(message) }));
  });

  it('reports every problem at once, not only the first', () => {
    const problems = problemsAfter((r) => {
      delete r.phases[0].goal;
      delete r.phases[1].outcome;
    });
    expect(problems.map((problem) => problem.path)).toEqual(expect.arrayContaining(['/phases/0', '/phases/1']));
  });

  it('turns unreadable JSON into a CatalogError that names the file, with exit code 1', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cprp-catalog-'));
    const file = path.join(dir, 'roadmap.json');
    writeFileSync(file, '{ "version": 1, ');
    expect(() => loadRoadmap(file)).toThrowError(CatalogError);
    try {
      loadRoadmap(file);
    } catch (error) {
      expect((error as CatalogError).message).toContain(file);
      expect((error as CatalogError).details[0]).toContain('is not valid JSON');
      expect((error as CatalogError).exitCode).toBe(1);
    }
  });
});
