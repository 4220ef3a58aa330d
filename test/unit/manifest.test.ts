import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  PristineError,
  buildManifest,
  decodePristine,
  encodePristine,
  isBinary,
  recordGenerated,
  serializeManifest,
  sha256,
  type GeneratedRecord,
  type ProjectManifest,
} from '../../src/manifest/manifest.ts';
import type { PlannedFile, ProjectPlan } from '../../src/plan/plan-project.ts';

describe('the manifest keeps pristine content recoverable', () => {
  it('round-trips text and binary files exactly', () => {
    const files = [
      { path: 'README.md', content: Buffer.from('# Title\n\nnon-ASCII: é ✓\n') },
      { path: 'logo.png', content: Buffer.from([0x89, 0x50, 0x00, 0xff, 0xfe]) },
      { path: 'empty.txt', content: Buffer.alloc(0) },
    ];
    const decoded = decodePristine(encodePristine(files));
    expect([...decoded.keys()]).toEqual(['README.md', 'logo.png', 'empty.txt']);
    for (const file of files) expect(decoded.get(file.path)?.equals(file.content), file.path).toBe(true);
  });

  it('compresses: a repetitive project costs far less than its size', () => {
    const content = Buffer.from('def handler() -> None:\n    pass\n'.repeat(2000));
    expect(encodePristine([{ path: 'a.py', content }]).length).toBeLessThan(content.length / 20);
  });

  it('tells text from binary', () => {
    expect(isBinary(Buffer.from('plain text\n'))).toBe(false);
    expect(isBinary(Buffer.from('ünïcödé'))).toBe(false);
    expect(isBinary(Buffer.from([0x61, 0x00, 0x62]))).toBe(true);
    expect(isBinary(Buffer.from([0xc3, 0x28]))).toBe(true);
  });

  it('hashes with SHA-256', () => {
    expect(sha256(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('buildManifest', () => {
  const file = (path: string, content: string | Buffer, extra: Partial<PlannedFile> = {}): PlannedFile => ({
    path,
    content: Buffer.isBuffer(content) ? content : Buffer.from(content),
    policy: 'merge',
    executable: false,
    feature: 'base',
    ...extra,
  });
  // buildManifest reads a plan's files and its features' ids, nothing else.
  const plan = (files: PlannedFile[]): ProjectPlan => ({ files, features: [{ id: 'base' }, { id: 'cli' }] }) as unknown as ProjectPlan;
  const answers = { name: 'My Demo', milestones: ['python-foundations'], extraFeatures: ['jobs' as const], options: { db: 'sqlite' } };
  const png = Buffer.from([0x89, 0x50, 0x00, 0x01]);
  const files = [
    file('src/z.py', 'z\n'),
    file('README.md', '# demo\n'),
    file('scripts/run.sh', '#!/bin/sh\n', { executable: true, feature: 'cli' }),
    file('logo.png', png, { policy: 'once' }),
  ];
  const build = (extra: Partial<Parameters<typeof buildManifest>[0]> = {}): ProjectManifest =>
    buildManifest({ plan: plan(files), answers, generatorName: 'create-python-roadmap-project', generatorVersion: '1.2.3', ...extra });

  it('records the generator, the answers as given, the features and every file sorted by path', () => {
    const manifest = build();
    expect(manifest.format).toBe(1);
    expect(manifest.generator).toEqual({ name: 'create-python-roadmap-project', version: '1.2.3' });
    expect(manifest.answers).toEqual({ name: 'My Demo', milestones: ['python-foundations'], extraFeatures: ['jobs'], options: { db: 'sqlite' } });
    expect(manifest.features).toEqual(['base', 'cli']);
    expect(manifest.files).toEqual({
      'README.md': { sha256: sha256(Buffer.from('# demo\n')), policy: 'merge', source: 'base' },
      'logo.png': { sha256: sha256(png), policy: 'once', source: 'base', binary: true },
      'scripts/run.sh': { sha256: sha256(Buffer.from('#!/bin/sh\n')), policy: 'merge', source: 'cli', executable: true },
      'src/z.py': { sha256: sha256(Buffer.from('z\n')), policy: 'merge', source: 'base' },
    });
    expect(Object.keys(manifest.files)).toEqual(['README.md', 'logo.png', 'scripts/run.sh', 'src/z.py']);
    expect('generated' in manifest || 'owned' in manifest).toBe(false);
    expect([...decodePristine(manifest.pristine)]).toEqual([
      ['README.md', Buffer.from('# demo\n')],
      ['logo.png', png],
      ['scripts/run.sh', Buffer.from('#!/bin/sh\n')],
      ['src/z.py', Buffer.from('z\n')],
    ]);
  });

  it('copies the answers: the manifest does not change when the caller’s objects do', () => {
    const mutable = { name: 'demo', milestones: ['python-foundations'], options: { db: 'sqlite' } };
    const manifest = buildManifest({ plan: plan(files), answers: mutable, generatorName: 'g', generatorVersion: '1.0.0' });
    mutable.milestones.push('crud-db');
    mutable.options.db = 'postgres';
    expect(manifest.answers).toEqual({ name: 'demo', milestones: ['python-foundations'], extraFeatures: [], options: { db: 'sqlite' } });
  });

  it('owns the files a micro-generator made, under its source', () => {
    const manifest = build({ extraFiles: [{ ...file('src/a_invoices/models.py', 'm\n', { policy: 'once' }), source: 'generate:resource' }] });
    expect(Object.keys(manifest.files)).toEqual(['README.md', 'logo.png', 'scripts/run.sh', 'src/a_invoices/models.py', 'src/z.py']);
    expect(manifest.files['src/a_invoices/models.py']).toEqual({ sha256: sha256(Buffer.from('m\n')), policy: 'once', source: 'generate:resource' });
    expect(decodePristine(manifest.pristine).get('src/a_invoices/models.py')?.toString()).toBe('m\n');
  });

  it('records generator runs only when there were some', () => {
    const record: GeneratedRecord = { generator: 'task', name: 'ping', version: '1.2.3', command: 'x', files: [], insertions: [] };
    expect(build({ generated: [record] }).generated).toEqual([record]);
    expect('generated' in build({ generated: [] })).toBe(false);
  });

  it('carries over what you own in files still generated under `merge`, sorted, and drops the rest', () => {
    const owned = {
      'src/z.py': { changes: [{ anchor: null, removed: ['z'], added: ['Z'] }] },
      'README.md': { file: true as const },
      'logo.png': { file: true as const },
      'gone.py': { file: true as const },
      'scripts/run.sh': { changes: [] },
    };
    const manifest = build({ owned });
    expect(manifest.owned).toEqual({ 'README.md': { file: true }, 'src/z.py': owned['src/z.py'] });
    expect(Object.keys(manifest.owned ?? {})).toEqual(['README.md', 'src/z.py']);
    expect('owned' in build({ owned: { 'gone.py': { file: true } } })).toBe(false);
  });

  it('keeps the previous pristine blob when it holds exactly these files, and encodes anew otherwise', () => {
    const first = build();
    const previous = { encoded: first.pristine, files: decodePristine(first.pristine) };
    // A blob that decodes to the same files but is not byte-identical to a fresh encoding: reuse is visible.
    const reencoded = encodePristine([...previous.files].map(([path, content]) => ({ path, content })).reverse());
    expect(reencoded).not.toBe(first.pristine);
    expect(build({ previousPristine: { encoded: reencoded, files: previous.files } }).pristine).toBe(reencoded);

    const changed = new Map(previous.files).set('src/z.py', Buffer.from('changed\n'));
    expect(build({ previousPristine: { encoded: reencoded, files: changed } }).pristine).toBe(first.pristine);
    const fewer = new Map(previous.files);
    fewer.delete('logo.png');
    expect(build({ previousPristine: { encoded: reencoded, files: fewer } }).pristine).toBe(first.pristine);
    const renamed = new Map([...previous.files].map(([path, content]) => [path === 'src/z.py' ? 'src/y.py' : path, content]));
    expect(build({ previousPristine: { encoded: reencoded, files: renamed } }).pristine).toBe(first.pristine);
  });

  it('serializes as indented JSON with a final newline', () => {
    const manifest = build();
    const text = serializeManifest(manifest).toString('utf8');
    expect(text).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
    expect(text.startsWith('{\n  "format": 1,\n')).toBe(true);
  });
});

describe('recordGenerated', () => {
  const base = buildManifest({
    plan: { files: [
      { path: 'src/routes.py', content: Buffer.from('routes\n'), policy: 'merge', executable: false, feature: 'api' },
      { path: 'README.md', content: Buffer.from('# r\n'), policy: 'merge', executable: true, feature: 'base' },
    ], features: [{ id: 'base' }] } as unknown as ProjectPlan,
    answers: { name: 'demo', milestones: ['crud-db'], options: {} },
    generatorName: 'create-python-roadmap-project',
    generatorVersion: '1.0.0',
    owned: { 'README.md': { file: true } },
  });
  const record: GeneratedRecord = { generator: 'resource', name: 'Invoice', version: '1.1.0', command: 'x', files: ['src/invoices/a.py'], insertions: [] };

  it('adds the new files as yours, updates the patched ones, and appends the run', () => {
    const after = recordGenerated(base, {
      record,
      created: [{ path: 'src/invoices/a.py', content: Buffer.from('a\n') }],
      modified: [{ path: 'src/routes.py', pristine: Buffer.from('routes\ninvoices\n') }],
    });
    expect(after.generator).toEqual({ name: 'create-python-roadmap-project', version: '1.0.0' });
    expect(after.answers).toEqual(base.answers);
    expect(after.features).toEqual(base.features);
    expect(after.files).toEqual({
      'README.md': base.files['README.md'],
      'src/invoices/a.py': { sha256: sha256(Buffer.from('a\n')), policy: 'once', source: 'generate:resource' },
      'src/routes.py': { sha256: sha256(Buffer.from('routes\ninvoices\n')), policy: 'merge', source: 'api' },
    });
    expect(Object.keys(after.files)).toEqual(['README.md', 'src/invoices/a.py', 'src/routes.py']);
    expect(after.generated).toEqual([record]);
    expect(after.owned).toEqual({ 'README.md': { file: true } });
    expect([...decodePristine(after.pristine)].map(([path, content]) => [path, content.toString()])).toEqual([
      ['README.md', '# r\n'],
      ['src/invoices/a.py', 'a\n'],
      ['src/routes.py', 'routes\ninvoices\n'],
    ]);
    const again = recordGenerated(after, { record: { ...record, name: 'Second' }, created: [], modified: [] });
    expect(again.generated?.map((run) => run.name)).toEqual(['Invoice', 'Second']);
  });

  it('refuses to patch a file the manifest does not hold', () => {
    expect(() => recordGenerated(base, { record, created: [], modified: [{ path: 'nope.py', pristine: Buffer.from('') }] })).toThrow(
      'nope.py is not in the manifest',
    );
  });
});

describe('decodePristine reads what it is given, nothing more', () => {
  it('takes text entries as UTF-8 and binary ones from base64', () => {
    const blob = gzipSync(JSON.stringify({ 'a.txt': 'é\n', 'b.bin': { base64: Buffer.from([0, 1, 2]).toString('base64') } })).toString('base64');
    const files = decodePristine(blob);
    expect(files.get('a.txt')).toEqual(Buffer.from('é\n', 'utf8'));
    expect(files.get('b.bin')).toEqual(Buffer.from([0, 1, 2]));
  });

  it.each([
    ['null', 'null'],
    ['a number', '1'],
  ])('refuses JSON that is %s', (_name, json) => {
    expect(() => decodePristine(gzipSync(json).toString('base64'))).toThrow(new PristineError('it does not hold a JSON object'));
  });

  it.each([
    ['null', '{"a": null}'],
    ['an object without base64', '{"a": {"text": "x"}}'],
    ['base64 that is not a string', '{"a": {"base64": 1}}'],
  ])('refuses an entry that is %s, naming it', (_name, json) => {
    expect(() => decodePristine(gzipSync(json).toString('base64'))).toThrow(
      new PristineError('its entry for "a" is neither text nor {"base64": ...}'),
    );
  });

  it('says what was wrong with data that is not gzip', () => {
    expect(() => decodePristine(Buffer.from('plain').toString('base64'))).toThrow(/^it is not gzip-compressed data \(.+\)$/);
    expect(() => decodePristine(gzipSync('{').toString('base64'))).toThrow(/^it does not hold JSON \(.+\)$/);
  });

  it('names the limit in MiB', () => {
    const blob = gzipSync(Buffer.alloc(3 * 1024 * 1024, 'a')).toString('base64');
    expect(() => decodePristine(blob, 2 * 1024 * 1024)).toThrow(new PristineError('it inflates to more than 2 MiB'));
    expect(decodePristine(gzipSync('{}').toString('base64'), 2).size).toBe(0);
  });
});

describe('encodePristine', () => {
  it('stores text as text and binary as base64, in the order given', () => {
    const blob = encodePristine([
      { path: 'b.txt', content: Buffer.from('b\n') },
      { path: 'a.bin', content: Buffer.from([0xff, 0x00]) },
    ]);
    expect(JSON.parse(gunzipSync(Buffer.from(blob, 'base64')).toString('utf8'))).toEqual({ 'b.txt': 'b\n', 'a.bin': { base64: '/wA=' } });
    expect(Object.keys(JSON.parse(gunzipSync(Buffer.from(blob, 'base64')).toString('utf8')))).toEqual(['b.txt', 'a.bin']);
  });
});
