import { execa } from 'execa';
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, runCli } from '../helpers/cli.ts';
import { requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/** Test-only pause between staged files, so a signal can arrive mid-write. */
const SLOW_WRITES = { CREATE_PYTHON_ROADMAP_PROJECT_TEST_WRITE_DELAY_MS: '150' };
const ARGS = ['proj', '--milestone', 'python-foundations', '--no-git', '--no-install'];

function start(cwd: string, args: string[], env: Record<string, string>) {
  return execa(process.execPath, [CLI_PATH, ...args], { cwd, env: { NO_COLOR: '1', ...env }, reject: false, all: true });
}

/** Polls until `condition` holds; fails the test after `timeoutMs`. */
async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const stagingIn = (dir: string): string[] => readdirSync(dir).filter((entry) => entry.includes('.cprp-staging-'));

describe('an interrupted generation leaves nothing half-written', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while files are being written: exit 130, no project, no staging folder`, async () => {
      const cwd = makeTempDir('cprp-int');
      const child = start(cwd, ARGS, SLOW_WRITES);
      // Wait until the staging folder holds some files but not all of them.
      await waitFor('staging to begin', () => stagingIn(cwd).some((dir) => readdirSync(path.join(cwd, dir)).length > 0));
      await sleep(300);
      child.kill(signal);
      const result = await child;
      expect(result.exitCode, result.all).toBe(130);
      expect(result.all).toContain('Interrupted; nothing was written.');
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  it('SIGKILL mid-write cannot clean up, but leaves the target untouched, and the next run sweeps the debris', async () => {
    const cwd = makeTempDir('cprp-int');
    const child = start(cwd, ARGS, SLOW_WRITES);
    await waitFor('staging to begin', () => stagingIn(cwd).length > 0);
    await sleep(300);
    child.kill('SIGKILL');
    await child;
    expect(existsSync(path.join(cwd, 'proj'))).toBe(false);
    expect(stagingIn(cwd)).toHaveLength(1);
    const rerun = await runCli(ARGS, { cwd });
    expect(rerun.exitCode).toBe(0);
    expect(readdirSync(cwd)).toEqual(['proj']);
  });

  it('an interrupted --force write into an existing folder restores it exactly', async () => {
    const cwd = makeTempDir('cprp-int');
    const target = path.join(cwd, 'proj');
    await runCli(ARGS, { cwd });
    const before = readdirSync(target, { recursive: true, encoding: 'utf8' }).sort();
    const child = start(cwd, [...ARGS, '--force', '--name', 'other-name'], SLOW_WRITES);
    await waitFor('staging to begin', () => stagingIn(cwd).length > 0);
    await sleep(300);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, result.all).toBe(130);
    expect(readdirSync(target, { recursive: true, encoding: 'utf8' }).sort()).toEqual(before);
    expect(stagingIn(cwd)).toEqual([]);
  });

  it('Ctrl-C during a real `uv sync` stops uv and removes the project it was installing', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    // A package index that accepts connections and never answers keeps the real uv busy
    // resolving, so the signal is sure to arrive while it runs.
    const sockets = new Set<import('node:net').Socket>();
    const index = http.createServer(() => {});
    index.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => index.listen(0, '127.0.0.1', resolve));
    const { port } = index.address() as AddressInfo;
    try {
      const cwd = makeTempDir('cprp-int');
      const child = start(cwd, ['proj', '--milestone', 'python-foundations', '--no-git'], {
        UV_INDEX_URL: `http://127.0.0.1:${port}/simple`,
        UV_DEFAULT_INDEX: `http://127.0.0.1:${port}/simple`,
        UV_CACHE_DIR: path.join(makeTempDir('cprp-uvcache'), 'cache'),
        UV_PYTHON_DOWNLOADS: 'never',
        UV_HTTP_TIMEOUT: '120',
      });
      let output = '';
      child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitFor('uv sync to start', () => output.includes('Installing dependencies with uv sync') && sockets.size > 0);
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode, result.all).toBe(130);
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      index.close();
    }
  });
});
