import { execaSync } from 'execa';
import net from 'node:net';
import { findExecutable } from '../../src/apply/post-steps.ts';

/** True when running in CI, where every required tool and service must be present. */
export const IN_CI = process.env['CI'] === 'true' || process.env['CI'] === '1';

export interface SkippableContext {
  skip(note?: string): void;
}

/**
 * Gate a test on a tool or service. In CI a missing one fails the test (CI
 * installs everything, so absence is a broken pipeline, never a silent pass);
 * on a laptop the test is skipped with a note saying what was missing and why.
 */
export function requireOrSkip(ctx: SkippableContext, what: string, available: boolean, hint: string): void {
  if (available) return;
  const message = `${what} is not available (${hint})`;
  if (IN_CI) throw new Error(`${message}; CI=true requires it.`);
  ctx.skip(`skipped: ${message}`);
}

export function hasExecutable(name: string): boolean {
  return findExecutable(name) !== undefined;
}

/** Can we open a TCP connection to host:port within the timeout? */
export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** PostgreSQL on 127.0.0.1:5432 answering as user postgres, with psql to administer it. */
export function postgresAvailable(): boolean {
  if (!hasExecutable('psql')) return false;
  const result = execaSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-tAc', 'select 1'], {
    reject: false,
    timeout: 5000,
  });
  return result.exitCode === 0;
}

/** MariaDB (or MySQL) on 127.0.0.1:3306 answering as root without a password, with its client to administer it. */
export function mysqlAvailable(): boolean {
  if (!hasExecutable('mysql')) return false;
  const result = execaSync('mysql', ['-h', '127.0.0.1', '-P', '3306', '-u', 'root', '-N', '-e', 'select 1'], {
    reject: false,
    timeout: 5000,
  });
  return result.exitCode === 0;
}

export async function redisAvailable(): Promise<boolean> {
  return canConnect(6379);
}

/** uv on the PATH: every test of a generated project needs it. */
export const UV = hasExecutable('uv');
export const UV_HINT = 'install it with `pip install uv`';

/**
 * The machine's PostgreSQL and Redis, checked once per test file. Both are
 * false without uv: the tests that use them need uv first, and say so.
 */
export const POSTGRES = UV && postgresAvailable();
export const POSTGRES_HINT = 'PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and psql';
export const MYSQL = UV && mysqlAvailable();
export const MYSQL_HINT = 'MariaDB or MySQL on 127.0.0.1:3306 (user root, empty password) and the mysql client';
/** The machine's MariaDB as a project's TEST_DATABASE_URL: each test run creates its own database there. */
export const MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';
export const REDIS = UV && (await redisAvailable());
export const REDIS_HINT = 'Redis on 127.0.0.1:6379';
/** The machine's Redis as a project's REDIS_URL. */
export const REDIS_URL = 'redis://127.0.0.1:6379/0';
