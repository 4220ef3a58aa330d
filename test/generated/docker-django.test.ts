import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../helpers/cli.ts';
import { describeContainerSuite } from '../helpers/container-suite.ts';
import { projectsAndTasksFlow } from '../helpers/crud-flow.ts';
import { createPostgresDatabase, generateProject, psqlRows } from '../helpers/python-project.ts';
import { REDIS, REDIS_HINT, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/**
 * dockerized-app on `--framework django`: the project's gates and hadolint, the
 * compose file (`django-admin migrate` as the one-shot migrate service, SECRET_KEY
 * required), and the image built with podman: migrated against the machine's
 * PostgreSQL, serving the projects-and-tasks flow and the admin (its CSS collected
 * at build time, served by WhiteNoise) through gunicorn's threaded WSGI workers,
 * refusing a placeholder SECRET_KEY, stopped with SIGTERM. The Dockerfile-only
 * checks (layer caching, sizes, Nginx, the test stage) run in dockerized-app.test.ts.
 * With background-jobs: compose's redis, worker and beat, and a report job queued from
 * the image and built by compose's worker command run from the same image.
 */
let projectDir = (): string => '';
describeContainerSuite({
  title: 'dockerized-app --framework django: the image, the compose stack and the container, for real',
  name: 'django-dock',
  generate: () => generateProject('django-dock', ['--milestone', 'dockerized-app', '--milestone', 'background-jobs', '--framework', 'django']),
  thorough: false,
  services: ['app', 'beat', 'db', 'migrate', 'redis', 'worker'],
  alsoOnProject: (project) => {
    projectDir = project;
  },
  secretKey: true,
  migrations: {
    command: ['django-admin', 'migrate', '--noinput'],
    applied: "select count(*) > 0 from django_migrations where app = 'tasks'",
    expected: 't',
  },
  mainFlow: async (baseUrl, database) => {
    // The broker check: the app container has no REDIS_URL here, so the embedded broker, always up.
    await projectsAndTasksFlow(baseUrl, database, { broker: 'ok' });
    // The admin renders in production, with its static files from the image (DEBUG is off).
    const login = await fetch(`${baseUrl}/admin/login/`);
    expect(login.status).toBe(200);
    const page = await login.text();
    const stylesheet = /href="(\/static\/admin\/css\/base\.css)"/.exec(page)?.[1];
    expect(stylesheet, 'the login page links the admin stylesheet').toBeDefined();
    const css = await fetch(`${baseUrl}${stylesheet}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('body');
  },
  alsoOnImage: (image) => {
    it("compose's worker command, run from the image, builds a report job queued on Redis", async (ctx) => {
      image.need(ctx);
      requireOrSkip(ctx, 'Redis', REDIS, REDIS_HINT);
      const compose = parseYaml(readFileSync(path.join(projectDir(), 'compose.yaml'), 'utf8'), { merge: true });
      const worker: string[] = compose.services.worker.command;
      expect(worker).toEqual(['celery', '--app', 'django_dock.celery:app', 'worker', '--loglevel', 'INFO']);
      expect(compose.services.beat.command).toEqual(['celery', '--app', 'django_dock.celery:app', 'beat', '--loglevel', 'INFO']);
      const database = await createPostgresDatabase();
      try {
        // A Redis database and queue of this test's own (jobs-container.test.ts uses /7, the rest /0).
        const env = {
          DATABASE_URL: database.url,
          SECRET_KEY: 'k'.repeat(48),
          REDIS_URL: 'redis://127.0.0.1:6379/8',
          JOBS_QUEUE: `django-dock-${randomBytes(6).toString('hex')}`,
        };
        const migrated = await image.run({ env, command: ['django-admin', 'migrate', '--noinput'] });
        expect(migrated.exitCode, migrated.output).toBe(0);
        const submit = [
          'import django; django.setup()',
          'from django_dock.jobs import services',
          'from django_dock.reports.tasks import BUILD_SALES_REPORT',
          'print(services.submit(BUILD_SALES_REPORT, {"start": "2026-03-01", "end": "2026-03-31"}).job.pk)',
        ].join('\n');
        const queued = await image.run({ env, command: ['python', '-c', submit] });
        expect(queued.exitCode, queued.output).toBe(0);
        const jobId = queued.output.trim().split('\n').at(-1)!;
        // The worker runs until stopped: `timeout` sends it SIGTERM (a warm shutdown) after 15 s.
        const ran = await image.run({ env, command: ['timeout', '15', ...worker, '--pool', 'solo'] });
        expect(ran.output).toMatch(new RegExp(`Task reports\\.build_sales_report\\[${jobId}\\] succeeded`));
        expect(await psqlRows(database.name, `select status, attempts from jobs where id = '${jobId}'`)).toEqual(['succeeded|1']);
      } finally {
        await database.drop();
        // The run's Redis database, flushed (the job's message was consumed; its queue's binding stays).
        await image.run({ command: ['python', '-c', 'import redis; redis.Redis.from_url("redis://127.0.0.1:6379/8").flushdb()'] });
      }
    });

    it('the image refuses to start Django with the placeholder SECRET_KEY (APP_ENV=production)', async (ctx) => {
      image.need(ctx);
      const database = await createPostgresDatabase();
      try {
        const env = { DATABASE_URL: database.url };
        const refused = await image.run({ env: { ...env, SECRET_KEY: 'change-me' }, command: ['django-admin', 'check'] });
        expect(refused.exitCode).not.toBe(0);
        expect(refused.output).toContain('SECRET_KEY must be a random value');
        const accepted = await image.run({ env: { ...env, SECRET_KEY: 'k'.repeat(48) }, command: ['django-admin', 'check'] });
        expect(accepted.exitCode, accepted.output).toBe(0);
      } finally {
        await database.drop();
      }
    });
  },
});

describe('--framework django: cloud-deploy is refused until its pipelines migrate the Django way', () => {
  it('exit 2, naming ci, and nothing written', async () => {
    const parent = makeTempDir('cprp-django-cloud');
    const result = await runCli(['app', '--no-git', '--no-install', '--framework', 'django', '--milestone', 'cloud-deploy'], { cwd: parent });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain('--framework django does not support ci');
    expect(readdirSync(parent)).toEqual([]);
  });
});
