import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, runCli } from '../helpers/cli.ts';
import { hasExecutable, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';
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

/**
 * A package index that accepts connections and never answers: the real uv stays
 * busy resolving, so a signal is sure to arrive while it runs.
 */
async function withHangingIndex(
  body: (env: Record<string, string>, connected: () => boolean, connectedFile: string) => Promise<void>,
): Promise<void> {
  const sockets = new Set<import('node:net').Socket>();
  const connectedFile = path.join(makeTempDir('cprp-index'), 'connected');
  const index = http.createServer(() => {});
  index.on('connection', (socket) => {
    sockets.add(socket);
    writeFileSync(connectedFile, '');
  });
  await new Promise<void>((resolve) => index.listen(0, '127.0.0.1', resolve));
  const { port } = index.address() as AddressInfo;
  try {
    await body(
      {
        UV_INDEX_URL: `http://127.0.0.1:${port}/simple`,
        UV_DEFAULT_INDEX: `http://127.0.0.1:${port}/simple`,
        UV_CACHE_DIR: path.join(makeTempDir('cprp-uvcache'), 'cache'),
        UV_PYTHON_DOWNLOADS: 'never',
        UV_HTTP_TIMEOUT: '120',
      },
      () => sockets.size > 0,
      connectedFile,
    );
  } finally {
    for (const socket of sockets) socket.destroy();
    index.close();
  }
}

/** Ctrl-C during the install: every generated file kept, no .venv, no .git, and the commands to finish by hand. */
function expectKeptWithoutInstall(cwd: string, output: string): void {
  const project = path.join(cwd, 'proj');
  expect(readdirSync(cwd)).toEqual(['proj']);
  const manifest = JSON.parse(readFileSync(path.join(project, '.roadmap-project.json'), 'utf8')) as { files: Record<string, unknown> };
  for (const file of Object.keys(manifest.files)) expect(existsSync(path.join(project, file)), file).toBe(true);
  expect(existsSync(path.join(project, '.venv'))).toBe(false);
  expect(existsSync(path.join(project, '.git'))).toBe(false);
  expect(output).toContain('Interrupted while installing dependencies. The project itself is complete and kept in proj; the half-built .venv was removed.');
  expect(output).toMatch(/To finish by hand:\s+cd proj\s+make install\s+git init && git add -A && git commit/);
}

interface PtyRun {
  readonly exit: number;
  readonly transcript: string;
  readonly failed_step: number | null;
}

/** The CLI on a pseudo-terminal: Ctrl-C typed there signals the whole foreground process group, uv included. */
async function onTerminal(cwd: string, args: string[], steps: { expect: string; send: string; after_file?: string }[], env: Record<string, string>): Promise<PtyRun> {
  const spec = { argv: [process.execPath, CLI_PATH, ...args], cwd, steps, timeout: 30 };
  const result = await execa('python3', [path.join(REPO_ROOT, 'test/helpers/pty_driver.py'), JSON.stringify(spec)], { env });
  return JSON.parse(result.stdout) as PtyRun;
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

  it('SIGINT during a real `uv sync` stops uv, keeps the complete project without .venv, and says what to run', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    await withHangingIndex(async (env, connected) => {
      const cwd = makeTempDir('cprp-int');
      const child = start(cwd, ['proj', '--milestone', 'python-foundations'], env);
      let output = '';
      child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitFor('uv sync to start', () => output.includes('Installing dependencies with uv sync') && connected());
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode, result.all).toBe(130);
      expectKeptWithoutInstall(cwd, result.all ?? '');
    });
  });

  it('Ctrl-C typed on a real terminal during the install (uv gets the signal too): the same outcome', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'python3 (drives the pseudo-terminal)', hasExecutable('python3'), 'install Python 3');
    await withHangingIndex(async (env, connected, connectedFile) => {
      const cwd = makeTempDir('cprp-int');
      // The driver types Ctrl-C once the spinner shows and uv is waiting on the index.
      const run = await onTerminal(cwd, ['proj', '--milestone', 'python-foundations', '--yes'], [
        { expect: 'Installing dependencies with uv sync', send: '\u0003', after_file: connectedFile },
      ], env);
      expect(run.failed_step, run.transcript).toBeNull();
      expect(connected(), 'uv reached the package index before Ctrl-C').toBe(true);
      expect(run.exit, run.transcript).toBe(130);
      expectKeptWithoutInstall(cwd, run.transcript);
    });
  });
});
