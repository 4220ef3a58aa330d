import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { AUTH_PASSWORD, authCall, expectAttackTests, expectSessionLifecycle, logIn, signUp } from '../helpers/auth-flow.ts';
import type { JsonReply } from '../helpers/http.ts';
import { expectErrorBody, expectFuzzCleanAsAdmin } from '../helpers/http-contract.ts';
import { readTree } from '../helpers/project-tree.ts';
import {
  itPassesTheStaticGates,
  generateProject,
  mustRun,
  psqlRows,
  STANDARD_GATES,
  usePostgresDatabase,
  type RunningProcess,
} from '../helpers/python-project.ts';
import { hasExecutable, POSTGRES, POSTGRES_HINT, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const PACKAGE = 'flask_notes';

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
    expectAttackTests(dir);
    expect(tree.get('src/flask_notes/auth/dependencies.py')).toContain('HTTPTokenAuth');
  });

  // pytest runs once here, on PostgreSQL (below). The models, services and migrations under
  // the blueprints are the FastAPI path's SQLAlchemy ones, whose suite runs on SQLite in
  // first-run.test.ts.
  itPassesTheStaticGates(() => dir);

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
      expect((await authCall(base, 'GET', '/health')).body).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    });

    it('register → login → me → refresh → reuse → logout over HTTP; a reused or revoked refresh token ends the session', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(server, 'the server of the previous test is running').toBeDefined();
      await expectSessionLifecycle(base, postgres.database.name);
    });

    it("owner-only notes (another user's is a 404), admin-only routes (403), and login rate-limited per account (429)", async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(server, 'the server of an earlier test is running').toBeDefined();
      const alice = await signUp(base, 'alice@example.com');
      const bob = await signUp(base, 'bob@example.com');
      const created = await authCall(base, 'POST', '/api/v1/notes', { title: 'Secret', body: 'mine' }, { token: alice.access_token });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toMatch(new RegExp(`/api/v1/notes/${created.body.id}$`));
      const theirs = await authCall(base, 'GET', `/api/v1/notes/${created.body.id}`, undefined, { token: bob.access_token });
      const missing = await authCall(base, 'GET', `/api/v1/notes/${created.body.id + 1000}`, undefined, { token: bob.access_token });
      expectErrorBody(theirs, 404, 'not_found');
      expectErrorBody(missing, 404, 'not_found');
      expect((await authCall(base, 'GET', '/api/v1/notes', undefined, { token: bob.access_token })).body.total).toBe(0);

      const forbidden = await authCall(base, 'GET', '/api/v1/users', undefined, { token: bob.access_token });
      expectErrorBody(forbidden, 403, 'forbidden');
      expect(forbidden.headers.get('www-authenticate')).toBeNull();
      expectErrorBody(await authCall(base, 'POST', '/api/v1/notes', { title: 'x', owner_id: 1 }, { token: bob.access_token }), 422, 'validation_error');

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
      await expectFuzzCleanAsAdmin({ dir, base, port, server: server!, databaseUrl: postgres.database.url, password: AUTH_PASSWORD, promoteTarget: 'admin', operations: 13 });
    });
  });
});
