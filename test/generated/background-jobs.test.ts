import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  STANDARD_GATES,
  createPostgresDatabase,
  freePort,
  generateProject,
  httpReady,
  mustRun,
  runIn,
  startProcess,
  type RunningProcess,
} from '../helpers/python-project.ts';
import { callJson } from '../helpers/http.ts';
import { MARCH, postMarchSales } from '../helpers/sales-report.ts';
import {
  hasExecutable,
  POSTGRES,
  POSTGRES_HINT,
  REDIS,
  REDIS_HINT,
  REDIS_URL,
  requireOrSkip,
  UV,
  UV_HINT,
} from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const PACKAGE = 'report_hub';
const CELERY_APP = `${PACKAGE}.jobs.worker:celery_app`;
const WORKER = ['uv', 'run', '--locked', 'celery', '--app', CELERY_APP, 'worker', '--loglevel', 'INFO', '--concurrency', '1'];
const BEAT = ['uv', 'run', '--locked', 'celery', '--app', CELERY_APP, 'beat', '--loglevel', 'INFO'];
/** Environment variables the generated project reads; the machine's own must not leak in. */
const CLEAN_ENV = { REDIS_URL: undefined, TEST_DATABASE_URL: undefined, DATABASE_URL: undefined, JOBS_DATA_DIR: undefined, JOBS_QUEUE: undefined };

/** Polls a job's status URL until it has finished; fails with the worker's log after a minute. */
async function waitForJob(url: string, worker: RunningProcess): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = (await callJson(url, 'GET', '')).body;
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`job still ${job.status} after 60 s; worker log:\n${worker.output().slice(-4000)}`);
    await sleep(100);
  }
}

/**
 * The real thing, end to end: the API (`python -m report_hub`) and a `celery worker`
 * are two processes that share nothing but the broker and the database. A report is
 * requested over HTTP, and the separate worker builds it.
 */
async function enqueueOverHttpAndWorkInAnotherProcess(dir: string, broker: 'embedded' | 'redis', options: { fuzz?: boolean } = {}): Promise<void> {
  const scratch = makeTempDir('cprp-jobs-run');
  const queue = `cprp-test-${randomBytes(6).toString('hex')}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...CLEAN_ENV,
    DATABASE_URL: `sqlite:///${path.join(scratch, 'app.db')}`,
    JOBS_DATA_DIR: path.join(scratch, 'jobs'),
    // A queue of this run's own: other runs on the same Redis never take its messages.
    JOBS_QUEUE: queue,
    REDIS_URL: broker === 'redis' ? REDIS_URL : undefined,
    HOST: '127.0.0.1',
    PORT: String(port),
    APP_ENV: 'development',
  };
  await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'upgrade', 'heads'], env);

  const processes: RunningProcess[] = [];
  try {
    processes.push(await startProcess(dir, ['uv', 'run', '--locked', 'python', '-m', PACKAGE], { env, ready: () => httpReady(`${base}/health`) }));
    const worker = await startProcess(dir, WORKER, { env, ready: async () => true });
    processes.push(worker);

    expect((await callJson(base, 'GET', '/health')).body).toEqual({ status: 'ok', checks: { broker: 'ok', database: 'ok' } });
    await postMarchSales(base);

    const key = { 'Idempotency-Key': `march-${queue}` };
    const accepted = await callJson(base, 'POST', '/api/v1/reports', MARCH, { headers: key });
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('pending');
    const location = accepted.headers.get('location')!;
    expect(new URL(location).pathname).toBe(`/api/v1/jobs/${accepted.body.id}`);

    const job = await waitForJob(location, worker);
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    expect(job.attempts).toBe(1);
    expect(job.result).toMatchObject({ sale_count: 3, units_sold: 5, revenue_cents: 2700 });
    expect(job.result.top_products).toEqual([
      { product: 'Tea', units_sold: 4, revenue_cents: 1800 },
      { product: 'Coffee', units_sold: 1, revenue_cents: 900 },
    ]);
    // The separate worker process did it: its own log names the job.
    expect(worker.output()).toMatch(new RegExp(`Task reports\\.build_sales_report\\[${job.id}\\] succeeded`));
    const report = await callJson(base, 'GET', `/api/v1/reports/${job.result.id}`);
    expect(report.body).toEqual(job.result);

    // The same request with the same key: the same job, no second one.
    const replayed = await callJson(base, 'POST', '/api/v1/reports', MARCH, { headers: key });
    expect(replayed.status).toBe(202);
    expect(replayed.body.id).toBe(job.id);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');

    // Beat starts on the same broker, with the project's schedule.
    const jobsDir = path.join(scratch, 'jobs');
    const beat = await startProcess(dir, BEAT, {
      env,
      ready: async () => readdirSync(jobsDir).some((file) => file.startsWith('beat-schedule')),
    });
    processes.push(beat);
    await sleep(1000);
    expect(beat.output()).toContain('beat: Starting...');
    expect(beat.output()).not.toMatch(/Traceback|ERROR/);

    if (options.fuzz) {
      // schemathesis (make fuzz) against the running API: no 500, no response outside the schema.
      const fuzz = await runIn(dir, ['make', 'fuzz', 'FUZZ_ARGS=--max-examples 40 --seed 20261121'], env);
      expect(fuzz.output).toContain('Selected: 6/6');
      expect(fuzz.exitCode, fuzz.output.slice(-6000)).toBe(0);
      expect(fuzz.output).toMatch(/(\d+) generated, \1 passed/);
    }
  } finally {
    for (const process of processes.reverse()) await process.stop();
    if (broker === 'redis') {
      // Remove what this run left in the shared Redis (the queue's binding).
      await runIn(dir, ['uv', 'run', '--locked', 'python', '-c', `import redis; c = redis.Redis.from_url("${REDIS_URL}"); keys = list(c.scan_iter(match="*${queue}*")); c.delete(*keys) if keys else None`]);
    }
  }
}

describe('background-jobs: Celery workers, beat and a job ledger, on an embedded broker or Redis', () => {
  let dir = '';

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('report-hub', ['--milestone', 'background-jobs']);
    await mustRun(dir, ['uv', 'sync']);
  });

  for (const gate of STANDARD_GATES) {
    it(`${gate.name} passes on the embedded broker`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const output = await mustRun(dir, gate.command, CLEAN_ENV);
      if (gate.command.includes('pytest')) expect(output).toMatch(/\d+ passed/);
    });
  }

  it('pytest passes on the machine Redis and PostgreSQL (a real worker, the production stack)', async (ctx) => {
    requireOrSkip(ctx, 'Redis', REDIS, REDIS_HINT);
    requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
    const database = await createPostgresDatabase();
    try {
      const output = await mustRun(dir, STANDARD_GATES[0]!.command, { ...CLEAN_ENV, REDIS_URL, TEST_DATABASE_URL: database.url });
      expect(output).toMatch(/\d+ passed/);
      expect(output).not.toMatch(/\d+ skipped/);
    } finally {
      await database.drop();
    }
  });

  it('make worker and make beat run the documented celery command lines', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    const worker = await mustRun(dir, ['make', '-n', 'worker']);
    expect(worker.trim()).toBe(`uv run celery --app ${CELERY_APP} worker --loglevel INFO`);
    const beat = await mustRun(dir, ['make', '-n', 'beat']);
    expect(beat.trim()).toBe(`uv run celery --app ${CELERY_APP} beat --loglevel INFO`);
  });

  it('with no Redis, a job enqueued over HTTP is completed by a separate celery worker on the embedded broker (and make fuzz passes)', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    await enqueueOverHttpAndWorkInAnotherProcess(dir, 'embedded', { fuzz: true });
  });

  it('with the machine Redis, a job enqueued over HTTP is completed by a separate celery worker', async (ctx) => {
    requireOrSkip(ctx, 'Redis', REDIS, REDIS_HINT);
    await enqueueOverHttpAndWorkInAnotherProcess(dir, 'redis');
  });

  describe('together with crud-db', () => {
    let combined = '';

    beforeAll(async () => {
      if (!UV) return;
      combined = await generateProject('shop-ops', ['--milestone', 'background-jobs', '--milestone', 'crud-db']);
      await mustRun(combined, ['uv', 'sync']);
    });

    it('--milestone background-jobs --milestone crud-db passes every gate', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      expect(existsSync(path.join(combined, 'src/shop_ops/jobs/worker.py'))).toBe(true);
      expect(existsSync(path.join(combined, 'src/shop_ops/projects/router.py'))).toBe(true);
      for (const gate of STANDARD_GATES) {
        const output = await mustRun(combined, gate.command, CLEAN_ENV);
        if (gate.command.includes('pytest')) expect(output).toMatch(/\d+ passed/);
      }
    });
  });
});
