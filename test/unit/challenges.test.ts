import { describe, expect, it } from 'vitest';
import { planMilestones } from '../helpers/plan-milestones.ts';
import { catalog } from '../helpers/template-tree.ts';

/**
 * The challenge data in roadmap.json and the files the templates ship agree:
 * every challenge of a milestone has its statement and its marked tests in a
 * project of that milestone, both policy `once` (the learner's once created),
 * and the statement's title and level are the catalog's.
 */
const available = catalog.milestones.filter((milestone) => catalog.isAvailable(milestone));

describe.each(available.filter((milestone) => (milestone.challenges ?? []).length > 0))('challenges of $id', (milestone) => {
  const plan = planMilestones('demo-project', [milestone.id]);
  const file = (path: string) => plan.files.find((candidate) => candidate.path === path);

  it.each(milestone.challenges ?? [])('$id has a statement and marked tests, both the learner’s', (challenge) => {
    const statement = file(`challenges/${challenge.id}.md`);
    const tests = file(`tests/challenges/test_${challenge.id.replaceAll('-', '_')}.py`);
    expect(statement?.policy).toBe('once');
    expect(tests?.policy).toBe('once');
    const text = statement!.content.toString('utf8');
    expect(text.split('\n')[0]).toBe(`# ${challenge.title}`);
    expect(text).toContain(`\nLevel: ${challenge.level}\n`);
    expect(text).toMatch(/\n## Hint 1\n/);
    const code = tests!.content.toString('utf8');
    expect(code).toContain('pytestmark = pytest.mark.challenge');
    expect(code).toMatch(/def test_\w+\([^)]*\)[^:]*:\n\s+"""[^\n]+/);
  });

  it('ships no challenge files the catalog does not list', () => {
    const ids = new Set(catalog.milestones.flatMap((candidate) => (candidate.challenges ?? []).map((challenge) => challenge.id)));
    const shipped = plan.files.map((candidate) => /^challenges\/(.+)\.md$/.exec(candidate.path)?.[1]).filter((id) => id !== undefined);
    for (const id of shipped) expect(ids.has(id), `challenges/${id}.md has no entry in roadmap.json`).toBe(true);
  });
});

describe('challenges whose files live in a framework variant', () => {
  it('a Flask rest-api-auth project ships the same five challenges as FastAPI: shared statements, its own tests', () => {
    const flask = planMilestones('demo-project', ['rest-api-auth'], { framework: 'flask' });
    const fastapi = planMilestones('demo-project', ['rest-api-auth'], { framework: 'fastapi' });
    const ids = flask.context.challenges.map((challenge) => challenge.id);
    expect(ids).toEqual(fastapi.context.challenges.map((challenge) => challenge.id));
    expect(ids).toHaveLength(5);
    const file = (plan: typeof flask, name: string) => plan.files.find((candidate) => candidate.path === name)?.content.toString('utf8');
    for (const id of ids) {
      expect(file(flask, `challenges/${id}.md`)).toBe(file(fastapi, `challenges/${id}.md`));
      const test = file(flask, `tests/challenges/test_${id.replaceAll('-', '_')}.py`);
      expect(test).toContain('from flask.testing import FlaskClient');
      expect(test).not.toMatch(/fastapi/i);
    }
  });

  it('crud-db ships the same five challenges on every framework: shared statements on the SQLAlchemy paths, each its own tests', () => {
    const [fastapi, flask, django] = (['fastapi', 'flask', 'django'] as const).map((framework) => planMilestones('demo-project', ['crud-db'], { framework }));
    const ids = fastapi!.context.challenges.map((challenge) => challenge.id);
    expect(ids).toHaveLength(5);
    const file = (plan: typeof flask, name: string) => plan!.files.find((candidate) => candidate.path === name)?.content.toString('utf8');
    for (const id of ids) {
      const test = `tests/challenges/test_${id.replaceAll('-', '_')}.py`;
      expect(file(flask, `challenges/${id}.md`)).toBe(file(fastapi, `challenges/${id}.md`));
      expect(file(flask, test)).toContain('from flask.testing import FlaskClient');
      expect(file(flask, test)).not.toMatch(/fastapi/i);
      // Django's statements teach its own tools (views, the ORM, makemigrations), not SQLAlchemy's.
      expect(file(django, `challenges/${id}.md`)).not.toMatch(/sqlalchemy|alembic|repository\.py/i);
      expect(file(django, test)).toContain('from rest_framework.test import APIClient');
    }
    expect(django!.context.challenges.map((challenge) => challenge.id)).toEqual(ids);
    expect(flask!.context.challenges.map((challenge) => challenge.id)).toEqual(ids);
  });
});
