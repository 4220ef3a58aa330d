import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { callJson } from './http.ts';
import {
  createPostgresDatabase,
  freePort,
  httpReady,
  mustRun,
  runIn,
  STANDARD_GATES,
  startProcess,
  type Gate,
  type RunningProcess,
} from './python-project.ts';
import { hasExecutable, POSTGRES, POSTGRES_HINT, REDIS, REDIS_HINT, REDIS_URL, requireOrSkip, UV, UV_HINT, type SkippableContext } from './requirements.ts';
import { expectMarchReport, MARCH, postMarchSales } from './sales-report.ts';
import { makeTempDir } from './temp-dir.ts';

/** Environment variables a jobs project reads; the machine's own must not leak into a run. */
export const JOBS_CLEAN_ENV = {
  REDIS_URL: undefined,
  TEST_REDIS_URL: undefined,
  TEST_DATABASE_URL: undefined,
  DATABASE_URL: undefined,
  JOBS_DATA_DIR: undefined,
  JOBS_QUEUE: undefined,
} as const;

/** The web framework of a jobs project: where its Celery app lives and how it migrates. */
export type JobsFramework = 'fastapi' | 'flask' | 'django';

/** The `--app` of a project's `celery` command: Django's is `<package>/celery.py`, as Celery's Django recipe has it. */
export function celeryAppOf(packageName: string, framework: JobsFramework = 'fastapi'): string {
  return framework === 'django' ? `${packageName}.celery:app` : `${packageName}.jobs.worker:celery_app`;
}

/** The command that applies every migration: Alembic's heads, or Django's `migrate`. */
function migrateCommand(framework: JobsFramework): string[] {
  return framework === 'django'
    ? ['uv', 'run', '--locked', 'python', 'manage.py', 'migrate', '--no-input']
    : ['uv', 'run', '--locked', 'alembic', 'upgrade', 'heads'];
}

/**
 * The `it`s of a jobs project's gates (the standard ones unless told: pytest with its
 * coverage gate, ruff, ruff format, mypy), with none of the machine's services in the
 * environment: pytest runs on the embedded broker and SQLite. `project()` is the
 * generated, synced project of the file's beforeAll.
 */
export function itPassesTheJobsGates(project: () => string, gates: readonly Gate[] = STANDARD_GATES): void {
  for (const gate of gates) {
    const isPytest = gate.command.includes('pytest');
    it(`${gate.name} passes${isPytest ? ' on the embedded broker and SQLite' : ''}`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const output = await mustRun(project(), gate.command, JOBS_CLEAN_ENV);
      if (isPytest) expect(output).toMatch(/\d+ passed/);
    });
  }
}

/**
 * The project's pytest on the machine's Redis and a throwaway PostgreSQL database:
 * the production stack, with the real worker processes; nothing may be skipped
 * (the Redis-only tests run).
 */
export async function expectPytestOnRedisAndPostgres(dir: string, ctx: SkippableContext): Promise<void> {
  requireOrSkip(ctx, 'Redis', REDIS, REDIS_HINT);
  requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
  const database = await createPostgresDatabase();
  try {
    const output = await mustRun(dir, STANDARD_GATES[0]!.command, { ...JOBS_CLEAN_ENV, REDIS_URL, TEST_DATABASE_URL: database.url });
    expect(output).toMatch(/\d+ passed/);
    expect(output).not.toMatch(/\d+ skipped/);
  } finally {
    await database.drop();
  }
}

/**
 * `make worker` and `make beat` run the documented celery command lines, each after
 * `migrate` (the development migrations; the package's `db.schema` by default).
 */
export async function expectMakeWorkerAndBeat(
  dir: string,
  packageName: string,
  ctx: SkippableContext,
  migrate = `uv run python -m ${packageName}.db.schema`,
): Promise<void> {
  requireOrSkip(ctx, 'uv', UV, UV_HINT);
  requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
  const app = celeryAppOf(packageName);
  const worker = await mustRun(dir, ['make', '-n', 'worker']);
  expect(worker.trim().split('\n')).toEqual([migrate, `uv run celery --app ${app} worker --loglevel INFO`]);
  const beat = await mustRun(dir, ['make', '-n', 'beat']);
  expect(beat.trim().split('\n')).toEqual([migrate, `uv run celery --app ${app} beat --loglevel INFO`]);
}

/**
 * `celery worker` (one process in its pool) or `celery beat` for a generated package,
 * through `uv run`; with `direct`, the project's own Python runs celery itself, so the
 * process started is celery's main process (uv would be its parent), for a test that kills it.
 */
export function celeryCommand(
  packageName: string,
  program: 'worker' | 'beat',
  options: { direct?: boolean; framework?: JobsFramework } = {},
): string[] {
  const launcher = options.direct ? [path.join('.venv', 'bin', 'python'), '-m', 'celery'] : ['uv', 'run', '--locked', 'celery'];
  const app = [...launcher, '--app', celeryAppOf(packageName, options.framework)];
  return program === 'worker' ? [...app, 'worker', '--loglevel', 'INFO', '--concurrency', '1'] : [...app, 'beat', '--loglevel', 'INFO'];
}

/** Resolves once `worker` has logged that it is ready to take messages (a minute at most). */
export async function workerReady(worker: RunningProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!worker.output().includes(' ready.')) {
    if (Date.now() > deadline) throw new Error(`the worker never said it was ready:\n${worker.output().slice(-4000)}`);
    await sleep(100);
  }
}

/**
 * Polls a job's status URL until it has finished; fails after a minute with the
 * worker's log (a process's output, or a container's `podman logs`).
 */
export async function waitForJob(url: string, worker: RunningProcess | (() => Promise<string>)): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = (await callJson(url, 'GET', '')).body;
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    if (Date.now() > deadline) {
      const log = typeof worker === 'function' ? await worker() : worker.output();
      throw new Error(`job still ${job.status} after 60 s; worker log:\n${log.slice(-4000)}`);
    }
    await sleep(100);
  }
}

/** What a test body gets while the API and the worker run. */
export interface JobsRun {
  readonly base: string;
  readonly env: Record<string, string | undefined>;
  readonly scratch: string;
  /** This run's own queue: other runs on the same broker never take its messages. */
  readonly queue: string;
  readonly worker: RunningProcess;
  /** Starts one more process (beat, say) that is stopped with the others. */
  start(command: readonly string[], ready: () => Promise<boolean>): Promise<RunningProcess>;
}

/**
 * The real thing: the API (`python -m <package>`) and a `celery worker` as two
 * processes sharing only the broker and a SQLite database in a scratch folder
 * (migrated first), on Redis when `redisUrl` is given. Both, and anything
 * `start`ed, are stopped after `body`; the run's keys are removed from Redis.
 */
export async function withApiAndWorker(
  dir: string,
  packageName: string,
  options: {
    readonly redisUrl?: string | undefined;
    /** The database (migrated first); a SQLite file in the scratch folder by default. */
    readonly databaseUrl?: string;
    /** More environment for every process (short job time limits, say). */
    readonly env?: Record<string, string>;
    /** Start the worker with `celeryCommand(..., { direct: true })`, so that `worker.pid` is celery's. */
    readonly directWorker?: boolean;
    /** The project's framework (FastAPI by default): its Celery app and migration command. */
    readonly framework?: JobsFramework;
  },
  body: (run: JobsRun) => Promise<void>,
): Promise<void> {
  const scratch = makeTempDir('cprp-jobs-run');
  const queue = `cprp-test-${randomBytes(6).toString('hex')}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...JOBS_CLEAN_ENV,
    DATABASE_URL: options.databaseUrl ?? `sqlite:///${path.join(scratch, 'app.db')}`,
    JOBS_DATA_DIR: path.join(scratch, 'jobs'),
    JOBS_QUEUE: queue,
    REDIS_URL: options.redisUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    APP_ENV: 'development',
    ...options.env,
  };
  await mustRun(dir, migrateCommand(options.framework ?? 'fastapi'), env);
  const processes: RunningProcess[] = [];
  const start = async (command: readonly string[], ready: () => Promise<boolean>): Promise<RunningProcess> => {
    const process = await startProcess(dir, command, { env, ready });
    processes.push(process);
    return process;
  };
  try {
    await start(['uv', 'run', '--locked', 'python', '-m', packageName], () => httpReady(`${base}/health`));
    const worker = await start(
      celeryCommand(packageName, 'worker', { direct: options.directWorker ?? false, framework: options.framework ?? 'fastapi' }),
      async () => true,
    );
    await body({ base, env, scratch, queue, worker, start });
  } finally {
    for (const process of processes.reverse()) await process.stop();
    if (options.redisUrl) {
      // Remove what this run left in the shared Redis (its queue's keys and binding).
      const script = `import redis; c = redis.Redis.from_url("${options.redisUrl}"); keys = list(c.scan_iter(match="*${queue}*")); c.delete(*keys) if keys else None`;
      await runIn(dir, ['uv', 'run', '--locked', 'python', '-c', script]);
    }
  }
}

/**
 * The real thing, end to end: the API (`python -m <package>`) and a `celery worker`
 * are two processes that share nothing but the broker and the database. A report is
 * requested over HTTP, and the separate worker builds it.
 */
export async function enqueueOverHttpAndWorkInAnotherProcess(
  dir: string,
  packageName: string,
  broker: 'embedded' | 'redis',
  /** `generatedOperations`: operations `generate` added to the project (a task's trigger), fuzzed too. */
  options: { fuzz?: boolean; framework?: JobsFramework; databaseUrl?: string; generatedOperations?: number } = {},
): Promise<void> {
  const framework = options.framework ?? 'fastapi';
  const run = { redisUrl: broker === 'redis' ? REDIS_URL : undefined, framework, ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}) };
  await withApiAndWorker(dir, packageName, run, async ({ base, env, scratch, queue, worker, start }) => {
    expect((await callJson(base, 'GET', '/health')).body).toEqual({ status: 'ok', checks: { broker: 'ok', database: 'ok', migrations: 'ok' } });
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
    expectMarchReport(job.result);
    // The separate worker process did it: its own log names the job. Celery writes that
    // line after the task has returned, so after the ledger already says succeeded: poll.
    await expect.poll(() => worker.output(), { timeout: 15_000 }).toMatch(new RegExp(`Task reports\\.build_sales_report\\[${job.id}\\] succeeded`));
    if (framework === 'django') {
      // Django's worker logs through settings.LOGGING (logs.py), each of the job's lines stamped
      // with the id of the request that queued it: the X-Request-ID the API answered with.
      const requestId = accepted.headers.get('x-request-id')!;
      expect(worker.output()).toMatch(new RegExp(` INFO \\S+ \\[${requestId}\\] Job ${job.id} succeeded`));
    }
    const report = await callJson(base, 'GET', `/api/v1/reports/${job.result.id}`);
    expect(report.body).toEqual(job.result);

    // The same request with the same key: the same job, no second one.
    const replayed = await callJson(base, 'POST', '/api/v1/reports', MARCH, { headers: key });
    expect(replayed.status).toBe(202);
    expect(replayed.body.id).toBe(job.id);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');

    // Beat starts on the same broker, with the project's schedule.
    const jobsDir = path.join(scratch, 'jobs');
    const beat = await start(celeryCommand(packageName, 'beat', { framework }), async () =>
      readdirSync(jobsDir).some((file) => file.startsWith('beat-schedule')),
    );
    await sleep(1000);
    expect(beat.output()).toContain('beat: Starting...');
    expect(beat.output()).not.toMatch(/Traceback|ERROR/);

    if (options.fuzz) {
      // schemathesis (make fuzz) against the running API: no 500, no response outside the schema.
      const fuzz = await runIn(dir, ['make', 'fuzz', 'FUZZ_ARGS=--max-examples 40 --seed 20261121'], env);
      expect(fuzz.output).toContain('--checks all');
      // Every operation of the schema: FastAPI and Flask document /health too, Django's is a plain view.
      const operations = (framework === 'django' ? 5 : 6) + (options.generatedOperations ?? 0);
      expect(fuzz.output).toContain(`Selected: ${operations}/${operations}`);
      expect(fuzz.exitCode, fuzz.output.slice(-6000)).toBe(0);
      expect(fuzz.output).toMatch(/(\d+) generated, \1 passed/);
    }
  });
}
