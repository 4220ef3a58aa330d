import { execaSync } from 'execa';
import { existsSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  COLD_MYPY,
  itPassesTheStaticGates,
  STANDARD_GATES,
  createPostgresDatabase,
  usePostgresDatabase,
  generateProject,
  mustRun,
  psqlRows,
  runIn,
  type RunningProcess,
} from '../helpers/python-project.ts';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { callJson } from '../helpers/http.ts';
import { checkCrudContract, expectHealthy, expectUnhealthy, serveUnhealthy } from '../helpers/http-contract.ts';
import { readTree } from '../helpers/project-tree.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { hasExecutable, POSTGRES, POSTGRES_HINT, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const PACKAGE = 'task_tracker';

describe('crud-db: the generated CRUD service passes its gates on SQLite and PostgreSQL', () => {
  let dir = '';

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('task-tracker', ['--milestone', 'crud-db']);
    await mustRun(dir, ['uv', 'sync']);
  });

  it('uv sync writes a lock file', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expect(existsSync(path.join(dir, 'uv.lock'))).toBe(true);
  });

  // pytest runs once here, on PostgreSQL (below); on SQLite it runs in generate-resource.test.ts,
  // on this project with three more resources. mypy starts cold, as a new user's does.
  itPassesTheStaticGates(() => dir, COLD_MYPY);

  describe('challenges', () => {
    itProvesTheChallenges('crud-db', () => dir, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined });
  });

  describe('on the machine PostgreSQL', () => {
    const postgres = usePostgresDatabase(POSTGRES);
    let server: RunningProcess | undefined;
    let base = '';
    let port = 0;

    it('pytest passes with TEST_DATABASE_URL on PostgreSQL, in a schema of its own', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      const output = await mustRun(dir, STANDARD_GATES[0]!.command, { TEST_DATABASE_URL: postgres.database.url });
      expect(output).toMatch(/\d+ passed/);
      // The run dropped its schema: nothing is left in the database it was given.
      expect(await psqlRows(postgres.database.name, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'test_%'")).toEqual([]);
    });

    it('alembic upgrade heads and downgrade base work on PostgreSQL', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      const env = { DATABASE_URL: postgres.database.url };
      const tables = (): Promise<string[]> =>
        psqlRows(postgres.database.name, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");

      await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'upgrade', 'heads'], env);
      expect(await tables()).toEqual(['alembic_version', 'projects', 'tasks']);
      expect(await psqlRows(postgres.database.name, 'SELECT indexname FROM pg_indexes WHERE tablename = \'tasks\' ORDER BY 1')).toEqual([
        'ix_tasks_project_id_status',
        'pk_tasks',
        'uq_tasks_project_id_title',
      ]);
      await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'check'], env);

      await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'downgrade', 'base'], env);
      expect(await tables()).toEqual(['alembic_version']);

      await mustRun(dir, ['make', 'migrate'], env);
      expect(await tables()).toEqual(['alembic_version', 'projects', 'tasks']);
    });

    it('python -m serves the CRUD flow over HTTP on PostgreSQL', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      ({ server, port, base } = await postgres.serve(dir, PACKAGE));

      const health = await callJson(base, 'GET', '/health');
      expect(health.body).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });

      const created = await callJson(base, 'POST', '/api/v1/projects', {
        name: 'Launch',
        tasks: [{ title: 'Write copy', due_date: '2030-01-15' }, { title: 'Ship' }],
      });
      expect(created.status).toBe(201);
      expect(created.body.task_count).toBe(2);
      const projectUrl = new URL(created.headers.get('location')!).pathname;
      expect(projectUrl).toBe(`/api/v1/projects/${created.body.id}`);

      const duplicate = await callJson(base, 'POST', '/api/v1/projects', { name: 'Launch' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.code).toBe('conflict');

      const invalid = await callJson(base, 'POST', '/api/v1/projects', { name: '' });
      expect(invalid.status).toBe(422);
      expect(invalid.body.error.details[0].loc).toEqual(['body', 'name']);

      const task = await callJson(base, 'POST', `${projectUrl}/tasks`, { title: 'Announce', status: 'in_progress' });
      expect(task.status).toBe(201);

      const listed = await callJson(base, 'GET', `/api/v1/tasks?project_id=${created.body.id}&sort=due_date&page_size=2`);
      expect(listed.status).toBe(200);
      expect(listed.body.total).toBe(3);
      expect(listed.body.pages).toBe(2);
      expect(listed.body.items.map((item: { title: string }) => item.title)).toEqual(['Write copy', 'Ship']);

      const filtered = await callJson(base, 'GET', '/api/v1/tasks?status=in_progress');
      expect(filtered.body.items.map((item: { id: number }) => item.id)).toEqual([task.body.id]);
      expect((await callJson(base, 'GET', '/api/v1/tasks?page_size=1000')).status).toBe(422);

      const updated = await callJson(base, 'PATCH', `/api/v1/tasks/${task.body.id}`, { status: 'done' });
      expect(updated.status).toBe(200);
      expect(updated.body.status).toBe('done');

      const renamed = await callJson(base, 'PATCH', projectUrl, { name: 'Launch v2' });
      expect(renamed.body.name).toBe('Launch v2');
      expect((await callJson(base, 'GET', '/api/v1/projects?q=v2')).body.total).toBe(1);

      expect((await callJson(base, 'DELETE', projectUrl)).status).toBe(204);
      expect((await callJson(base, 'GET', projectUrl)).status).toBe(404);
      expect((await callJson(base, 'GET', `/api/v1/tasks/${task.body.id}`)).body.error.code).toBe('not_found');
      expect(await psqlRows(postgres.database.name, 'SELECT count(*) FROM tasks')).toEqual(['0']);
    });

    it('keeps the shared HTTP contract (docs/ARCHITECTURE.md) when served on PostgreSQL', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(server, 'the server of the previous test is running').toBeDefined();
      await expectHealthy(base, ['database', 'migrations']);
      await checkCrudContract(base);
    });

    it('/health answers 503 in the shared shape when migrations are pending or the database is down', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      const empty = await createPostgresDatabase();
      try {
        // Production never migrates by itself: an empty database means pending migrations.
        const pending = await serveUnhealthy(dir, PACKAGE, { APP_ENV: 'production', DATABASE_URL: empty.url });
        try {
          await expectUnhealthy(pending.base, 'migrations');
        } finally {
          await pending.server.stop();
        }
      } finally {
        await empty.drop();
      }
      const down = await serveUnhealthy(dir, PACKAGE, {
        APP_ENV: 'production',
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/nowhere',
      });
      try {
        await expectUnhealthy(down.base, 'database');
      } finally {
        await down.server.stop();
      }
    });

    it('a 2 MB body gets 413 with the standard error body, declared or streamed', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(server, 'the server of the previous test is running').toBeDefined();
      const body = JSON.stringify({ name: 'x'.repeat(2_000_000) });
      const expected = { error: { code: 'content_too_large', message: 'The request body is larger than 1048576 bytes.', details: [] } };
      const declared = await fetch(`${base}/api/v1/projects`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      expect(declared.status).toBe(413);
      expect(await declared.json()).toEqual(expected);
      // Chunked, without Content-Length: refused while it streams in.
      const bytes = new TextEncoder().encode(body);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let start = 0; start < bytes.length; start += 65_536) controller.enqueue(bytes.slice(start, start + 65_536));
          controller.close();
        },
      });
      const streamed = await fetch(`${base}/api/v1/projects`, { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json' } } as RequestInit);
      expect(streamed.status).toBe(413);
      expect(await streamed.json()).toEqual(expected);
      expect((await callJson(base, 'GET', '/health')).status).toBe(200);
    });

    it('schemathesis (make fuzz) finds no server error and no schema violation', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
      expect(server, 'the server of the previous test is running').toBeDefined();
      const result = await runIn(dir, ['make', 'fuzz', 'FUZZ_ARGS=--max-examples 40 --seed 20261121'], {
        HOST: '127.0.0.1',
        PORT: String(port),
      });
      expect(result.output).toContain('--checks all');
      expect(result.output).toContain('Selected: 11/11');
      expect(result.exitCode, result.output.slice(-6000)).toBe(0);
      // Every generated test case passed: no server error, no response outside the schema.
      expect(result.output).toMatch(/(\d+) generated, \1 passed/);
    });
  });

  it('make fuzz runs its pinned schemathesis through uvx, or through pipx when uv is missing', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    const withUv = await mustRun(dir, ['make', '-n', 'fuzz']);
    expect(withUv).toContain('uvx --from schemathesis==');
    // make alone on the PATH: the learner who installed with venv + pip.
    const bin = makeTempDir('cprp-nouv');
    symlinkSync(execaSync('sh', ['-c', 'command -v make']).stdout.trim(), path.join(bin, 'make'));
    symlinkSync(execaSync('sh', ['-c', 'command -v sh']).stdout.trim(), path.join(bin, 'sh'));
    const withoutUv = await mustRun(dir, ['make', '-n', 'fuzz'], { PATH: bin });
    const pinned = /schemathesis==[\d.]+/.exec(withUv)![0];
    expect(withoutUv).toContain(`pipx run --spec ${pinned} schemathesis run`);
  });

  it('--db postgres changes only where .env.example and the README point, never the code', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const postgresDir = await generateProject('task-tracker', ['--milestone', 'crud-db', '--db', 'postgres']);
    const sqlite = readTree(dir);
    const postgres = readTree(postgresDir);
    const changed = [...postgres.keys()].filter((file) => postgres.get(file) !== sqlite.get(file)).sort();
    expect([...postgres.keys()].filter((file) => !sqlite.has(file))).toEqual([]);
    // The code is identical: DATABASE_URL decides at run time. Only what points at a database moves.
    expect(changed).toEqual(['.env.example', '.roadmap-project.json', 'README.md']);
    expect(postgres.get('README.md')).toContain('createdb task_tracker');
    expect(sqlite.get('README.md')).not.toContain('createdb');

    const env = postgres.get('.env.example')!;
    expect(env).toMatch(/^DATABASE_URL=postgresql:\/\/postgres:postgres@127\.0\.0\.1:5432\/task_tracker$/m);
    expect(env).toMatch(/^TEST_DATABASE_URL=postgresql:\/\/.*\/task_tracker_test$/m);
    expect(sqlite.get('.env.example')).toMatch(/^DATABASE_URL=sqlite:\/\/\/\.\/task_tracker\.db$/m);
    expect(JSON.parse(postgres.get('.roadmap-project.json')!).answers.options.db).toBe('postgres');
  });
});
