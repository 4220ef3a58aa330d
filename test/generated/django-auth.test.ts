import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { expectFuzzCleanAsAdmin } from '../helpers/http-contract.ts';
import { AUTH_PASSWORD, authCall, expectAttackTests, expectSessionLifecycle } from '../helpers/auth-flow.ts';
import { STANDARD_GATES, generateProject, mustRun, psqlRows, usePostgresDatabase, type RunningProcess } from '../helpers/python-project.ts';
import { hasExecutable, POSTGRES, POSTGRES_HINT, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const PACKAGE = 'secure_notes';

describe('rest-api-auth --framework django: the same security properties and HTTP contract as the FastAPI path', () => {
  let dir = '';

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('secure-notes', ['--milestone', 'rest-api-auth', '--framework', 'django']);
    await mustRun(dir, ['uv', 'sync']);
  });

  it('ships a test for every attack the FastAPI path tests, and a custom user model from the first migration', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expectAttackTests(dir);
    expect(readFileSync(path.join(dir, 'src', PACKAGE, 'settings.py'), 'utf8')).toContain('AUTH_USER_MODEL = "users.User"');
    expect(readFileSync(path.join(dir, 'src', PACKAGE, 'users', 'migrations', '0001_initial.py'), 'utf8')).toContain('name="User"');
    expect(readFileSync(path.join(dir, 'pyproject.toml'), 'utf8')).toMatch(/"argon2-cffi~=/);
  });

  for (const gate of STANDARD_GATES) {
    it(`${gate.name} passes on SQLite`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const output = await mustRun(dir, gate.command, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined });
      if (gate.command.includes('pytest')) {
        expect(output).toMatch(/\d+ passed/);
        expect(output).not.toMatch(/\d+ (failed|skipped|error)/);
      }
    });
  }

  // The rest-api-auth challenges in Django's words: DRF views and serializers, the ORM, Django's password validators.
  itProvesTheChallenges('rest-api-auth', () => dir, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined }, 'django');

  describe('on the machine PostgreSQL, served by uvicorn', () => {
    const postgres = usePostgresDatabase(POSTGRES);
    let server: RunningProcess | undefined;
    let base = '';
    let port = 0;

    it('pytest passes with TEST_DATABASE_URL on PostgreSQL', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      const output = await mustRun(dir, STANDARD_GATES[0]!.command, { TEST_DATABASE_URL: postgres.database.url });
      expect(output).toMatch(/\d+ passed/);
      expect(output).not.toMatch(/\d+ (failed|skipped|error)/);
    });

    it('manage.py migrate creates the FastAPI path’s tables, and python -m serves them', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      await mustRun(dir, ['uv', 'run', '--locked', 'python', 'manage.py', 'migrate', '--no-input'], { DATABASE_URL: postgres.database.url });
      const tables = await psqlRows(
        postgres.database.name,
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'auth_sessions', 'refresh_tokens', 'notes') ORDER BY 1",
      );
      expect(tables).toEqual(['auth_sessions', 'notes', 'refresh_tokens', 'users']);
      ({ server, port, base } = await postgres.serve(dir, PACKAGE));
      expect((await authCall(base, 'GET', '/health')).body).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    });

    it('completes register → login → me → refresh → reuse → logout over HTTP, as on FastAPI; passwords are stored as argon2id', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(server, 'the server of the previous test is running').toBeDefined();
      await expectSessionLifecycle(base, postgres.database.name);
      const stored = await psqlRows(postgres.database.name, "SELECT password FROM users WHERE email = 'ada@example.com'");
      expect(stored[0]).toMatch(/^argon2\$argon2id\$/);
    });

    it('schemathesis (make fuzz) finds no server error and no schema violation, authenticated as an admin', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
      expect(server, 'the server of an earlier test is running').toBeDefined();
      await expectFuzzCleanAsAdmin({ dir, base, port, server: server!, databaseUrl: postgres.database.url, password: AUTH_PASSWORD, promoteTarget: 'promote', operations: 12 });
    });
  });
});
