import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/**
 * The published package as a user gets it: `npm pack` of this checkout,
 * installed into an empty prefix, run through its bin link, as `npx` does.
 * The tarball has no dependencies, so the install downloads nothing.
 */
const PACKAGE_NAME = 'create-python-roadmap-project';
const MAX_INSTALLED_BYTES = 2 * 1024 * 1024; // the published-size budget (bench/RESULTS.md)
const ALLOWED_TOP_LEVEL = new Set(['dist', 'roadmap.json', 'schema', 'package.json', 'README.md', 'LICENSE']);

interface PackResult {
  readonly filename: string;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

const npmEnv = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', NO_COLOR: '1' };

let packed: PackResult;
let tarball: string;
let prefix: string;
let bin: string;

/** Bytes of every regular file under dir (apparent size, not disk blocks: the budget is about what is shipped). */
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(full);
    else if (entry.isFile()) total += lstatSync(full).size;
  }
  return total;
}

async function runInstalled(args: readonly string[], cwd: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa(bin, args, { cwd, reject: false, input: '', env: { NO_COLOR: '1' }, timeout: 30_000 });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

beforeAll(async () => {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first.`);
  const packDir = makeTempDir('cprp-pack');
  const pack = await execa('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: REPO_ROOT, env: npmEnv });
  const results = JSON.parse(String(pack.stdout)) as PackResult[];
  expect(results).toHaveLength(1);
  packed = results[0]!;
  tarball = path.join(packDir, packed.filename);

  prefix = makeTempDir('cprp-prefix');
  await execa('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-package-lock', tarball], {
    cwd: prefix,
    env: npmEnv,
  });
  bin = path.join(prefix, 'node_modules', '.bin', PACKAGE_NAME);
});

describe('the npm package', () => {
  it('holds only what the CLI needs at run time', () => {
    const paths = packed.files.map((file) => file.path);
    const topLevel = new Set(paths.map((file) => file.split('/')[0]!));
    expect([...topLevel].filter((name) => !ALLOWED_TOP_LEVEL.has(name))).toEqual([]);
    for (const needed of ['package.json', 'README.md', 'roadmap.json', 'dist/cli.js', 'dist/templates.json.gz', 'dist/template-specs.json.gz']) expect(paths).toContain(needed);
    // The templates ship once, packed by the build (src/catalog/templates.ts reads the pack).
    expect(paths.filter((file) => file.startsWith('templates/'))).toEqual([]);
    expect(paths.some((file) => file.startsWith('schema/'))).toBe(true);
    // Nothing from the development side, at any depth (a stray map or tsconfig inside dist counts too).
    expect(paths.filter((file) => /(^|\/)(src|test|scripts|bench|docs)\//.test(file))).toEqual([]);
    expect(paths.filter((file) => file.endsWith('.map') || /(^|\/)tsconfig[^/]*\.json$/.test(file))).toEqual([]);
    expect(paths.filter((file) => file.startsWith('dist/') && !file.endsWith('.js') && !file.endsWith('.txt') && !['dist/templates.json.gz', 'dist/template-specs.json.gz'].includes(file))).toEqual([]);
  });

  it('declares no runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(path.join(prefix, 'node_modules', PACKAGE_NAME, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies']) {
      expect(manifest[field], field).toBeUndefined();
    }
    // The install pulled in nothing but the package itself.
    const installed = readdirSync(path.join(prefix, 'node_modules')).filter((name) => !name.startsWith('.'));
    expect(installed).toEqual([PACKAGE_NAME]);
  });

  it(`is at most ${MAX_INSTALLED_BYTES} bytes installed`, () => {
    const bytes = treeBytes(path.join(prefix, 'node_modules', PACKAGE_NAME));
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(MAX_INSTALLED_BYTES);
  });
});

describe('the installed bin, as npx runs it', () => {
  it('prints the version of the package', async () => {
    const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await runInstalled(['--version'], makeTempDir())).toMatchObject({ exitCode: 0, stdout: version });
  });

  it('lists the roadmap as JSON', async () => {
    const result = await runInstalled(['list', '--json'], makeTempDir());
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { phases: unknown[]; milestones: { id: string }[] };
    expect(report.phases).toHaveLength(10);
    expect(report.milestones.map((milestone) => milestone.id)).toEqual(
      expect.arrayContaining(['cloud-deploy', 'background-jobs', 'rest-api-auth']),
    );
  });

  it('creates a project from its own templates, and check finds it clean', async () => {
    const cwd = makeTempDir();
    const create = await runInstalled(
      ['shop', '--milestone', 'cloud-deploy,background-jobs,rest-api-auth', '--yes', '--no-install', '--no-git'],
      cwd,
    );
    expect(create.stderr).not.toContain('crashed');
    expect(create.exitCode).toBe(0);
    const project = path.join(cwd, 'shop');
    for (const file of ['pyproject.toml', '.roadmap-project.json', 'Dockerfile', 'src/shop/jobs/celery_app.py']) {
      expect(existsSync(path.join(project, file)), file).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(path.join(project, '.roadmap-project.json'), 'utf8')) as {
      answers: { milestones: string[] };
    };
    expect(manifest.answers.milestones).toEqual(expect.arrayContaining(['cloud-deploy', 'background-jobs', 'rest-api-auth']));

    const check = await runInstalled(['check', '--json'], project);
    expect(check.exitCode).toBe(0);
    expect((JSON.parse(check.stdout) as { ok: boolean }).ok).toBe(true);
  });

  it('answers a bad flag with exit 2 and the valid flags', async () => {
    const result = await runInstalled(['--no-such-flag'], makeTempDir());
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--no-such-flag');
    expect(result.stderr).toContain('Valid flags');
  });
});
