import { execa } from 'execa';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import { runGenerate } from '../../src/commands/generate/run.ts';
import { CLI_PATH, REPO_ROOT, runCli } from '../helpers/cli.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { fakeTerminal } from '../helpers/fake-io.ts';
import { edit, read, snapshot, write } from '../helpers/project-history.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/**
 * `generate resource` through the built CLI (no TTY): bad input is exit 2 and
 * writes nothing, --dry-run writes nothing, a real run is atomic and recorded
 * so `check` and `update` leave it alone. The generated code's own gates run
 * in test/generated/generate-resource.test.ts.
 */

const INVOICE = ['generate', 'resource', 'Invoice', '--fields', 'number:str:unique,total:decimal(10,2),paid:bool,project:ref(Project)'];

async function newProject(milestone: string): Promise<string> {
  const parent = makeTempDir('cprp-generate');
  const created = await runCli(['shop', '--milestone', milestone, '--no-git', '--no-install'], { cwd: parent });
  if (created.exitCode !== 0) throw new Error(created.stderr);
  return path.join(parent, 'shop');
}

/** A copy of `source` to change, so every test starts from the same freshly generated project. */
function copyOf(source: string): string {
  const target = path.join(makeTempDir('cprp-generate'), 'shop');
  cpSync(source, target, { recursive: true });
  return target;
}

describe('generate resource refuses bad input with exit 2 and writes nothing', () => {
  let crud = '';
  let foundations = '';

  beforeAll(async () => {
    crud = await newProject('crud-db');
    foundations = await newProject('python-foundations');
  });

  const cases: readonly { name: string; args: readonly string[]; stderr: RegExp; where?: 'crud' | 'foundations' | 'outside' }[] = [
    { name: 'a model that exists', args: ['generate', 'resource', 'Project', '--fields', 'x:str'], stderr: /A model named Project already exists \(shop\.projects\.models\)/ },
    {
      name: 'a table, route and module that exist',
      args: ['generate', 'resource', 'Tasky', '--plural', 'tasks', '--fields', 'x:str'],
      stderr: /A table named tasks already exists[\s\S]*The route \/api\/v1\/tasks is already served[\s\S]*src\/shop\/tasks already exists[\s\S]*tests\/tasks already exists/,
    },
    { name: 'a name that is not a class name', args: ['generate', 'resource', 'invoice', '--fields', 'x:str'], stderr: /"invoice" cannot be a resource name: a resource name is a Python class name in PascalCase/ },
    { name: 'a keyword as the name', args: ['generate', 'resource', 'None', '--fields', 'x:str'], stderr: /Python keyword/ },
    { name: 'a name the generated code imports', args: ['generate', 'resource', 'Session', '--fields', 'x:str'], stderr: /already import or define a name like it/ },
    {
      name: 'field names that are keywords, SQL words or base columns',
      args: ['generate', 'resource', 'Invoice', '--fields', 'class:str,select:int,created_at:datetime'],
      stderr: /field "class": it is a Python keyword[\s\S]*field "select": it is a reserved word in SQL[\s\S]*field "created_at": every resource already has it/,
    },
    { name: 'an unknown field type', args: ['generate', 'resource', 'Invoice', '--fields', 'total:money'], stderr: /field "total": unknown type "money"; valid types: str, text, int, float, decimal, bool, date, datetime, enum\(a\|b\|\.\.\.\), ref\(Model\)/ },
    { name: 'a reference to a missing resource', args: ['generate', 'resource', 'Invoice', '--fields', 'customer:ref(Customer)'], stderr: /field "customer": there is no model Customer in this project \(models: Project, Task\)/ },
    { name: 'no fields and no terminal', args: ['generate', 'resource', 'Invoice'], stderr: /generate resource needs --fields[\s\S]*Types: str, text/ },
    { name: 'no name and no terminal', args: ['generate', 'resource', '--fields', 'x:str'], stderr: /generate resource needs the resource name/ },
    { name: 'a project without the db feature', args: INVOICE, where: 'foundations', stderr: /generate resource needs a project with the db feature[\s\S]*add crud-db/ },
    { name: 'outside a project', args: INVOICE, where: 'outside', stderr: /No \.roadmap-project\.json in .* or any folder above it/ },
  ];

  it.each(cases)('$name', async ({ args, stderr, where }) => {
    const cwd = where === 'outside' ? makeTempDir('cprp-outside') : where === 'foundations' ? foundations : crud;
    const before = snapshot(cwd);
    const result = await runCli(args, { cwd });
    expect(result.stderr).toMatch(stderr);
    expect(result.stderr).not.toContain('crashed');
    expect(result.exitCode).toBe(2);
    expect(snapshot(cwd)).toEqual(before);
  });

  it('a marker line the user removed: exit 2, and the message says which', async () => {
    const dir = copyOf(crud);
    edit(dir, 'src/shop/routes.py', '# generate-resource: include routers (above this line)\n', '');
    const before = snapshot(dir);
    const result = await runCli(INVOICE, { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('src/shop/routes.py: the marker line "# generate-resource: include routers (above this line)" is missing');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('generate resource in a project without lists names the features it builds on', () => {
  it('refuses with the add command that brings them, then works once they are added', async () => {
    const dir = await newProject('background-jobs');
    const before = snapshot(dir);
    const refused = await runCli(INVOICE.map((arg) => arg.replace(',project:ref(Project)', '')), { cwd: dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/builds on the listing and transactions features[\s\S]*add listing transactions/);
    expect(snapshot(dir)).toEqual(before);

    const added = await runCli(['add', 'listing', 'transactions'], { cwd: dir });
    expect(added.exitCode, added.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'src/shop/pagination.py'))).toBe(true);
    const generated = await runCli(['generate', 'resource', 'Invoice', '--fields', 'number:str:unique,total:decimal(10,2)'], { cwd: dir });
    expect(generated.exitCode, generated.stderr).toBe(0);
    expect(read(dir, 'src/shop/invoices/service.py')).toContain('commit_or_conflict');
    expect((await runCli(['check'], { cwd: dir })).exitCode).toBe(0);
  });
});

describe('generate resource writes atomically, and the manifest keeps it out of update and check', () => {
  let source = '';

  beforeAll(async () => {
    source = await newProject('crud-db');
  });

  it('--dry-run prints the new files and the diff of the registering lines, and writes nothing', async () => {
    const dir = copyOf(source);
    const before = snapshot(dir);
    const result = await runCli([...INVOICE, '--dry-run'], { cwd: path.join(dir, 'src') });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('+from shop.invoices.router import router as invoices_router');
    expect(result.stdout).toContain('+api_router.include_router(invoices_router)');
    expect(result.stdout).toContain('+    "Invoice",');
    expect(result.stdout).toMatch(/Dry run: nothing was written\. generate resource Invoice would change shop/);
    expect(result.stdout).toMatch(/\+ src\/shop\/invoices\/service\.py \(\d+ B\)/);
    expect(result.stdout).toMatch(/\+ migrations\/versions\/\d{8}_\d{4}_[0-9a-f]{12}_create_the_invoices_table\.py/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('writes the resource, records it, and then check passes and update changes nothing', async () => {
    const dir = copyOf(source);
    const result = await runCli([...INVOICE, '--json'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: true, command: 'generate', generator: 'resource', name: 'Invoice', dryRun: false });
    const paths = report.files.map((file: { path: string }) => file.path);
    for (const file of paths) expect(existsSync(path.join(dir, file)), file).toBe(true);
    expect(paths).toEqual(expect.arrayContaining(['src/shop/invoices/router.py', 'tests/invoices/test_invoices_api.py', 'src/shop/routes.py', 'src/shop/db/models.py']));
    expect(readdirSync(dir).filter((entry) => entry.startsWith('.cprp'))).toEqual([]);

    const manifest = JSON.parse(read(dir, '.roadmap-project.json'));
    expect(manifest.generated).toHaveLength(1);
    expect(manifest.generated[0]).toMatchObject({ generator: 'resource', name: 'Invoice', resource: { table: 'invoices', fields: 'number:str:unique,total:decimal(10,2),paid:bool,project:ref(Project)' } });
    expect(manifest.files['src/shop/invoices/service.py']).toMatchObject({ policy: 'once', source: 'generate:resource' });
    expect(manifest.files['src/shop/routes.py']).toMatchObject({ policy: 'merge', source: 'api' });

    const check = await runCli(['check', '--strict'], { cwd: dir });
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    const after = snapshot(dir);
    const update = await runCli(['update'], { cwd: dir });
    expect(update.exitCode, update.stderr).toBe(0);
    expect(update.stdout).toContain('already up to date');
    expect(snapshot(dir)).toEqual(after);

    // A second resource may refer to the first: the manifest says how to create one in tests.
    const lines = await runCli(['generate', 'resource', 'InvoiceLine', '--fields', 'invoice:ref(Invoice),amount:decimal'], { cwd: dir });
    expect(lines.exitCode, lines.stderr).toBe(0);
    const test = read(dir, 'tests/invoice_lines/test_invoice_lines_api.py');
    expect(test).toContain('def create_invoice(client: TestClient) -> int:');
    expect(test).toContain('def create_project(client: TestClient) -> int:');
    expect(read(dir, 'src/shop/routes.py')).toContain('from shop.invoice_lines.router import router as invoice_lines_router\nfrom shop.invoices.router');
    expect((await runCli(['check', '--strict'], { cwd: dir })).exitCode).toBe(0);
  });

  it('an older generator refuses a project a newer one generated into, and a damaged record is a clear error', async () => {
    const dir = copyOf(source);
    expect((await runCli(INVOICE, { cwd: dir })).exitCode).toBe(0);
    const manifest = JSON.parse(read(dir, '.roadmap-project.json'));
    write(dir, '.roadmap-project.json', JSON.stringify({ ...manifest, generated: [{ ...manifest.generated[0], version: '99.0.0' }] }));
    for (const command of [['update'], ['check'], ['generate', 'resource', 'Other', '--fields', 'x:str']]) {
      const result = await runCli(command, { cwd: dir });
      expect(result.exitCode, command.join(' ')).toBe(2);
      expect(result.stderr).toContain('`generate resource Invoice` was run on this project by create-python-roadmap-project 99.0.0');
    }
    write(dir, '.roadmap-project.json', JSON.stringify({ ...manifest, generated: [{ name: 'Invoice' }] }));
    const damaged = await runCli(['update'], { cwd: dir });
    expect(damaged.exitCode).toBe(2);
    expect(damaged.stderr).toContain("The project's manifest is damaged or was edited");
    expect(damaged.stderr).toContain('/generated/0: the required property "version" is missing');
  });

  it('a user who edits a generated file and a marked file keeps both edits through update', async () => {
    const dir = copyOf(source);
    expect((await runCli(INVOICE, { cwd: dir })).exitCode).toBe(0);
    edit(dir, 'src/shop/invoices/service.py', '"""Delete one invoice."""', '"""Delete one invoice (we keep an audit log elsewhere)."""');
    edit(dir, 'src/shop/routes.py', 'API_PREFIX = "/api/v1"\n', 'API_PREFIX = "/api/v1"\n# Our gateway strips /internal before this app sees it.\n');
    const before = snapshot(dir);
    const update = await runCli(['update'], { cwd: dir });
    expect(update.exitCode, update.stderr).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    const check = await runCli(['check'], { cwd: dir });
    expect(check.exitCode, check.stdout).toBe(0);
  });

  it('Ctrl-C while the files are being written leaves the project exactly as it was', async () => {
    const dir = copyOf(source);
    const before = snapshot(dir);
    const child = execa(process.execPath, [CLI_PATH, ...INVOICE], {
      cwd: dir,
      env: { NO_COLOR: '1', CREATE_PYTHON_ROADMAP_PROJECT_TEST_WRITE_DELAY_MS: '200' },
      reject: false,
      all: true,
    });
    const journal = (): string | undefined => readdirSync(dir).find((entry) => entry.startsWith('.cprp-update-'));
    const deadline = Date.now() + 20_000;
    while (!(journal() && existsSync(path.join(dir, 'src', 'shop', 'invoices')))) {
      if (Date.now() > deadline) throw new Error('the write never started');
      await sleep(20);
    }
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, result.all).toBe(130);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('on a terminal, generate resource asks for what the flags did not give', () => {
  it('asks for the name and the fields, validating each answer, then writes', async () => {
    const dir = await newProject('crud-db');
    const terminal = fakeTerminal({ cwd: dir, answers: ['Customer', 'name:str(80):unique,vip:bool'] });
    const report = await runGenerate(terminal.io, { kind: 'resource', dryRun: false, yes: false, json: false }, loadCatalog());
    expect(terminal.asked.map((question) => question.message)).toEqual([
      'Resource name (a PascalCase class name, e.g. Invoice)',
      'Fields (name:type, comma-separated; e.g. number:str:unique,total:decimal,paid:bool)',
    ]);
    expect(terminal.asked[0]!.validate?.('customer')).toMatch(/PascalCase/);
    expect(terminal.asked[0]!.validate?.('Customer')).toBe(true);
    expect(terminal.asked[1]!.validate?.('id:int')).toMatch(/every resource already has it/);
    expect(report.name).toBe('Customer');
    expect(existsSync(path.join(dir, 'src', 'shop', 'customers', 'models.py'))).toBe(true);
    expect(terminal.stdout()).toContain('Generated resource Customer in shop');
  });

  it('asks nothing with --yes: a missing answer is exit 2', async () => {
    const dir = await newProject('crud-db');
    const terminal = fakeTerminal({ cwd: dir, answers: [] });
    await expect(runGenerate(terminal.io, { kind: 'resource', name: 'Customer', dryRun: false, yes: true, json: false }, loadCatalog())).rejects.toMatchObject({
      exitCode: 2,
      message: 'generate resource needs --fields.',
    });
    expect(terminal.asked).toEqual([]);
  });
});

describe('on a real terminal', () => {
  it('asks for the fields, refuses an invalid answer at the question, then generates', async (ctx) => {
    requireOrSkip(ctx, 'python3 (drives the pseudo-terminal)', hasExecutable('python3'), 'install Python 3');
    const dir = await newProject('crud-db');
    const steps = [
      { expect: 'Fields \\(name:type', send: 'id:int\r' },
      { expect: 'every resource already has it', send: `${'\u007f'.repeat(6)}title:str,done:bool\r` },
    ];
    const spec = { argv: [process.execPath, CLI_PATH, 'generate', 'resource', 'Chore'], cwd: dir, steps, timeout: 15 };
    const result = await execa('python3', [path.join(REPO_ROOT, 'test/helpers/pty_driver.py'), JSON.stringify(spec)]);
    const run = JSON.parse(result.stdout) as { exit: number; transcript: string; failed_step: number | null };
    expect(run.failed_step, run.transcript).toBeNull();
    expect(run.exit, run.transcript).toBe(0);
    expect(run.transcript).toContain('Generated resource Chore in shop');
    expect(read(dir, 'src/shop/chores/schemas.py')).toContain('    done: StrictBool = False\n');
  });
});

describe('generate task', () => {
  let jobs = '';
  let crud = '';

  beforeAll(async () => {
    jobs = await newProject('background-jobs');
    crud = await newProject('crud-db');
  });

  const cases: readonly { name: string; args: readonly string[]; stderr: RegExp; where?: 'crud' }[] = [
    { name: 'a name that is not snake_case', args: ['generate', 'task', 'SendReminders'], stderr: /"SendReminders" cannot be a task name: use snake_case/ },
    { name: 'a keyword', args: ['generate', 'task', 'import'], stderr: /Python keyword/ },
    { name: 'a package that exists', args: ['generate', 'task', 'reports'], stderr: /src\/shop\/reports already exists/ },
    { name: 'a route that is taken', args: ['generate', 'task', 'sales', '--trigger'], stderr: /The route \/api\/v1\/sales is already served by another router/ },
    { name: 'no name and no terminal', args: ['generate', 'task', '--trigger'], stderr: /generate task needs the task name/ },
    { name: 'a project without the jobs feature', args: ['generate', 'task', 'send_reminders'], where: 'crud', stderr: /generate task needs a project with the jobs feature[\s\S]*add background-jobs/ },
  ];

  it.each(cases)('refuses $name with exit 2 and writes nothing', async ({ args, stderr, where }) => {
    const cwd = where === 'crud' ? crud : jobs;
    const before = snapshot(cwd);
    const result = await runCli(args, { cwd });
    expect(result.stderr).toMatch(stderr);
    expect(result.exitCode).toBe(2);
    expect(snapshot(cwd)).toEqual(before);
  });

  it('--dry-run shows the TASK_MODULES line and the router lines, and writes nothing', async () => {
    const dir = copyOf(jobs);
    const before = snapshot(dir);
    const result = await runCli(['generate', 'task', 'send_reminders', '--trigger', '--dry-run'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('+    "shop.send_reminders.tasks",');
    expect(result.stdout).toContain('+from shop.send_reminders.router import router as send_reminders_router');
    expect(result.stdout).toContain('+ src/shop/send_reminders/router.py');
    expect(snapshot(dir)).toEqual(before);
  });

  it('without a terminal and without --trigger, makes no endpoint; check and update stay clean', async () => {
    const dir = copyOf(jobs);
    const result = await runCli(['generate', 'task', 'nightly_cleanup'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'src/shop/nightly_cleanup/tasks.py'))).toBe(true);
    expect(existsSync(path.join(dir, 'src/shop/nightly_cleanup/router.py'))).toBe(false);
    expect(read(dir, 'src/shop/jobs/celery_app.py')).toContain('    "shop.nightly_cleanup.tasks",\n    # generate-task: task modules\n)');
    const manifest = JSON.parse(read(dir, '.roadmap-project.json'));
    expect(manifest.generated).toEqual([expect.objectContaining({ generator: 'task', name: 'nightly_cleanup', task: expect.objectContaining({ trigger: false }) })]);
    expect((await runCli(['check', '--strict'], { cwd: dir })).exitCode).toBe(0);
    const after = snapshot(dir);
    expect((await runCli(['update'], { cwd: dir })).exitCode).toBe(0);
    expect(snapshot(dir)).toEqual(after);
  });

  it('on a terminal, asks for the name and whether to add the API trigger', async () => {
    const dir = copyOf(jobs);
    const terminal = fakeTerminal({ cwd: dir, answers: ['send_reminders', true] });
    const report = await runGenerate(terminal.io, { kind: 'task', dryRun: false, yes: false, json: false }, loadCatalog());
    expect(terminal.asked.map((question) => [question.type, question.message])).toEqual([
      ['text', 'Task name (snake_case, e.g. send_reminders)'],
      ['confirm', 'Add an API endpoint that queues it (POST /api/v1/send-reminders)?'],
    ]);
    expect(terminal.asked[0]!.validate?.('Send')).toMatch(/snake_case/);
    expect(report.files.map((file) => file.path)).toContain('src/shop/send_reminders/router.py');
    expect(read(dir, 'src/shop/routes.py')).toContain('api_router.include_router(send_reminders_router)');
  });
});
