import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { FEATURE_IDS, FEATURES, type FeatureId } from '../../src/catalog/features/index.ts';
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
    // Only what is inside {{ }} is Handlebars; the rest is Python, YAML, Markdown...
    const source = [...readFileSync(file, 'utf8').matchAll(/\{\{[^}]*\}\}/g)].map((match) => match[0]).join('\n');
    for (const match of source.matchAll(/\bfeatures\.([A-Za-z_][\w-]*)/g)) {
      expect(FEATURE_IDS as readonly string[], `features.${match[1]}`).toContain(match[1]);
    }
    for (const match of source.matchAll(/\bservices\.([A-Za-z_][\w-]*)/g)) {
      expect(SERVICE_IDS as readonly string[], `services.${match[1]}`).toContain(match[1]);
    }
    for (const match of source.matchAll(/\boptions\.([A-Za-z_][\w-]*)/g)) {
      expect(catalog.options.map((option) => option.id), `options.${match[1]}`).toContain(match[1]);
    }
    for (const match of source.matchAll(/\{\{~?>\s*slot\/([\w-]+)/g)) {
      expect(SLOT_NAMES as readonly string[], `slot/${match[1]}`).toContain(match[1]);
    }
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

  it('every framework the catalog offers has a variant in every feature that depends on the framework', () => {
    const frameworks = catalog.option('framework')?.choices.map((choice) => choice.value) ?? [];
    expect(frameworks).toContain('fastapi');
    for (const feature of FEATURES.filter((candidate) => candidate.frameworks !== undefined)) {
      expect(Object.keys(feature.frameworks ?? {}).sort(), feature.id).toEqual([...frameworks].sort());
    }
  });
});
