import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TASK_FRAMEWORK_IDS, type TaskFramework } from '../../src/generators/task/plan.ts';
import { runCli } from '../helpers/cli.ts';
import {
  STANDARD_GATES,
  createPostgresDatabase,
  generateProject,
  mustRun,
} from '../helpers/python-project.ts';
import { callJson } from '../helpers/http.ts';
import { JOBS_CLEAN_ENV, waitForJob, withApiAndWorker } from '../helpers/jobs-run.ts';
import { projectFiles } from '../helpers/project-tree.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { POSTGRES, POSTGRES_HINT, REDIS, REDIS_HINT, REDIS_URL, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const SERVICES_HINT = `${REDIS_HINT} and ${POSTGRES_HINT}`;

/**
 * `generate task`, for real, on every framework it writes a trigger for: two
 * tasks (one with an API trigger) are generated into a background-jobs project
 * with the built CLI; the project's gates pass, its tests pass with a real worker
 * on the embedded broker (the trigger's through the framework's test client), and,
 * on FastAPI only, on Redis + PostgreSQL and with a job queued over HTTP run by a
 * separate `celery worker` process: the task and the ledger are the same code on
 * every framework.
 */
function describeTasks(framework: TaskFramework): void {
  describe(`generate task on ${framework}: a Celery task with and without an API trigger passes the project gates`, () => {
    const project = framework === 'fastapi' ? 'chores' : `${framework}-chores`;
    const PACKAGE = project.replaceAll('-', '_');
    let dir = '';
    let generated: { exitCode: number; stderr: string }[] = [];

    beforeAll(async () => {
      if (!UV) return;
      dir = await generateProject(project, ['--milestone', 'background-jobs', '--framework', framework]);
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
        const pytest = gate.command.includes('pytest');
        // -rA lists every passed test: the generated ones are counted there, with no second run.
        const output = await mustRun(dir, pytest ? [...gate.command, '-rA'] : gate.command, JOBS_CLEAN_ENV);
        if (!pytest) return;
        // The generated tests ran among the others, with a real worker (and the trigger's over HTTP).
        const passed = (file: string): number => output.split('\n').filter((line) => line.startsWith(`PASSED tests/jobs/${file}::`)).length;
        expect([passed('test_send_reminders_task.py'), passed('test_nightly_cleanup_task.py')]).toEqual([6, 3]);
      });
    }

    if (framework === 'fastapi') it('pytest passes on the machine Redis and PostgreSQL', async (ctx) => {
      requireOrSkip(ctx, 'Redis and PostgreSQL', REDIS && POSTGRES, SERVICES_HINT);
      const database = await createPostgresDatabase();
      try {
        const output = await mustRun(dir, STANDARD_GATES[0]!.command, { ...JOBS_CLEAN_ENV, REDIS_URL, TEST_DATABASE_URL: database.url });
        expect(output).toMatch(/\d+ passed/);
      } finally {
        await database.drop();
      }
    });

    it('check passes and update changes nothing', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const check = await runCli(['check', '--strict'], { cwd: dir });
      expect(check.exitCode, `${check.stdout}${check.stderr}`).toBe(0);
      const before = projectFiles(dir, ['.jobs']);
      const update = await runCli(['update'], { cwd: dir });
      expect(update.exitCode, update.stderr).toBe(0);
      expect(projectFiles(dir, ['.jobs'])).toEqual(before);
    });

    // Served, with a separate worker process, once: that TASK_MODULES makes `celery worker` import
    // the task is framework-free, and on Flask the generated tests already post to the trigger and
    // poll the job through a real worker (the served Flask jobs API is background-jobs-flask's).
    if (framework === 'fastapi') it('a job queued over HTTP is run by a separate celery worker process', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      await withApiAndWorker(dir, PACKAGE, {}, async ({ base, worker }) => {
        const accepted = await callJson(base, 'POST', '/api/v1/send-reminders', {}, { headers: { 'Idempotency-Key': 'reminders-once' } });
        expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
        expect(accepted.body).toMatchObject({ kind: 'send_reminders.run', status: 'pending', params: {} });
        const location = accepted.headers.get('location')!;
        expect(new URL(location).pathname).toBe(`/api/v1/jobs/${accepted.body.id}`);
        expect((await callJson(base, 'POST', '/api/v1/send-reminders', { unknown: 1 })).status).toBe(422);

        const job = await waitForJob(location, worker);
        expect(job).toMatchObject({ status: 'succeeded', result: { params: {} }, attempts: 1, error: null });
        await expect.poll(() => worker.output(), { timeout: 15_000 }).toMatch(new RegExp(`Task send_reminders\\.run\\[${job.id}\\] succeeded`));
        // The worker imported the task without the trigger too (TASK_MODULES lists it).
        expect(worker.output()).toContain('nightly_cleanup.run');

        const replayed = await callJson(base, 'POST', '/api/v1/send-reminders', {}, { headers: { 'Idempotency-Key': 'reminders-once' } });
        expect(replayed.body.id).toBe(job.id);
        expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      });
    });
  });
}

for (const framework of TASK_FRAMEWORK_IDS) describeTasks(framework);

describe('generate task in a --framework django project: refusals (exit 2, nothing written)', () => {
  // Its gates, with a generated task and its trigger through a real worker, run in background-jobs-django.test.ts.
  it('refuses a route another app serves, a label Django installs already, and a task that exists', async () => {
    const parent = makeTempDir('cprp-django-task');
    const created = await runCli(['shop', '--milestone', 'background-jobs', '--framework', 'django', '--yes', '--no-install'], { cwd: parent });
    expect(created.exitCode, created.stderr).toBe(0);
    const dir = path.join(parent, 'shop');
    const before = projectFiles(dir);
    for (const [args, says] of [
      [['sales', '--trigger'], 'The route /api/v1/sales is already served by another app'],
      [['admin', '--no-trigger'], 'label of an app Django projects install already'],
      [['jobs', '--no-trigger'], 'src/shop/jobs already exists'],
      [['Bad-Name', '--no-trigger'], 'cannot be a task name'],
    ] as const) {
      const result = await runCli(['generate', 'task', ...args, '--yes'], { cwd: dir });
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr).toContain(says);
      expect(projectFiles(dir)).toEqual(before);
    }
    const made = await runCli(['generate', 'task', 'send_digest', '--no-trigger', '--yes'], { cwd: dir });
    expect(made.exitCode, made.stderr).toBe(0);
    const again = await runCli(['generate', 'task', 'send_digest', '--no-trigger', '--yes'], { cwd: dir });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('src/shop/send_digest already exists');
  });
});
