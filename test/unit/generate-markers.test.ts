import { describe, expect, it } from 'vitest';
import { applyInsertion, compareDunderAll, replayInsertions, type Insertion } from '../../src/generators/markers.ts';
import { RESOURCE_MARKERS } from '../../src/generators/resource/plan.ts';
import { buildManifest, decodePristine, recordGenerated, sha256, type GeneratedRecord } from '../../src/manifest/manifest.ts';
import { planFromAnswers } from '../../src/plan/plan-from-answers.ts';
import { catalog } from '../helpers/template-tree.ts';

const crud = planFromAnswers(catalog, { name: 'shop', milestones: ['crud-db'], options: {} });
const dbOnly = planFromAnswers(catalog, { name: 'shop', milestones: ['python-foundations'], extraFeatures: ['db'], options: {} });
const text = (plan: typeof crud, path: string): string => plan.plan.files.find((file) => file.path === path)!.content.toString('utf8');
const ROUTES = 'src/shop/routes.py';
const MODELS = 'src/shop/db/models.py';

function routerInsertions(plural: string): Insertion[] {
  return [
    { path: ROUTES, marker: RESOURCE_MARKERS.routerImports, placement: 'sorted-import', text: `from shop.${plural}.router import router as ${plural}_router` },
    { path: ROUTES, marker: RESOURCE_MARKERS.includeRouters, placement: 'above', text: `api_router.include_router(${plural}_router)` },
  ];
}

function modelInsertions(plural: string, model: string): Insertion[] {
  return [
    { path: MODELS, marker: RESOURCE_MARKERS.modelImports, placement: 'sorted-import', text: `from shop.${plural}.models import ${model}` },
    { path: MODELS, marker: RESOURCE_MARKERS.modelNames, placement: 'sorted-all', text: `"${model}",` },
  ];
}

function apply(content: string, insertions: readonly Insertion[]): string {
  return insertions.reduce((current, insertion) => {
    const result = applyInsertion(current, insertion);
    if (!result.ok) throw new Error(result.error);
    return result.content;
  }, content);
}

describe('insertions at the templates\' markers', () => {
  it('put a router import among the first-party imports in isort order, and its include above the marker', () => {
    const after = apply(text(crud, ROUTES), [...routerInsertions('invoices'), ...routerInsertions('zebras')]);
    expect(after).toContain(
      [
        'from fastapi import APIRouter',
        '',
        'from shop.invoices.router import router as invoices_router',
        'from shop.projects.router import router as projects_router',
        'from shop.tasks.router import router as tasks_router',
        'from shop.zebras.router import router as zebras_router',
        '',
        RESOURCE_MARKERS.routerImports,
      ].join('\n'),
    );
    expect(after).toContain(
      [
        'api_router.include_router(tasks_router)',
        'api_router.include_router(invoices_router)',
        'api_router.include_router(zebras_router)',
        RESOURCE_MARKERS.includeRouters,
      ].join('\n'),
    );
  });

  it('open a first-party block, separated by a blank line, when the project has no router yet', () => {
    const after = apply(text(dbOnly, ROUTES), [...routerInsertions('notes'), ...routerInsertions('cards')]);
    expect(after).toContain(
      [
        'from fastapi import APIRouter',
        '',
        'from shop.cards.router import router as cards_router',
        'from shop.notes.router import router as notes_router',
        '',
        RESOURCE_MARKERS.routerImports,
      ].join('\n'),
    );
  });

  it('keep a multi-line import whole when sorting around it', () => {
    const long = 'from shop.aaa.router import (\n    router as aaa_router,\n)';
    const after = apply(text(crud, ROUTES), [
      { path: ROUTES, marker: RESOURCE_MARKERS.routerImports, placement: 'sorted-import', text: long },
      ...routerInsertions('bbb'),
    ]);
    expect(after).toContain(`from fastapi import APIRouter\n\n${long}\nfrom shop.bbb.router import router as bbb_router\nfrom shop.projects`);
  });

  it('keep the model imports and __all__ sorted (ruff I001 and RUF022)', () => {
    const after = apply(text(crud, MODELS), [...modelInsertions('invoices', 'Invoice'), ...modelInsertions('a_b_tests', 'ABTest')]);
    expect(after).toContain(
      'from shop.a_b_tests.models import ABTest\nfrom shop.db.base import Base\nfrom shop.invoices.models import Invoice\nfrom shop.projects.models import Project',
    );
    expect(after).toContain(`__all__ = [\n    "ABTest",\n    "Base",\n    "Invoice",\n    "Project",\n    "Task",\n    ${RESOURCE_MARKERS.modelNames}\n]`);
    expect(['Task', 'Item10', 'Item9', 'MAX', 'base'].sort(compareDunderAll)).toEqual(['MAX', 'Item9', 'Item10', 'Task', 'base']);
  });

  it('report a missing or doubled marker instead of guessing', () => {
    const routes = text(crud, ROUTES);
    const [imports] = routerInsertions('invoices');
    expect(applyInsertion(routes.replace(RESOURCE_MARKERS.routerImports, '# gone'), imports!)).toEqual({
      ok: false,
      error: `${ROUTES}: the marker line "${RESOURCE_MARKERS.routerImports}" is missing`,
    });
    expect(applyInsertion(`${routes}${RESOURCE_MARKERS.routerImports}\n`, imports!)).toMatchObject({ ok: false, error: expect.stringContaining('appears 2 times') });
  });

  it('replay on a fresh render gives the same file, and names files that are gone', () => {
    const insertions = [...routerInsertions('invoices'), ...modelInsertions('invoices', 'Invoice')];
    const fresh = new Map([
      [ROUTES, text(crud, ROUTES)],
      [MODELS, text(crud, MODELS)],
    ]);
    const replayed = replayInsertions(fresh, insertions);
    expect(replayed.failures).toEqual([]);
    expect(replayed.files.get(ROUTES)).toBe(apply(text(crud, ROUTES), routerInsertions('invoices')));
    expect(replayInsertions(new Map([[ROUTES, text(crud, ROUTES)]]), insertions).failures).toEqual([
      `${MODELS}: the file is no longer generated`,
      `${MODELS}: the file is no longer generated`,
    ]);
  });
});

describe('the manifest records what a generator made', () => {
  const insertions = [...routerInsertions('invoices'), ...modelInsertions('invoices', 'Invoice')];
  const record: GeneratedRecord = {
    generator: 'resource',
    name: 'Invoice',
    version: '0.1.0',
    command: 'create-python-roadmap-project generate resource Invoice --fields total:decimal',
    files: ['src/shop/invoices/models.py'],
    insertions,
    resource: { model: 'Invoice', module: 'invoices.models', table: 'invoices', collection: '/invoices', fields: 'total:decimal' },
  };
  const manifest = buildManifest({ plan: crud.plan, answers: { name: 'shop', milestones: ['crud-db'], options: {} }, generatorName: 'x', generatorVersion: '0.1.0' });

  it('has no `generated` key until a generator ran', () => {
    expect('generated' in manifest).toBe(false);
  });

  it('adds the new files as the user\'s (policy once) and the new pristine content of the files it inserted into', () => {
    const routes = apply(text(crud, ROUTES), routerInsertions('invoices'));
    const model = Buffer.from('"""x."""\n');
    const after = recordGenerated(manifest, {
      record,
      created: [{ path: 'src/shop/invoices/models.py', content: model }],
      modified: [{ path: ROUTES, pristine: Buffer.from(routes) }],
    });
    expect(after.files['src/shop/invoices/models.py']).toEqual({ sha256: sha256(model), policy: 'once', source: 'generate:resource' });
    expect(after.files[ROUTES]).toEqual({ ...manifest.files[ROUTES], sha256: sha256(Buffer.from(routes)) });
    expect(after.generated).toEqual([record]);
    expect(decodePristine(after.pristine).get(ROUTES)?.toString()).toBe(routes);
    expect(Object.keys(after)).toEqual(['format', 'generator', 'answers', 'features', 'files', 'generated', 'pristine']);
    expect(Object.keys(after.files)).toEqual(Object.keys(after.files).sort());
  });

  it('is replayed by the planner: update and check see template + generated lines, and keep the generated files', () => {
    const model = Buffer.from('"""x."""\n');
    const base = new Map([['src/shop/invoices/models.py', { content: model, policy: 'once' as const }]]);
    const replanned = planFromAnswers(catalog, { name: 'shop', milestones: ['crud-db'], options: {} }, { records: [record], base });
    expect(text(replanned, ROUTES)).toBe(apply(text(crud, ROUTES), routerInsertions('invoices')));
    expect(text(replanned, MODELS)).toBe(apply(text(crud, MODELS), modelInsertions('invoices', 'Invoice')));
    const written = JSON.parse(replanned.files.find((file) => file.path === '.roadmap-project.json')!.content.toString('utf8'));
    expect(written.generated).toEqual([record]);
    expect(written.files['src/shop/invoices/models.py']).toEqual({ sha256: sha256(model), policy: 'once', source: 'generate:resource' });
    expect(replanned.plan.files.some((file) => file.path === 'src/shop/invoices/models.py')).toBe(false);
  });

  it('refuses to plan when a template lost a marker the records rely on', () => {
    const broken = { ...record, insertions: [{ ...insertions[0]!, marker: '# generate-resource: a marker that was removed' }] };
    expect(() => planFromAnswers(catalog, { name: 'shop', milestones: ['crud-db'], options: {} }, { records: [broken], base: new Map() })).toThrow(
      /cannot place the lines that `generate` added/,
    );
  });
});
