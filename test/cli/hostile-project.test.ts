import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCli } from '../helpers/cli.ts';
import {
  MANIFEST,
  VICTIM_TEXT,
  claimFile,
  commitHostile,
  editManifest,
  generateFoundations,
  hostileCopy,
  plantJournal,
  readManifestJson,
  tree,
  type HostileCopy,
} from '../helpers/hostile-project.ts';
import { decodePristine } from '../../src/manifest/manifest.ts';
import { copyGenerator, type GeneratorCopy } from '../helpers/project-history.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/**
 * Everything inside a project is untrusted input: its manifest, the journal
 * folders a killed run leaves, its symlinks. Each case below plants what an
 * attacker's repository (or bad luck) could hold, commits it, runs the
 * commands that work inside a project, and checks that the answer is exit 2
 * naming the file and the path, with nothing written inside or outside the
 * project.
 */

const GIT = hasExecutable('git');
const PACKAGE = 'log_tool';

let source = '';

beforeAll(async () => {
  if (GIT) source = await generateFoundations();
});

type Command = 'update' | 'add' | 'check' | 'generate';
const ARGS: Readonly<Record<Command, readonly string[]>> = {
  update: ['update'],
  add: ['add', 'crud-db'],
  check: ['check'],
  generate: ['generate', 'task', 'send_reminders', '--no-trigger'],
};

interface Variant {
  readonly name: string;
  /** Plants the hostile content (committed afterwards). */
  readonly plant: (copy: HostileCopy) => void;
  /** What the message must name: the file holding the path, and the path. */
  readonly names: readonly (string | ((copy: HostileCopy) => string))[];
  readonly commands: readonly Command[];
}

const ALL: readonly Command[] = ['update', 'add', 'check', 'generate'];

const variants: readonly Variant[] = [
  // The manifest's `files`: a pristine copy equal to the victim makes it "unchanged, no longer generated".
  { name: 'manifest files: ../victim.txt', plant: ({ dir }) => claimFile(dir, '../victim.txt', VICTIM_TEXT), names: [MANIFEST, '../victim.txt'], commands: ALL },
  { name: 'manifest files: src/../../victim.txt', plant: ({ dir }) => claimFile(dir, 'src/../../victim.txt', VICTIM_TEXT), names: [MANIFEST, 'src/../../victim.txt'], commands: ALL },
  { name: 'manifest files: an absolute path', plant: ({ dir, victim }) => claimFile(dir, victim, VICTIM_TEXT), names: [MANIFEST, ({ victim }) => victim], commands: ['update', 'check'] },
  { name: 'manifest files: a NUL byte', plant: ({ dir }) => claimFile(dir, 'README.md\u0000.txt', VICTIM_TEXT), names: [MANIFEST, 'README.md\\u0000.txt'], commands: ['update', 'check'] },
  { name: 'manifest files: a control character', plant: ({ dir }) => claimFile(dir, 'docs/\u001b[2Jx.md', VICTIM_TEXT), names: [MANIFEST, 'docs/\\u001b[2Jx.md'], commands: ['update', 'check'] },
  { name: 'manifest files: a backslash path', plant: ({ dir }) => claimFile(dir, '..\\victim.txt', VICTIM_TEXT), names: [MANIFEST, '..\\victim.txt'], commands: ['update'] },
  { name: 'manifest files: inside .git', plant: ({ dir }) => claimFile(dir, '.git/description', 'x\n'), names: [MANIFEST, '.git/description'], commands: ['update'] },
  {
    name: 'manifest files: through a symlinked folder',
    plant: ({ dir }) => {
      symlinkSync('..', path.join(dir, 'up'));
      claimFile(dir, 'up/victim.txt', VICTIM_TEXT);
    },
    names: [MANIFEST, 'up/victim.txt'],
    commands: ALL,
  },
  // Generation records: created files and insertion targets.
  {
    name: 'generated record: a created file ../victim.txt',
    plant: ({ dir }) => {
      claimFile(dir, '../victim.txt', VICTIM_TEXT);
      editManifest(dir, (manifest) => {
        manifest.generated = [{ generator: 'task', name: 'x', version: '0.1.0', command: 'generate task x', files: ['../victim.txt'], insertions: [] }];
      });
    },
    names: [MANIFEST, '../victim.txt'],
    commands: ['update', 'check'],
  },
  {
    name: 'generated record: an insertion into ../victim.txt',
    plant: ({ dir }) =>
      editManifest(dir, (manifest) => {
        manifest.generated = [
          { generator: 'task', name: 'x', version: '0.1.0', command: 'generate task x', files: [], insertions: [{ path: '../victim.txt', marker: 'the user’s file outside the project', placement: 'above', text: 'pwned' }] },
        ];
      }),
    names: [MANIFEST, '../victim.txt'],
    commands: ['update', 'check'],
  },
  {
    name: 'generated record: an insertion through a symlinked folder',
    plant: ({ dir }) => {
      symlinkSync('..', path.join(dir, 'up'));
      editManifest(dir, (manifest) => {
        manifest.generated = [
          { generator: 'task', name: 'x', version: '0.1.0', command: 'generate task x', files: [], insertions: [{ path: 'up/victim.txt', marker: 'the user’s file outside the project', placement: 'above', text: 'pwned' }] },
        ];
      });
    },
    names: [MANIFEST, 'up/victim.txt'],
    commands: ['update'],
  },
  // Journal folders: recovery must never write, delete or remove folders outside the project.
  {
    name: 'journal: a write entry that puts attacker bytes in ../victim.txt',
    plant: ({ dir }) => void plantJournal(dir, { entries: [{ path: '../victim.txt', action: 'write', existed: true }], old: { 0: 'attacker bytes\n' }, staleLock: true }),
    names: ['journal.json', '../victim.txt'],
    commands: ALL,
  },
  {
    name: 'journal: a created-file entry that deletes ../victim.txt',
    plant: ({ dir }) => void plantJournal(dir, { entries: [{ path: '../victim.txt', action: 'write', existed: false }], staleLock: true }),
    names: ['journal.json', '../victim.txt'],
    commands: ['update', 'add', 'generate'],
  },
  {
    name: 'journal: createdDirs that removes ../victim-dir',
    plant: ({ dir }) => void plantJournal(dir, { entries: [], createdDirs: ['../victim-dir'], staleLock: true }),
    names: ['journal.json', '../victim-dir'],
    commands: ['update', 'add', 'generate'],
  },
  {
    name: 'journal: an absolute path',
    plant: ({ dir, victim }) => void plantJournal(dir, { entries: [{ path: victim, action: 'write', existed: false }], staleLock: true }),
    names: ['journal.json', ({ victim }) => victim],
    commands: ['update'],
  },
  {
    name: 'journal: an entry through a symlinked folder',
    plant: ({ dir }) => {
      symlinkSync('..', path.join(dir, 'up'));
      plantJournal(dir, { entries: [{ path: 'up/victim.txt', action: 'write', existed: false }], staleLock: true });
    },
    names: ['journal.json', 'up/victim.txt'],
    commands: ['update', 'add'],
  },
  {
    name: 'journal: committed to git, with paths inside the project',
    plant: ({ dir }) => void plantJournal(dir, { entries: [{ path: 'README.md', action: 'write', existed: true }], old: { 0: '# pwned\n' }, staleLock: true }),
    names: ['.cprp-update-', 'tracked by git'],
    commands: ['update', 'add', 'generate', 'check'],
  },
  // What the templates write, when a folder on the way is a symlink out of the project.
  {
    name: 'a generated folder replaced by a symlink out of the project',
    plant: ({ dir, parent }) => {
      renameSync(path.join(dir, 'src', PACKAGE), path.join(parent, 'victim-dir', PACKAGE));
      symlinkSync(path.join('..', '..', 'victim-dir', PACKAGE), path.join(dir, 'src', PACKAGE));
    },
    names: [`src/${PACKAGE}`],
    commands: ['add', 'update', 'check'],
  },
];

describe.concurrent('paths from the project are checked before anything is written (writes and deletes outside the project)', () => {
  it.for(variants)('$name', async ({ plant, names, commands }, ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const copy = hostileCopy(source);
    plant(copy);
    await commitHostile(copy.dir);
    const before = tree(copy.parent);
    // Refused before anything is written, so one copy serves every command in turn.
    for (const command of commands) {
      const result = await runCli(ARGS[command], { cwd: copy.dir });
      // What matters most first: nothing outside the project was touched, nothing inside changed.
      ctx.expect(readFileSync(copy.victim, 'utf8'), `${command}: the victim file`).toBe(VICTIM_TEXT);
      ctx.expect(existsSync(copy.victimDir), `${command}: the victim folder`).toBe(true);
      ctx.expect(tree(copy.parent), command).toEqual(before);
      ctx.expect(result.stderr, command).not.toMatch(/crashed|    at /);
      for (const name of names) ctx.expect(result.stderr, command).toContain(typeof name === 'string' ? name : name(copy));
      ctx.expect(result.exitCode, `${command}: ${result.stderr}`).toBe(2);
    }
  });
});

describe('an answers file cannot place a project outside the folder it is run in', () => {
  it.each([
    ['a climbing path', (): string => '../escaped'],
    ['an unnormalized path', (): string => 'sub/../../escaped'],
    ['an absolute path', (parent: string): string => path.join(parent, 'escaped')],
  ])('%s', async (_name, directoryIn) => {
    const parent = makeTempDir('cprp-answers');
    const cwd = path.join(parent, 'here');
    mkdirSync(cwd);
    const directory = directoryIn(parent);
    writeFileSync(path.join(cwd, 'answers.json'), JSON.stringify({ directory, milestones: ['python-foundations'] }));
    const result = await runCli(['--answers', 'answers.json', '--yes', '--no-git', '--no-install'], { cwd });
    expect(result.stderr).toContain('answers.json');
    expect(result.stderr).toContain(directory);
    expect(result.exitCode).toBe(2);
    expect(readdirSync(parent)).toEqual(['here']);
    expect(readdirSync(cwd)).toEqual(['answers.json']);
  });
});

describe.concurrent('a damaged or edited manifest is exit 2, before anything is planned', () => {
  const damaged: readonly { name: string; change: (dir: string) => void; stderr: RegExp }[] = [
    { name: 'not JSON', change: (dir) => writeFileSync(path.join(dir, MANIFEST), '{ "format": 1, '), stderr: /\.roadmap-project\.json[\s\S]*not valid JSON/ },
    { name: 'generator.version "banana"', change: (dir) => editManifest(dir, (m) => void (m.generator.version = 'banana')), stderr: /\/generator\/version/ },
    { name: 'no milestones', change: (dir) => editManifest(dir, (m) => void (m.answers.milestones = [])), stderr: /\/answers\/milestones/ },
    { name: 'a file entry that is null', change: (dir) => editManifest(dir, (m) => void (m.files['README.md'] = null)), stderr: /\/files\/README\.md/ },
    { name: 'an unknown framework', change: (dir) => editManifest(dir, (m) => void (m.answers.options['framework'] = 'pyramid')), stderr: /framework[\s\S]*pyramid/ },
    { name: 'a framework that is a path', change: (dir) => editManifest(dir, (m) => void (m.answers.options['framework'] = '../../..')), stderr: /framework[\s\S]*\.\.\/\.\.\/\.\./ },
    { name: 'an unknown option', change: (dir) => editManifest(dir, (m) => void (m.answers.options['colour'] = 'red')), stderr: /colour/ },
    { name: 'a pristine blob that is not gzip', change: (dir) => editManifest(dir, (m) => void (m.pristine = 'bm90IGd6aXA=')), stderr: /pristine/ },
    { name: 'a pristine blob missing a file', change: (dir) => editManifest(dir, (m) => void (m.files['extra.txt'] = { sha256: 'a'.repeat(64), policy: 'merge', source: 'base' })), stderr: /extra\.txt/ },
  ];

  it.for(damaged)('$name', async ({ change, stderr }, ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const copy = hostileCopy(source);
    change(copy.dir);
    await commitHostile(copy.dir);
    const before = tree(copy.parent);
    for (const args of [['update'], ['check'], ['add', 'crud-db']]) {
      const result = await runCli(args, { cwd: copy.dir });
      ctx.expect(result.stderr, args.join(' ')).not.toMatch(/crashed|    at /);
      ctx.expect(result.stderr).toContain('damaged or was edited');
      ctx.expect(result.stderr).toMatch(stderr);
      ctx.expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(2);
    }
    ctx.expect(tree(copy.parent)).toEqual(before);
  });

  it('a pristine blob that inflates past the limit is refused without inflating it (a gzip bomb)', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const copy = hostileCopy(source);
    // The real pristine copies plus 96 MiB of padding, which gzip squeezes into about 100 KB.
    const real = JSON.stringify(Object.fromEntries([...decodePristine(readManifestJson(copy.dir).pristine)].map(([file, content]) => [file, content.toString('utf8')])));
    const padded = Buffer.concat([Buffer.from(`${real.slice(0, -1)},"padding":"`), Buffer.alloc(96 * 1024 * 1024, 'a'), Buffer.from('"}')]);
    editManifest(copy.dir, (m) => void (m.pristine = gzipSync(padded, { level: 1 }).toString('base64')));
    await commitHostile(copy.dir);
    const result = await runCli(['check'], { cwd: copy.dir });
    ctx.expect(result.stderr).toMatch(/pristine[\s\S]*more than 64 MiB/);
    ctx.expect(result.exitCode).toBe(2);
  });
});

describe('a killed run is recovered before the manifest is read', () => {
  let v2: GeneratorCopy;
  beforeAll(() => {
    v2 = copyGenerator('0.2.0');
    v2.writeTemplate('base/CONTRIBUTING.md.hbs', '# Contributing to {{project.displayName}}\n\nRun `make check` before you push.\n');
    v2.replaceInTemplate('base/pyproject.toml.hbs', 'line-length = 100', 'line-length = 110');
  });

  it('SIGKILL after the new manifest is in place but before the journal is discarded', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const { dir } = hostileCopy(source);
    const child = execa(process.execPath, [v2.cli, 'update'], {
      cwd: dir,
      env: { NO_COLOR: '1', CREATE_PYTHON_ROADMAP_PROJECT_TEST_WRITE_DELAY_MS: '700' },
      reject: false,
      stdin: 'ignore',
    });
    // The manifest is the last change: once it says 0.2.0, the run is in its final pause.
    const deadline = Date.now() + 30_000;
    while (readManifestJson(dir).generator.version !== '0.2.0' && Date.now() < deadline) await sleep(10);
    child.kill('SIGKILL');
    await child;
    expect(readdirSync(dir).some((entry) => entry.startsWith('.cprp-update-')), 'the journal is still there').toBe(true);

    const resumed = await runCli(['update'], { cwd: dir, cli: v2.cli });
    expect(resumed.stderr).toContain('interrupted');
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'CONTRIBUTING.md'))).toBe(true);
    expect(readFileSync(path.join(dir, 'pyproject.toml'), 'utf8')).toContain('line-length = 110');
    const check = await runCli(['check'], { cwd: dir, cli: v2.cli });
    expect(check.stdout + check.stderr).toContain('match');
    expect(check.exitCode).toBe(0);
    expect(readdirSync(dir).filter((entry) => entry.startsWith('.cprp-'))).toEqual([]);
  });
});

describe('one command at a time changes a project', () => {
  it('two adds at once: each one that succeeds is recorded, and the project matches its manifest', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    // Several rounds: without a lock, a round goes wrong when both runs read the manifest before either writes.
    for (let round = 0; round < 3; round += 1) {
      const { dir } = hostileCopy(source);
      const env = { NO_COLOR: '1', CREATE_PYTHON_ROADMAP_PROJECT_LOCK_WAIT_MS: '60000' };
      const start = (milestone: string) =>
        execa(process.execPath, [CLI_PATH, 'add', milestone, '--allow-dirty'], { cwd: dir, env, reject: false, stdin: 'ignore' });
      // Both are held at their start and released together, so they really run at the same time.
      const runs = [start('crud-db'), start('background-jobs')];
      for (const run of runs) run.kill('SIGSTOP');
      for (const run of runs) run.kill('SIGCONT');
      const [crud, jobs] = await Promise.all(runs);
      const recorded = readManifestJson(dir).answers.milestones;
      for (const [milestone, result] of [['crud-db', crud!], ['background-jobs', jobs!]] as const) {
        expect(String(result.stderr)).not.toMatch(/crashed|    at /);
        if (result.exitCode === 0) expect(recorded, `round ${round}: ${milestone} exited 0`).toContain(milestone);
        else {
          expect(result.exitCode, String(result.stderr)).toBe(2);
          expect(String(result.stderr)).toMatch(/pid \d+/);
        }
      }
      expect([crud!.exitCode, jobs!.exitCode]).toContain(0);
      const check = await runCli(['check'], { cwd: dir });
      expect(check.exitCode, `round ${round}: ${check.stdout}`).toBe(0);
      expect(readdirSync(dir).filter((entry) => entry.startsWith('.cprp-'))).toEqual([]);
    }
  });

  it('a run that cannot get the lock in time exits 2 and names the process holding it', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const { dir } = hostileCopy(source);
    const holder = execa('sleep', ['30'], { reject: false });
    try {
      writeFileSync(
        path.join(dir, '.cprp-lock'),
        JSON.stringify({ format: 1, pid: holder.pid, nonce: 'b2'.repeat(16), hostname: os.hostname(), command: 'add crud-db', started: new Date().toISOString() }),
      );
      const before = tree(dir);
      const result = await runCli(['update'], { cwd: dir, env: { CREATE_PYTHON_ROADMAP_PROJECT_LOCK_WAIT_MS: '300' } });
      expect(result.stderr).toContain(`pid ${holder.pid}`);
      expect(result.stderr).toContain('add crud-db');
      expect(result.exitCode).toBe(2);
      expect(tree(dir)).toEqual(before);
    } finally {
      holder.kill();
      await holder;
    }
  });

  it('a lock left by a killed run is taken over', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const { dir } = hostileCopy(source);
    const dead = execa(process.execPath, ['-e', '0']);
    await dead;
    writeFileSync(
      path.join(dir, '.cprp-lock'),
      JSON.stringify({ format: 1, pid: dead.pid, nonce: 'c3'.repeat(16), hostname: os.hostname(), command: 'update', started: new Date().toISOString() }),
    );
    const result = await runCli(['add', 'crud-db', '--allow-dirty'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readManifestJson(dir).answers.milestones).toContain('crud-db');
    expect(existsSync(path.join(dir, '.cprp-lock'))).toBe(false);
  });

  it('the lock file of a running command does not make the git tree dirty', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const { dir } = hostileCopy(source);
    const result = await runCli(['add', 'crud-db'], { cwd: dir });
    expect(result.stderr).not.toContain('uncommitted');
    expect(result.exitCode, result.stderr).toBe(0);
  });
});

describe('guarded projects still work', () => {
  it('keeps writing a manifest the schema accepts, through add, generate and update', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const { dir } = hostileCopy(source);
    expect((await runCli(['add', 'background-jobs', '--allow-dirty'], { cwd: dir })).exitCode).toBe(0);
    const generated = await runCli(['generate', 'task', 'send_reminders', '--trigger'], { cwd: dir });
    expect(generated.exitCode, generated.stderr).toBe(0);
    const update = await runCli(['update', '--allow-dirty'], { cwd: dir });
    expect(update.exitCode, update.stderr).toBe(0);
    const check = await runCli(['check'], { cwd: dir });
    expect(check.exitCode, check.stdout).toBe(0);
  });
});
