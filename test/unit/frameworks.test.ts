import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { FEATURES, type Feature, type FeatureId, type FrameworkVariant } from '../../src/catalog/features/index.ts';
import { forFramework, withFramework } from '../../src/catalog/frameworks.ts';
import { loadRoadmap } from '../../src/catalog/roadmap.ts';
import { loadTemplateTree } from '../../src/catalog/templates.ts';
import { templateDirsFor } from '../../src/plan/plan-project.ts';
import { buildRenderContext } from '../../src/render/context.ts';
import { COMPILE_OPTIONS, createRenderer } from '../../src/render/handlebars.ts';
import { buildProjectNames } from '../../src/render/project-names.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

/**
 * A framework is a sibling set of template folders plus registry entries. The
 * proof uses a fixture framework: the real registry's features, given a
 * `fixture` variant here (folders under test/fixtures/frameworks/), and the
 * real planning and context code. No product feature is faked.
 */
const catalog = new Catalog(loadRoadmap());
const FIXTURE_TEMPLATES = path.join(REPO_ROOT, 'test', 'fixtures', 'frameworks');
const FIXTURE_VARIANTS: Partial<Record<FeatureId, FrameworkVariant>> = {
  api: {
    templateDirs: ['api/fixture'],
    dependencies: ['httpx'],
    routers: [{ module: 'fixture.router', name: 'router', alias: 'fixture_router' }],
    runCommand: (project) => `$(RUN) fixture-serve ${project.packageName}`,
  },
  listing: { templateDirs: ['listing/fixture'] },
  db: { ...FEATURES.find((feature) => feature.id === 'db')?.frameworks?.['fastapi'], templateDirs: ['db', 'db-http/fixture'] },
  crud: { ...FEATURES.find((feature) => feature.id === 'crud')?.frameworks?.['fastapi'], templateDirs: ['crud', 'crud-http/fixture'] },
};

/**
 * The registry's features, each that depends on the framework given the fixture variant too:
 * its own above, or else the FastAPI variant, whose SQLAlchemy folders (db, crud) the fixture
 * framework shares, as Flask would.
 */
function withFixtureFramework(ids: readonly FeatureId[]): Feature[] {
  return FEATURES.filter((feature) => ids.includes(feature.id)).map((feature) => {
    const variant = FIXTURE_VARIANTS[feature.id] ?? feature.frameworks?.['fastapi'];
    return feature.frameworks && variant ? { ...feature, frameworks: { ...feature.frameworks, fixture: variant } } : feature;
  });
}

const WEB: readonly FeatureId[] = ['base', 'api', 'db', 'listing', 'crud'];
const names = buildProjectNames('Fixture Shop');

function contextFor(framework: string) {
  return buildRenderContext({
    catalog,
    answers: { name: 'Fixture Shop', milestones: ['crud-db'], options: { framework } },
    names,
    features: withFixtureFramework(WEB),
    generatorVersion: '9.9.9',
  });
}

describe('framework variants', () => {
  it('pick the template folders of the chosen framework; framework-free folders stay', () => {
    const features = withFixtureFramework(WEB);
    expect(templateDirsFor(features, { framework: 'fastapi' })).toEqual([
      'base',
      'api/logging',
      'api/pydantic-validation',
      'api/fastapi',
      'db-local',
      'db',
      'db-http/fastapi',
      'listing/sqlalchemy',
      'crud',
      'crud-http/fastapi',
    ]);
    expect(templateDirsFor(features, { framework: 'fixture' })).toEqual([
      'base',
      'api/logging',
      'api/fixture',
      'db-local',
      'db',
      'db-http/fixture',
      'listing/fixture',
      'crud',
      'crud-http/fixture',
    ]);
  });

  it('pick the dependencies, routers and run command of the chosen framework', () => {
    const fastapi = contextFor('fastapi');
    const fixture = contextFor('fixture');
    expect(fastapi.dependencies.some((requirement) => requirement.startsWith('fastapi'))).toBe(true);
    expect(fixture.dependencies.some((requirement) => requirement.startsWith('fastapi'))).toBe(false);
    expect(fixture.dependencies.some((requirement) => requirement.startsWith('httpx~='))).toBe(true);
    // The fixture framework shares the FastAPI path's SQLAlchemy variant of db: its driver and SQLAlchemy stay.
    expect(fixture.dependencies.some((requirement) => requirement.startsWith('sqlalchemy'))).toBe(true);
    expect(fastapi.runCommand).toBe('$(RUN) python -m fixture_shop');
    expect(fixture.runCommand).toBe('$(RUN) fixture-serve fixture_shop');
    expect(fixture.app.routers.map((router) => router.local)).toContain('fixture_router');
    expect(fastapi.app.routers.map((router) => router.local)).not.toContain('fixture_router');
  });

  it("render the framework's own templates with the shared context", () => {
    const tree = loadTemplateTree(['api/fixture'], FIXTURE_TEMPLATES);
    const [file] = tree.get('api/fixture') ?? [];
    expect(file?.path).toBe('src/__package__/app.py.hbs');
    const rendered = createRenderer().compile(file!.content.toString('utf8'), COMPILE_OPTIONS)(contextFor('fixture'));
    expect(rendered).toContain('from fixture_shop.fixture.router import router as fixture_router\n');
    expect(rendered).toContain('from fixture_shop.projects.router import router as projects_router\n');
  });

  it('refuse a framework a feature has no variant for, naming both', () => {
    const [api] = FEATURES.filter((feature) => feature.id === 'api');
    expect(() => forFramework(api!, 'fixture')).toThrowError(/Feature "api" has no fixture variant \(it has: fastapi, django, flask\)/);
  });

  it('leave features that do not depend on the framework alone, and merge once', () => {
    const [base] = FEATURES.filter((feature) => feature.id === 'base');
    expect(forFramework(base!, 'fixture')).toBe(base);
    const once = withFramework(withFixtureFramework(WEB), { framework: 'fixture' });
    const twice = withFramework(once, { framework: 'fixture' });
    expect(templateDirsFor(twice, { framework: 'fixture' })).toEqual(templateDirsFor(once, { framework: 'fixture' }));
    expect(twice.find((feature) => feature.id === 'api')?.dependencies).toEqual(['httpx']);
  });
});
