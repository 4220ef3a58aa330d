import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { runCli } from '../helpers/cli.ts';
import {
  enqueueOverHttpAndWorkInAnotherProcess,
  expectMakeWorkerAndBeat,
  expectPytestOnRedisAndPostgres,
  itPassesTheJobsGates,
  JOBS_CLEAN_ENV,
} from '../helpers/jobs-run.ts';
import { readTree } from '../helpers/project-tree.ts';
import { generateProject, mustRun, STATIC_GATES } from '../helpers/python-project.ts';
import { hasExecutable, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const PACKAGE = 'flask_reports';

/**
 * `--milestone background-jobs --framework flask`: APIFlask blueprints over the same
 * ledger, Celery app and tasks as the FastAPI path, the same HTTP contract
 * (202 + Location, polling, Idempotency-Key, 503 when the broker is down), its own
 * tests run against a real worker, on the embedded broker with SQLite and on Redis
 * with PostgreSQL; then the API and a separate `celery worker` process over HTTP.
 * The worker side on Redis (a separate process, a killed worker) is framework-free
 * and proven once, on the FastAPI project (background-jobs.test.ts).
 */
describe('background-jobs on Flask: Celery workers, beat and a job ledger behind APIFlask', () => {
  let dir = '';

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('flask-reports', ['--milestone', 'background-jobs', '--framework', 'flask']);
    await mustRun(dir, ['uv', 'sync']);
  });

  it('is a Flask project: its routes are APIFlask blueprints, and no FastAPI code came along', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const tree = readTree(dir);
    expect(tree.get(`src/${PACKAGE}/reports/router.py`)).toContain('APIBlueprint("reports"');
    expect(tree.get(`src/${PACKAGE}/jobs/router.py`)).toContain('@router.record_once');
    const python = [...tree].filter(([file]) => file.endsWith('.py') || file === 'pyproject.toml' || file === 'Makefile');
    expect(python.filter(([, text]) => /fastapi|uvicorn|starlette/i.test(text)).map(([file]) => file)).toEqual([]);
  });

  // pytest runs once, on Redis and PostgreSQL (below), where nothing is skipped. The jobs
  // code behind the blueprints is the FastAPI path's, whose tests run on the embedded broker
  // and SQLite in background-jobs.test.ts; here the embedded broker serves the HTTP run below.
  itPassesTheJobsGates(() => dir, STATIC_GATES);

  // The same five challenges as on FastAPI: shared statements, Flask tests, a Flask reference solution.
  itProvesTheChallenges('background-jobs', () => dir, JOBS_CLEAN_ENV, 'flask');

  it('pytest passes on the machine Redis and PostgreSQL, nothing skipped (a real worker, the production stack)', async (ctx) => {
    await expectPytestOnRedisAndPostgres(dir, ctx);
  });

  it('make worker and make beat run separate celery processes, after the development migrations', async (ctx) => {
    await expectMakeWorkerAndBeat(dir, PACKAGE, ctx);
  });

  it('with no Redis, a job enqueued over HTTP (gunicorn) is completed by a separate celery worker, and make fuzz passes', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    await enqueueOverHttpAndWorkInAnotherProcess(dir, PACKAGE, 'embedded', { fuzz: true });
  });

  it('a Flask crud-db project gains background-jobs with add, and checks clean', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const cwd = makeTempDir();
    const created = await runCli(['shop', '--milestone', 'crud-db', '--framework', 'flask', '--yes', '--no-install'], { cwd });
    expect(created.exitCode, created.stderr).toBe(0);
    const project = path.join(cwd, 'shop');
    // The combination's gates run in the matrix (crud-db with background-jobs on Flask).
    const added = await runCli(['add', 'background-jobs', '--yes'], { cwd: project });
    expect(added.exitCode, added.stdout + added.stderr).toBe(0);
    const routes = readTree(project).get('src/shop/routes.py')!;
    for (const blueprint of ['projects_router', 'tasks_router', 'jobs_router', 'reports_router']) {
      expect(routes).toContain(`api_router.register_blueprint(${blueprint})`);
    }
    const check = await runCli(['check'], { cwd: project });
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  });
});
