import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { expectFuzzCleanAsAdmin } from '../helpers/http-contract.ts';
import { callJson, type CallOptions, type JsonReply } from '../helpers/http.ts';
import { STANDARD_GATES, generateProject, mustRun, psqlRows, runIn, usePostgresDatabase, type RunningProcess } from '../helpers/python-project.ts';
import { hasExecutable, POSTGRES, POSTGRES_HINT, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const PACKAGE = 'secure_notes';
const PASSWORD = 'correct horse battery staple';
/** The attacks the FastAPI path's tests try; the Django project's tests try each one too. */
const ATTACK_TESTS = [
  'test_wrong_password_is_401_with_www_authenticate',
  'test_every_failed_login_looks_the_same_and_costs_one_verification',
  'test_an_expired_token_is_refused',
  'test_a_tampered_payload_breaks_the_signature',
  'test_alg_none_is_refused',
  'test_a_refresh_token_is_not_an_access_token',
  'test_logout_revokes_the_refresh_token_and_its_access_tokens',
  'test_reusing_a_refresh_token_revokes_the_whole_session',
  'test_another_users_note_is_404_exactly_like_a_missing_one',
  'test_a_non_admin_on_an_admin_endpoint_is_403',
  'test_invalid_registrations_are_422_and_name_the_field',
  'test_a_duplicate_email_gets_the_same_answer_and_changes_nothing',
];

function call(base: string, method: string, route: string, body?: unknown, options: CallOptions = {}): Promise<JsonReply> {
  return callJson(base, method, route, body, { timeoutMs: 20_000, ...options });
}

function logIn(base: string, email: string): Promise<JsonReply> {
  return call(base, 'POST', '/api/v1/auth/token', undefined, { form: { username: email, password: PASSWORD } });
}

describe('rest-api-auth --framework django: the same security properties and HTTP contract as the FastAPI path', () => {
  let dir = '';

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('secure-notes', ['--milestone', 'rest-api-auth', '--framework', 'django']);
    await mustRun(dir, ['uv', 'sync']);
  });

  it('ships a test for every attack the FastAPI path tests, and a custom user model from the first migration', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const testsDir = path.join(dir, 'tests', 'auth');
    const sources = readdirSync(testsDir)
      .filter((name) => name.startsWith('test_'))
      .map((name) => readFileSync(path.join(testsDir, name), 'utf8'))
      .join('\n');
    for (const attack of ATTACK_TESTS) expect(sources, attack).toContain(`def ${attack}(`);
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
      expect((await call(base, 'GET', '/health')).body).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    });

    it('completes register → login → me → refresh → reuse → logout over HTTP, as on FastAPI', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(server, 'the server of the previous test is running').toBeDefined();
      const email = 'ada@example.com';
      expect((await call(base, 'POST', '/api/v1/auth/register', { email, password: PASSWORD })).status).toBe(202);
      const again = await call(base, 'POST', '/api/v1/auth/register', { email: 'ADA@example.com', password: 'another long passphrase' });
      expect(again.status).toBe(202); // a taken email gets the same answer

      const login = await logIn(base, 'Ada@Example.com');
      expect(login.status).toBe(200);
      expect(login.headers.get('cache-control')).toBe('no-store');
      expect(login.body).toMatchObject({ token_type: 'bearer', expires_in: 900 });
      const first = login.body as { access_token: string; refresh_token: string };
      const digest = createHash('sha256').update(first.refresh_token).digest('hex');
      expect(await psqlRows(postgres.database.name, `SELECT count(*) FROM refresh_tokens WHERE token_hash = '${digest}'`)).toEqual(['1']);
      const stored = await psqlRows(postgres.database.name, "SELECT password FROM users WHERE email = 'ada@example.com'");
      expect(stored[0]).toMatch(/^argon2\$argon2id\$/);

      const me = await call(base, 'GET', '/api/v1/users/me', undefined, { token: first.access_token });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email, role: 'user', is_active: true });

      const wrong = await call(base, 'POST', '/api/v1/auth/token', undefined, { form: { username: email, password: 'not the password at all' } });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
      expect(wrong.body.error.code).toBe('invalid_credentials');

      const refreshed = await call(base, 'POST', '/api/v1/auth/refresh', { refresh_token: first.refresh_token });
      expect(refreshed.status).toBe(200);
      const second = refreshed.body as { access_token: string; refresh_token: string };
      expect(second.refresh_token).not.toBe(first.refresh_token);

      // The first token again: copied, so the whole session ends, its newest tokens included.
      const reused = await call(base, 'POST', '/api/v1/auth/refresh', { refresh_token: first.refresh_token });
      expect(reused.status).toBe(401);
      expect(reused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect((await call(base, 'POST', '/api/v1/auth/refresh', { refresh_token: second.refresh_token })).status).toBe(401);
      expect((await call(base, 'GET', '/api/v1/users/me', undefined, { token: second.access_token })).status).toBe(401);

      const third = (await logIn(base, email)).body as { access_token: string; refresh_token: string };
      const note = await call(base, 'POST', '/api/v1/notes', { title: 'Mine' }, { token: third.access_token });
      expect(note.status).toBe(201);
      expect(note.headers.get('location')).toBe(`${base}/api/v1/notes/${note.body.id}`);
      expect((await call(base, 'POST', '/api/v1/auth/logout', { refresh_token: third.refresh_token })).status).toBe(204);
      expect((await call(base, 'GET', '/api/v1/notes', undefined, { token: third.access_token })).status).toBe(401);
      expect((await call(base, 'GET', '/api/v1/users/me')).headers.get('www-authenticate')).toBe('Bearer');
    });

    it('schemathesis (make fuzz) finds no server error and no schema violation, authenticated as an admin', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
      expect(server, 'the server of an earlier test is running').toBeDefined();
      await expectFuzzCleanAsAdmin({ dir, base, port, server: server!, databaseUrl: postgres.database.url, password: PASSWORD, promoteTarget: 'promote', operations: 12 });
    });
  });
});
