import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { callJson, type CallOptions, type JsonReply } from '../helpers/http.ts';
import { expectErrorBody, expectFuzzCleanAsAdmin } from '../helpers/http-contract.ts';
import { readTree } from '../helpers/project-tree.ts';
import {
  generateProject,
  mustRun,
  psqlRows,
  runIn,
  STANDARD_GATES,
  usePostgresDatabase,
  type RunningProcess,
} from '../helpers/python-project.ts';
import { hasExecutable, POSTGRES, POSTGRES_HINT, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const PACKAGE = 'flask_notes';
const PASSWORD = 'correct horse battery staple';
/** The attacks the FastAPI path's tests try, each tried by the Flask project's own suite too. */
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

/** One HTTP call to the served app, with 20 s to answer (registering and logging in hash with argon2). */
function call(base: string, method: string, route: string, body?: unknown, options: CallOptions = {}): Promise<JsonReply> {
  return callJson(base, method, route, body, { timeoutMs: 20_000, ...options });
}

function logIn(base: string, email: string, password = PASSWORD): Promise<JsonReply> {
  return call(base, 'POST', '/api/v1/auth/token', undefined, { form: { username: email, password } });
}

async function signUp(base: string, email: string): Promise<{ access_token: string; refresh_token: string }> {
  expect((await call(base, 'POST', '/api/v1/auth/register', { email, password: PASSWORD })).status).toBe(202);
  const login = await logIn(base, email);
  expect(login.status).toBe(200);
  return login.body as { access_token: string; refresh_token: string };
}

/**
 * `--framework flask` on rest-api-auth: the same security properties and HTTP
 * contract as the FastAPI path, checked by the project's own attack tests (on
 * SQLite and PostgreSQL) and over HTTP against the app gunicorn serves, then
 * fuzzed by schemathesis as an admin.
 */
describe('rest-api-auth on Flask: gates, the attacks over HTTP and schemathesis against a served app', () => {
  let dir = '';

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('flask-notes', ['--milestone', 'rest-api-auth', '--framework', 'flask']);
    await mustRun(dir, ['uv', 'sync']);
  });

  it('is a Flask project with the auth tests of the FastAPI path, and no FastAPI anywhere', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expect(existsSync(path.join(dir, 'uv.lock'))).toBe(true);
    const tree = readTree(dir);
    const python = [...tree].filter(([file]) => file.endsWith('.py') || file === 'pyproject.toml' || file === 'Makefile');
    expect(python.filter(([, text]) => /fastapi|uvicorn|starlette|python-multipart/i.test(text)).map(([file]) => file)).toEqual([]);
    const tests = python.filter(([file]) => file.startsWith('tests/auth/')).map(([, text]) => text).join('\n');
    for (const name of ATTACK_TESTS) expect(tests, name).toContain(`def ${name}(`);
    expect(tree.get('src/flask_notes/auth/dependencies.py')).toContain('HTTPTokenAuth');
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

  itProvesTheChallenges('rest-api-auth', () => dir, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined }, 'flask');

  describe('on the machine PostgreSQL, served by gunicorn', () => {
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

    it('register → login → me → refresh → logout over HTTP; a reused or revoked refresh token ends the session', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(server, 'the server of the previous test is running').toBeDefined();
      const email = 'ada@example.com';
      const registered = await call(base, 'POST', '/api/v1/auth/register', { email, password: PASSWORD });
      expect(registered.status).toBe(202);
      // Enumeration-safe: a taken email gets the same answer, and its password does not change.
      const again = await call(base, 'POST', '/api/v1/auth/register', { email: 'ADA@example.com', password: 'another long passphrase' });
      expect([again.status, again.body]).toEqual([202, registered.body]);

      const login = await logIn(base, 'Ada@Example.com');
      expect(login.status).toBe(200);
      expect(login.headers.get('cache-control')).toBe('no-store');
      expect(login.body).toMatchObject({ token_type: 'bearer', expires_in: 900 });
      const first = login.body as { access_token: string; refresh_token: string };
      const digest = createHash('sha256').update(first.refresh_token).digest('hex');
      expect(await psqlRows(postgres.database.name, `SELECT count(*) FROM refresh_tokens WHERE token_hash = '${digest}'`)).toEqual(['1']);

      const me = await call(base, 'GET', '/api/v1/users/me', undefined, { token: first.access_token });
      expect(me.body).toMatchObject({ email, role: 'user', is_active: true });

      const refreshed = await call(base, 'POST', '/api/v1/auth/refresh', { refresh_token: first.refresh_token });
      expect(refreshed.status).toBe(200);
      const second = refreshed.body as { access_token: string; refresh_token: string };
      expect(second.refresh_token).not.toBe(first.refresh_token);
      // The first token comes back: it was copied. The whole session ends, the new pair with it.
      const reused = await call(base, 'POST', '/api/v1/auth/refresh', { refresh_token: first.refresh_token });
      expectErrorBody(reused, 401, 'invalid_token');
      expect(reused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect((await call(base, 'POST', '/api/v1/auth/refresh', { refresh_token: second.refresh_token })).status).toBe(401);
      expect((await call(base, 'GET', '/api/v1/users/me', undefined, { token: second.access_token })).status).toBe(401);

      const third = (await logIn(base, email)).body as { access_token: string; refresh_token: string };
      expect((await call(base, 'POST', '/api/v1/auth/logout', { refresh_token: third.refresh_token })).status).toBe(204);
      expect((await call(base, 'POST', '/api/v1/auth/refresh', { refresh_token: third.refresh_token })).status).toBe(401);
      expect((await call(base, 'GET', '/api/v1/users/me', undefined, { token: third.access_token })).status).toBe(401);
      const anonymous = await call(base, 'GET', '/api/v1/users/me');
      expectErrorBody(anonymous, 401, 'not_authenticated');
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      // A token signed with no algorithm at all is refused.
      const [, payload] = third.access_token.split('.');
      const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
      expectErrorBody(await call(base, 'GET', '/api/v1/users/me', undefined, { token: unsigned }), 401, 'invalid_token');
    });

    it("owner-only notes (another user's is a 404), admin-only routes (403), and login rate-limited per account (429)", async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(server, 'the server of an earlier test is running').toBeDefined();
      const alice = await signUp(base, 'alice@example.com');
      const bob = await signUp(base, 'bob@example.com');
      const created = await call(base, 'POST', '/api/v1/notes', { title: 'Secret', body: 'mine' }, { token: alice.access_token });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toMatch(new RegExp(`/api/v1/notes/${created.body.id}$`));
      const theirs = await call(base, 'GET', `/api/v1/notes/${created.body.id}`, undefined, { token: bob.access_token });
      const missing = await call(base, 'GET', `/api/v1/notes/${created.body.id + 1000}`, undefined, { token: bob.access_token });
      expectErrorBody(theirs, 404, 'not_found');
      expectErrorBody(missing, 404, 'not_found');
      expect((await call(base, 'GET', '/api/v1/notes', undefined, { token: bob.access_token })).body.total).toBe(0);

      const forbidden = await call(base, 'GET', '/api/v1/users', undefined, { token: bob.access_token });
      expectErrorBody(forbidden, 403, 'forbidden');
      expect(forbidden.headers.get('www-authenticate')).toBeNull();
      expectErrorBody(await call(base, 'POST', '/api/v1/notes', { title: 'x', owner_id: 1 }, { token: bob.access_token }), 422, 'validation_error');

      // 5 attempts a minute per account, counted per process: gunicorn's 2 workers let
      // through at most 10 before every further attempt, right password or not, is a 429.
      const replies: JsonReply[] = [];
      while (replies.length < 11 && replies.at(-1)?.status !== 429) {
        replies.push(await logIn(base, 'carol@example.com', 'a wrong guess, again'));
      }
      const limited = replies.at(-1)!;
      for (const reply of replies.slice(0, -1)) expectErrorBody(reply, 401, 'invalid_credentials');
      expect(replies.length).toBeGreaterThanOrEqual(6);
      expectErrorBody(limited, 429, 'too_many_requests');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });

    it('schemathesis (make fuzz) finds no server error and no schema violation, authenticated as an admin', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
      expect(server, 'the server of an earlier test is running').toBeDefined();
      await expectFuzzCleanAsAdmin({ dir, base, port, server: server!, databaseUrl: postgres.database.url, password: PASSWORD, promoteTarget: 'admin', operations: 13 });
    });
  });
});
