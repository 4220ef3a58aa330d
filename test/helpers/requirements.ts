import { execaSync } from 'execa';
import net from 'node:net';
import { findExecutable } from '../../src/apply/post-steps.ts';

/** True when running in CI, where every required tool and service must be present. */
export const IN_CI = process.env['CI'] === 'true' || process.env['CI'] === '1';

interface SkippableContext {
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

export async function redisAvailable(): Promise<boolean> {
  return canConnect(6379);
}
