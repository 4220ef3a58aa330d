import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { runCli } from '../helpers/cli.ts';
import {
  celeryAppOf,
  enqueueOverHttpAndWorkInAnotherProcess,
  expectPytestOnRedisAndPostgres,
  itPassesTheJobsGates,
} from '../helpers/jobs-run.ts';
import { readTree } from '../helpers/project-tree.ts';
import { createPostgresDatabase, generateProject, mustRun } from '../helpers/python-project.ts';
import {
  hasExecutable,
  POSTGRES,
  POSTGRES_HINT,
  REDIS,
  REDIS_HINT,
  requireOrSkip,
  UV,
  UV_HINT,
} from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const PACKAGE = 'django_reports';
const CELERY_APP = celeryAppOf(PACKAGE, 'django');

/**
 * `--milestone background-jobs --framework django`: Celery wired the Django way
 * (`<package>/celery.py` configured from the settings, `@shared_task`s found by
 * autodiscovery, jobs published on commit), the job ledger as a Django model, DRF
 * views keeping the FastAPI path's HTTP contract. Its own tests run a real worker,
 * on the embedded broker with SQLite and on Redis with PostgreSQL; then the API and
 * a separate `celery worker` process over HTTP, and beat. Its challenges are proven too.
 */
describe('background-jobs on Django: Celery workers, beat and a job ledger behind DRF', () => {
  let dir = '';
  let generated = { exitCode: -1, stderr: '' };

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('django-reports', ['--milestone', 'background-jobs', '--framework', 'django']);
    // A task from `generate task` (a Django app with a shared task, its trigger view and their tests):
    // the gates below run it too, and make fuzz posts to the trigger.
    generated = await runCli(['generate', 'task', 'send_digest', '--trigger', '--yes'], { cwd: dir });
    await mustRun(dir, ['uv', 'sync']);
  });

  it('generate task writes a Django app with its @shared_task, trigger view and test, installed and mounted at the markers; check stays clean', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expect(generated.exitCode, generated.stderr).toBe(0);
    const tree = readTree(dir);
    expect(tree.get(`src/${PACKAGE}/send_digest/tasks.py`)).toMatch(/@shared_task\(\s*bind=True,\s*(?:#.*\s*)*base=JobTask,\s*name=SEND_DIGEST/);
    expect(tree.get(`src/${PACKAGE}/send_digest/apps.py`)).toContain(`name = "${PACKAGE}.send_digest"`);
    expect(tree.has('tests/jobs/test_send_digest_task.py')).toBe(true);
    expect(tree.get(`src/${PACKAGE}/settings.py`)).toContain(`    "${PACKAGE}.send_digest",\n    # generate-task: installed apps\n`);
    expect(tree.get(`src/${PACKAGE}/send_digest/views.py`)).toContain('class SendDigestView(APIView):');
    const urls = tree.get(`src/${PACKAGE}/urls.py`)!;
    expect(urls).toContain(`from ${PACKAGE}.send_digest.urls import urlpatterns as send_digest_urls\n`);
    expect(urls).toContain('    *send_digest_urls,\n    # generate-resource: include routers (above this line)\n');
    const check = await runCli(['check'], { cwd: dir });
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  });

  it('is wired the Django way: celery.py from the settings, shared tasks, on_commit, a ledger model with its migration and admin', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const tree = readTree(dir);
    const celery = tree.get(`src/${PACKAGE}/celery.py`)!;
    expect(celery).toContain(`app.config_from_object("django.conf:settings", namespace="CELERY")`);
    expect(celery).toContain('app.autodiscover_tasks()');
    // A job task: its base is JobTask, whose requests the worker's main process supervises.
    expect(tree.get(`src/${PACKAGE}/reports/tasks.py`)).toMatch(/@shared_task\(\s*bind=True,\s*(?:#.*\s*)*base=JobTask,\s*name=BUILD_SALES_REPORT/);
    expect(tree.get(`src/${PACKAGE}/jobs/migrations/0003_job_owner.py`)).toContain('("jobs", "0002_job_queued_at")');
    expect(tree.get(`src/${PACKAGE}/jobs/services.py`)).toContain('transaction.on_commit(');
    for (const app of ['jobs', 'reports']) {
      for (const file of ['migrations/0001_initial.py', 'admin.py', 'apps.py', 'models.py', 'views.py', 'urls.py']) {
        expect(tree.has(`src/${PACKAGE}/${app}/${file}`), `${app}/${file}`).toBe(true);
      }
    }
    expect(tree.get(`src/${PACKAGE}/settings.py`)).toContain(`"${PACKAGE}.jobs",`);
    expect(existsSync(path.join(dir, 'alembic.ini'))).toBe(false);
    // No FastAPI, Flask or Alembic code came along; SQLAlchemy only under kombu's embedded broker.
    const python = [...tree].filter(([file]) => file.endsWith('.py') && !file.endsWith('jobs/embedded_broker.py'));
    expect(python.filter(([, text]) => /^(from|import) (fastapi|flask|alembic|sqlalchemy)\b/m.test(text)).map(([file]) => file)).toEqual([]);
    expect(tree.get('pyproject.toml')).toMatch(/^description = "A Django REST Framework service/m);
  });

  itPassesTheJobsGates(() => dir);

  // The challenges need no worker: their tests run on SQLite and the embedded broker.
  const local = { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined, TEST_REDIS_URL: undefined, REDIS_URL: undefined };
  itProvesTheChallenges('background-jobs', () => dir, local, 'django');

  it('pytest passes on the machine Redis and PostgreSQL, nothing skipped (a real worker, the production stack)', async (ctx) => {
    await expectPytestOnRedisAndPostgres(dir, ctx);
  });

  it('make worker and make beat run separate celery processes on the project package’s Celery app', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    expect((await mustRun(dir, ['make', '-n', 'worker'])).trim()).toBe(`uv run celery --app ${CELERY_APP} worker --loglevel INFO`);
    expect((await mustRun(dir, ['make', '-n', 'beat'])).trim()).toBe(`uv run celery --app ${CELERY_APP} beat --loglevel INFO`);
  });

  // make fuzz here is for the trigger `generate task --trigger` added (POST /api/v1/send-digest):
  // the rest of Django's schema is fuzzed in django.test.ts and django-auth.test.ts.
  it('on Redis and PostgreSQL, a job enqueued over HTTP is completed by a separate celery worker (logging its request id), beat starts, and make fuzz passes', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    requireOrSkip(ctx, 'Redis', REDIS, REDIS_HINT);
    requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
    const database = await createPostgresDatabase();
    try {
      // The fuzz covers send_digest's trigger too (POST /api/v1/send-digest).
      const run = { framework: 'django', databaseUrl: database.url, fuzz: true, generatedOperations: 1 } as const;
      await enqueueOverHttpAndWorkInAnotherProcess(dir, PACKAGE, 'redis', run);
    } finally {
      await database.drop();
    }
  });

  it('a Django crud-db project gains background-jobs with add, and checks clean', async () => {
    const cwd = makeTempDir();
    const created = await runCli(['shop', '--milestone', 'crud-db', '--framework', 'django', '--yes', '--no-install'], { cwd });
    expect(created.exitCode, created.stderr).toBe(0);
    const project = path.join(cwd, 'shop');
    // The combination's gates run in the matrix (crud-db with background-jobs on Django).
    const added = await runCli(['add', 'background-jobs', '--yes'], { cwd: project });
    expect(added.exitCode, added.stdout + added.stderr).toBe(0);
    const settings = readFileSync(path.join(project, 'src', 'shop', 'settings.py'), 'utf8');
    for (const app of ['projects', 'tasks', 'jobs', 'reports']) expect(settings).toContain(`"shop.${app}",`);
    const check = await runCli(['check'], { cwd: project });
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  });
});
