import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;
const QUICK = ['--milestone', 'python-foundations', '--no-git', '--no-install'];

describe('--version and --help', () => {
  it('prints the version', async () => {
    const result = await runCli(['--version'], { cwd: makeTempDir() });
    expect(result).toMatchObject({ exitCode: 0, stdout: packageVersion });
  });

  it('prints usage with every flag, the catalog options and the exit codes', async () => {
    const result = await runCli(['--help'], { cwd: makeTempDir() });
    expect(result.exitCode).toBe(0);
    for (const text of ['--milestone ID', '--phase', '--yes', '--no-git', '--no-install', '--dry-run', '--force', '--answers FILE', '--json', '--db sqlite|postgres', '130']) {
      expect(result.stdout).toContain(text);
    }
  });

  it('has help for list', async () => {
    const result = await runCli(['list', '--help'], { cwd: makeTempDir() });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('list [--json]');
  });
});

describe('list', () => {
  it('shows all ten phases, their topics and the milestones', async () => {
    const result = await runCli(['list'], { cwd: makeTempDir() });
    expect(result.exitCode).toBe(0);
    for (let number = 1; number <= 10; number += 1) expect(result.stdout).toContain(`Phase ${number} · `);
    for (const id of ['python-foundations', 'rest-api-auth', 'crud-db', 'background-jobs', 'dockerized-app', 'cloud-deploy']) {
      expect(result.stdout).toContain(id);
    }
    expect(result.stdout).toContain('[big-o]');
    // A topic an available milestone claims says which one covers it; phase 9's data/AI path has one.
    expect(result.stdout).toContain('[data-ai] covered by data-model-service');
    // Phase 8's load balancing and service boundaries: the replicas behind Nginx, and the design document.
    expect(result.stdout).toContain('[load-balancing] covered by scalable-service');
    expect(result.stdout).toContain('[monolith-microservices] covered by scalable-service');
    expect(result.stdout).toMatch(/\[devops-cloud\]\n/);
  });

  it('--json gives the same roadmap as data', async () => {
    const result = await runCli(['list', '--json'], { cwd: makeTempDir() });
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as {
      phases: { number: number; topics: unknown[] }[];
      milestones: { id: string; available: boolean; options: string[] }[];
    };
    expect(report.phases).toHaveLength(10);
    expect(report.milestones.map((m) => m.id)).toEqual(
      expect.arrayContaining(['rest-api-auth', 'crud-db', 'background-jobs', 'dockerized-app', 'cloud-deploy']),
    );
    expect(report.milestones.find((m) => m.id === 'python-foundations')?.available).toBe(true);
  });

  it('inside a generated project, marks the milestones it covers', async () => {
    const cwd = makeTempDir();
    expect((await runCli(['proj', ...QUICK], { cwd })).exitCode).toBe(0);
    const nested = path.join(cwd, 'proj', 'src');
    const result = await runCli(['list', '--json'], { cwd: nested });
    const report = JSON.parse(result.stdout) as { project: { directory: string; covered: string[] } };
    expect(report.project.directory).toBe(path.join(cwd, 'proj'));
    expect(report.project.covered).toEqual(['python-foundations']);
    const text = await runCli(['list', '--dir', path.join(cwd, 'proj')], { cwd });
    expect(text.stdout).toMatch(/✔ python-foundations/);
    expect(text.stdout).toContain('covers: python-foundations');
  });
});

describe('create', () => {
  it('generates a project without a terminal, from flags alone', async () => {
    const cwd = makeTempDir();
    const result = await runCli(['my-logs', ...QUICK], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Created my-logs');
    const manifest = JSON.parse(readFileSync(path.join(cwd, 'my-logs', '.roadmap-project.json'), 'utf8'));
    expect(manifest.answers).toEqual({ name: 'my-logs', milestones: ['python-foundations'], extraFeatures: [], options: {} });
    expect(manifest.generator.version).toBe(packageVersion);
    expect(Object.keys(manifest.files)).toContain('src/my_logs/cli.py');
  });

  it('--json reports the project as one JSON document and nothing else on stdout', async () => {
    const cwd = makeTempDir();
    const result = await runCli(['p', ...QUICK, '--json'], { cwd });
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: true, command: 'create', dryRun: false, project: { distName: 'p', packageName: 'p' } });
    expect(report.files.map((f: { path: string }) => f.path)).toContain('pyproject.toml');
    expect(report.steps.map((s: { status: string }) => s.status)).toEqual(['skipped', 'skipped']);
  });

  it('--dry-run lists the files and writes nothing', async () => {
    const cwd = makeTempDir();
    const result = await runCli(['dry', ...QUICK, '--dry-run'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Dry run: nothing was written');
    expect(result.stdout).toContain('+ src/dry/cli.py');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--dry-run --json writes nothing and says what would run', async () => {
    const cwd = makeTempDir();
    const result = await runCli(['dry', '--milestone', 'python-foundations', '--dry-run', '--json'], { cwd });
    const report = JSON.parse(result.stdout);
    expect(report.dryRun).toBe(true);
    expect(report.steps).toEqual([
      { step: 'install', status: 'planned', detail: 'uv sync' },
      { step: 'git', status: 'planned', detail: 'git init and a first commit' },
    ]);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('normalizes a name that only needs it', async () => {
    const cwd = makeTempDir();
    const result = await runCli(['--name', 'My Cool Logs', ...QUICK, '--json'], { cwd });
    const report = JSON.parse(result.stdout);
    expect(report.project).toEqual({ displayName: 'My Cool Logs', distName: 'my-cool-logs', packageName: 'my_cool_logs' });
    expect(existsSync(path.join(cwd, 'my-cool-logs', 'src', 'my_cool_logs', '__init__.py'))).toBe(true);
  });

  it('refuses a non-empty directory and leaves it exactly as it was', async () => {
    const cwd = makeTempDir();
    mkdirSync(path.join(cwd, 'taken'));
    writeFileSync(path.join(cwd, 'taken', 'notes.txt'), 'mine');
    const result = await runCli(['taken', ...QUICK], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is not empty');
    expect(result.stderr).toContain('--force');
    expect(readdirSync(path.join(cwd, 'taken'))).toEqual(['notes.txt']);
  });

  it('--force generates into a non-empty directory, keeping what was there', async () => {
    const cwd = makeTempDir();
    mkdirSync(path.join(cwd, 'taken'));
    writeFileSync(path.join(cwd, 'taken', 'notes.txt'), 'mine');
    writeFileSync(path.join(cwd, 'taken', 'README.md'), 'my readme');
    const result = await runCli(['taken', ...QUICK, '--force'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('README.md already existed with other content; yours is kept as README.md.orig');
    expect(readFileSync(path.join(cwd, 'taken', 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(path.join(cwd, 'taken', 'README.md.orig'), 'utf8')).toBe('my readme');
  });

  it('reads answers from a file, with flags taking precedence', async () => {
    const cwd = makeTempDir();
    writeFileSync(
      path.join(cwd, 'answers.json'),
      JSON.stringify({ name: 'from-file', milestones: ['python-foundations'], git: false, install: false }),
    );
    const result = await runCli(['--answers', 'answers.json', '--name', 'from-flag', '--json'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).project.distName).toBe('from-flag');
  });

  it("regenerates from another project's manifest", async () => {
    const cwd = makeTempDir();
    await runCli(['first', ...QUICK], { cwd });
    const result = await runCli(['second', '--answers', 'first/.roadmap-project.json', '--no-git', '--no-install', '--json'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ milestones: ['python-foundations'], project: { distName: 'second' } });
  });

  it('creates a git repository with one commit holding every file', async (ctx) => {
    requireOrSkip(ctx, 'git', hasExecutable('git'), 'install git');
    const cwd = makeTempDir();
    const result = await runCli(['with-git', '--milestone', 'python-foundations', '--no-install'], { cwd });
    expect(result.exitCode).toBe(0);
    const { execa } = await import('execa');
    const log = await execa('git', ['log', '--format=%s'], { cwd: path.join(cwd, 'with-git') });
    expect(log.stdout).toMatch(/^Initial commit from create-python-roadmap-project /);
    const status = await execa('git', ['status', '--porcelain'], { cwd: path.join(cwd, 'with-git') });
    expect(status.stdout).toBe('');
  });
});

describe('the development secret', () => {
  const secretOf = (dir: string): string => /^SECRET_KEY=(.*)$/m.exec(readFileSync(path.join(dir, '.env'), 'utf8'))?.[1] ?? '';

  it('a project that signs tokens gets a random SECRET_KEY in an untracked .env, its own', async (ctx) => {
    requireOrSkip(ctx, 'git', hasExecutable('git'), 'install git');
    const cwd = makeTempDir();
    for (const name of ['first', 'second']) {
      const result = await runCli([name, '--milestone', 'rest-api-auth', '--no-install'], { cwd });
      expect(result.exitCode, result.stderr).toBe(0);
    }
    const [first, second] = [secretOf(path.join(cwd, 'first')), secretOf(path.join(cwd, 'second'))];
    expect(first).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(second).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(first).not.toBe(second);
    // Everything else is .env.example's: one file to edit, nothing to copy over it.
    const env = readFileSync(path.join(cwd, 'first', '.env'), 'utf8');
    const example = readFileSync(path.join(cwd, 'first', '.env.example'), 'utf8');
    expect(env).toMatch(/^# Your settings, git-ignored/);
    expect(env).toContain(example.slice(example.indexOf('\nAPP_ENV=') + 1).replace(/^SECRET_KEY=change-me$/m, `SECRET_KEY=${first}`));
    if (process.platform !== 'win32') expect(statSync(path.join(cwd, 'first', '.env')).mode & 0o777).toBe(0o600);

    const { execa } = await import('execa');
    const dir = path.join(cwd, 'first');
    expect((await execa('git', ['ls-files', '.env'], { cwd: dir })).stdout).toBe('');
    expect((await execa('git', ['status', '--porcelain', '--ignored', '.env'], { cwd: dir })).stdout).toBe('!! .env');
    expect((await execa('git', ['log', '--all', '-p'], { cwd: dir })).stdout).not.toContain(first);
    const manifest = readFileSync(path.join(dir, '.roadmap-project.json'), 'utf8');
    expect(manifest).not.toContain(first);
    expect(manifest).not.toContain('".env"');
  });

  it('a project without accounts has no secret and no .env', async () => {
    const cwd = makeTempDir();
    expect((await runCli(['tasks', '--milestone', 'crud-db', '--no-git', '--no-install'], { cwd })).exitCode).toBe(0);
    expect(existsSync(path.join(cwd, 'tasks', '.env'))).toBe(false);
  });

  it('--force into a folder keeps its .env, adding only a missing SECRET_KEY', async () => {
    const cwd = makeTempDir();
    mkdirSync(path.join(cwd, 'kept'));
    writeFileSync(path.join(cwd, 'kept', '.env'), 'DATABASE_URL=sqlite:///./mine.db');
    expect((await runCli(['kept', '--milestone', 'rest-api-auth', '--no-git', '--no-install', '--force'], { cwd })).exitCode).toBe(0);
    const env = readFileSync(path.join(cwd, 'kept', '.env'), 'utf8');
    expect(env.startsWith('DATABASE_URL=sqlite:///./mine.db\n')).toBe(true);
    expect(secretOf(path.join(cwd, 'kept'))).toMatch(/^[A-Za-z0-9_-]{64}$/);

    writeFileSync(path.join(cwd, 'kept', '.env'), 'SECRET_KEY=mine\n');
    mkdirSync(path.join(cwd, 'again'));
    writeFileSync(path.join(cwd, 'again', '.env'), 'SECRET_KEY=mine\n');
    expect((await runCli(['again', '--milestone', 'rest-api-auth', '--no-git', '--no-install', '--force'], { cwd })).exitCode).toBe(0);
    expect(readFileSync(path.join(cwd, 'again', '.env'), 'utf8')).toBe('SECRET_KEY=mine\n');
  });

  it('never writes through a .env symlink a cloned project carries', async () => {
    const cwd = makeTempDir();
    expect((await runCli(['cloned', '--milestone', 'crud-db', '--no-git', '--no-install'], { cwd })).exitCode).toBe(0);
    const dir = path.join(cwd, 'cloned');
    writeFileSync(path.join(cwd, 'victim.txt'), 'untouched\n');
    symlinkSync('../victim.txt', path.join(dir, '.env'));
    const added = await runCli(['add', 'rest-api-auth', '--yes', '--allow-dirty'], { cwd: dir });
    expect(added.exitCode, added.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'victim.txt'), 'utf8')).toBe('untouched\n');
    expect(lstatSync(path.join(dir, '.env')).isSymbolicLink()).toBe(true);
    expect(added.stderr).toContain('.env is not a regular file (a symlink?): left alone.');
  });

  it('add brings the secret with the first feature that signs tokens', async () => {
    const cwd = makeTempDir();
    expect((await runCli(['grown', '--milestone', 'crud-db', '--no-git', '--no-install'], { cwd })).exitCode).toBe(0);
    const dir = path.join(cwd, 'grown');
    expect(existsSync(path.join(dir, '.env'))).toBe(false);
    const added = await runCli(['add', 'rest-api-auth', '--yes', '--allow-dirty'], { cwd: dir });
    expect(added.exitCode, added.stderr).toBe(0);
    const secret = secretOf(dir);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    // An update later never touches it.
    expect((await runCli(['update', '--allow-dirty'], { cwd: dir })).exitCode).toBe(0);
    expect(secretOf(dir)).toBe(secret);
  });
});
