import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { CLI_PATH } from '../helpers/cli.ts';
import { githubJobs, onThisMachine, type PipelineJob } from '../helpers/ci-pipeline.ts';
import { describeContainerSuite } from '../helpers/container-suite.ts';
import { projectsAndTasksFlow } from '../helpers/crud-flow.ts';
import { createPostgresDatabase, generateProject, mustRun, runIn, STANDARD_GATES } from '../helpers/python-project.ts';
import { POSTGRES, POSTGRES_HINT, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';
import { runLint } from '../helpers/validators.ts';

/**
 * dockerized-app on `--framework flask`: the project's gates and hadolint, the
 * compose file, and the image built with podman, migrated with Alembic against
 * the machine's PostgreSQL, serving the projects-and-tasks flow through gunicorn's
 * threaded WSGI workers, stopped with SIGTERM; and its challenges, proved with the
 * Flask reference solutions. The Dockerfile-only checks (layer
 * caching, sizes, Nginx, the test stage) run once, in dockerized-app.test.ts.
 */
describeContainerSuite({
  title: 'dockerized-app --framework flask: the image, the compose stack and the container, for real',
  name: 'flask-dock',
  generate: () => generateProject('flask-dock', ['--milestone', 'dockerized-app', '--framework', 'flask']),
  thorough: false,
  services: ['app', 'db', 'migrate'],
  mainFlow: projectsAndTasksFlow,
  alsoOnProject: (project) => {
    describe('challenges', () => {
      itProvesTheChallenges('dockerized-app', project, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined }, 'flask');
    });
  },
});

/**
 * cloud-deploy on Flask: the ci and deploy features are framework-free (the image's
 * command, `alembic upgrade heads` and the health check are the same on both
 * WSGI and ASGI paths), so the project passes its gates, its workflow passes
 * actionlint, and the pipeline's own test job runs here on PostgreSQL.
 */
describe('cloud-deploy --framework flask: gates, actionlint and the pipeline test job on PostgreSQL', () => {
  let dir = '';
  let jobs = new Map<string, PipelineJob>();
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('flask-orbit', ['--milestone', 'cloud-deploy', '--framework', 'flask', '--ci', 'github', '--deploy', 'render']);
    await mustRun(dir, ['uv', 'sync']);
    jobs = githubJobs(readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8'));
  });

  afterAll(async () => {
    await database?.drop();
  });

  // pytest runs below, as the pipeline runs it: on PostgreSQL, with the coverage gate.
  for (const gate of STANDARD_GATES.filter((standard) => !standard.command.includes('pytest'))) {
    it(`${gate.name} passes`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      await mustRun(dir, gate.command, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined });
    });
  }

  describe('cloud-deploy challenges', () => {
    // The same five as on FastAPI: the settings guards in the pydantic settings, the smoke
    // command, the schedule and the smoke job in the Render pipeline.
    itProvesTheChallenges('cloud-deploy', () => dir, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined }, 'flask');
  });

  it('actionlint finds nothing in the workflow', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const file = path.join(dir, '.github/workflows/ci.yml');
    const problems = await runLint(readFileSync(file, 'utf8'), file);
    expect(problems.filter((problem) => problem.message).map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it('the deploy target serves the image with the gunicorn settings the image uses', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const render = readFileSync(path.join(dir, 'render.yaml'), 'utf8');
    expect(render).toContain("alembic upgrade heads && exec gunicorn --config python:flask_orbit.gunicorn_conf 'flask_orbit.main:create_app()'");
    expect(readFileSync(path.join(dir, 'src/flask_orbit/gunicorn_conf.py'), 'utf8')).toContain('worker_class = "gthread"');
  });

  it("the pipeline's test job passes here: migrations, alembic check, pytest on PostgreSQL", async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
    database = await createPostgresDatabase();
    const job = jobs.get('test');
    expect(job, 'the workflow has a test job').toBeDefined();
    const scripts = job!.steps.map((step) => step.script);
    expect(scripts).toEqual(expect.arrayContaining(['uv run alembic upgrade heads', 'uv run alembic check', 'uv run pytest --cov-report=xml']));
    for (const step of job!.steps) {
      const env = { ...onThisMachine(step.env, job!.services, database.url), UV_CACHE_DIR: undefined, GITHUB_STEP_SUMMARY: '/dev/null', GENERATOR: `node ${CLI_PATH}` };
      const result = await runIn(dir, ['bash', '-eo', 'pipefail', '-c', step.script], env);
      expect(result.exitCode, `\`${step.script}\` failed:\n${result.output.slice(-6000)}`).toBe(0);
      if (step.script.startsWith('uv run pytest')) expect(result.output).toMatch(/\d+ passed/);
    }
  });
});
