import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  itPassesTheStaticGates,
  STANDARD_GATES,
  usePostgresDatabase,
  freePort,
  generateProject,
  mustRun,
  psqlRows,
  runIn,
  type RunningProcess,
} from '../helpers/python-project.ts';
import { expectFuzzCleanAsAdmin } from '../helpers/http-contract.ts';
import { AUTH_PASSWORD, authCall, expectAttackTests, expectSessionLifecycle } from '../helpers/auth-flow.ts';
import { hasExecutable, POSTGRES, POSTGRES_HINT, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const PACKAGE = 'secure_notes';

/** The generated tests of the logging setup; the pytest gate below runs them. */
const LOGGING_TESTS = [
  'test_an_unsafe_id_is_replaced',
  'test_applied_config_writes_json_lines_with_the_request_id',
  'test_python_m_hands_the_shared_config_to_uvicorn',
  'test_failed_logins_are_logged_with_the_request_id_and_without_the_password',
  'test_rate_limit_hits_are_logged',
  'test_refresh_token_reuse_is_logged_without_the_token',
  'test_role_and_status_changes_are_logged_with_who_made_them',
];

describe('rest-api-auth: the generated JWT-secured API passes its gates and withstands its attacks', () => {
  let dir = '';

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('secure-notes', ['--milestone', 'rest-api-auth']);
    await mustRun(dir, ['uv', 'sync']);
  });

  it('uv sync writes a lock file', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expect(existsSync(path.join(dir, 'uv.lock'))).toBe(true);
  });

  it('ships the tests of its logging: request ids, the config applied in a real interpreter, security events', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const sources = ['tests/test_logs.py', 'tests/test_request_logging.py', 'tests/auth/test_security_events.py'].map((file) => readFileSync(path.join(dir, file), 'utf8')).join('\n');
    for (const test of LOGGING_TESTS) expect(sources, test).toContain(`def ${test}(`);
  });

  it('ships a test for every attack the milestone lists', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expectAttackTests(dir);
  });

  // pytest runs once here, on PostgreSQL (below); its SQLite run is first-run.test.ts's (the
  // same project, as a new user runs it) and this file's crud-db combination's.
  itPassesTheStaticGates(() => dir);

  describe('challenges', () => {
    itProvesTheChallenges('rest-api-auth', () => dir, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined });
  });

  it('refuses to start in production with the placeholder SECRET_KEY', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const result = await runIn(
      dir,
      ['uv', 'run', '--locked', 'python', '-m', PACKAGE],
      { APP_ENV: 'production', SECRET_KEY: 'change-me', PORT: String(await freePort()) },
      60_000,
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('SECRET_KEY must be a random value of at least 32 characters');
  });

  it('fails closed: the placeholder SECRET_KEY on 0.0.0.0 is refused even in development; the created .env is random', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const refused = await runIn(
      dir,
      ['uv', 'run', '--locked', 'python', '-m', PACKAGE],
      { APP_ENV: 'development', HOST: '0.0.0.0', SECRET_KEY: 'change-me', PORT: String(await freePort()) },
      60_000,
    );
    expect(refused.exitCode).not.toBe(0);
    expect(refused.output).toContain('SECRET_KEY must be a random value of at least 32 characters');
    expect(refused.output).toContain('HOST=0.0.0.0');
    // The project's own .env (written by create) holds a random key, which pydantic reads.
    const env = readFileSync(path.join(dir, '.env'), 'utf8');
    expect(env).toMatch(/^SECRET_KEY=[A-Za-z0-9_-]{64}$/m);
    const read = await runIn(dir, ['uv', 'run', '--locked', 'python', '-c', `from ${PACKAGE}.settings import Settings; print(len(Settings(host="0.0.0.0").secret_key.get_secret_value()))`], {}, 60_000);
    expect(read.output.trim()).toBe('64');
  });

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

    it('alembic upgrade heads creates the auth tables, and python -m serves them', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'upgrade', 'heads'], { DATABASE_URL: postgres.database.url });
      expect(
        await psqlRows(postgres.database.name, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"),
      ).toEqual(['alembic_version', 'auth_sessions', 'notes', 'refresh_tokens', 'users']);

      ({ server, port, base } = await postgres.serve(dir, PACKAGE));
      expect((await authCall(base, 'GET', '/health')).body).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    });

    it('completes register → login → me → refresh → reuse → logout over HTTP; a reused or revoked refresh token ends the session', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(server, 'the server of the previous test is running').toBeDefined();
      await expectSessionLifecycle(base, postgres.database.name);
    });

    it('names each request in its log lines by X-Request-ID, and logs a failed login without the password', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(server, 'the server of an earlier test is running').toBeDefined();
      const wrong = 'not the password, logged nowhere';
      const refused = await authCall(base, 'POST', '/api/v1/auth/token', undefined, {
        form: { username: 'ada@example.com', password: wrong },
        headers: { 'X-Request-ID': 'e2e-failed-login-1' },
      });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('x-request-id')).toBe('e2e-failed-login-1');
      const unsafe = await authCall(base, 'GET', '/health', undefined, { headers: { 'X-Request-ID': 'two words' } });
      expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);

      // The access line is written once the answer is sent: wait for it.
      const deadline = Date.now() + 10_000;
      const linesOfRequest = (): string[] => server!.output().split('\n').filter((line) => line.includes('[e2e-failed-login-1]'));
      while (!linesOfRequest().some((line) => line.includes('uvicorn.access')) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const lines = linesOfRequest();
      expect(lines.some((line) => line.includes(`${PACKAGE}.security`) && line.includes('Login failed for user')), lines.join('\n')).toBe(true);
      expect(lines.some((line) => line.includes('uvicorn.access') && line.includes('POST /api/v1/auth/token')), lines.join('\n')).toBe(true);
      expect(server!.output()).not.toContain(wrong);
    });

    it('schemathesis (make fuzz) finds no server error and no schema violation, authenticated as an admin', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
      expect(server, 'the server of an earlier test is running').toBeDefined();
      await expectFuzzCleanAsAdmin({ dir, base, port, server: server!, databaseUrl: postgres.database.url, password: AUTH_PASSWORD, promoteTarget: 'admin', operations: 13 });
    });
  });

  describe('combined with crud-db (features compose)', () => {
    let combined = '';

    beforeAll(async () => {
      if (!UV) return;
      combined = await generateProject('notes-and-tasks', ['--milestone', 'rest-api-auth', '--milestone', 'crud-db']);
      await mustRun(combined, ['uv', 'sync']);
    });

    for (const gate of STANDARD_GATES) {
      it(`${gate.name} passes`, async (ctx) => {
        requireOrSkip(ctx, 'uv', UV, UV_HINT);
        const output = await mustRun(combined, gate.command, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined });
        if (gate.command.includes('pytest')) {
          expect(output).toMatch(/\d+ passed/);
          expect(output).not.toMatch(/\d+ (failed|skipped|error)/);
        }
      });
    }
  });
});
