import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

describe('a failing post-step never destroys the generated project', () => {
  // A package index that knows no packages: the real uv fails fast with its own error.
  const index = http.createServer((_request, response) => {
    response.writeHead(404).end('not here');
  });
  let url = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => index.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(index.address() as AddressInfo).port}/simple`;
  });
  afterAll(() => {
    index.close();
  });

  it('exit 1, the project complete, the tail of uv’s output and the command to finish by hand', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const cwd = makeTempDir('cprp-post');
    const result = await runCli(['kept', '--milestone', 'python-foundations', '--no-git'], {
      cwd,
      env: {
        UV_DEFAULT_INDEX: url,
        UV_INDEX_URL: url,
        UV_CACHE_DIR: path.join(makeTempDir('cprp-uvcache'), 'cache'),
        UV_PYTHON_DOWNLOADS: 'never',
      },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('Created kept');
    expect(result.stderr).toContain('install failed');
    expect(result.stderr).toMatch(/not found in the package registry|No solution found|hatchling/);
    expect(result.stderr).toContain('The project is complete; finish this step by hand: uv sync');
    expect(existsSync(path.join(cwd, 'kept', 'pyproject.toml'))).toBe(true);
    expect(existsSync(path.join(cwd, 'kept', '.roadmap-project.json'))).toBe(true);
  });
});
