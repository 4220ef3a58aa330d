import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { FEATURE_IDS, FEATURES, type FeatureId } from '../../src/catalog/features/index.ts';
import { assertFrameworkSupports, unsupportedOn } from '../../src/catalog/frameworks.ts';
import { loadRoadmap } from '../../src/catalog/roadmap.ts';
import { SERVICE_IDS } from '../../src/catalog/services.ts';
import { TEMPLATES_DIR } from '../../src/paths.ts';
import { SLOT_NAMES } from '../../src/render/slots.ts';

const catalog = new Catalog(loadRoadmap());

function templateFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const files = templateFiles(TEMPLATES_DIR);

/** The `features.X`, `services.X`, `options.X` and `slot/X` names inside `{{ }}` of a template that do not exist. */
function unknownNames(template: string): string[] {
  // Only what is inside {{ }} is Handlebars; the rest is Python, YAML, Markdown...
  const source = [...template.matchAll(/\{\{[^}]*\}\}/g)].map((match) => match[0]).join('\n');
  const unknown = (pattern: RegExp, prefix: string, known: readonly string[]): string[] =>
    [...source.matchAll(pattern)].map((match) => match[1]!).filter((name) => !known.includes(name)).map((name) => `${prefix}${name}`);
  return [
    ...unknown(/\bfeatures\.([A-Za-z_][\w-]*)/g, 'features.', FEATURE_IDS),
    ...unknown(/\bservices\.([A-Za-z_][\w-]*)/g, 'services.', SERVICE_IDS),
    ...unknown(/\boptions\.([A-Za-z_][\w-]*)/g, 'options.', catalog.options.map((option) => option.id)),
    ...unknown(/\{\{~?>\s*slot\/([\w-]+)/g, 'slot/', SLOT_NAMES),
  ];
}

/**
 * Handlebars' `{{#if}}` does not fail on a misspelt name, even in strict mode:
 * it is just false. These checks make a typo in a feature, service, option or slot
 * name fail here instead of silently dropping a block from generated projects.
 */
describe('every template names only things that exist', () => {
  it('finds templates to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((file) => [path.relative(TEMPLATES_DIR, file), file]))('%s', (_relative, file) => {
    expect(unknownNames(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('catches a misspelt feature, option or slot name', () => {
    const source = '{{#if features.jbos}}{{options.db}}{{options.dbb}}{{/if}}\n{{> slot/readme-layout}}\n{{> slot/readme-layuot}}\n';
    expect(unknownNames(source)).toEqual(['features.jbos', 'options.dbb', 'slot/readme-layuot']);
    // Outside {{ }} it is Python, YAML or Markdown, not a name the context must hold.
    expect(unknownNames('features.jbos = 1\n')).toEqual([]);
  });
});

describe('the template folders and the registry agree', () => {
  it('every registered feature has its template folders', () => {
    const folders = new Set(readdirSync(TEMPLATES_DIR, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.relative(TEMPLATES_DIR, path.join(entry.parentPath, entry.name))));
    // With no other feature, and with every one of them (folders that exist only next to another feature).
    const featureSets = [new Set<FeatureId>(), new Set<FeatureId>(FEATURE_IDS)];
    for (const feature of FEATURES) {
      for (const option of catalog.options) {
        for (const choice of option.choices) {
          for (const others of featureSets) {
            for (const dir of feature.templateDirs({ [option.id]: choice.value }, others)) {
              expect(folders.has(dir), `templates/${dir} of feature ${feature.id}`).toBe(true);
            }
          }
        }
      }
      for (const [framework, variant] of Object.entries(feature.frameworks ?? {})) {
        for (const dir of variant.templateDirs ?? []) {
          expect(folders.has(dir), `templates/${dir} of feature ${feature.id} on ${framework}`).toBe(true);
        }
      }
    }
  });

  it('every framework variant names a framework the catalog offers, and FastAPI builds every feature', () => {
    const frameworks = catalog.option('framework')?.choices.map((choice) => choice.value) ?? [];
    expect(frameworks).toContain('fastapi');
    for (const feature of FEATURES.filter((candidate) => candidate.frameworks !== undefined)) {
      expect(Object.keys(feature.frameworks ?? {}), feature.id).toContain('fastapi');
      for (const framework of Object.keys(feature.frameworks ?? {})) expect(frameworks, feature.id).toContain(framework);
    }
  });

  it('every framework the catalog offers builds at least one milestone; the rest it refuses (exit 2), never half-builds', () => {
    for (const choice of catalog.option('framework')?.choices ?? []) {
      const builds = catalog.milestones.filter((milestone) => {
        const features = catalog.featuresFor([milestone.id]);
        return milestone.options.includes('framework') && unsupportedOn(features, choice.value).length === 0;
      });
      expect(builds.length, choice.value).toBeGreaterThan(0);
      for (const milestone of catalog.milestones.filter((candidate) => candidate.options.includes('framework') && !builds.includes(candidate))) {
        expect(() => assertFrameworkSupports(catalog.featuresFor([milestone.id]), { framework: choice.value }), `${choice.value} ${milestone.id}`).toThrowError(
          new RegExp(`--framework ${choice.value} does not support`),
        );
      }
    }
  });
});
