import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestValidatorModule } from '../../scripts/precompile.mjs';
import { FEATURE_IDS } from '../../src/catalog/features/index.ts';
import { MANIFEST_FILE, MAX_PRISTINE_BYTES, PristineError, buildManifest, decodePristine, encodePristine, serializeManifest } from '../../src/manifest/manifest.ts';
import { validateManifestSchema } from '../../src/manifest/manifest-validator.ts';
import { ManifestError, readManifest } from '../../src/manifest/read-manifest.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { planMilestones } from '../helpers/plan-milestones.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/**
 * The manifest is validated against schema/manifest.schema.json before
 * anything is planned; the build ships the schema compiled to standalone
 * code (scripts/precompile.mjs), held here to the run-time validator.
 */

type Json = Record<string, any>;

function generatedManifest(): Json {
  const plan = planMilestones('shop', ['crud-db']);
  const manifest = buildManifest({
    plan,
    answers: { name: 'shop', milestones: ['crud-db'], options: { framework: 'fastapi', db: 'sqlite' } },
    generatorName: 'create-python-roadmap-project',
    generatorVersion: '0.1.0',
    generated: [
      {
        generator: 'resource',
        name: 'Invoice',
        version: '0.1.0',
        command: 'create-python-roadmap-project generate resource Invoice --fields total:decimal',
        files: ['src/shop/invoices/models.py'],
        insertions: [{ path: 'src/shop/routes.py', marker: '# generate-resource: include routers (above this line)', placement: 'above', text: 'x' }],
        resource: { model: 'Invoice', module: 'invoices.models', table: 'invoices', collection: '/invoices', fields: 'total:decimal' },
      },
      { generator: 'task', name: 'send_reminders', version: '0.1.0', command: 'x', files: [], insertions: [], task: { kind: 'send_reminders.run', trigger: false } },
    ],
  });
  return JSON.parse(serializeManifest(manifest).toString('utf8')) as Json;
}

let standalone: ValidateFunction;

beforeAll(async () => {
  const file = path.join(makeTempDir('cprp-manifest-validator'), 'manifest-validator.mjs');
  const prelude = `import { createRequire } from 'node:module';\nconst require = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'package.json'))});\n`;
  writeFileSync(file, prelude + manifestValidatorModule(path.join(REPO_ROOT, 'schema', 'manifest.schema.json')));
  standalone = ((await import(/* @vite-ignore */ pathToFileURL(file).href)) as { validateManifestSchema: ValidateFunction }).validateManifestSchema;
});

const damage: Record<string, (manifest: Json) => void> = {
  'a version that is not semver': (m) => void (m['generator'].version = 'banana'),
  'no milestones': (m) => void (m['answers'].milestones = []),
  'a file entry that is null': (m) => void (m['files']['README.md'] = null),
  'a file entry with a short hash': (m) => void (m['files']['README.md'].sha256 = 'abc'),
  'an unknown policy': (m) => void (m['files']['README.md'].policy = 'overwrite'),
  'an option value that is a path': (m) => void (m['answers'].options.framework = '../../..'),
  'an unknown feature': (m) => void m['features'].push('teleport'),
  'an unknown top-level property': (m) => void (m['colour'] = 'red'),
  'a pristine blob that is not base64': (m) => void (m['pristine'] = '<<not base64>>'),
  'a generated record without files': (m) => void delete m['generated'][0].files,
  'a resource module that is not a dotted name': (m) => void (m['generated'][0].resource.module = 'os; import evil'),
  'a wrong format': (m) => void (m['format'] = 2),
  'an owned record of the wrong shape': (m) => void (m['owned'] = { 'README.md': { file: 'yes' } }),
  'a text answer that climbs out': (m) => void (m['answers'].options.repository = 'octo/../../etc'),
  'a text answer with upper case': (m) => void (m['answers'].options.repository = 'Octo/App'),
};

describe('schema/manifest.schema.json', () => {
  it('accepts what the generator writes', () => {
    const manifest = generatedManifest();
    manifest['owned'] = { 'README.md': { file: true }, 'pyproject.toml': { changes: [{ anchor: null, removed: ['a'], added: ['b'] }] } };
    manifest['answers'].options.repository = 'octo-org/my-api';
    expect(validateManifestSchema(manifest), JSON.stringify(validateManifestSchema.errors)).toBe(true);
    expect(standalone(manifest)).toBe(true);
  });

  it.each(Object.entries(damage))('refuses %s, the same way once compiled', (_name, change) => {
    const manifest = generatedManifest();
    change(manifest);
    expect(validateManifestSchema(manifest)).toBe(false);
    const errors = (validate: ValidateFunction): unknown =>
      (validate(manifest), validate.errors ?? []).map(({ instancePath, keyword }) => ({ instancePath, keyword }));
    expect(errors(standalone)).toEqual(errors(validateManifestSchema));
  });

  it('lists exactly the features the registry knows', () => {
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema', 'manifest.schema.json'), 'utf8')) as Json;
    expect(schema['definitions'].feature.enum).toEqual([...FEATURE_IDS]);
  });
});

describe('readManifest', () => {
  function withManifest(content: string): string {
    const root = makeTempDir('cprp-manifest');
    writeFileSync(path.join(root, MANIFEST_FILE), content);
    return root;
  }

  function problems(root: string): string[] {
    try {
      readManifest(root);
    } catch (error) {
      if (error instanceof ManifestError) {
        expect(error.exitCode).toBe(2);
        return [...error.problems];
      }
      throw error;
    }
    throw new Error('accepted');
  }

  it('lists schema and path problems together, each with its place', () => {
    const manifest = generatedManifest();
    manifest['generator'].version = 'banana';
    manifest['files']['../victim.txt'] = manifest['files']['README.md'];
    manifest['generated'][0].insertions[0].path = '/etc/passwd';
    manifest['owned'] = { '.git/config': { file: true } };
    expect(problems(withManifest(JSON.stringify(manifest)))).toEqual([
      '/generator/version: "banana" is not valid here (a version like 1.2.3)',
      '.roadmap-project.json files holds "../victim.txt", which climbs out of the project with ".."',
      '.roadmap-project.json owned holds ".git/config", which is inside the .git folder',
      '.roadmap-project.json generated[0].insertions[0].path holds "/etc/passwd", which is absolute',
    ]);
  });

  it('refuses text that is not JSON', () => {
    expect(problems(withManifest('{ "format": 1,'))[0]).toMatch(/^it is not valid JSON/);
  });

  it('sends a manifest from a newer generator to that version, before the schema', () => {
    const manifest = generatedManifest();
    manifest['generator'].version = '99.0.0';
    manifest['colour'] = 'red';
    expect(() => readManifest(withManifest(JSON.stringify(manifest)))).toThrow(/last generated by create-python-roadmap-project 99\.0\.0/);
  });
});

describe('decodePristine is bounded', () => {
  it('round-trips what encodePristine wrote', () => {
    const decoded = decodePristine(encodePristine([{ path: 'a.txt', content: Buffer.from('a\n') }]));
    expect(decoded.get('a.txt')?.toString()).toBe('a\n');
  });

  it('stops inflating at the limit: a gzip bomb costs no more than the limit', () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 'a')).toString('base64');
    expect(() => decodePristine(bomb, 1024 * 1024)).toThrow(PristineError);
    expect(() => decodePristine(bomb, 1024 * 1024)).toThrow('it inflates to more than 1 MiB');
    expect(MAX_PRISTINE_BYTES).toBe(64 * 1024 * 1024);
  });

  it.each([
    ['not gzip', Buffer.from('plain').toString('base64'), 'not gzip-compressed'],
    ['not JSON', gzipSync('nope').toString('base64'), 'does not hold JSON'],
    ['a list', gzipSync('[1]').toString('base64'), 'not hold a JSON object'],
    ['a bad entry', gzipSync('{"a": 1}').toString('base64'), 'neither text nor'],
  ])('refuses a blob that is %s', (_name, blob, message) => {
    expect(() => decodePristine(blob)).toThrow(message);
  });
});
