import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callJson, type JsonReply } from '../helpers/http.ts';
import { freePort, generateProject, httpReady, mustRun, runIn, startProcess, STANDARD_GATES, type RunningProcess } from '../helpers/python-project.ts';
import { hasExecutable, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const PACKAGE = 'first_run';
const PASSWORD = 'correct horse battery staple';
const STRONG_SECRET = 'a-production-secret-of-more-than-thirty-two-characters';
/** Peak resident memory the server may reach during 50 concurrent logins (see the test). */
const LOGIN_BURST_MEMORY_BOUND_MIB = 400;

/** The server's peak resident set so far (VmHWM), in MiB. */
function peakMemoryMib(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]);
  return kib / 1024;
}

/** Every process started by `pid`, children first-found: what `make run` leaves running when make alone is stopped. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // The parent pid is the 2nd field after the parenthesised command name.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const found: number[] = [];
  for (let frontier = [pid]; frontier.length > 0; ) {
    frontier = [...parentOf].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...frontier);
  }
  return found;
}

/** Stops a `make` process and the server it started. */
async function stopMake(server: RunningProcess): Promise<void> {
  for (const child of descendants(server.pid).reverse()) {
    try {
      process.kill(child, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await server.stop();
}

/**
 * What a new user does first, through the project's own commands: `make run`,
 * then a write. Also the failure paths of the web stack: a pending migration,
 * an unreachable database, a burst of logins, a `.env` written for production.
 */
describe('rest-api-auth: the first run works, and the failure paths answer honestly', () => {
  let dir = '';
  const servers: RunningProcess[] = [];

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('first-run', ['--milestone', 'rest-api-auth']);
    await mustRun(dir, ['uv', 'sync']);
  });

  afterAll(async () => {
    for (const server of servers.splice(0)) await stopMake(server);
  });

  /** Starts the app with `command` on a free port; resolves once GET /health answers `ready`. */
  async function serve(command: readonly string[], env: Record<string, string | undefined>, ready = 200) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = await startProcess(dir, command, {
      env: { HOST: '127.0.0.1', PORT: String(port), ...env },
      ready: () => httpReady(`${base}/health`, ready),
      timeoutMs: 120_000,
    });
    servers.push(server);
    return { base, server };
  }

  it('make run applies the migrations in development, so the first registration answers 202, not 500', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    expect(existsSync(path.join(dir, `${PACKAGE}.db`))).toBe(false);
    const { base, server } = await serve(['make', 'run'], { APP_ENV: undefined, DATABASE_URL: undefined });

    const registered = await callJson(base, 'POST', '/api/v1/auth/register', { email: 'ada@example.com', password: PASSWORD }, { timeoutMs: 30_000 });
    expect(registered.status, JSON.stringify(registered.body)).toBe(202);
    expect((await callJson(base, 'GET', '/health')).body).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    expect((await fetch(`${base}/docs`)).status).toBe(200); // development: the docs are served
    expect(server.output()).toContain('APP_ENV=development: applying pending migrations, up to auth_0002');
    expect(server.output()).not.toMatch(/Traceback|no such table/);
    await stopMake(server);
  });

  it('outside development make run only reports pending migrations: /health is 503 until make migrate, and /docs is off', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    const databaseUrl = `sqlite:///${path.join(dir, 'production.db')}`;
    const env = { APP_ENV: 'production', SECRET_KEY: STRONG_SECRET, DATABASE_URL: databaseUrl };
    const { base, server } = await serve(['make', 'run'], env, 503);

    const health = await callJson(base, 'GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: 'unavailable', checks: { database: 'ok', migrations: 'failed' } });
    expect(server.output()).toContain('APP_ENV=production: migrations are pending (auth_0002) and are applied only in development');
    expect((await fetch(`${base}/docs`)).status).toBe(404);
    expect((await fetch(`${base}/openapi.json`)).status).toBe(404);

    await mustRun(dir, ['make', 'migrate'], env);
    expect((await callJson(base, 'GET', '/health')).status).toBe(200);
    await stopMake(server);
  });

  it('with the database unreachable, a write answers 503 with Retry-After, not 500', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const closed = await freePort();
    const { base, server } = await serve(
      ['uv', 'run', '--locked', 'python', '-m', PACKAGE],
      { APP_ENV: 'development', DATABASE_URL: `postgresql://app@127.0.0.1:${closed}/app` },
      503,
    );

    const reply: JsonReply = await callJson(base, 'POST', '/api/v1/auth/register', { email: 'eve@example.com', password: PASSWORD }, { timeoutMs: 30_000 });
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBe('5');
    expect(reply.body).toEqual({
      error: { code: 'service_unavailable', message: 'The database is unavailable right now; try again shortly.', details: [] },
    });
    expect((await callJson(base, 'GET', '/health')).body.checks.database).toBe('failed');
    await server.stop();
  });

  it(`50 concurrent logins keep the server under ${LOGIN_BURST_MEMORY_BOUND_MIB} MiB (argon2 hashing is bounded by a semaphore)`, async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const databaseUrl = `sqlite:///${path.join(dir, 'logins.db')}`;
    await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'upgrade', 'heads'], { DATABASE_URL: databaseUrl });
    // The venv's python itself, so the pid is the server's (uv run would be its parent).
    const { base, server } = await serve([path.join(dir, '.venv', 'bin', 'python'), '-m', PACKAGE], {
      APP_ENV: 'development',
      DATABASE_URL: databaseUrl,
      // The login limits are not what this test is about.
      RATE_LIMIT_LOGIN_PER_CLIENT: '1000',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000',
    });
    const email = 'burst@example.com';
    expect((await callJson(base, 'POST', '/api/v1/auth/register', { email, password: PASSWORD }, { timeoutMs: 60_000 })).status).toBe(202);
    const before = peakMemoryMib(server.pid);

    const logins = await Promise.all(
      Array.from({ length: 50 }, () =>
        callJson(base, 'POST', '/api/v1/auth/token', undefined, { form: { username: email, password: PASSWORD }, timeoutMs: 240_000 }),
      ),
    );
    const peak = peakMemoryMib(server.pid);
    console.info(`peak RSS before the burst ${before.toFixed(0)} MiB, after 50 concurrent logins ${peak.toFixed(0)} MiB`);
    expect(logins.map((login) => login.status)).toEqual(Array.from({ length: 50 }, () => 200));
    // Two hashes at once (PASSWORD_HASHING_CONCURRENCY's default) take 2 x 64 MiB; without
    // the bound, FastAPI's 40 threads would hash together: 40 x 64 MiB = 2.5 GiB.
    expect(peak).toBeLessThan(LOGIN_BURST_MEMORY_BOUND_MIB);
    await server.stop();
  }, 300_000);

  it('a .env written for production (APP_ENV, a placeholder secret, an unreachable database) changes nothing for pytest', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const closed = await freePort();
    const dotenv = path.join(dir, '.env');
    writeFileSync(dotenv, `APP_ENV=production\nSECRET_KEY=change-me\nDATABASE_URL=postgresql://app@127.0.0.1:${closed}/app\nAPI_DOCS=false\n`);
    try {
      const result = await runIn(dir, STANDARD_GATES[0]!.command, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined, APP_ENV: undefined });
      expect(result.exitCode, result.output.slice(-4000)).toBe(0);
      expect(result.output).toMatch(/\d+ passed/);
      expect(result.output).not.toMatch(/\d+ (failed|error)/);
    } finally {
      rmSync(dotenv);
    }
  });
});
