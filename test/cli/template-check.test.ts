import { execa } from 'execa';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCli } from '../helpers/cli.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const MAKE = hasExecutable('make');
const NPM = hasExecutable('npm');

/** A package registry that has nothing: every request is a 404, as for a version never published. */
let registry: http.Server;
let registryUrl = '';

beforeAll(async () => {
  registry = http.createServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end('{"error":"Not found"}');
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
});

afterAll(() => registry.close());

async function project(): Promise<string> {
  const cwd = makeTempDir('cprp-tc');
  const result = await runCli(['tc', '--milestone', 'python-foundations', '--no-git', '--no-install'], { cwd });
  expect(result.exitCode, result.stderr).toBe(0);
  return path.join(cwd, 'tc');
}

function make(dir: string, args: string[], env: Record<string, string> = {}) {
  return execa('make', ['--no-print-directory', ...args], {
    cwd: dir,
    reject: false,
    all: true,
    env: {
      npm_config_registry: registryUrl,
      npm_config_cache: path.join(makeTempDir('cprp-npm-cache'), 'cache'),
      npm_config_fetch_retries: '0',
      npm_config_update_notifier: 'false',
      ...env,
    },
  });
}

describe('make template-check when the pinned generator cannot be fetched', () => {
  it('says so, and how to point GENERATOR at a local build', async (ctx) => {
    requireOrSkip(ctx, 'make and npm', MAKE && NPM, 'install GNU make and npm');
    const result = await make(await project(), ['template-check']);
    expect(result.exitCode).not.toBe(0);
    expect(result.all).toMatch(/create-python-roadmap-project@\d+\.\d+\.\d+ could not be fetched from the npm registry/);
    expect(result.all).toContain('make template-check GENERATOR="node /path/to/create-python-roadmap-project/dist/cli.js"');
  });

  it('runs the build GENERATOR names, and an empty GENERATOR (an unset CI variable) means the pinned release', async (ctx) => {
    requireOrSkip(ctx, 'make and npm', MAKE && NPM, 'install GNU make and npm');
    const dir = await project();
    const local = await make(dir, ['template-check', `GENERATOR=${process.execPath} ${CLI_PATH}`]);
    expect(local.exitCode, local.all).toBe(0);
    expect(local.all).toMatch(/all \d+ template-owned files match/);
    expect(local.all).not.toContain('could not be fetched');
    const unset = await make(dir, ['template-check'], { GENERATOR: '' });
    expect(unset.all).toMatch(/^npx --yes create-python-roadmap-project@\S+ check$/m);
  });

  it('drift found by a local build is drift, not a fetch problem', async (ctx) => {
    requireOrSkip(ctx, 'make and npm', MAKE && NPM, 'install GNU make and npm');
    const dir = await project();
    const result = await make(dir, ['template-check', `GENERATOR=${process.execPath} ${CLI_PATH}`], {});
    expect(result.exitCode).toBe(0);
    await execa('sh', ['-c', "sed -i 's/^line-length = 100/line-length = 120/' pyproject.toml"], { cwd: dir });
    const drifted = await make(dir, ['template-check', `GENERATOR=${process.execPath} ${CLI_PATH}`]);
    expect(drifted.exitCode).not.toBe(0);
    expect(drifted.all).toMatch(/edited\s+pyproject\.toml/);
    expect(drifted.all).not.toContain('could not be fetched');
  });
});
