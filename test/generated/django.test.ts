import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { checkCrudContract, expectHealthy, expectUnhealthy, serveUnhealthy } from '../helpers/http-contract.ts';
import {
  COLD_MYPY,
  STANDARD_GATES,
  createPostgresDatabase,
  generateProject,
  mustRun,
  psqlRows,
  runIn,
  usePostgresDatabase,
} from '../helpers/python-project.ts';
import { hasExecutable, POSTGRES, POSTGRES_HINT, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const PACKAGE = 'task_tracker';

describe('crud-db --framework django: the Django path passes its gates and keeps the shared HTTP contract', () => {
  let dir = '';

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('task-tracker', ['--milestone', 'crud-db', '--framework', 'django']);
    await mustRun(dir, ['uv', 'sync']);
  });

  it('is a Django project: manage.py, apps with their own migrations, no SQLAlchemy or Alembic', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expect(existsSync(path.join(dir, 'manage.py'))).toBe(true);
    for (const app of ['projects', 'tasks']) {
      expect(existsSync(path.join(dir, 'src', PACKAGE, app, 'migrations', '0001_initial.py'))).toBe(true);
      expect(existsSync(path.join(dir, 'src', PACKAGE, app, 'admin.py'))).toBe(true);
    }
    expect(existsSync(path.join(dir, 'alembic.ini'))).toBe(false);
    const pyproject = readFileSync(path.join(dir, 'pyproject.toml'), 'utf8');
    expect(pyproject).toMatch(/"django~=5\.2\.0"/);
    expect(pyproject).not.toMatch(/sqlalchemy|alembic|fastapi/);
    expect(pyproject).toContain(`DJANGO_SETTINGS_MODULE = "${PACKAGE}.settings"`);
    // The .env written at creation holds a random SECRET_KEY (Django signs sessions and CSRF tokens with it).
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toMatch(/^SECRET_KEY=[\w-]{40,}$/m);
  });

  // mypy starts cold here, as a new user's does (the other files share a worker's cache).
  for (const gate of STANDARD_GATES) {
    it(`${gate.name} passes on SQLite`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const output = await mustRun(dir, gate.command, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined, ...COLD_MYPY });
      if (gate.command.includes('pytest')) expect(output).toMatch(/\d+ passed/);
    });
  }

  // The crud-db challenges, in Django's own words: DRF views, the ORM, makemigrations.
  itProvesTheChallenges('crud-db', () => dir, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined }, 'django');

  describe('on the machine PostgreSQL', () => {
    const postgres = usePostgresDatabase(POSTGRES);

    it('pytest passes with TEST_DATABASE_URL on PostgreSQL, in a database of its own that it drops', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      const before = await psqlRows('test', "SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'");
      const output = await mustRun(dir, STANDARD_GATES[0]!.command, { TEST_DATABASE_URL: postgres.database.url });
      expect(output).toMatch(/\d+ passed/);
      expect(await psqlRows('test', "SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'")).toEqual(before);
    });

    it('manage.py migrate creates the tables, constraints and index the models declare', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      await mustRun(dir, ['uv', 'run', '--locked', 'python', 'manage.py', 'migrate', '--no-input'], { DATABASE_URL: postgres.database.url });
      const tables = await psqlRows(postgres.database.name, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('projects', 'tasks') ORDER BY 1");
      expect(tables).toEqual(['projects', 'tasks']);
      const indexes = await psqlRows(postgres.database.name, "SELECT indexname FROM pg_indexes WHERE tablename = 'tasks' ORDER BY 1");
      expect(indexes).toContain('ix_tasks_project_id_status');
      expect(indexes).toContain('uq_tasks_project_id_title');
      const checks = await psqlRows(postgres.database.name, "SELECT conname FROM pg_constraint WHERE conname = 'ck_tasks_status'");
      expect(checks).toEqual(['ck_tasks_status']);
    });

    let base = '';
    let port = 0;

    it('python -m serves it on PostgreSQL and it keeps the shared HTTP contract', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      ({ base, port } = await postgres.serve(dir, PACKAGE));
      await expectHealthy(base, ['database', 'migrations']);
      await checkCrudContract(base);
      expect(await psqlRows(postgres.database.name, 'SELECT count(*) FROM tasks')).toEqual(['0']);
      const schema = await fetch(`${base}/openapi.json`);
      expect(schema.status).toBe(200);
      const paths = Object.keys(((await schema.json()) as { paths: Record<string, unknown> }).paths).sort();
      expect(paths).toEqual([
        '/api/v1/projects',
        '/api/v1/projects/{id}',
        '/api/v1/projects/{project_id}/tasks',
        '/api/v1/tasks',
        '/api/v1/tasks/{id}',
      ]);
    });

    it('schemathesis (make fuzz) finds no server error and no schema violation', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
      expect(base, 'the server of the previous test is running').not.toBe('');
      const result = await runIn(dir, ['make', 'fuzz', 'FUZZ_ARGS=--max-examples 40 --seed 20261121'], { HOST: '127.0.0.1', PORT: String(port) });
      expect(result.output).toContain('--checks all');
      expect(result.output).toContain('Selected: 10/10');
      expect(result.exitCode, result.output.slice(-6000)).toBe(0);
      expect(result.output).toMatch(/(\d+) generated, \1 passed/);
    });

    it('/health answers 503 in the shared shape when migrations are pending or the database is down', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      const empty = await createPostgresDatabase();
      try {
        // Production never migrates by itself (migrating is a release step): an empty database is pending.
        const pending = await serveUnhealthy(dir, PACKAGE, { APP_ENV: 'production', DATABASE_URL: empty.url });
        try {
          await expectUnhealthy(pending.base, 'migrations');
        } finally {
          await pending.server.stop();
        }
      } finally {
        await empty.drop();
      }
      const down = await serveUnhealthy(dir, PACKAGE, { APP_ENV: 'production', DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/nowhere' });
      try {
        await expectUnhealthy(down.base, 'database');
      } finally {
        await down.server.stop();
      }
    });

    it('production refuses to start with the placeholder SECRET_KEY', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      const env = { APP_ENV: 'production', SECRET_KEY: 'change-me', DATABASE_URL: postgres.database.url };
      const refused = await runIn(dir, ['uv', 'run', '--locked', 'python', 'manage.py', 'check'], env);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.output).toContain('SECRET_KEY must be a random value');
      const started = await runIn(dir, ['uv', 'run', '--locked', 'python', 'manage.py', 'check'], { ...env, SECRET_KEY: 'x'.repeat(48) });
      expect(started.exitCode, started.output).toBe(0);
    });
  });
});

describe('inside a --framework django project', () => {
  it('check finds no drift, add refuses rest-api-auth, generate resource writes a Django app check accepts, add brings scalable-service in', async () => {
    const parent = makeTempDir('cprp-django-inside');
    const created = await runCli(['inside', '--no-install', '--milestone', 'crud-db', '--framework', 'django'], { cwd: parent });
    expect(created.exitCode, created.stderr).toBe(0);
    const dir = path.join(parent, 'inside');
    const check = await runCli(['check'], { cwd: dir });
    expect(check.exitCode, check.stderr + check.stdout).toBe(0);
    // Django swaps the user model only before the first migration: rest-api-auth is for new projects.
    const auth = await runCli(['add', 'rest-api-auth'], { cwd: dir });
    expect(auth.exitCode, auth.stderr).toBe(2);
    expect(auth.stderr).toContain('add cannot bring auth into this project');
    expect(auth.stderr).toContain('AUTH_USER_MODEL');
    // Nothing was written by the refusal; generate resource writes a Django app (its gates run in
    // generate-resource.test.ts) and records it, so check still finds no drift.
    const generate = await runCli(['generate', 'resource', 'Invoice', '--fields', 'number:str(20)'], { cwd: dir });
    expect(generate.exitCode, generate.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'src', 'inside', 'invoices', 'views.py'))).toBe(true);
    const after = await runCli(['check'], { cwd: dir });
    expect(after.exitCode, after.stdout + after.stderr).toBe(0);
    // Django builds every web milestone: add brings the product catalog's app in (its gates run
    // in scalable-service.test.ts; --allow-dirty: the new resource is not committed), and check
    // still finds no drift.
    const add = await runCli(['add', 'scalable-service', '--allow-dirty'], { cwd: dir });
    expect(add.exitCode, add.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'src', 'inside', 'settings.py'), 'utf8')).toContain('"inside.products",');
    const grown = await runCli(['check'], { cwd: dir });
    expect(grown.exitCode, grown.stdout + grown.stderr).toBe(0);
  });
});
