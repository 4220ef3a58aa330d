import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { describeContainerSuite } from '../helpers/container-suite.ts';
import { projectsAndTasksFlow } from '../helpers/crud-flow.ts';
import { getWithHost, podFlags } from '../helpers/k8s-pods.ts';
import { podman, mustPodman } from '../helpers/podman.ts';
import { createPostgresDatabase, freePort, generateProject, psqlRows } from '../helpers/python-project.ts';
import { REDIS, REDIS_HINT, requireOrSkip } from '../helpers/requirements.ts';

/** The generated project, once the suite has made it. */
let projectDir: () => string = () => {
  throw new Error('the suite has not generated the project yet');
};

/**
 * dockerized-app on `--framework django`: the project's gates and hadolint, the
 * compose file (`django-admin migrate` as the one-shot migrate service, SECRET_KEY
 * required), and the image built with podman: migrated against the machine's
 * PostgreSQL, serving the projects-and-tasks flow and the admin (its CSS collected
 * at build time, served by WhiteNoise) through gunicorn's threaded WSGI workers,
 * refusing a placeholder SECRET_KEY, stopped with SIGTERM; and its challenges, proved
 * with the Django reference solutions. The Dockerfile-only
 * checks (layer caching, sizes, Nginx, the test stage) run in dockerized-app.test.ts.
 *
 * The project is cloud-deploy's with background-jobs (--ci github --deploy kubernetes), so
 * the same image also runs its Kubernetes pods: the migrations Job, then the web pod, whose
 * probes send the pod's IP as Host (cloud-deploy.test.ts checks the pipeline and files); and
 * compose's redis, worker and beat, with a report job queued from the image and built by
 * compose's worker command run from the same image.
 */
describeContainerSuite({
  title: 'dockerized-app (in cloud-deploy) --framework django: the image, the compose stack, the container and its Kubernetes pods, for real',
  name: 'django-dock',
  generate: () =>
    generateProject('django-dock', [
      '--milestone', 'cloud-deploy', '--milestone', 'background-jobs',
      '--framework', 'django', '--ci', 'github', '--deploy', 'kubernetes',
    ]),
  thorough: false,
  services: ['app', 'beat', 'db', 'migrate', 'redis', 'worker'],
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
  alsoOnProject: (project) => {
    projectDir = project;
    describe('challenges', () => {
      // security-headers and version-endpoint in Django's words (settings, a middleware, a view).
      itProvesTheChallenges('dockerized-app', project, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined }, 'django');
    });
    describe('cloud-deploy challenges', () => {
      // smoke-test, scheduled-audit and deploy-smoke-job: the settings guards are FastAPI/Flask only.
      itProvesTheChallenges('cloud-deploy', project, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined }, 'django');
    });
  },
  alsoOnImage: (image) => {
    it("compose's worker command, run from the image, builds a report job queued on Redis", async (ctx) => {
      image.need(ctx);
      requireOrSkip(ctx, 'Redis', REDIS, REDIS_HINT);
      const compose = parse(readFileSync(path.join(projectDir(), 'compose.yaml'), 'utf8'), { merge: true });
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

    it('the migrations Job migrates; the web pod answers its probes by pod IP, and the API only by the Ingress host', async (ctx) => {
      image.need(ctx);
      const k8s = path.join(projectDir(), 'k8s');
      const manifest = (file: string): any => parse(readFileSync(path.join(k8s, file), 'utf8'));
      const database = await createPostgresDatabase();
      try {
        const secrets = { DATABASE_URL: database.url, SECRET_KEY: 'k'.repeat(48), REDIS_URL: 'redis://127.0.0.1:6379/8' };
        const job = manifest('migrate-job.yaml').spec.template.spec;
        const migrate = podFlags(job, k8s, secrets);
        expect(migrate.flags).toEqual(expect.arrayContaining(['--read-only', '--cap-drop', 'ALL']));
        const migrator = await image.start({ env: migrate.env, flags: migrate.flags, command: job.containers[0].command });
        const exitCode = await mustPodman(['wait', migrator]);
        const logs = await podman(['logs', migrator]);
        expect(exitCode.trim(), logs.output).toBe('0');
        expect(logs.output).toContain('Applying tasks.0001_initial... OK');
        expect(await psqlRows(database.name, "select count(*) > 0 from django_migrations where app = 'tasks'")).toEqual(['t']);

        const pod = manifest('deployment.yaml').spec.template.spec;
        const { flags, env } = podFlags(pod, k8s, secrets);
        const port = await freePort();
        const web = await image.start({ env: { ...env, PORT: String(port) }, flags });
        const base = `http://127.0.0.1:${port}`;
        const podHost = `10.244.3.17:${port}`;
        const probe = pod.containers[0].readinessProbe.httpGet.path;
        const deadline = Date.now() + 90_000;
        while ((await getWithHost(`${base}${probe}`, podHost)).status !== 200) {
          if (Date.now() > deadline) throw new Error(`no 200 from ${probe}:\n${(await podman(['logs', web])).output.slice(-4000)}`);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        const health = JSON.parse((await getWithHost(`${base}/health`, podHost)).body);
        expect(health).toEqual({ status: 'ok', checks: { broker: 'ok', database: 'ok', migrations: 'ok' } });
        const ingressHost = manifest('ingress.yaml').spec.rules[0].host;
        expect(env['ALLOWED_HOSTS']).toBe(ingressHost);
        expect((await getWithHost(`${base}/api/v1/projects`, ingressHost)).status).toBe(200);
        expect((await getWithHost(`${base}/api/v1/projects`, podHost)).status).toBe(400);
        // The read-only root holds: gunicorn's heartbeat files go to the /tmp emptyDir.
        const top = await mustPodman(['top', web, 'huser', 'args']);
        for (const row of top.trim().split('\n').slice(1)) expect(row).toMatch(/^10001\s+.*gunicorn/);
        await mustPodman(['rm', '--force', web]);
      } finally {
        await database.drop();
      }
    });
  },
});
