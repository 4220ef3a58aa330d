import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PYTHON_DEPENDENCIES } from '../../src/catalog/python-dependencies.ts';
import { RESOURCE_FRAMEWORKS, type ResourceFramework } from '../../src/generators/resource/context.ts';
import { MAX_NAME_LENGTH } from '../../src/render/project-names.ts';
import { runCli } from '../helpers/cli.ts';
import {
  STANDARD_GATES,
  usePostgresDatabase,
  generateProject,
  mustRun,
  psqlRows,
  type RunningProcess,
} from '../helpers/python-project.ts';
import { callJson } from '../helpers/http.ts';
import { projectFiles } from '../helpers/project-tree.ts';
import { POSTGRES, POSTGRES_HINT, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const PACKAGE = 'ledger';

/**
 * `generate resource`, for real: three resources that together use every field type (and
 * a reference to another generated resource, to crud's Project and Task) are
 * generated into a crud-db project with the built CLI; then the project's own
 * gates run, its migrations go up and down on PostgreSQL, the autogenerate
 * check still finds nothing, and the new endpoints serve CRUD over HTTP.
 */
const RESOURCES: readonly (readonly string[])[] = [
  ['Customer', '--fields', 'name:str(80):unique,email:str:optional,notes:text:optional,vip:bool,tier:enum(basic|gold|platinum),joined_on:date'],
  [
    'Invoice',
    '--fields',
    'number:str(40):unique,total:decimal(10,2),tax_rate:float:optional,quantity:int,paid:bool,issued_at:datetime,due_on:date:optional,status:enum(draft|sent|paid),customer:ref(Customer),project:ref(Project):optional',
  ],
  ['Payment', '--fields', 'invoice:ref(Invoice):unique,amount:decimal,received_at:datetime:unique,reference:str:optional,note:text,task:ref(Task):optional'],
];
const NEW_TABLES = ['customers', 'invoices', 'payments'];

/** The modules of a resource: the crud layout on SQLAlchemy, a Django app on Django (its migration inside). */
const RESOURCE_MODULES: Readonly<Record<ResourceFramework, readonly string[]>> = {
  fastapi: ['__init__', 'models', 'schemas', 'repository', 'service', 'router'],
  flask: ['__init__', 'models', 'schemas', 'repository', 'service', 'router'],
  django: ['__init__', 'apps', 'models', 'serializers', 'views', 'urls', 'admin', 'migrations/__init__', 'migrations/0001_initial'],
};
/** The project's test that fails when the models and the migrations disagree. */
const MIGRATIONS_AGREE: Readonly<Record<ResourceFramework, string>> = {
  fastapi: 'test_autogenerate_finds_no_difference_between_models_and_migrations',
  flask: 'test_autogenerate_finds_no_difference_between_models_and_migrations',
  django: 'test_models_and_migrations_agree',
};

function describeThreeResources(framework: ResourceFramework): void {
  describe(`generate resource on ${framework}: three resources with every field type pass the project gates`, () => {
    let dir = '';
    let generated: { exitCode: number; stdout: string; stderr: string }[] = [];

    beforeAll(async () => {
      if (!UV) return;
      dir = await generateProject('ledger', ['--milestone', 'crud-db', '--framework', framework]);
      generated = [];
      for (const resource of RESOURCES) generated.push(await runCli(['generate', 'resource', ...resource], { cwd: dir }));
      await mustRun(dir, ['uv', 'sync']);
    });

    it(`generates each resource with exit 0, in the ${framework === 'django' ? 'Django app' : 'crud'} layout`, (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      for (const result of generated) expect(result.exitCode, result.stderr).toBe(0);
      for (const table of NEW_TABLES) {
        for (const module of RESOURCE_MODULES[framework]) {
          expect(existsSync(path.join(dir, 'src', PACKAGE, table, `${module}.py`)), `${table}/${module}.py`).toBe(true);
        }
        expect(existsSync(path.join(dir, 'tests', table, `test_${table}_api.py`))).toBe(true);
      }
      if (framework === 'django') {
        // Registered at the markers: the app in INSTALLED_APPS, its URLs under /api/v1.
        const files = projectFiles(dir);
        for (const table of NEW_TABLES) {
          expect(files.get(`src/${PACKAGE}/settings.py`)).toContain(`    "${PACKAGE}.${table}",\n`);
          expect(files.get(`src/${PACKAGE}/urls.py`)).toContain(`from ${PACKAGE}.${table}.urls import urlpatterns as ${table}_urls\n`);
          expect(files.get(`src/${PACKAGE}/urls.py`)).toContain(`    *${table}_urls,\n`);
        }
        expect(existsSync(path.join(dir, 'migrations'))).toBe(false);
        return;
      }
      const migrations = readdirSync(path.join(dir, 'migrations', 'versions')).filter((name) => name.endsWith('.py'));
      expect(migrations).toHaveLength(4);
    });

    for (const gate of STANDARD_GATES) {
      it(`${gate.name} passes on SQLite`, async (ctx) => {
        requireOrSkip(ctx, 'uv', UV, UV_HINT);
        const output = await mustRun(dir, gate.command, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined });
        if (gate.command.includes('pytest')) {
          expect(output).toMatch(/\d+ passed/);
          expect(output).not.toMatch(/\d+ (failed|error)/);
        }
      });
    }

    it('runs the generated tests and the autogenerate-is-empty test among them', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const output = await mustRun(dir, [
        'uv', 'run', '--locked', 'pytest', '-q', '-p', 'no:cacheprovider', '--no-cov', '--collect-only',
        ...NEW_TABLES.map((table) => `tests/${table}`), 'tests/db/test_migrations.py',
      ]);
      const count = (file: string): number => output.split('\n').filter((line) => line.startsWith(file)).length;
      for (const table of NEW_TABLES) expect(count(`tests/${table}/test_${table}_api.py::`), table).toBeGreaterThan(15);
      expect(output).toContain(`tests/db/test_migrations.py::${MIGRATIONS_AGREE[framework]}`);
    });

    if (framework === 'django') it('refuses names Django or DRF already use, and writes nothing', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const before = projectFiles(dir);
      const taken = await runCli(['generate', 'resource', 'Message', '--fields', 'body:text'], { cwd: dir });
      expect(taken.exitCode).toBe(2);
      expect(taken.stderr).toContain('"messages" is the label of an app Django or DRF already installs');
      expect(projectFiles(dir)).toEqual(before);
      // A serializer declares its fields as class attributes: `label` would replace DRF's own.
      const attribute = await runCli(['generate', 'resource', 'Badge', '--fields', 'label:str,data:text'], { cwd: dir });
      expect(attribute.exitCode).toBe(2);
      expect(attribute.stderr).toContain(`"label", "data": DRF's serializers already have an attribute of that name`);
      expect(projectFiles(dir)).toEqual(before);
    });

    it('check passes and update changes nothing: the manifest owns what generate made', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const check = await runCli(['check', '--strict'], { cwd: dir });
      expect(check.exitCode, check.stdout + check.stderr).toBe(0);
      const before = projectFiles(dir);
      const update = await runCli(['update'], { cwd: dir });
      expect(update.exitCode, update.stderr).toBe(0);
      expect(update.stdout).toContain('already up to date');
      expect(projectFiles(dir)).toEqual(before);
      for (const table of NEW_TABLES) expect(before.has(`src/${PACKAGE}/${table}/models.py`)).toBe(true);
    });

    describe('on the machine PostgreSQL', () => {
      const postgres = usePostgresDatabase(POSTGRES);
      let server: RunningProcess | undefined;

      // The SQL layer is the same on both frameworks: its tests run on PostgreSQL once, on FastAPI
      // (not a skip on Flask: there is no such test there).
      if (framework === 'fastapi') it('pytest passes with TEST_DATABASE_URL on PostgreSQL', async (ctx) => {
        requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
        const output = await mustRun(dir, STANDARD_GATES[0]!.command, { TEST_DATABASE_URL: postgres.database.url });
        expect(output).toMatch(/\d+ passed/);
        expect(await psqlRows(postgres.database.name, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'test_%'")).toEqual([]);
      });

      if (framework === 'django') it('manage.py migrate creates the tables, makemigrations --check finds nothing, and they migrate back to zero', async (ctx) => {
        requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
        const env = { DATABASE_URL: postgres.database.url };
        const manage = (...args: string[]): Promise<string> => mustRun(dir, ['uv', 'run', '--locked', 'python', 'manage.py', ...args], env);
        const tables = (): Promise<string[]> =>
          psqlRows(postgres.database.name, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('customers', 'invoices', 'payments') ORDER BY 1`);

        await manage('migrate', '--no-input');
        expect(await tables()).toEqual(NEW_TABLES);
        // Two foreign keys (invoice, task), the primary key, two unique rules (the one-to-one invoice, received_at).
        expect(
          await psqlRows(postgres.database.name, "SELECT contype::text || ':' || count(*) FROM pg_constraint WHERE conrelid = 'payments'::regclass GROUP BY contype ORDER BY 1"),
        ).toEqual(['f:2', 'p:1', 'u:2']);
        await manage('makemigrations', '--check', '--dry-run');
        // Invoices and payments depend on customers: taking customers to zero takes them first.
        await manage('migrate', 'customers', 'zero', '--no-input');
        expect(await tables()).toEqual([]);
        await mustRun(dir, ['make', 'migrate'], env);
        expect(await tables()).toEqual(NEW_TABLES);
      });

      if (framework !== 'django') it('alembic upgrade heads, check, downgrade base and upgrade again', async (ctx) => {
        requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
        const env = { DATABASE_URL: postgres.database.url };
        const tables = (): Promise<string[]> =>
          psqlRows(postgres.database.name, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
        const all = ['alembic_version', 'customers', 'invoices', 'payments', 'projects', 'tasks'];

        await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'upgrade', 'heads'], env);
        expect(await tables()).toEqual(all);
        expect(
          await psqlRows(postgres.database.name, "SELECT conname FROM pg_constraint WHERE conrelid = 'payments'::regclass ORDER BY 1"),
        ).toEqual([
          'fk_payments_invoice_id_invoices',
          'fk_payments_task_id_tasks',
          'pk_payments',
          'uq_payments_invoice_id',
          'uq_payments_received_at',
        ]);
        expect(await psqlRows(postgres.database.name, "SELECT indexname FROM pg_indexes WHERE tablename = 'invoices' ORDER BY 1")).toEqual([
          'ix_invoices_customer_id',
          'ix_invoices_project_id',
          'pk_invoices',
          'uq_invoices_number',
        ]);
        await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'check'], env);
        await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'downgrade', 'base'], env);
        expect(await tables()).toEqual(['alembic_version']);
        await mustRun(dir, ['make', 'migrate'], env);
        expect(await tables()).toEqual(all);
      });

      it('the new endpoints serve CRUD over HTTP', async (ctx) => {
        requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
        const app = await postgres.serve(dir, PACKAGE);
        server = app.server;
        const api = `${app.base}/api/v1`;

        const customer = await callJson(api, 'POST', '/customers', { name: 'Ada', tier: 'gold', joined_on: '2030-01-02' });
        expect(customer.status, JSON.stringify(customer.body)).toBe(201);
        expect(customer.body).toMatchObject({ name: 'Ada', email: null, notes: null, vip: false, tier: 'gold', joined_on: '2030-01-02' });
        expect(new URL(customer.headers.get('location')!).pathname).toBe(`/api/v1/customers/${customer.body.id}`);
        expect((await callJson(api, 'POST', '/customers', { name: 'Ada', joined_on: '2030-01-02' })).status).toBe(409);
        expect((await callJson(api, 'POST', '/customers', { name: 'Bob', joined_on: '2030-01-02', tier: 'bronze' })).status).toBe(422);

        const project = await callJson(api, 'POST', '/projects', { name: 'Billing' });
        const invoice = await callJson(api, 'POST', '/invoices', {
          number: 'INV-001',
          total: '120.5',
          quantity: 3,
          paid: false,
          issued_at: '2030-01-05T09:30:00+01:00',
          customer_id: customer.body.id,
          project_id: project.body.id,
        });
        expect(invoice.status, JSON.stringify(invoice.body)).toBe(201);
        // A decimal comes back as the column keeps it, from POST as from GET: "120.50", not "120.5".
        expect(invoice.body).toMatchObject({ total: '120.50', status: 'draft', issued_at: '2030-01-05T08:30:00Z', tax_rate: null });
        expect((await callJson(api, 'GET', `/invoices/${invoice.body.id}`)).body.total).toBe('120.50');
        const naive = await callJson(api, 'POST', '/invoices', { number: 'INV-X', total: '1', quantity: 1, issued_at: '2030-01-05T09:30:00', customer_id: customer.body.id });
        expect(naive.status).toBe(422);
        const orphan = await callJson(api, 'POST', '/invoices', { number: 'INV-002', total: '1', quantity: 1, issued_at: '2030-01-05T09:30:00Z', customer_id: 4242 });
        expect(orphan.status).toBe(409);
        expect(orphan.body.error.message).toBe('Customer 4242 does not exist.');

        const payment = await callJson(api, 'POST', '/payments', { invoice_id: invoice.body.id, amount: 120.5, received_at: '2030-01-06T10:00:00Z' });
        expect(payment.status, JSON.stringify(payment.body)).toBe(201);
        expect(payment.body).toMatchObject({ amount: '120.50', note: '', reference: null, task_id: null });
        expect((await callJson(api, 'GET', `/payments/${payment.body.id}`)).body.amount).toBe('120.50');
        const second = await callJson(api, 'POST', '/payments', { invoice_id: invoice.body.id, amount: '1.00', received_at: '2030-01-07T10:00:00Z' });
        expect(second.status).toBe(409);

        const paid = await callJson(api, 'PATCH', `/invoices/${invoice.body.id}`, { paid: true, status: 'paid', total: '99.9' });
        expect(paid.status).toBe(200);
        expect(paid.body).toMatchObject({ paid: true, status: 'paid', number: 'INV-001', total: '99.90' });
        expect((await callJson(api, 'GET', `/invoices/${invoice.body.id}`)).body.total).toBe('99.90');
        expect((await callJson(api, 'PATCH', `/invoices/${invoice.body.id}`, { number: null })).status).toBe(422);

        const listed = await callJson(api, 'GET', `/invoices?customer_id=${customer.body.id}&status=paid&q=inv-0&sort=-total&page_size=10`);
        expect(listed.status).toBe(200);
        expect(listed.body).toMatchObject({ total: 1, page: 1, pages: 1 });
        expect(listed.body.items.map((item: { id: number }) => item.id)).toEqual([invoice.body.id]);
        expect((await callJson(api, 'GET', '/invoices?sort=owner')).status).toBe(422);

        // Deleting the customer deletes its invoices (ON DELETE CASCADE), and so their payments.
        expect((await callJson(api, 'DELETE', `/customers/${customer.body.id}`)).status).toBe(204);
        expect((await callJson(api, 'GET', `/invoices/${invoice.body.id}`)).status).toBe(404);
        expect((await callJson(api, 'GET', `/payments/${payment.body.id}`)).body.error.code).toBe('not_found');
        expect(await psqlRows(postgres.database.name, 'SELECT count(*) FROM payments')).toEqual(['0']);
      });
    });
  });
}

for (const framework of RESOURCE_FRAMEWORKS) describeThreeResources(framework);

/** How each framework's router shows that a resource's rows are the caller's, or open to all. */
const OWNER_SCOPING: Readonly<Record<ResourceFramework, { owned: string; open: string; router: string; ownerColumn: string }>> = {
  fastapi: {
    owned: 'def get_entry_service(session: SessionDep, user: CurrentUser) -> EntryService:',
    open: 'CurrentUser',
    router: 'router',
    ownerColumn: 'owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)',
  },
  flask: {
    owned: '    return EntryService(request_session(), owner=current_user())',
    open: '@router.auth_required(bearer)',
    router: 'router',
    ownerColumn: 'owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)',
  },
  django: {
    owned: '    return Entry.objects.filter(owner=caller(request))',
    open: 'BearerTokenAuthentication',
    router: 'views',
    ownerColumn: 'owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")',
  },
};
const OWNER_TESTS = [
  'test_every_route_needs_a_signed_in_user',
  'test_another_users_rows_are_404_and_never_listed',
  'test_the_owner_cannot_be_chosen_by_the_client',
];

/**
 * In a project with the auth feature, a generated resource's rows belong to the
 * signed-in user who creates them, like notes, unless `--public` says otherwise.
 * The generated project's own tests prove the rule (a 401 on every route without
 * a token; another user's rows are the same 404 as a missing id and never
 * listed), and its gates pass with both kinds side by side, on every framework.
 */
function describeOwnedResources(framework: ResourceFramework): void {
  describe(`generate resource with auth on ${framework}: owner-scoped rows by default, --public to opt out`, () => {
    const project = framework === 'fastapi' ? 'diary' : `${framework}-diary`;
    const AUTH_PACKAGE = project.replaceAll('-', '_');
    let dir = '';
    let generated: { exitCode: number; stdout: string; stderr: string }[] = [];

    beforeAll(async () => {
      if (!UV) return;
      dir = await generateProject(project, ['--milestone', 'rest-api-auth', '--framework', framework]);
      generated = [
        await runCli(['generate', 'resource', 'Entry', '--plural', 'entries', '--fields', 'title:str,mood:enum(good|bad),written_on:date:optional'], { cwd: dir }),
        await runCli(['generate', 'resource', 'Tag', '--public', '--fields', 'name:str(40),pinned:bool'], { cwd: dir }),
      ];
      await mustRun(dir, ['uv', 'sync']);
    });

    it('scopes Entry to its owner and leaves the --public Tag open, and records which is which', (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      for (const result of generated) expect(result.exitCode, result.stderr).toBe(0);
      const files = projectFiles(dir);
      const text = (file: string): string => files.get(file) ?? '';
      const scoping = OWNER_SCOPING[framework];
      expect(text(`src/${AUTH_PACKAGE}/entries/${scoping.router}.py`)).toContain(scoping.owned);
      expect(text(`src/${AUTH_PACKAGE}/entries/models.py`)).toContain(scoping.ownerColumn);
      expect(text(`src/${AUTH_PACKAGE}/tags/${scoping.router}.py`)).not.toContain(scoping.open);
      expect(text(`src/${AUTH_PACKAGE}/tags/models.py`)).not.toContain(scoping.ownerColumn);
      // A Django resource's tests always have their conftest (its client replaces pytest-django's).
      expect([...files.keys()].filter((file) => /^tests\/(entries|tags)\/(conftest|test_\w+_owners)\.py$/.test(file)).sort()).toEqual([
        'tests/entries/conftest.py',
        'tests/entries/test_entries_owners.py',
        ...(framework === 'django' ? ['tests/tags/conftest.py'] : []),
      ]);
      const manifest = JSON.parse(text('.roadmap-project.json')) as { generated: { name: string; command: string; resource: { owned?: boolean } }[] };
      expect(manifest.generated.map((record) => [record.name, record.resource.owned ?? false, record.command.endsWith('--public')])).toEqual([
        ['Entry', true, false],
        ['Tag', false, true],
      ]);
    });

    it('refuses a reference to owned rows and writes nothing', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const before = projectFiles(dir);
      const refused = await runCli(['generate', 'resource', 'Comment', '--fields', 'body:text,entry:ref(Entry)'], { cwd: dir });
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toContain('ref(Entry): those rows belong to users');
      expect(refused.stderr).toContain('Generate Entry with --public, or leave the reference out.');
      expect(projectFiles(dir)).toEqual(before);
    });

    for (const gate of STANDARD_GATES) {
      it(`${gate.name} passes with owned and public resources side by side`, async (ctx) => {
        requireOrSkip(ctx, 'uv', UV, UV_HINT);
        const pytest = gate.command.includes('pytest');
        // -rA lists every passed test: the owner tests are named among them, with no second run.
        const output = await mustRun(dir, pytest ? [...gate.command, '-rA'] : gate.command, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined });
        if (!pytest) return;
        // The generated owner tests ran and passed (a failure fails mustRun): 401 without a token,
        // other users' rows are 404 and unlisted, the owner is not the client's to choose.
        for (const name of OWNER_TESTS) expect(output).toContain(`PASSED tests/entries/test_entries_owners.py::${name}`);
        expect(output).toMatch(/PASSED tests\/tags\/test_tags_api\.py::\w+/);
      });
    }
  });
}

for (const framework of RESOURCE_FRAMEWORKS) describeOwnedResources(framework);

describe('generate resource with the longest names the validators accept renders formatted code', () => {
  it.for(RESOURCE_FRAMEWORKS)('ruff format --check and ruff check pass on %s', async (framework, ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const dir = await generateProject('a'.repeat(MAX_NAME_LENGTH), ['--milestone', 'crud-db', '--framework', framework]);
    const field = (suffix: string, length = 20): string => `${'f'.repeat(length - 1)}${suffix}`;
    const runs = [
      ['Abcdefghijklmnopqrst', '--plural', 'abcdefghijklmnopqrstuvwxyz', '--fields', `${field('a')}:str(1000):unique,${field('b')}:decimal(38,10):unique,${field('c')}:datetime:unique,${field('d')}:ref(Task)`],
      [
        'Zyxwvutsrqponmlkjihg',
        '--plural',
        'zyxwvutsrqponmlkjihgfedcba',
        '--fields',
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
        ].join(','),
      ],
      ['Item', '--fields', `${field('k')}:ref(Abcdefghijklmnopqrst):optional,${field('l')}:ref(Abcdefghijklmnopqrst):unique`],
    ];
    for (const args of runs) {
      const result = await runCli(['generate', 'resource', ...args], { cwd: dir });
      expect(result.exitCode, result.stderr).toBe(0);
    }
    const ruff = PYTHON_DEPENDENCIES.ruff.requirement;
    await mustRun(dir, ['uvx', '--from', ruff, 'ruff', 'format', '--no-cache', '--check', '.']);
    await mustRun(dir, ['uvx', '--from', ruff, 'ruff', 'check', '--no-cache', '.']);
  });
});
