import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { loadRoadmap } from '../../src/catalog/roadmap.ts';
import { loadTemplateTree, type TemplateFile, type TemplateTree } from '../../src/catalog/templates.ts';
import { outputPath, planProject, templateDirsFor } from '../../src/plan/plan-project.ts';
import { buildProjectNames } from '../../src/render/project-names.ts';

const catalog = new Catalog(loadRoadmap());
const names = buildProjectNames('My Tool');

function file(path: string, content: string | Buffer, executable = false): TemplateFile {
  return { path, content: Buffer.isBuffer(content) ? content : Buffer.from(content), executable };
}

/** Plans python-foundations (features base + cli) over tiny inline template trees. */
function plan(base: TemplateFile[], cli: TemplateFile[] = []) {
  const templates: TemplateTree = new Map([
    ['base', base],
    ['cli', cli],
  ]);
  return planProject({
    catalog,
    answers: { name: 'My Tool', milestones: ['python-foundations'], options: {} },
    templates,
    generatorVersion: '9.9.9',
  });
}

function contentOf(result: ReturnType<typeof plan>, path: string): string {
  const found = result.files.find((candidate) => candidate.path === path);
  if (!found) throw new Error(`${path} was not planned; planned: ${result.files.map((f) => f.path).join(', ')}`);
  return found.content.toString('utf8');
}

describe('outputPath', () => {
  it.each([
    ['src/__package__/__init__.py.hbs', 'src/my_tool/__init__.py', 'merge'],
    ['dot-gitignore.hbs', '.gitignore', 'merge'],
    ['dot-github/workflows/ci.yml.hbs', '.github/workflows/ci.yml', 'merge'],
    ['notes/dot-keep', 'notes/.keep', 'merge'],
    ['docs/journal.once.md.hbs', 'docs/journal.once.md', 'merge'],
    ['docs/journal.md.once.hbs', 'docs/journal.md', 'once'],
    ['logo.png', 'logo.png', 'merge'],
  ])('%s → %s (%s)', (template, expected, policy) => {
    expect(outputPath(template, names)).toEqual({ path: expected, policy });
  });
});

describe('planProject', () => {
  it('renders .hbs files with the context and copies other files byte for byte', () => {
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x7b, 0x7b]);
    const result = plan([
      file('README.md.hbs', '# {{project.displayName}} ({{project.distName}}, {{project.packageName}})\n'),
      file('raw.txt', 'kept {{as is}}\n'),
      file('logo.png', binary),
    ]);
    expect(contentOf(result, 'README.md')).toBe('# My Tool (my-tool, my_tool)\n');
    expect(contentOf(result, 'raw.txt')).toBe('kept {{as is}}\n');
    expect(result.files.find((f) => f.path === 'logo.png')?.content.equals(binary)).toBe(true);
  });

  it('returns files sorted by path, each tagged with the feature that produced it', () => {
    const result = plan([file('b.txt', 'b'), file('a.txt', 'a')], [file('c.txt', 'c')]);
    expect(result.files.map((f) => [f.path, f.feature])).toEqual([
      ['a.txt', 'base'],
      ['b.txt', 'base'],
      ['c.txt', 'cli'],
    ]);
  });

  it('keeps the executable bit of a template', () => {
    const result = plan([file('scripts/run.sh', '#!/bin/sh\n', true)]);
    expect(result.files[0]?.executable).toBe(true);
  });

  it('fills a slot with every feature contribution, in feature order, indented to the slot line', () => {
    const result = plan(
      [
        file('settings.py.hbs', 'class Settings:\n    name: str\n    {{> slot/env-example}}\n    done: bool\n'),
        file('_slots/env-example.hbs', 'from_base: int\n'),
      ],
      [file('_slots/env-example.hbs', 'from_cli: str\nsecond: float')],
    );
    expect(contentOf(result, 'settings.py')).toBe(
      'class Settings:\n    name: str\n    from_base: int\n    from_cli: str\n    second: float\n    done: bool\n',
    );
  });

  it('drops the slot line entirely when nobody contributes', () => {
    const result = plan([file('Makefile.hbs', 'a:\n{{> slot/makefile-targets}}\nb:\n')]);
    expect(contentOf(result, 'Makefile')).toBe('a:\nb:\n');
  });

  it('registers _partials per feature and never writes them or slot files as output', () => {
    const result = plan([file('_partials/greeting.hbs', 'hello {{project.distName}}'), file('x.txt.hbs', '{{> base/greeting}}!\n')]);
    expect(result.files.map((f) => f.path)).toEqual(['x.txt']);
    expect(contentOf(result, 'x.txt')).toBe('hello my-tool!\n');
  });

  it('exposes every feature id as a boolean and every option with its value or default', () => {
    const result = plan([file('f.txt.hbs', '{{features.cli}} {{features.jobs}} {{options.db}} {{options.ci}}\n')]);
    expect(contentOf(result, 'f.txt')).toBe('true false sqlite github\n');
  });

  it('refuses a contribution to an unknown slot, naming the file', () => {
    expect(() => plan([file('_slots/readme-typo.hbs', 'x')])).toThrowError(/templates\/base\/_slots\/readme-typo\.hbs.*unknown slot "readme-typo"/);
  });

  it('fails on a missing variable (strict mode) and names the template', () => {
    expect(() => plan([file('bad.txt.hbs', '{{project.nickname}}')])).toThrowError(/templates\/base\/bad\.txt\.hbs.*"nickname" not defined/);
  });

  it('refuses two features writing the same file', () => {
    expect(() => plan([file('same.txt', 'a')], [file('same.txt', 'b')])).toThrowError(/"base" and "cli" both write same\.txt/);
  });

  it('is deterministic: the same answers give byte-identical files', () => {
    const templates = loadTemplateTree(templateDirsFor(catalog.featuresFor(['python-foundations']), {}));
    const run = () =>
      planProject({
        catalog,
        answers: { name: 'same', milestones: ['python-foundations'], options: {} },
        templates,
        generatorVersion: '1.0.0',
      }).files.map((f) => [f.path, f.content.toString('base64')]);
    expect(run()).toEqual(run());
  });
});

describe('the real templates of python-foundations', () => {
  const templates = loadTemplateTree(templateDirsFor(catalog.featuresFor(['python-foundations']), {}));
  const result = planProject({
    catalog,
    answers: { name: 'Log Tool', milestones: ['python-foundations'], options: {} },
    templates,
    generatorVersion: '1.2.3',
  });

  it('plan the base project every milestone starts from', () => {
    const paths = result.files.map((f) => f.path);
    // A command-line tool reads no settings: the web features bring .env.example.
    expect(paths).not.toContain('.env.example');
    expect(paths).toEqual(
      expect.arrayContaining([
        '.editorconfig',
        '.gitignore',
        '.pre-commit-config.yaml',
        '.python-version',
        'Makefile',
        'README.md',
        'pyproject.toml',
        'src/log_tool/__init__.py',
        'src/log_tool/py.typed',
        'tests/__init__.py',
      ]),
    );
  });

  it('leave no Handlebars syntax and no template suffix behind', () => {
    for (const planned of result.files) {
      expect(planned.path).not.toMatch(/\.hbs$|__package__|(^|\/)dot-/);
      expect(planned.content.toString('utf8'), planned.path).not.toMatch(/\{\{[#/>!]?\s*[\w@.]/);
    }
  });

  it('write the dependencies and the README sections of the milestone', () => {
    const pyproject = contentOf(result, 'pyproject.toml');
    expect(pyproject).toContain('name = "log-tool"');
    expect(pyproject).toMatch(/"ruff==\d+\.\d+\.\d+"/);
    expect(pyproject).toContain('log-tool = "log_tool.cli:main"');
    const readme = contentOf(result, 'README.md');
    expect(readme).toContain('# Log Tool');
    expect(readme).toContain('```mermaid');
    expect(readme).toContain('## Roadmap skills');
    expect(readme).toContain('Time and space complexity in Big-O terms');
  });
});
