import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  STANDARD_GATES,
  STATIC_GATES,
  createPostgresDatabase,
  generateProject,
  mustRun,
  psqlRows,
  type PostgresDatabase,
} from '../helpers/python-project.ts';
import { callJson } from '../helpers/http.ts';
import { expectMarchReport, MARCH, postMarchSales } from '../helpers/sales-report.ts';
import {
  celeryCommand,
  enqueueOverHttpAndWorkInAnotherProcess,
  expectMakeWorkerAndBeat,
  expectPytestOnRedisAndPostgres,
  itPassesTheJobsGates,
  JOBS_CLEAN_ENV,
  waitForJob,
  withApiAndWorker,
} from '../helpers/jobs-run.ts';
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

const PACKAGE = 'report_hub';

/** A Redis database of these crash tests' own (the other tests use /0, the container test /7). */
const CRASH_REDIS_URL = 'redis://127.0.0.1:6379/12';

/**
 * The README's promise, end to end: the API and a `celery worker` as separate
 * processes on Redis and PostgreSQL; a psql session locks the sales table, so the
 * report job waits inside its query; the worker's main process gets SIGKILL; the
 * lock goes, and a new worker starts. Redis hands the unacknowledged message to it
 * once the visibility timeout has passed (derived from the time limits, set low
 * here), and the report is built, once.
 */
async function killAWorkerMidReport(dir: string, database: PostgresDatabase): Promise<void> {
  const limits = { JOBS_SOFT_TIME_LIMIT_SECONDS: '4', JOBS_TIME_LIMIT_SECONDS: '5' };
  const options = { redisUrl: CRASH_REDIS_URL, databaseUrl: database.url, env: limits, directWorker: true };
  await withApiAndWorker(dir, PACKAGE, options, async ({ base, worker, start }) => {
    await postMarchSales(base);
    const lock = await lockTable(database.name, 'sales');
    let location = '';
    try {
      const accepted = await callJson(base, 'POST', '/api/v1/reports', MARCH);
      expect(accepted.status).toBe(202);
      location = accepted.headers.get('location')!;
      await waitForStatus(location, 'running');
      process.kill(worker.pid, 'SIGKILL');
    } finally {
      await lock.release();
    }
    const restarted = await start(celeryCommand(PACKAGE, 'worker', { direct: true }), async () => true);

    const job = await waitForJob(location, restarted);
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    expect(job.attempts).toBe(2);
    expectMarchReport(job.result);
    expect(await psqlRows(database.name, `select count(*) from sales_reports where job_id = '${job.id}'`)).toEqual(['1']);
    await expect.poll(() => restarted.output(), { timeout: 15_000 }).toMatch(new RegExp(`Task reports\\.build_sales_report\\[${job.id}\\] succeeded`));
    expect(worker.output()).not.toMatch(new RegExp(`\\[${job.id}\\] succeeded`));
  });
}

/** Polls a job's URL until its status is `status` (30 s at most). */
async function waitForStatus(url: string, status: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = (await callJson(url, 'GET', '')).body;
    if (job.status === status) return;
    if (Date.now() > deadline) throw new Error(`job still ${job.status}, never ${status}: ${JSON.stringify(job)}`);
    await sleep(50);
  }
}

/** A psql session that holds an exclusive lock on `table` until `release` ends it. */
async function lockTable(databaseName: string, table: string): Promise<{ release(): Promise<void> }> {
  const application = `cprp-lock-${randomBytes(4).toString('hex')}`;
  const holder = execa('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', databaseName, '-c', `BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT;`], {
    env: { PGAPPNAME: application },
    reject: false,
  });
  const held = `select count(*) from pg_locks l join pg_class c on c.oid = l.relation where c.relname = '${table}' and l.mode = 'AccessExclusiveLock' and l.granted`;
  const deadline = Date.now() + 30_000;
  while ((await psqlRows(databaseName, held))[0] !== '1') {
    if (Date.now() > deadline) throw new Error(`the lock on ${table} was never granted`);
    await sleep(50);
  }
  return {
    async release() {
      await psqlRows(databaseName, `select pg_terminate_backend(pid) from pg_stat_activity where application_name = '${application}'`);
      await holder;
    },
  };
}

describe('background-jobs: Celery workers, beat and a job ledger, on an embedded broker or Redis', () => {
  let dir = '';

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('report-hub', ['--milestone', 'background-jobs']);
    await mustRun(dir, ['uv', 'sync']);
  });

  // pytest runs on Redis and PostgreSQL below; on the embedded broker and SQLite, the
  // combined project's gates at the end of this file run the same jobs tests.
  itPassesTheJobsGates(() => dir, STATIC_GATES);

  describe('challenges', () => {
    itProvesTheChallenges('background-jobs', () => dir, JOBS_CLEAN_ENV);
  });

  it('pytest passes on the machine Redis and PostgreSQL (a real worker, the production stack)', async (ctx) => {
    await expectPytestOnRedisAndPostgres(dir, ctx);
  });

  it('make worker and make beat run the documented celery command lines, after the development migrations', async (ctx) => {
    await expectMakeWorkerAndBeat(dir, PACKAGE, ctx);
  });

  it('with no Redis, a job enqueued over HTTP is completed by a separate celery worker on the embedded broker (and make fuzz passes)', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    await enqueueOverHttpAndWorkInAnotherProcess(dir, PACKAGE, 'embedded', { fuzz: true });
  });

  it('with the machine Redis, a job enqueued over HTTP is completed by a separate celery worker', async (ctx) => {
    requireOrSkip(ctx, 'Redis', REDIS, REDIS_HINT);
    await enqueueOverHttpAndWorkInAnotherProcess(dir, PACKAGE, 'redis');
  });

  it('on the machine Redis and PostgreSQL, a worker killed with SIGKILL mid-report is restarted, and the report ends succeeded, once', async (ctx) => {
    requireOrSkip(ctx, 'Redis', REDIS, REDIS_HINT);
    requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
    const database = await createPostgresDatabase();
    try {
      await killAWorkerMidReport(dir, database);
    } finally {
      await database.drop();
    }
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
        const output = await mustRun(combined, gate.command, JOBS_CLEAN_ENV);
        if (gate.command.includes('pytest')) expect(output).toMatch(/\d+ passed/);
      }
    });
  });
});
