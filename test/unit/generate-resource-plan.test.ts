import { describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/catalog/features/index.ts';
import { LINE_LENGTH } from '../../src/generators/python-format.ts';
import { planResource, resourceTemplates } from '../../src/generators/resource/plan.ts';
import { MAX_FIELD_NAME_LENGTH, crossCheck, parseFields, parseResourceNames, type ResourceSpec } from '../../src/generators/resource/spec.ts';
import { RESOURCE_FRAMEWORKS, type ReferenceTarget, type ResourceFramework } from '../../src/generators/resource/context.ts';
import { referenceTargets } from '../../src/steps/project-inventory.ts';


function spec(name: string, fields: string, plural?: string): ResourceSpec {
  const names = parseResourceNames(name, plural);
  const parsed = parseFields(fields);
  expect(names.problems).toEqual([]);
  expect(parsed.problems).toEqual([]);
  return { names: names.value!, fields: parsed.value! };
}

function plan(packageName: string, resource: ResourceSpec, targets: ReadonlyMap<string, ReferenceTarget>, framework: ResourceFramework = 'fastapi', owned = false) {
  return planResource({
    owned,
    packageName,
    spec: resource,
    targets,
    migration: { revision: 'abcdef012345', downRevisions: ['0001'], createdAt: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)) },
    generatorVersion: '9.9.9',
    templates: resourceTemplates(framework),
    commandName: 'create-python-roadmap-project',
    framework,
  });
}

const crudTargets = referenceTargets(FEATURES, []);

describe('generate resource: the planned files', () => {
  it('lays out a resource with every field type into the crud layout', () => {
    const result = plan(
      'shop',
      spec('Invoice', 'number:str:unique,notes:text:optional,total:decimal(10,2),paid:bool,issued_on:date,sent_at:datetime:optional,status:enum(draft|sent|paid),project:ref(Project),task:ref(Task):optional,quantity:int,weight:float:optional'),
      crudTargets,
    );
    expect(result.files.map((file) => file.path)).toEqual([
      'migrations/versions/20300102_0304_abcdef012345_create_the_invoices_table.py',
      'src/shop/invoices/__init__.py',
      'src/shop/invoices/models.py',
      'src/shop/invoices/repository.py',
      'src/shop/invoices/router.py',
      'src/shop/invoices/schemas.py',
      'src/shop/invoices/service.py',
      'tests/invoices/__init__.py',
      'tests/invoices/test_invoices_api.py',
    ]);
    const file = (suffix: string): string => result.files.find((candidate) => candidate.path.endsWith(suffix))!.content;
    expect(file('models.py')).toContain('    number: Mapped[str] = mapped_column(String(INVOICE_NUMBER_MAX_LENGTH), unique=True)\n');
    expect(file('models.py')).toContain('ForeignKey("tasks.id", ondelete="SET NULL")');
    expect(file('models.py')).toContain('ForeignKey("projects.id", ondelete="CASCADE")');
    expect(file('schemas.py')).toContain('    sent_at: UtcTimestamp | None = None\n');
    expect(file('schemas.py')).toContain('    status: InvoiceStatus = InvoiceStatus.DRAFT\n');
    expect(file('create_the_invoices_table.py')).toContain('down_revision: str | Sequence[str] | None = "0001"\n');
    expect(file('create_the_invoices_table.py')).toContain('op.create_index(op.f("ix_invoices_project_id"), "invoices", ["project_id"])');
    expect(file('test_invoices_api.py')).toContain('def create_task(client: TestClient) -> int:');
    expect(result.record).toMatchObject({
      generator: 'resource',
      name: 'Invoice',
      version: '9.9.9',
      resource: { model: 'Invoice', module: 'invoices.models', table: 'invoices', collection: '/invoices' },
    });
    expect(result.record.command).toBe(
      "create-python-roadmap-project generate resource Invoice --fields 'number:str:unique,notes:text:optional,total:decimal(10,2),paid:bool,issued_on:date,sent_at:datetime:optional,status:enum(draft|sent|paid),project:ref(Project),task:ref(Task):optional,quantity:int,weight:float:optional'",
    );
    expect(result.insertions.map((insertion) => [insertion.path, insertion.placement, insertion.text])).toEqual([
      ['src/shop/routes.py', 'sorted-import', 'from shop.invoices.router import router as invoices_router'],
      ['src/shop/routes.py', 'above', 'api_router.include_router(invoices_router)'],
      ['src/shop/db/models.py', 'sorted-import', 'from shop.invoices.models import Invoice'],
      ['src/shop/db/models.py', 'sorted-all', '"Invoice",'],
    ]);
  });

  it('on Django: a Django app registered at the settings and urls markers, its migration written from the model', () => {
    const resource = spec('Invoice', 'number:str:unique,status:enum(draft|in_progress),project:ref(Project),task:ref(Task):optional:unique');
    const django = plan('shop', resource, crudTargets, 'django');
    expect(django.files.map((file) => file.path)).toEqual([
      'src/shop/invoices/__init__.py',
      'src/shop/invoices/admin.py',
      'src/shop/invoices/apps.py',
      'src/shop/invoices/migrations/0001_initial.py',
      'src/shop/invoices/migrations/__init__.py',
      'src/shop/invoices/models.py',
      'src/shop/invoices/serializers.py',
      'src/shop/invoices/urls.py',
      'src/shop/invoices/views.py',
      'tests/invoices/__init__.py',
      'tests/invoices/conftest.py',
      'tests/invoices/test_invoices_api.py',
    ]);
    const file = (suffix: string): string => django.files.find((candidate) => candidate.path.endsWith(suffix))!.content;
    expect(file('models.py')).toContain('    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")\n');
    // A unique reference is one-to-one; an optional one is set to null with its row.
    expect(file('models.py')).toMatch(/task = models\.OneToOneField\(\s+"tasks\.Task",\s+on_delete=models\.SET_NULL,/);
    const migration = file('0001_initial.py');
    expect(migration).toContain('dependencies = [("projects", "0001_initial"), ("tasks", "0001_initial")]');
    // Django's labels of TextChoices members without one: the member name, title-cased.
    expect(migration).toContain('choices=[("draft", "Draft"), ("in_progress", "In Progress")]');
    expect(migration).toContain('to="tasks.task"');
    expect(file('test_invoices_api.py')).toContain('from rest_framework.test import APIClient\n');
    expect(file('test_invoices_api.py')).toContain('data={"page_size": "2", "sort": "-created_at"}');
    expect(file('test_invoices_api.py')).not.toMatch(/TestClient|json=/);
    expect(django.insertions.map((insertion) => [insertion.path, insertion.placement, insertion.text])).toEqual([
      ['src/shop/settings.py', 'above', '"shop.invoices",'],
      ['src/shop/urls.py', 'sorted-import', 'from shop.invoices.urls import urlpatterns as invoices_urls'],
      ['src/shop/urls.py', 'above', '*invoices_urls,'],
    ]);
  });

  it('on Flask: the same files, an APIFlask blueprint registered on the versioned one, tests on Flask\'s client', () => {
    const resource = spec('Invoice', 'number:str:unique,paid:bool,project:ref(Project)');
    const fastapi = plan('shop', resource, crudTargets);
    const flask = plan('shop', resource, crudTargets, 'flask');
    expect(flask.files.map((file) => file.path)).toEqual(fastapi.files.map((file) => file.path));
    const file = (result: typeof flask, suffix: string): string => result.files.find((candidate) => candidate.path.endsWith(suffix))!.content;
    for (const shared of ['models.py', 'schemas.py', 'repository.py', 'service.py', 'create_the_invoices_table.py']) {
      expect(file(flask, shared), shared).toBe(file(fastapi, shared));
    }
    expect(file(flask, 'router.py')).toContain('router = APIBlueprint("invoices", __name__, url_prefix="/invoices", tag="invoices")\n');
    expect(file(flask, 'router.py')).toContain('@router.doc(responses=error_responses(400, 409, 422))');
    expect(file(flask, 'router.py')).not.toMatch(/fastapi/i);
    const tests = file(flask, 'test_invoices_api.py');
    expect(tests).toContain('from flask.testing import FlaskClient\n');
    expect(tests).toContain('query_string={"page_size": 2, "sort": "-created_at"}');
    expect(tests).not.toMatch(/TestClient|fastapi|params=|\.json\(\)/);
    expect(flask.insertions.map((insertion) => insertion.text)).toContain('api_router.register_blueprint(invoices_router)');
  });

  it('on Flask with auth: every route needs a token, the service is the caller\'s, and the owner tests come along', () => {
    const resource = spec('Entry', 'title:str,mood:enum(good|bad)', 'entries');
    const owned = plan('diary', resource, new Map(), 'flask', true);
    const file = (suffix: string): string => owned.files.find((candidate) => candidate.path.endsWith(suffix))!.content;
    expect(owned.files.map((candidate) => candidate.path).filter((path) => path.startsWith('tests/'))).toEqual([
      'tests/entries/__init__.py',
      'tests/entries/conftest.py',
      'tests/entries/test_entries_api.py',
      'tests/entries/test_entries_owners.py',
    ]);
    const router = file('router.py');
    expect(router.match(/^@router\.auth_required\(bearer\)$/gm)).toHaveLength(5);
    expect(router).toContain('    return EntryService(request_session(), owner=current_user())\n');
    expect(router).toContain('@router.doc(responses=auth_error_responses(401, 404))');
    expect(router).toContain('@router.doc(responses=auth_error_responses(400, 401, 422))');
    expect(router).not.toMatch(/\berror_responses\b(?<!auth_error_responses)|fastapi/i);
    expect(file('conftest.py')).toContain('client.environ_base["HTTP_AUTHORIZATION"]');
    expect(file('test_entries_owners.py')).not.toMatch(/TestClient|fastapi|\.json\(\)/);
    expect(owned.record.resource).toMatchObject({ owned: true });
    // Without auth, the same resource's Flask router has none of it.
    expect(plan('diary', resource, new Map(), 'flask').files.find((candidate) => candidate.path.endsWith('router.py'))!.content).not.toMatch(/bearer|current_user|auth_error/);
  });

  describe('keeps every line within 100 columns with the longest names the validators allow', () => {
    const longPackage = 'a'.repeat(40);
    const field = (suffix: string, length = MAX_FIELD_NAME_LENGTH): string => `${'f'.repeat(length - 1)}${suffix}`;
    const target = spec('Abcdefghijklmnopqrst', `${field('a')}:str(1000):unique,${field('b')}:decimal(38,10):unique,${field('c')}:datetime:unique,${field('d')}:ref(Task)`, 'abcdefghijklmnopqrstuvwxyz');
    const targets = new Map<string, ReferenceTarget>([
      ...crudTargets,
      [
        target.names.className,
        {
          model: target.names.className,
          module: `${target.names.plural}.models`,
          table: target.names.plural,
          collection: target.names.route,
          create: { path: target.names.route, parents: {}, fields: target.fields },
        },
      ],
    ]);
    const cases: readonly [string, ResourceSpec][] = [
      [
        'a long resource with every field type, referring to the crud models',
        spec(
          'Zyxwvutsrqponmlkjihg',
          [
            `${field('a')}:str(1000):unique`,
            `${field('b')}:text:optional`,
            `${field('c')}:int:unique`,
            `${field('d')}:float:optional`,
            `${field('e')}:decimal(38,38):unique`,
            `${field('g')}:bool:optional`,
            `${field('h')}:date:unique`,
            `${field('i')}:datetime:optional`,
            `${field('j', 8)}:enum(${'v'.repeat(40)}|${'w'.repeat(40)}):optional`,
            `${field('k', 12)}:ref(Project):unique`,
            `${field('l', 12)}:ref(Task):optional`,
            `${field('m', 12)}:ref(Task)`,
          ].join(','),
          'zyxwvutsrqponmlkjihgfedcba',
        ),
      ],
      ['a short resource referring to a long generated one', spec('Item', `${field('k')}:ref(Abcdefghijklmnopqrst):optional,${field('l')}:ref(Abcdefghijklmnopqrst):unique`)],
      ['the long generated one itself', target],
    ];
    // Public and owned (a project with auth: the owner's router and tests), on every framework.
    const onEachFramework = RESOURCE_FRAMEWORKS.flatMap((framework) =>
      [false, true].flatMap((owned) => cases.map(([name, resource]) => [`${name}, on ${framework}${owned ? ', owned' : ''}`, resource, framework, owned] as const)),
    );
    it.each(onEachFramework)('%s', (_name, resource, framework, owned) => {
      expect(crossCheck(resource.names, resource.fields, new Set(targets.keys()), (model) => targets.get(model)?.table)).toEqual([]);
      const result = plan(longPackage, resource, targets, framework, owned);
      const tooLong = result.files.flatMap((file) =>
        file.content.split('\n').flatMap((line, index) => (line.length > LINE_LENGTH ? [`${file.path}:${index + 1}: ${line.length}: ${line}`] : [])),
      );
      expect(tooLong).toEqual([]);
      for (const file of result.files) {
        expect(file.content.endsWith('\n') || file.content === '', file.path).toBe(true);
        expect(file.content, file.path).not.toMatch(/[ \t]$/m);
        expect(file.content, file.path).not.toMatch(/\n\n\n\n/);
      }
    });
  });
});
