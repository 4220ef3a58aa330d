import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { callJson, type CallOptions, type JsonReply } from './http.ts';
import { expectErrorBody } from './http-contract.ts';
import { psqlRows } from './python-project.ts';

/**
 * The rest-api-auth milestone's checks that are the same on every framework
 * (FastAPI is the reference; Flask and Django keep its HTTP contract): the
 * attack tests each project must ship, and the session's life over HTTP
 * against a served app on PostgreSQL. The fuzzing as an admin is
 * `expectFuzzCleanAsAdmin` (http-contract.ts).
 */

/** The password the auth tests register their users with. */
export const AUTH_PASSWORD = 'correct horse battery staple';

/** The milestone's list of attacks, each with the generated test that performs it (on every framework). */
export const ATTACK_TESTS = [
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
] as const;

/** The access and refresh token of a login. */
export interface TokenPair {
  readonly access_token: string;
  readonly refresh_token: string;
}

/** One HTTP call to a served auth app, with 20 s to answer (logging in and registering hash a password with argon2). */
export function authCall(base: string, method: string, route: string, body?: unknown, options: CallOptions = {}): Promise<JsonReply> {
  return callJson(base, method, route, body, { timeoutMs: 20_000, ...options });
}

/** The OAuth2 password login (a form body). */
export function logIn(base: string, email: string, password = AUTH_PASSWORD): Promise<JsonReply> {
  return authCall(base, 'POST', '/api/v1/auth/token', undefined, { form: { username: email, password } });
}

/** Registers `email` and logs in: the user's first token pair. */
export async function signUp(base: string, email: string): Promise<TokenPair> {
  expect((await authCall(base, 'POST', '/api/v1/auth/register', { email, password: AUTH_PASSWORD })).status).toBe(202);
  const login = await logIn(base, email);
  expect(login.status).toBe(200);
  return login.body as TokenPair;
}

/** The project's own tests under tests/auth/ try every attack of ATTACK_TESTS. */
export function expectAttackTests(dir: string): void {
  const testsDir = path.join(dir, 'tests', 'auth');
  const sources = readdirSync(testsDir)
    .filter((name) => name.startsWith('test_') && name.endsWith('.py'))
    .map((name) => readFileSync(path.join(testsDir, name), 'utf8'))
    .join('\n');
  for (const attack of ATTACK_TESTS) expect(sources, attack).toContain(`def ${attack}(`);
}

/**
 * A session's whole life over HTTP, on a served app whose database (PostgreSQL,
 * `databaseName`) has no user `email` yet: register (a taken email gets the same
 * answer), log in (the email's case does not matter; the database keeps the refresh
 * token's SHA-256 only), me, a wrong password, refresh (rotation), a reused refresh
 * token ending the whole session, a note of one's own, logout revoking the refresh
 * token and its access tokens, and the refusals' error bodies and WWW-Authenticate
 * headers; a token signed with `alg: none` is refused.
 */
export async function expectSessionLifecycle(base: string, databaseName: string, email = 'ada@example.com'): Promise<void> {
  const registered = await authCall(base, 'POST', '/api/v1/auth/register', { email, password: AUTH_PASSWORD });
  expect(registered.status, JSON.stringify(registered.body)).toBe(202);
  // Enumeration-safe: a taken email gets the same answer, and its password does not change.
  const again = await authCall(base, 'POST', '/api/v1/auth/register', { email: email.toUpperCase(), password: 'another long passphrase' });
  expect([again.status, again.body]).toEqual([202, registered.body]);

  const login = await logIn(base, email.replace(/^./, (first) => first.toUpperCase()));
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  expect(login.headers.get('cache-control')).toBe('no-store');
  expect(login.body).toMatchObject({ token_type: 'bearer', expires_in: 900 });
  const first = login.body as TokenPair;
  // The database keeps the refresh token's SHA-256, never the token.
  const digest = createHash('sha256').update(first.refresh_token).digest('hex');
  expect(await psqlRows(databaseName, `SELECT count(*) FROM refresh_tokens WHERE token_hash = '${digest}'`)).toEqual(['1']);

  const me = await authCall(base, 'GET', '/api/v1/users/me', undefined, { token: first.access_token });
  expect(me.status).toBe(200);
  expect(me.body).toMatchObject({ email, role: 'user', is_active: true });

  const wrong = await logIn(base, email, 'not the password at all');
  expectErrorBody(wrong, 401, 'invalid_credentials');
  expect(wrong.headers.get('www-authenticate')).toBe('Bearer');

  const refreshed = await authCall(base, 'POST', '/api/v1/auth/refresh', { refresh_token: first.refresh_token });
  expect(refreshed.status).toBe(200);
  const second = refreshed.body as TokenPair;
  expect(second.refresh_token).not.toBe(first.refresh_token);
  expect((await authCall(base, 'GET', '/api/v1/users/me', undefined, { token: second.access_token })).status).toBe(200);

  // The first token comes back: it was copied. The whole session ends, the new pair with it.
  const reused = await authCall(base, 'POST', '/api/v1/auth/refresh', { refresh_token: first.refresh_token });
  expectErrorBody(reused, 401, 'invalid_token');
  expect(reused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect((await authCall(base, 'POST', '/api/v1/auth/refresh', { refresh_token: second.refresh_token })).status).toBe(401);
  expect((await authCall(base, 'GET', '/api/v1/users/me', undefined, { token: second.access_token })).status).toBe(401);

  // Logging in again starts a new session, whose notes are the user's own.
  const third = (await logIn(base, email)).body as TokenPair;
  const note = await authCall(base, 'POST', '/api/v1/notes', { title: 'Mine' }, { token: third.access_token });
  expect(note.status, JSON.stringify(note.body)).toBe(201);
  expect(new URL(note.headers.get('location') ?? '', base).pathname).toBe(`/api/v1/notes/${note.body.id}`);

  // Logout revokes the refresh token and, at once, its access tokens.
  expect((await authCall(base, 'POST', '/api/v1/auth/logout', { refresh_token: third.refresh_token })).status).toBe(204);
  const afterLogout = await authCall(base, 'POST', '/api/v1/auth/refresh', { refresh_token: third.refresh_token });
  expectErrorBody(afterLogout, 401, 'invalid_token');
  expect(afterLogout.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect((await authCall(base, 'GET', '/api/v1/users/me', undefined, { token: third.access_token })).status).toBe(401);
  expect((await authCall(base, 'GET', '/api/v1/notes', undefined, { token: third.access_token })).status).toBe(401);
  const anonymous = await authCall(base, 'GET', '/api/v1/users/me');
  expectErrorBody(anonymous, 401, 'not_authenticated');
  expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');

  // A token signed with no algorithm at all is refused.
  const [, payload] = third.access_token.split('.');
  const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
  expectErrorBody(await authCall(base, 'GET', '/api/v1/users/me', undefined, { token: unsigned }), 401, 'invalid_token');
}
