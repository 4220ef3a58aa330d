import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import {
  STANDARD_GATES,
  createPostgresDatabase,
  freePort,
  generateProject,
  httpReady,
  mustRun,
  startProcess,
  type RunningProcess,
} from '../helpers/python-project.ts';
import { callJson } from '../helpers/http.ts';
import { projectFiles } from '../helpers/project-tree.ts';
import { POSTGRES, POSTGRES_HINT, REDIS, REDIS_HINT, REDIS_URL, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const SERVICES_HINT = `${REDIS_HINT} and ${POSTGRES_HINT}`;
const PACKAGE = 'chores';
const WORKER = ['uv', 'run', '--locked', 'celery', '--app', `${PACKAGE}.jobs.worker:celery_app`, 'worker', '--loglevel', 'INFO', '--concurrency', '1'];
/** Environment variables the generated project reads; the machine's own must not leak in. */
const CLEAN_ENV = { REDIS_URL: undefined, TEST_REDIS_URL: undefined, TEST_DATABASE_URL: undefined, DATABASE_URL: undefined, JOBS_DATA_DIR: undefined, JOBS_QUEUE: undefined };

/**
 * Issue 9's `generate task`, for real: two tasks (one with an API trigger) are
 * generated into a background-jobs project with the built CLI; the project's
 * gates pass, its tests pass with a real worker on the embedded broker and on
 * Redis + PostgreSQL, and a job queued over HTTP is run by a separate
 * `celery worker` process.
 */
describe('generate task: a Celery task with and without an API trigger passes the project gates', () => {
  let dir = '';
  let generated: { exitCode: number; stderr: string }[] = [];

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('chores', ['--milestone', 'background-jobs']);
    generated = [
      await runCli(['generate', 'task', 'send_reminders', '--trigger'], { cwd: dir }),
      await runCli(['generate', 'task', 'nightly_cleanup', '--no-trigger'], { cwd: dir }),
    ];
    await mustRun(dir, ['uv', 'sync']);
  });

  it('generates both tasks with exit 0', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    for (const result of generated) expect(result.exitCode, result.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'src', PACKAGE, 'send_reminders', 'router.py'))).toBe(true);
    expect(existsSync(path.join(dir, 'src', PACKAGE, 'nightly_cleanup', 'router.py'))).toBe(false);
  });

  for (const gate of STANDARD_GATES) {
    it(`${gate.name} passes (embedded broker, SQLite)`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const output = await mustRun(dir, gate.command, CLEAN_ENV);
      if (gate.command.includes('pytest')) expect(output).toMatch(/\d+ passed/);
    });
  }

  it('the generated tests run, with a real worker, among the others', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const output = await mustRun(dir, ['uv', 'run', '--locked', 'pytest', '-q', '-p', 'no:cacheprovider', '--no-cov', 'tests/jobs/test_send_reminders_task.py', 'tests/jobs/test_nightly_cleanup_task.py'], CLEAN_ENV);
    expect(output).toMatch(/\b9 passed/);
  });

  it('pytest passes on the machine Redis and PostgreSQL', async (ctx) => {
    requireOrSkip(ctx, 'Redis and PostgreSQL', REDIS && POSTGRES, SERVICES_HINT);
    const database = await createPostgresDatabase();
    try {
      const output = await mustRun(dir, STANDARD_GATES[0]!.command, { ...CLEAN_ENV, REDIS_URL, TEST_DATABASE_URL: database.url });
      expect(output).toMatch(/\d+ passed/);
    } finally {
      await database.drop();
    }
  });

  it('check passes and update changes nothing', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expect((await runCli(['check', '--strict'], { cwd: dir })).exitCode).toBe(0);
    const before = projectFiles(dir, ['.jobs']);
    const update = await runCli(['update'], { cwd: dir });
    expect(update.exitCode, update.stderr).toBe(0);
    expect(projectFiles(dir, ['.jobs'])).toEqual(before);
  });

  it('a job queued over HTTP is run by a separate celery worker process', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const scratch = makeTempDir('cprp-task-run');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      ...CLEAN_ENV,
      DATABASE_URL: `sqlite:///${path.join(scratch, 'app.db')}`,
      JOBS_DATA_DIR: path.join(scratch, 'jobs'),
      JOBS_QUEUE: `cprp-test-${randomBytes(6).toString('hex')}`,
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

      const accepted = await callJson(base, 'POST', '/api/v1/send-reminders', {}, { headers: { 'Idempotency-Key': 'reminders-once' } });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
      expect(accepted.body).toMatchObject({ kind: 'send_reminders.run', status: 'pending', params: {} });
      const location = accepted.headers.get('location')!;
      expect(new URL(location).pathname).toBe(`/api/v1/jobs/${accepted.body.id}`);
      expect((await callJson(base, 'POST', '/api/v1/send-reminders', { unknown: 1 })).status).toBe(422);

      const deadline = Date.now() + 60_000;
      let job = (await callJson(location, 'GET', '')).body;
      while (job.status !== 'succeeded' && job.status !== 'failed') {
        if (Date.now() > deadline) throw new Error(`job still ${job.status}; worker log:\n${worker.output().slice(-4000)}`);
        await sleep(100);
        job = (await callJson(location, 'GET', '')).body;
      }
      expect(job).toMatchObject({ status: 'succeeded', result: { params: {} }, attempts: 1, error: null });
      expect(worker.output()).toMatch(new RegExp(`Task send_reminders\\.run\\[${job.id}\\] succeeded`));
      // The worker imported the task without the trigger too (TASK_MODULES lists it).
      expect(worker.output()).toContain('nightly_cleanup.run');

      const replayed = await callJson(base, 'POST', '/api/v1/send-reminders', {}, { headers: { 'Idempotency-Key': 'reminders-once' } });
      expect(replayed.body.id).toBe(job.id);
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    } finally {
      for (const process of processes.reverse()) await process.stop();
    }
  });
});
