import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { callJson } from '../helpers/http.ts';
import { waitForJob } from '../helpers/jobs-run.ts';
import { expectMarchReport, MARCH, postMarchSales } from '../helpers/sales-report.ts';
import { ensureFixtureImages, mustPodman, podman, podmanUsable, PodmanSession } from '../helpers/podman.ts';
import { createPostgresDatabase, freePort, generateProject, httpReady, mustRun, psqlRows } from '../helpers/python-project.ts';
import { POSTGRES, POSTGRES_HINT, REDIS, REDIS_HINT, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

/**
 * The jobs of a project with background-jobs and docker, run from its image:
 * the API, a Celery worker and beat, three containers of one image as compose
 * starts them (their commands read from the generated compose.yaml), on the
 * host network against the machine's PostgreSQL and Redis. A report requested
 * over HTTP is built by the worker container.
 */

const NAME = 'jobs-dock';
const PODMAN = podmanUsable();
const PODMAN_HINT = 'as root: apt-get install podman runc debootstrap (see .ci/run)';
/** A Redis database of this test's own, flushed at the end; other tests use /0. */
const REDIS_URL = 'redis://127.0.0.1:6379/7';
/** How long compose waits after SIGTERM before it kills, unless a service sets stop_grace_period. */
const COMPOSE_DEFAULT_GRACE_SECONDS = 10;

interface ComposeService {
  readonly command?: readonly string[];
  readonly environment?: Record<string, string>;
  readonly healthcheck?: { readonly disable?: boolean };
  readonly stop_grace_period?: string;
}

/** The project's compose.yaml as data, with its `<<: *app` merge keys resolved. */
function composeServices(dir: string): Record<string, ComposeService> {
  const compose = parseYaml(readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), { merge: true });
  return compose.services;
}

/** Seconds of a compose duration such as `10s`, `1m30s` or `500ms`. */
function composeSeconds(duration: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g)];
  if (parts.length === 0) throw new Error(`not a compose duration: ${duration}`);
  return parts.reduce((total, [, value, unit]) => total + Number(value) * units[unit!]!, 0);
}

async function containerState(container: string): Promise<string> {
  return (await mustPodman(['inspect', '--format', '{{.State.Status}}', container])).trim();
}

async function logsOf(container: string): Promise<string> {
  return (await podman(['logs', container])).output;
}

describe('background-jobs with docker: the API, a worker and beat from one image, for real', () => {
  const session = new PodmanSession();
  // A queue of this run's own: another run on the same Redis database never takes its messages.
  const queue = `cprp-test-${session.id}`;
  let dir = '';
  let services: Record<string, ComposeService> = {};
  let image = '';
  let pythonImage = '';
  let build = { exitCode: -1, output: '' };
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  let env: Record<string, string> = {};
  let baseUrl = '';
  let app = '';
  let worker = '';

  const needAll = (ctx: { skip(note?: string): void }): void => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'podman', PODMAN, PODMAN_HINT);
    requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
    requireOrSkip(ctx, 'Redis', REDIS, REDIS_HINT);
  };

  /** The compose service's command, and --no-healthcheck where compose disables the image's. */
  const composeRun = (service: string): { command: readonly string[]; flags: readonly string[] } => {
    const definition = services[service];
    if (!definition?.command) throw new Error(`compose.yaml has no command for ${service}`);
    return { command: definition.command, flags: definition.healthcheck?.disable ? ['--no-healthcheck'] : [] };
  };

  beforeAll(async () => {
    if (!UV || !PODMAN || !POSTGRES || !REDIS) return;
    dir = await generateProject(NAME, ['--milestone', 'background-jobs,dockerized-app']);
    // The Dockerfile installs from uv.lock, which `uv sync` writes.
    await mustRun(dir, ['uv', 'sync']);
    services = composeServices(dir);
    ({ pythonImage } = await ensureFixtureImages());
    image = session.image(NAME);
    const started = Date.now();
    build = await session.build(dir, ['--build-arg', `PYTHON_IMAGE=${pythonImage}`, '--tag', image]);
    console.log(`[${NAME}] podman build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    database = await createPostgresDatabase();
    env = {
      DATABASE_URL: database.url.replace(/^postgresql:\/\//, 'postgresql+psycopg://'),
      REDIS_URL,
      JOBS_QUEUE: queue,
      // As compose sets it for every container of the image: /app is read-only to uid 10001.
      JOBS_DATA_DIR: services['beat']?.environment?.['JOBS_DATA_DIR'] ?? '',
    };
  });

  afterAll(async () => {
    await session.cleanup();
    await database?.drop();
    if (dir && REDIS) {
      await mustRun(dir, ['uv', 'run', '--locked', 'python', '-c', `import redis; redis.Redis.from_url("${REDIS_URL}").flushdb()`]);
    }
  });

  it('compose runs the worker and beat from the project image, with JOBS_DATA_DIR outside /app', (ctx) => {
    needAll(ctx);
    for (const name of ['worker', 'beat']) {
      expect(services[name]?.command, name).toEqual(expect.arrayContaining(['celery', name]));
    }
    expect(env['JOBS_DATA_DIR']).toBe('/tmp/jobs');
  });

  it('the image builds from the locally built base, pulling nothing', (ctx) => {
    needAll(ctx);
    expect(build.exitCode, build.output.slice(-6000)).toBe(0);
    expect(build.output).toContain(`FROM ${pythonImage} AS runtime`);
  });

  it('alembic upgrade heads (the compose migrate command) runs in a container', async (ctx) => {
    needAll(ctx);
    const migrated = await session.run(image, { env, command: composeRun('migrate').command });
    expect(migrated.exitCode, migrated.output).toBe(0);
    const tables = await psqlRows(database!.name, "select tablename from pg_tables where schemaname = 'public'");
    expect(tables).toEqual(expect.arrayContaining(['jobs', 'sales', 'sales_reports', 'alembic_version']));
  });

  it('the app container serves /health with the broker and the database up', async (ctx) => {
    needAll(ctx);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    app = await session.start(image, { env: { ...env, HOST: '127.0.0.1', PORT: String(port) } });
    const deadline = Date.now() + 60_000;
    while (!(await httpReady(`${baseUrl}/health`))) {
      const state = await containerState(app);
      if (state !== 'running' || Date.now() > deadline) {
        throw new Error(`the app container is ${state} and /health never answered 200:\n${(await logsOf(app)).slice(-4000)}`);
      }
      await sleep(250);
    }
    expect((await callJson(baseUrl, 'GET', '/health')).body).toEqual({ status: 'ok', checks: { broker: 'ok', database: 'ok', migrations: 'ok' } });
  });

  it('the worker container (the compose worker command) runs every process as uid 10001', async (ctx) => {
    needAll(ctx);
    worker = await session.start(image, { env, ...composeRun('worker') });
    const deadline = Date.now() + 60_000;
    while (!(await logsOf(worker)).includes('ready.')) {
      const state = await containerState(worker);
      if (state !== 'running' || Date.now() > deadline) {
        throw new Error(`the worker container is ${state} and never logged "ready.":\n${(await logsOf(worker)).slice(-4000)}`);
      }
      await sleep(250);
    }
    const top = await mustPodman(['top', worker, 'user', 'huser', 'args']);
    const rows = top.trim().split('\n').slice(1);
    expect(rows.length, top).toBeGreaterThanOrEqual(2); // celery's main process and its pool
    for (const row of rows) expect(row).toMatch(/^app\s+10001\s+.*celery .*worker/);
  });

  it('a report requested over HTTP is built by the worker container', async (ctx) => {
    needAll(ctx);
    expect(worker, 'the previous test starts the worker').not.toBe('');
    await postMarchSales(baseUrl);
    const key = { 'Idempotency-Key': `march-report-${session.id}` };
    const accepted = await callJson(baseUrl, 'POST', '/api/v1/reports', MARCH, { headers: key });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body.status).toBe('pending');
    const location = accepted.headers.get('location');
    expect(location).toBeTruthy();
    expect(new URL(location!).pathname).toBe(`/api/v1/jobs/${accepted.body.id}`);

    const job = await waitForJob(location!, () => logsOf(worker));
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    expect(job.attempts).toBe(1);
    expectMarchReport(job.result);
    // The worker container did it, not the API: its own log names the job.
    expect(await logsOf(worker)).toMatch(new RegExp(`Task reports\\.build_sales_report\\[${job.id}\\] succeeded`));
    expect(await logsOf(app)).not.toContain('build_sales_report');
    const report = await callJson(baseUrl, 'GET', `/api/v1/reports/${job.result.id}`);
    expect(report.body).toEqual(job.result);
    expect(await psqlRows(database!.name, 'select count(*) from sales_reports')).toEqual(['1']);
  });

  it('beat (the compose beat command) starts and stays up, its schedule under JOBS_DATA_DIR', async (ctx) => {
    needAll(ctx);
    const beat = await session.start(image, { env, ...composeRun('beat') });
    const deadline = Date.now() + 30_000;
    while (!(await logsOf(beat)).includes('beat: Starting...')) {
      const state = await containerState(beat);
      if (state !== 'running' || Date.now() > deadline) {
        throw new Error(`the beat container is ${state} and never logged "beat: Starting...":\n${(await logsOf(beat)).slice(-4000)}`);
      }
      await sleep(250);
    }
    await sleep(5000);
    const logs = await logsOf(beat);
    expect(await containerState(beat), logs.slice(-4000)).toBe('running');
    expect(logs).not.toMatch(/Traceback|ERROR|Permission denied/);
    const files = await mustPodman(['exec', beat, 'ls', env['JOBS_DATA_DIR']!]);
    expect(files).toMatch(/^beat-schedule/m);
  });

  it('SIGTERM stops the worker with exit code 0 within the grace period compose allows', async (ctx) => {
    needAll(ctx);
    expect(worker, 'the worker test starts it').not.toBe('');
    const grace = composeSeconds(services['worker']?.stop_grace_period ?? `${COMPOSE_DEFAULT_GRACE_SECONDS}s`);
    const started = Date.now();
    // podman stop sends the image's stop signal (SIGTERM) and kills only after --time seconds, as compose does.
    await mustPodman(['stop', '--time', String(grace), worker]);
    const seconds = (Date.now() - started) / 1000;
    const logs = await logsOf(worker);
    const exitCode = await mustPodman(['inspect', '--format', '{{.State.ExitCode}}', worker]);
    expect(exitCode.trim(), logs.slice(-3000)).toBe('0');
    expect(seconds, logs.slice(-3000)).toBeLessThan(grace);
    expect(logs).toContain('worker: Warm shutdown');
    console.log(`[${NAME}] worker stopped in ${seconds.toFixed(1)} s (compose allows ${grace} s)`);
  });
});
