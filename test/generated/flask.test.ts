import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { runCli } from '../helpers/cli.ts';
import { projectsAndTasksFlow } from '../helpers/crud-flow.ts';
import { callJson } from '../helpers/http.ts';
import { checkCrudContract, expectHealthy, expectUnhealthy, serveUnhealthy } from '../helpers/http-contract.ts';
import { readTree } from '../helpers/project-tree.ts';
import {
  COLD_MYPY,
  itPassesTheStaticGates,
  freePort,
  generateProject,
  httpReady,
  mustRun,
  psqlRows,
  runIn,
  STANDARD_GATES,
  startProcess,
  usePostgresDatabase,
  type RunningProcess,
} from '../helpers/python-project.ts';
import {
  hasExecutable,
  MYSQL,
  MYSQL_HINT,
  MYSQL_URL,
  POSTGRES,
  POSTGRES_HINT,
  requireOrSkip,
  UV,
  UV_HINT,
} from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const PACKAGE = 'flask_tracker';

/**
 * `--framework flask` on crud-db: the same HTTP contract as the FastAPI path
 * (health, /api/v1, status codes, pagination, error body), served by gunicorn
 * through `python -m`, checked over HTTP and by schemathesis, and the
 * project's own gates on SQLite, PostgreSQL and MariaDB.
 */
describe('crud-db on Flask: gates, the HTTP contract and schemathesis against a served app', () => {
  let dir = '';

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('flask-tracker', ['--milestone', 'crud-db', '--framework', 'flask']);
    await mustRun(dir, ['uv', 'sync']);
  });

  it('is a Flask project: APIFlask and gunicorn, no FastAPI or uvicorn anywhere', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expect(existsSync(path.join(dir, 'uv.lock'))).toBe(true);
    const tree = readTree(dir);
    const pyproject = tree.get('pyproject.toml')!;
    expect(pyproject).toMatch(/"flask~=[\d.]+"/);
    expect(pyproject).toMatch(/"apiflask~=[\d.]+"/);
    expect(pyproject).toMatch(/"gunicorn~=[\d.]+"/);
    const python = [...tree].filter(([file]) => file.endsWith('.py') || file === 'pyproject.toml' || file === 'Makefile');
    expect(python.filter(([, text]) => /fastapi|uvicorn|starlette/i.test(text)).map(([file]) => file)).toEqual([]);
    expect(JSON.parse(tree.get('.roadmap-project.json')!).answers.options.framework).toBe('flask');
  });

  // pytest runs once here, on PostgreSQL (below); on SQLite it runs in generate-resource.test.ts,
  // on this project with three more resources. mypy starts cold, as a new user's does.
  itPassesTheStaticGates(() => dir, COLD_MYPY);

  // The crud-db challenges share their statements and the SQLAlchemy half of their
  // solutions with FastAPI; the tests and routes are Flask's own.
  itProvesTheChallenges('crud-db', () => dir, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined }, 'flask');

  it('make dev serves with gunicorn and reloads, logging as production does: JSON lines, the access line naming the request', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    // make dev migrates a development database, then runs this (started here directly, so
    // stopping it stops the server and not only make).
    const command = ['uv', 'run', 'python', '-m', PACKAGE, '--reload'];
    expect((await mustRun(dir, ['make', '-n', 'dev'])).trim().split('\n').at(-1)).toBe(command.join(' '));
    const port = await freePort();
    const nowhere = `http://127.0.0.1:${port}/api/v1/nowhere`;
    const dev = await startProcess(dir, command, {
      env: { HOST: '127.0.0.1', PORT: String(port), APP_ENV: 'test', LOG_FORMAT: 'json' },
      ready: () => httpReady(nowhere, 404),
    });
    try {
      const answer = await fetch(nowhere, { headers: { 'X-Request-ID': 'dev-request-1' } });
      expect(answer.headers.get('x-request-id')).toBe('dev-request-1');
    } finally {
      await dev.stop();
    }
    const lines = dev
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { logger: string; message: string; request_id: string });
    expect(lines.some((line) => line.logger === 'gunicorn.error' && /Reloader is on/.test(line.message)), dev.output()).toBe(true);
    const access = lines.filter((line) => line.logger === 'gunicorn.access' && line.request_id === 'dev-request-1');
    expect(access.map((line) => line.message), dev.output()).toEqual([expect.stringContaining('GET /api/v1/nowhere')]);
  });

  describe('on the machine PostgreSQL', () => {
    const postgres = usePostgresDatabase(POSTGRES);
    let server: RunningProcess | undefined;
    let base = '';
    let port = 0;
    afterAll(async () => {
      await server?.stop();
    });

    it('pytest passes with TEST_DATABASE_URL on PostgreSQL, in a schema it drops', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      const output = await mustRun(dir, STANDARD_GATES[0]!.command, { TEST_DATABASE_URL: postgres.database.url });
      expect(output).toMatch(/\d+ passed/);
      expect(await psqlRows(postgres.database.name, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'test_%'")).toEqual([]);
    });

    it('python -m serves with gunicorn: /health is 503 until migrated, then the CRUD flow over HTTP', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      // Not migrated yet (APP_ENV=production: nothing migrates by itself): the server
      // starts, and /health says it cannot take traffic.
      const env = { DATABASE_URL: postgres.database.url };
      port = await freePort();
      base = `http://127.0.0.1:${port}`;
      server = await startProcess(dir, ['uv', 'run', '--locked', 'python', '-m', PACKAGE], {
        env: { ...env, HOST: '127.0.0.1', PORT: String(port), APP_ENV: 'production', API_DOCS: 'true' },
        ready: () => httpReady(`${base}/health`, 503),
      });
      await expectUnhealthy(base, 'migrations');
      expect((await callJson(base, 'GET', '/health')).body.checks.database).toBe('ok');
      await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'upgrade', 'heads'], env);
      await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'check'], env);
      expect((await callJson(base, 'GET', '/health')).status).toBe(200);

      // The same contract the FastAPI and Django paths are held to (test/helpers/http-contract.ts).
      await expectHealthy(base, ['database', 'migrations']);
      await projectsAndTasksFlow(base, postgres.database);
      await checkCrudContract(base);

      const invalid = await callJson(base, 'POST', '/api/v1/projects', { name: '' });
      expect(invalid.status).toBe(422);
      expect(invalid.body.error.code).toBe('validation_error');
      expect(invalid.body.error.details[0]).toEqual({ loc: ['body', 'name'], message: expect.any(String), type: 'string_too_short' });
      expect((await callJson(base, 'GET', '/api/v1/tasks?page_size=1000')).body.error.details[0].loc).toEqual(['query', 'page_size']);
      expect((await callJson(base, 'GET', '/api/v1/projects/0')).body.error.details[0].loc).toEqual(['path', 'project_id']);
      expect((await callJson(base, 'GET', '/api/v1/projects?sort=-name&q=zz')).body).toEqual({ items: [], total: 0, page: 1, page_size: 20, pages: 0 });
      const nowhere = await callJson(base, 'GET', '/api/v1/nowhere');
      expect(nowhere.status).toBe(404);
      expect(nowhere.body).toEqual({ error: { code: 'not_found', message: 'Not Found', details: [] } });
      const wrongMethod = await callJson(base, 'PUT', '/api/v1/projects');
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.body.error.code).toBe('method_not_allowed');
    });

    it('/health answers 503 in the shared shape when the database is down', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      const down = await serveUnhealthy(dir, PACKAGE, { APP_ENV: 'production', DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/nowhere' });
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
      const bytes = new TextEncoder().encode(body);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let start = 0; start < bytes.length; start += 65_536) controller.enqueue(bytes.slice(start, start + 65_536));
          controller.close();
        },
      });
      const streamed = await fetch(`${base}/api/v1/projects`, {
        method: 'POST',
        body: stream,
        duplex: 'half',
        headers: { 'content-type': 'application/json' },
      } as RequestInit);
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
      expect(result.output).toMatch(/(\d+) generated, \1 passed/);
    });
  });

  it('--db mysql: pytest passes on MariaDB, in a throwaway database', async (ctx) => {
    requireOrSkip(ctx, 'MariaDB', MYSQL, MYSQL_HINT);
    const mysqlDir = await generateProject('flask-tracker', ['--milestone', 'crud-db', '--framework', 'flask', '--db', 'mysql']);
    await mustRun(mysqlDir, ['uv', 'sync']);
    const output = await mustRun(mysqlDir, STANDARD_GATES[0]!.command, { TEST_DATABASE_URL: MYSQL_URL, DATABASE_URL: undefined });
    expect(output).toMatch(/\d+ passed/);
  });

  it('a milestone not built on Flask is refused with exit 2, naming the framework that has it', async () => {
    const cwd = makeTempDir();
    // Every web milestone is built on Flask; the data milestone's service is FastAPI's.
    for (const milestone of ['data-model-service']) {
      const result = await runCli([`p-${milestone}`, '--milestone', milestone, '--framework', 'flask', '--yes', '--no-install', '--no-git'], { cwd });
      expect(result.exitCode, milestone).toBe(2);
      expect(result.stderr, milestone).toMatch(/--framework flask does not support .* yet/);
      expect(result.stderr, milestone).toMatch(/is available on: fastapi/);
    }
    expect(readTree(cwd).size).toBe(0);

    // Inside a Flask project: generate refuses a task without the jobs feature; nothing changes.
    const created = await runCli(['shop', '--milestone', 'crud-db', '--framework', 'flask', '--yes', '--no-install'], { cwd });
    expect(created.exitCode, created.stderr).toBe(0);
    const project = path.join(cwd, 'shop');
    const before = readTree(project);
    const generate = await runCli(['generate', 'task', 'send_reminders', '--yes'], { cwd: project });
    expect(generate.exitCode).toBe(2);
    expect(generate.stderr).toContain('generate task needs a project with the jobs feature');
    expect(readTree(project)).toEqual(before);
    const check = await runCli(['check'], { cwd: project });
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  });
});
