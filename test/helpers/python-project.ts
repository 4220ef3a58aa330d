import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, it } from 'vitest';
import { runCli } from './cli.ts';
import { requireOrSkip, UV, UV_HINT } from './requirements.ts';
import { makeTempDir } from './temp-dir.ts';

/**
 * Where this test file's Python processes keep their bytecode (PYTHONPYCACHEPREFIX):
 * outside the projects, so no `__pycache__` lands in a generated tree, yet each
 * project's modules and libraries are compiled once, by its first process, instead
 * of by every `uv run`: importing a jobs project's stack from source costs about
 * 3 s of CPU, 1.2 s from bytecode, and its pytest run took about a third less CPU
 * (21 s → 14 s). Removed with the file's other temp dirs.
 */
const BYTECODE_DIR = makeTempDir('cprp-pycache');

/**
 * The mypy cache of the vitest worker running this file (MYPY_CACHE_DIR), when the
 * generated suite's global setup made one per run (test/helpers/generated-setup.ts):
 * the files a worker runs one after another share it, so the standard library and
 * the libraries every project imports are analysed once per worker, not once per
 * project. mypy re-checks a module whenever its source hash differs, and a worker
 * runs one file at a time, so the cache is never used by two processes at once (the
 * matrix keeps caches of its own for its parallel gates). COLD_MYPY turns it off.
 */
function workerMypyCache(): Record<string, string> {
  const runDir = process.env['CPRP_GENERATED_RUN_DIR'];
  const worker = process.env['VITEST_POOL_ID'];
  return runDir && worker ? { MYPY_CACHE_DIR: path.join(runDir, `mypy-${worker}`) } : {};
}

/**
 * The environment every generated-project command runs in: uv may never
 * download a Python (the machine's is used), and all projects share uv's
 * default cache, so after the first install each `uv sync` is a local copy
 * (hard links: the temp dirs and the cache are on one file system).
 */
export const PYTHON_ENV: Record<string, string | undefined> = {
  UV_PYTHON_DOWNLOADS: 'never',
  UV_NO_PROGRESS: '1',
  NO_COLOR: '1',
  // Set on some machines (this one's image): it would stop Python writing bytecode at all.
  PYTHONDONTWRITEBYTECODE: undefined,
  PYTHONPYCACHEPREFIX: BYTECODE_DIR,
  ...workerMypyCache(),
};

/** For a command that must write bytecode next to the sources, as in a developer's shell (`make clean` removes it). */
export const BYTECODE_IN_PLACE: Record<string, undefined> = { PYTHONPYCACHEPREFIX: undefined };

/** For the mypy gate of a project as its user first meets it: the project's own, empty, cache. */
export const COLD_MYPY: Record<string, undefined> = { MYPY_CACHE_DIR: undefined };

export interface CommandResult {
  readonly exitCode: number;
  readonly output: string;
}

/** Runs a command in a project; never throws on a non-zero exit (assert on the result). */
export async function runIn(
  dir: string,
  command: readonly string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 10 * 60_000,
): Promise<CommandResult> {
  const [file, ...args] = command;
  if (!file) throw new Error('empty command');
  const result = await execa(file, args, {
    cwd: dir,
    env: { ...PYTHON_ENV, ...env },
    all: true,
    reject: false,
    timeout: timeoutMs,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? -1, output: String(result.all ?? '') };
}

/** Like runIn, but a failure throws with the command's output, so the test report shows why. */
export async function mustRun(
  dir: string,
  command: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<string> {
  const result = await runIn(dir, command, env);
  if (result.exitCode !== 0) {
    throw new Error(`\`${command.join(' ')}\` exited ${result.exitCode} in ${dir}:\n${result.output.slice(-6000)}`);
  }
  return result.output;
}

/**
 * Generates a project with the built CLI into a fresh temp dir (no git, no
 * install: the test runs `uv sync` itself so it can time and check it).
 */
export async function generateProject(name: string, args: readonly string[]): Promise<string> {
  const parent = makeTempDir('cprp-gen');
  const result = await runCli([name, '--no-git', '--no-install', ...args], { cwd: parent });
  if (result.exitCode !== 0) {
    throw new Error(`generation failed (exit ${result.exitCode}):\n${result.stderr}\n${result.stdout}`);
  }
  return path.join(parent, name);
}

/** A gate: a command that must exit 0, and its name in the test's title. */
export interface Gate {
  readonly name: string;
  readonly command: readonly string[];
}

/** The five gates every generated project must pass on its first run. */
export const STANDARD_GATES: readonly Gate[] = [
  { name: 'pytest (with the coverage gate)', command: ['uv', 'run', '--locked', 'pytest', '-q', '-p', 'no:cacheprovider'] },
  { name: 'ruff check (including the S rules)', command: ['uv', 'run', '--locked', 'ruff', 'check', '--no-cache', '.'] },
  { name: 'ruff format --check', command: ['uv', 'run', '--locked', 'ruff', 'format', '--no-cache', '--check', '.'] },
  { name: 'mypy --strict', command: ['uv', 'run', '--locked', 'mypy'] },
];

/**
 * The gates that read only the sources (ruff, ruff format, mypy): their result is the
 * same on any database. A file whose project's pytest runs on PostgreSQL (or MariaDB)
 * runs these beside it, and not pytest on SQLite too, when another file already runs
 * the same milestone's pytest on SQLite (docs/DECISIONS.md, "Suite time").
 */
export const STATIC_GATES: readonly Gate[] = STANDARD_GATES.filter((gate) => !gate.command.includes('pytest'));

/** One `it` per static gate on the project `project()` returns, in `env`. */
export function itPassesTheStaticGates(project: () => string, env: Record<string, string | undefined> = {}): void {
  for (const gate of STATIC_GATES) {
    it(`${gate.name} passes`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      await mustRun(project(), gate.command, env);
    });
  }
}

/** A port nobody listens on right now, for a server under test. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningProcess {
  readonly output: () => string;
  /** The process id of the command started (for a test that kills it on purpose). */
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a long-running process (a server, a worker) and waits until `ready`
 * says so; `stop` sends SIGTERM and waits for a clean exit.
 */
export async function startProcess(
  dir: string,
  command: readonly string[],
  options: { env?: Record<string, string | undefined>; ready: () => Promise<boolean>; timeoutMs?: number },
): Promise<RunningProcess> {
  const [file, ...args] = command;
  if (!file) throw new Error('empty command');
  const child = execa(file, args, {
    cwd: dir,
    env: { ...PYTHON_ENV, ...options.env },
    all: true,
    reject: false,
    stdin: 'ignore',
    forceKillAfterDelay: 10_000,
  });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let exited = false;
  void child.then(() => {
    exited = true;
  });
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await options.ready().catch(() => false))) {
    if (exited) throw new Error(`\`${command.join(' ')}\` exited before it was ready:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`\`${command.join(' ')}\` was not ready in time:\n${output.slice(-4000)}`);
    }
    await sleep(200);
  }
  return {
    output: () => output,
    pid: child.pid ?? -1,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await child;
    },
  };
}

/** Resolves true once GET url answers with the expected status. */
export async function httpReady(url: string, status = 200): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.status === status;
  } catch {
    return false;
  }
}

/**
 * Serves a generated app (`python -m <package>`, development mode) on its
 * database, on a free port of 127.0.0.1, once GET /health answers 200.
 */
export async function serveApp(
  dir: string,
  packageName: string,
  databaseUrl: string,
): Promise<{ server: RunningProcess; port: number; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startProcess(dir, ['uv', 'run', '--locked', 'python', '-m', packageName], {
    env: { DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: String(port), APP_ENV: 'development' },
    ready: () => httpReady(`${base}/health`),
  });
  return { server, port, base };
}

/**
 * A throwaway PostgreSQL database on the machine's server, so tests running in
 * parallel (and the developer's own databases) never see each other's rows.
 */
export interface PostgresDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export async function createPostgresDatabase(): Promise<PostgresDatabase> {
  const name = `cprp_${randomBytes(6).toString('hex')}`;
  const psql = (sql: string): Promise<unknown> =>
    execa('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
  await psql(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: `postgresql://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      await psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** The rows `sql` returns on the machine's MariaDB/MySQL server, one string a row (tab-separated columns). */
export async function mysqlRows(sql: string, database = 'test'): Promise<string[]> {
  const result = await execa('mysql', ['-h', '127.0.0.1', '-P', '3306', '-u', 'root', '-N', '-B', '-D', database, '-e', sql]);
  return String(result.stdout)
    .split('\n')
    .filter((line) => line !== '');
}

/** The rows `sql` returns from a database on the machine's server, one string a row (psql -tA). */
export async function psqlRows(databaseName: string, sql: string): Promise<string[]> {
  const result = await execa('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', databaseName, '-tAc', sql]);
  return String(result.stdout)
    .split('\n')
    .filter((line) => line !== '');
}

/**
 * For a describe block whose tests run against the machine's PostgreSQL: a
 * throwaway database created before its tests (when `available`), and, with
 * every app started through `serve`, stopped and dropped after them.
 * `database` throws outside that window, so a test that forgot its
 * requireOrSkip fails loudly instead of using no database.
 */
export function usePostgresDatabase(available: boolean): {
  readonly database: PostgresDatabase;
  serve(dir: string, packageName: string): Promise<{ server: RunningProcess; port: number; base: string }>;
} {
  let database: PostgresDatabase | undefined;
  const servers: RunningProcess[] = [];
  beforeAll(async () => {
    if (available) database = await createPostgresDatabase();
  });
  afterAll(async () => {
    for (const server of servers.splice(0)) await server.stop();
    await database?.drop();
  });
  const current = (): PostgresDatabase => {
    if (!database) throw new Error('no PostgreSQL database: the test must requireOrSkip PostgreSQL first');
    return database;
  };
  return {
    get database() {
      return current();
    },
    async serve(dir, packageName) {
      const app = await serveApp(dir, packageName, current().url);
      servers.push(app.server);
      return app;
    },
  };
}
