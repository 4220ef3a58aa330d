import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
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
import { callJson, type CallOptions, type JsonReply } from '../helpers/http.ts';
import { hasExecutable, POSTGRES, POSTGRES_HINT, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const PACKAGE = 'secure_notes';
const PASSWORD = 'correct horse battery staple';
/** The list of attacks, each with the generated test that performs it. */
const ATTACK_TESTS = [
  'test_wrong_password_is_401_with_www_authenticate',
  'test_every_failed_login_looks_the_same_and_costs_one_verification', // unknown user
  'test_an_expired_token_is_refused',
  'test_a_tampered_payload_breaks_the_signature',
  'test_alg_none_is_refused',
  'test_a_refresh_token_is_not_an_access_token',
  'test_logout_revokes_the_refresh_token_and_its_access_tokens', // revoked refresh token
  'test_reusing_a_refresh_token_revokes_the_whole_session',
  'test_another_users_note_is_404_exactly_like_a_missing_one',
  'test_a_non_admin_on_an_admin_endpoint_is_403',
  'test_invalid_registrations_are_422_and_name_the_field', // validation errors
  'test_a_duplicate_email_gets_the_same_answer_and_changes_nothing',
];

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

/** One HTTP call to the running app, with 20 s to answer (logging in and registering hash a password with argon2). */
function call(base: string, method: string, route: string, body?: unknown, options: CallOptions = {}): Promise<JsonReply> {
  return callJson(base, method, route, body, { timeoutMs: 20_000, ...options });
}

async function logIn(base: string, email: string): Promise<JsonReply> {
  return call(base, 'POST', '/api/v1/auth/token', undefined, { form: { username: email, password: PASSWORD } });
}

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
    const testsDir = path.join(dir, 'tests', 'auth');
    const sources = readdirSync(testsDir)
      .filter((name) => name.startsWith('test_'))
      .map((name) => readFileSync(path.join(testsDir, name), 'utf8'))
      .join('\n');
    for (const attack of ATTACK_TESTS) expect(sources, attack).toContain(`def ${attack}(`);
  });

  for (const gate of STANDARD_GATES) {
    it(`${gate.name} passes on SQLite`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const output = await mustRun(dir, gate.command, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined });
      if (gate.command.includes('pytest')) {
        expect(output).toMatch(/(\d+) passed/);
        expect(output).not.toMatch(/\d+ (failed|skipped|error)/);
      }
    });
  }

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
      expect((await call(base, 'GET', '/health')).body).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    });

    it('completes register → login → me → refresh → logout over HTTP, and refuses the refresh after logout', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(server, 'the server of the previous test is running').toBeDefined();
      const email = 'ada@example.com';

      const registered = await call(base, 'POST', '/api/v1/auth/register', { email, password: PASSWORD });
      expect(registered.status).toBe(202);

      const login = await logIn(base, 'Ada@Example.com');
      expect(login.status).toBe(200);
      expect(login.headers.get('cache-control')).toBe('no-store');
      expect(login.body).toMatchObject({ token_type: 'bearer', expires_in: 900 });
      const first = login.body as { access_token: string; refresh_token: string };
      // The database keeps the refresh token's SHA-256, never the token.
      const digest = createHash('sha256').update(first.refresh_token).digest('hex');
      expect(await psqlRows(postgres.database.name, `SELECT count(*) FROM refresh_tokens WHERE token_hash = '${digest}'`)).toEqual(['1']);

      const me = await call(base, 'GET', '/api/v1/users/me', undefined, { token: first.access_token });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email, role: 'user', is_active: true });

      const refreshed = await call(base, 'POST', '/api/v1/auth/refresh', { refresh_token: first.refresh_token });
      expect(refreshed.status).toBe(200);
      const second = refreshed.body as { access_token: string; refresh_token: string };
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect((await call(base, 'GET', '/api/v1/users/me', undefined, { token: second.access_token })).status).toBe(200);

      const loggedOut = await call(base, 'POST', '/api/v1/auth/logout', { refresh_token: second.refresh_token });
      expect(loggedOut.status).toBe(204);

      const afterLogout = await call(base, 'POST', '/api/v1/auth/refresh', { refresh_token: second.refresh_token });
      expect(afterLogout.status).toBe(401);
      expect(afterLogout.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(afterLogout.body.error.code).toBe('invalid_token');
      // The session is over for its access tokens too, not only when they expire.
      const stale = await call(base, 'GET', '/api/v1/users/me', undefined, { token: second.access_token });
      expect(stale.status).toBe(401);
      expect((await call(base, 'GET', '/api/v1/users/me')).headers.get('www-authenticate')).toBe('Bearer');
      expect((await logIn(base, email)).status).toBe(200); // logging in again works
    });

    it('names each request in its log lines by X-Request-ID, and logs a failed login without the password', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(server, 'the server of an earlier test is running').toBeDefined();
      const wrong = 'not the password, logged nowhere';
      const refused = await call(base, 'POST', '/api/v1/auth/token', undefined, {
        form: { username: 'ada@example.com', password: wrong },
        headers: { 'X-Request-ID': 'e2e-failed-login-1' },
      });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('x-request-id')).toBe('e2e-failed-login-1');
      const unsafe = await call(base, 'GET', '/health', undefined, { headers: { 'X-Request-ID': 'two words' } });
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
      await expectFuzzCleanAsAdmin({ dir, base, port, server: server!, databaseUrl: postgres.database.url, password: PASSWORD, promoteTarget: 'admin', operations: 13 });
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
