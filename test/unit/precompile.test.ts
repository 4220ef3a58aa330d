import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AJV_OPTIONS,
  HANDLEBARS_OPTIONS,
  roadmapValidatorModule,
  templateKey as buildTemplateKey,
  templateSpecsModule,
  templateSpecsPack,
  templatesPack,
} from '../../scripts/precompile.mjs';
import { Catalog } from '../../src/catalog/catalog.ts';
import { loadRoadmap } from '../../src/catalog/roadmap.ts';
import { validateRoadmapSchema } from '../../src/catalog/roadmap-validator.ts';
import { loadTemplateTree, type TemplateFile, type TemplateTree } from '../../src/catalog/templates.ts';
import { planProject, templateDirsFor } from '../../src/plan/plan-project.ts';
import { COMPILE_OPTIONS, templateKey } from '../../src/render/handlebars.ts';
import type { TemplateSpec } from '../../src/render/precompiled-templates.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/**
 * The build swaps two modules for precompiled versions (scripts/precompile.mjs).
 * These tests load exactly what the build generates and hold it to the
 * run-time versions the rest of the unit suite uses: same errors, same files.
 */
const TEMPLATES_DIR = path.join(REPO_ROOT, 'templates');
const catalog = new Catalog(loadRoadmap());
const pristine = JSON.parse(readFileSync(path.join(REPO_ROOT, 'roadmap.json'), 'utf8')) as Record<string, any>;

let standalone: ValidateFunction;
let specs: ReadonlyMap<string, TemplateSpec>;

/** Writes generated ESM source next to nothing in the repo and imports it; `require` resolves from the repo, as in the bundle. */
async function importGenerated<T>(source: string, name: string): Promise<T> {
  const file = path.join(makeTempDir('cprp-precompiled'), `${name}.mjs`);
  const prelude = `import { createRequire } from 'node:module';\nconst require = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'package.json'))});\n`;
  writeFileSync(file, prelude + source);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
}

beforeAll(async () => {
  const validator = await importGenerated<{ validateRoadmapSchema: ValidateFunction }>(
    roadmapValidatorModule(path.join(REPO_ROOT, 'schema', 'roadmap.schema.json')),
    'roadmap-validator',
  );
  standalone = validator.validateRoadmapSchema;
  const pack = path.join(makeTempDir('cprp-specs'), 'template-specs.json.gz');
  writeFileSync(pack, templateSpecsPack(TEMPLATES_DIR));
  specs = (await importGenerated<{ PRECOMPILED_TEMPLATES: ReadonlyMap<string, TemplateSpec> }>(templateSpecsModule(pack), 'templates'))
    .PRECOMPILED_TEMPLATES;
});

function errorsOf(validate: ValidateFunction, data: unknown): unknown[] {
  validate(data);
  return (validate.errors ?? []).map(({ instancePath, keyword, params, message }) => ({ instancePath, keyword, params, message }));
}

describe('the standalone roadmap validator the build ships', () => {
  it('is compiled with the options the run-time validator uses', () => {
    expect(AJV_OPTIONS).toEqual({ allErrors: true, strict: true });
  });

  const mutations: Record<string, (roadmap: any) => void> = {
    'the packaged catalog': () => {},
    'a phase without a goal, a milestone with an unknown feature': (roadmap) => {
      delete roadmap.phases[2].goal;
      roadmap.milestones[1].features.push('telepathy');
    },
    'an unknown property, a wrong type, an empty title': (roadmap) => {
      roadmap.colour = 'blue';
      roadmap.phases[0].number = 'one';
      roadmap.title = '';
    },
    'an invalid id and a choice without a title': (roadmap) => {
      roadmap.milestones[0].id = 'Not An Id';
      delete roadmap.options[0].choices[0].title;
    },
    'a wrong version and no milestones': (roadmap) => {
      roadmap.version = 2;
      roadmap.milestones = [];
    },
    'not an object at all': (roadmap) => {
      for (const key of Object.keys(roadmap)) delete roadmap[key];
    },
  };

  it.each(Object.entries(mutations))('reports what ajv reports at run time: %s', (_, mutate) => {
    const copy = structuredClone(pristine);
    mutate(copy);
    const expected = errorsOf(validateRoadmapSchema as ValidateFunction, copy);
    expect(errorsOf(standalone, copy)).toEqual(expected);
  });

  it('accepts the packaged catalog and rejects the broken one', () => {
    expect(standalone(pristine)).toBe(true);
    const broken = structuredClone(pristine);
    delete broken['phases'][0].topics;
    expect(standalone(broken)).toBe(false);
    expect(errorsOf(standalone, broken)).toContainEqual(expect.objectContaining({ instancePath: '/phases/0' }));
  });
});

describe('the precompiled templates the build ships', () => {
  it('are compiled with the options the renderer compiles with, keyed the same way', () => {
    // Handlebars writes its defaults (data, knownHelpers, blockParams) into the options object it compiles with.
    const ours = ({ data, knownHelpers, blockParams, ...rest }: Record<string, unknown>): Record<string, unknown> => rest;
    expect(HANDLEBARS_OPTIONS).toEqual(ours(COMPILE_OPTIONS));
    expect(HANDLEBARS_OPTIONS).toEqual({ noEscape: true, strict: true });
    expect(buildTemplateKey('{{name}}\n')).toBe(templateKey('{{name}}\n'));
  });

  it('cover every .hbs template', () => {
    const sources = readdirSync(TEMPLATES_DIR, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
      .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.filter((source) => !specs.has(templateKey(source)))).toEqual([]);
  });

  const combinations: [string, string[], Record<string, string>][] = [
    ...catalog.milestones.filter((milestone) => catalog.isAvailable(milestone)).map((milestone): [string, string[], Record<string, string>] => [milestone.id, [milestone.id], {}]),
    // qa-automation combines with no other milestone, data-model-service with no database milestone
    // (roadmap.json `incompatible`): both are rendered alone above.
    [
      'every milestone, postgres, gitlab, fly',
      catalog.milestones.filter((m) => catalog.isAvailable(m) && m.id !== 'qa-automation' && m.id !== 'data-model-service').map((m) => m.id),
      { db: 'postgres', ci: 'gitlab', deploy: 'fly' },
    ],
    ['cloud-deploy on kubernetes', ['cloud-deploy'], { deploy: 'kubernetes' }],
  ];

  /**
   * The reference: every slot's contributions joined into one template in the
   * first folder that contributes (what the renderer compiled before slots
   * were rendered part by part), all compiled at run time.
   */
  function withJoinedSlots(templates: TemplateTree, dirs: readonly string[]): TemplateTree {
    const joined = new Map<string, { dir: string; source: string }>();
    for (const dir of dirs) {
      for (const file of templates.get(dir) ?? []) {
        if (!file.path.startsWith('_slots/')) continue;
        const source = file.content.toString('utf8');
        const text = source.endsWith('\n') || source === '' ? source : `${source}\n`;
        const entry = joined.get(file.path);
        if (entry) entry.source += text;
        else joined.set(file.path, { dir, source: text });
      }
    }
    return new Map(
      [...templates].map(([dir, files]): [string, TemplateFile[]] => [
        dir,
        [
          ...files.filter((file) => !file.path.startsWith('_slots/')),
          ...[...joined].filter(([, entry]) => entry.dir === dir).map(([slotPath, entry]) => ({ path: slotPath, content: Buffer.from(entry.source), executable: false })),
        ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      ]),
    );
  }

  it.each(combinations)('render byte for byte what compiling at run time renders: %s', (_, milestones, options) => {
    const values = Object.fromEntries(catalog.optionsFor(milestones).map((option) => [option.id, options[option.id] ?? option.default]));
    const answers = { name: 'Shop Floor', milestones, options: values };
    const dirs = templateDirsFor(catalog.featuresFor(milestones), values);
    const templates = loadTemplateTree(dirs);
    const input = { catalog, answers, generatorVersion: '1.2.3' };
    const reference = planProject({ ...input, templates: withJoinedSlots(templates, dirs), precompiled: new Map() });
    const precompiled = planProject({ ...input, templates, precompiled: specs });
    expect(precompiled.files.map((file) => file.path)).toEqual(reference.files.map((file) => file.path));
    for (const [index, file] of reference.files.entries()) {
      expect(precompiled.files[index]?.content.toString('utf8'), file.path).toBe(file.content.toString('utf8'));
    }
  });
});

describe('the templates pack the published package ships instead of templates/', () => {
  const folders = readdirSync(TEMPLATES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

  it('reads back every folder byte for byte, with the executable bits, when there is no templates/ folder', () => {
    const dir = makeTempDir('cprp-pack');
    const pack = path.join(dir, 'templates.json.gz');
    writeFileSync(pack, templatesPack(TEMPLATES_DIR));
    const fromPack = loadTemplateTree(folders, path.join(dir, 'no-templates-here'), pack);
    const fromFolder = loadTemplateTree(folders);
    expect(folders.length).toBeGreaterThan(5);
    for (const folder of folders) {
      const packed = fromPack.get(folder)!;
      const loose = fromFolder.get(folder)!;
      expect(packed.map((file) => file.path), folder).toEqual(loose.map((file) => file.path));
      packed.forEach((file, index) => {
        expect(file.content.equals(loose[index]!.content), `${folder}/${file.path}`).toBe(true);
        expect(file.executable, `${folder}/${file.path}`).toBe(loose[index]!.executable);
      });
    }
  });

  it('keeps bytes that are not UTF-8 text', () => {
    const dir = makeTempDir('cprp-pack');
    const templates = path.join(dir, 'templates');
    mkdirSync(path.join(templates, 'binary'), { recursive: true });
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]);
    writeFileSync(path.join(templates, 'binary', 'logo.png'), bytes);
    const pack = path.join(dir, 'templates.json.gz');
    writeFileSync(pack, templatesPack(templates));
    rmSync(templates, { recursive: true });
    const [file] = loadTemplateTree(['binary'], templates, pack).get('binary')!;
    expect(file!.path).toBe('logo.png');
    expect(file!.content.equals(bytes)).toBe(true);
  });

  it('says which folder is missing from the pack', () => {
    const dir = makeTempDir('cprp-pack');
    const pack = path.join(dir, 'templates.json.gz');
    writeFileSync(pack, templatesPack(TEMPLATES_DIR));
    expect(() => loadTemplateTree(['no-such-feature'], path.join(dir, 'none'), pack)).toThrow(/"no-such-feature" is not in the package's templates/);
  });
});
