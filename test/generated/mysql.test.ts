import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubJobs, onThisMachine } from '../helpers/ci-pipeline.ts';
import { runCli } from '../helpers/cli.ts';
import { generateProject, itPassesTheStaticGates, mustRun, mysqlRows, runIn, STANDARD_GATES } from '../helpers/python-project.ts';
import { readTree } from '../helpers/project-tree.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { MYSQL, MYSQL_HINT, MYSQL_URL, REDIS, REDIS_URL, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

/**
 * The `test_` databases on the MariaDB server that were not there `before` a test
 * suite ran. Other test files run suites on this server at the same time, each in
 * a `test_` database of its own while it runs: those go within minutes; one the
 * suite left behind never goes.
 */
async function testDatabasesLeftSince(before: readonly string[]): Promise<string[]> {
  const appeared = async (): Promise<string[]> => (await mysqlRows("SHOW DATABASES LIKE 'test\\_%'")).filter((name) => !before.includes(name));
  const deadline = Date.now() + 180_000;
  let left = await appeared();
  while (left.length > 0 && Date.now() < deadline) {
    await setTimeout(2_000);
    left = await appeared();
  }
  return left;
}

/**
 * `--db mysql`, for real: the crud-db and rest-api-auth milestones in one
 * project (every table, migration and query of both), its own gates, its test
 * suite and its migrations on the machine's MariaDB.
 */
describe('--db mysql: crud-db + rest-api-auth on MariaDB through PyMySQL', () => {
  let dir = '';
  const database = `cprp_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('book-shelf', ['--milestone', 'crud-db,rest-api-auth', '--db', 'mysql']);
    await mustRun(dir, ['uv', 'sync']);
    if (MYSQL) await mysqlRows(`CREATE DATABASE ${database}`);
  });

  afterAll(async () => {
    if (MYSQL) await mysqlRows(`DROP DATABASE IF EXISTS ${database}`);
  });

  it('names MySQL where the project is set up, PyMySQL as its driver', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const tree = readTree(dir);
    expect(tree.get('pyproject.toml')).toMatch(/"pymysql~=[\d.]+"/);
    expect(tree.get('.env.example')).toMatch(/^TEST_DATABASE_URL=mysql:\/\/root@127\.0\.0\.1:3306\/book_shelf_test$/m);
    expect(tree.get('README.md')).toContain("mysql --user root --execute 'CREATE DATABASE book_shelf'");
  });

  // pytest runs on MariaDB (below); crud-db + rest-api-auth on SQLite is rest-api-auth.test.ts's
  // combined project.
  itPassesTheStaticGates(() => dir);

  it('pytest passes on MariaDB as the .env written at creation says, in a throwaway database it drops', async (ctx) => {
    requireOrSkip(ctx, 'MariaDB', MYSQL, MYSQL_HINT);
    const before = await mysqlRows("SHOW DATABASES LIKE 'test\\_%'");
    // TEST_DATABASE_URL comes from .env: mysql://root@127.0.0.1:3306/book_shelf_test, a database
    // nobody created; each run makes its own beside it.
    expect(readTree(dir).get('.env')).toMatch(/^TEST_DATABASE_URL=mysql:\/\/root@127\.0\.0\.1:3306\/book_shelf_test$/m);
    const output = await mustRun(dir, STANDARD_GATES[0]!.command, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined });
    expect(output).toMatch(/\d+ passed/);
    expect(output).not.toMatch(/\d+ skipped/);
    expect(await testDatabasesLeftSince(before)).toEqual([]);
  });

  it('alembic upgrade heads, check and downgrade base work on MariaDB', async (ctx) => {
    requireOrSkip(ctx, 'MariaDB', MYSQL, MYSQL_HINT);
    const env = { DATABASE_URL: `mysql://root@127.0.0.1:3306/${database}` };
    const tables = async (): Promise<string[]> => (await mysqlRows('SHOW TABLES', database)).sort();
    await mustRun(dir, ['uv', 'run', 'alembic', 'upgrade', 'heads'], env);
    expect(await tables()).toEqual(['alembic_version', 'auth_sessions', 'notes', 'projects', 'refresh_tokens', 'tasks', 'users']);
    // Timestamps keep their microseconds (DATETIME(6)), or rows written in one second would tie.
    expect(await mysqlRows("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_NAME = 'tasks' AND COLUMN_NAME = 'created_at'", database)).toEqual([
      'datetime(6)',
    ]);
    await mustRun(dir, ['uv', 'run', 'alembic', 'check'], env);
    await mustRun(dir, ['uv', 'run', 'alembic', 'downgrade', 'base'], env);
    expect(await tables()).toEqual(['alembic_version']);
  });

  // Last: it adds a resource to the project the tests above share.
  it('generate resource: sorting by an optional field works on MariaDB, which has no NULLS LAST', async (ctx) => {
    requireOrSkip(ctx, 'MariaDB', MYSQL, MYSQL_HINT);
    const generated = await runCli(['generate', 'resource', 'Entry', '--plural', 'entries', '--fields', 'title:str,written_on:date:optional'], { cwd: dir });
    expect(generated.exitCode, generated.stderr).toBe(0);
    const repository = readTree(dir).get('src/book_shelf/entries/repository.py') ?? '';
    expect(repository).toContain('Entry.written_on.is_(None).asc()');
    expect(repository).not.toContain('nulls_last');
    const output = await mustRun(dir, ['uv', 'run', '--locked', 'pytest', '-q', '-p', 'no:cacheprovider', '--no-cov', 'tests/entries'], {
      TEST_DATABASE_URL: undefined,
      DATABASE_URL: undefined,
    });
    expect(output).toMatch(/\d+ passed/);
    expect(output).not.toMatch(/failed|error/i);
  });
});

/**
 * background-jobs on MariaDB: the job ledger's "a key is unique unless its job
 * failed" rule (a generated column there, a partial index elsewhere), real
 * workers, and every migration up and down.
 */
describe('--db mysql: background-jobs on MariaDB', () => {
  let dir = '';
  const database = `cprp_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('job-board', ['--milestone', 'background-jobs', '--db', 'mysql']);
    await mustRun(dir, ['uv', 'sync']);
    if (MYSQL) await mysqlRows(`CREATE DATABASE ${database}`);
  });

  afterAll(async () => {
    if (MYSQL) await mysqlRows(`DROP DATABASE IF EXISTS ${database}`);
  });

  it('pytest passes on MariaDB, workers included', async (ctx) => {
    requireOrSkip(ctx, 'MariaDB', MYSQL, MYSQL_HINT);
    const env = { TEST_DATABASE_URL: MYSQL_URL, TEST_REDIS_URL: REDIS ? REDIS_URL : undefined };
    const output = await mustRun(dir, STANDARD_GATES[0]!.command, env);
    expect(output).toMatch(/\d+ passed/);
    expect(output).not.toMatch(/\d+ skipped/);
  });

  it('alembic upgrade heads, check and downgrade base work on MariaDB, with a failed key taken again', async (ctx) => {
    requireOrSkip(ctx, 'MariaDB', MYSQL, MYSQL_HINT);
    const env = { DATABASE_URL: `mysql://root@127.0.0.1:3306/${database}` };
    await mustRun(dir, ['uv', 'run', 'alembic', 'upgrade', 'heads'], env);
    await mustRun(dir, ['uv', 'run', 'alembic', 'check'], env);
    const insert = (id: string, status: string): Promise<string[]> =>
      mysqlRows(
        "INSERT INTO jobs (id, kind, status, params, idempotency_key, attempts, queued_at, created_at, updated_at)" +
          ` VALUES ('${id}', 'reports.build', '${status}', '{}', 'k', 0, NOW(6), NOW(6), NOW(6))`,
        database,
      );
    await insert('0'.repeat(32), 'failed');
    await insert('1'.repeat(32), 'pending');
    await expect(insert('2'.repeat(32), 'pending')).rejects.toThrow(/Duplicate entry 'k'/);
    // Down to base: the older failed job lets go of the key the newer one holds.
    await mustRun(dir, ['uv', 'run', 'alembic', 'downgrade', 'base'], env);
    expect(await mysqlRows('SHOW TABLES', database)).toEqual(['alembic_version']);
  });
});

/**
 * cloud-deploy with `--db mysql`: the GitHub pipeline's test job, its commands read
 * from the generated workflow, run here with the machine's MariaDB (a throwaway
 * database) standing in for the job's MariaDB service container.
 */
describe('--db mysql: the cloud-deploy pipeline tests on MariaDB', () => {
  let project = '';
  const database = `cprp_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    if (!UV) return;
    project = await generateProject('ship-it', ['--milestone', 'cloud-deploy', '--db', 'mysql', '--ci', 'github', '--deploy', 'render']);
    // The lock file a real repository commits.
    await mustRun(project, ['uv', 'lock']);
    if (MYSQL) await mysqlRows(`CREATE DATABASE ${database}`);
  });

  afterAll(async () => {
    if (MYSQL) await mysqlRows(`DROP DATABASE IF EXISTS ${database}`);
  });

  it("the test job's steps pass: migrations, alembic check and the suite with its coverage gate", async (ctx) => {
    requireOrSkip(ctx, 'MariaDB', MYSQL, MYSQL_HINT);
    const job = githubJobs(readFileSync(path.join(project, '.github/workflows/ci.yml'), 'utf8')).get('test')!;
    expect(job.services.map((service) => service.image)).toEqual([expect.stringMatching(/^mariadb:/)]);
    const summary = path.join(makeTempDir('cprp-ci'), 'step-summary.md');
    writeFileSync(summary, '');
    const ran: string[] = [];
    for (const step of job.steps) {
      const env = {
        ...onThisMachine(step.env, job.services, `mysql://root@127.0.0.1:3306/${database}`),
        GITHUB_STEP_SUMMARY: summary,
        UV_CACHE_DIR: undefined,
      };
      const result = await runIn(project, ['bash', '-eo', 'pipefail', '-c', step.script], env);
      expect(result.exitCode, `\`${step.script}\` failed:\n${result.output.slice(-6000)}`).toBe(0);
      ran.push(step.script);
    }
    expect(ran).toEqual(expect.arrayContaining(['uv run alembic upgrade heads', 'uv run alembic check']));
    expect(ran.some((script) => script.startsWith('uv run pytest'))).toBe(true);
    // The suite ran on MariaDB: the migrations it applied are in the throwaway database.
    expect(await mysqlRows('SHOW TABLES', database)).toContain('alembic_version');
    expect(readFileSync(summary, 'utf8')).toMatch(/TOTAL/);
  });
});

/**
 * `--framework django --db mysql`: the Django ORM on MariaDB, with PyMySQL answering
 * to the name of mysqlclient (`MySQLdb`), which Django's MySQL backend imports.
 * crud-db and rest-api-auth in one project: its gates, its whole test suite on
 * MariaDB (pytest-django's throwaway database, dropped after), and its migrations
 * and Django's MySQL system checks (strict mode) on a database of its own.
 */
describe('--db mysql --framework django: crud-db + rest-api-auth on MariaDB through PyMySQL', () => {
  let dir = '';
  const database = `cprp_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('django-shelf', ['--milestone', 'crud-db,rest-api-auth', '--framework', 'django', '--db', 'mysql']);
    await mustRun(dir, ['uv', 'sync']);
    if (MYSQL) await mysqlRows(`CREATE DATABASE ${database}`);
  });

  afterAll(async () => {
    if (MYSQL) await mysqlRows(`DROP DATABASE IF EXISTS ${database}`);
  });

  it('runs Django on PyMySQL (no compiled client library), utf8mb4 and strict mode, and .env points at MariaDB', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const tree = readTree(dir);
    expect(tree.get('pyproject.toml')).toMatch(/"pymysql~=1\.2"/);
    expect(tree.get('pyproject.toml')).not.toMatch(/mysqlclient|sqlalchemy/);
    const settings = tree.get('src/django_shelf/settings.py') ?? '';
    expect(settings).toContain('pymysql.install_as_MySQLdb()');
    expect(settings).toContain('"charset": "utf8mb4"');
    expect(settings).toContain("STRICT_TRANS_TABLES");
    expect(tree.get('.env')).toMatch(/^TEST_DATABASE_URL=mysql:\/\/root@127\.0\.0\.1:3306\/django_shelf_test$/m);
  });

  // pytest runs on MariaDB below; these gates do not touch a database.
  for (const gate of STANDARD_GATES.slice(1)) {
    it(`${gate.name} passes`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      await mustRun(dir, gate.command);
    });
  }

  it('pytest passes on MariaDB as the .env written at creation says, in a throwaway database it drops', async (ctx) => {
    requireOrSkip(ctx, 'MariaDB', MYSQL, MYSQL_HINT);
    const before = await mysqlRows("SHOW DATABASES LIKE 'test\\_%'");
    const output = await mustRun(dir, STANDARD_GATES[0]!.command, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined });
    expect(output).toMatch(/\d+ passed/);
    expect(output).not.toMatch(/\d+ skipped/);
    expect(await testDatabasesLeftSince(before)).toEqual([]);
  });

  it("manage.py migrate makes utf8mb4 tables with microsecond timestamps, and Django's MySQL checks pass", async (ctx) => {
    requireOrSkip(ctx, 'MariaDB', MYSQL, MYSQL_HINT);
    // SQLAlchemy's spelling, as compose and the deploy targets write it: Django drops the driver.
    const env = { DATABASE_URL: `mysql+pymysql://root@127.0.0.1:3306/${database}` };
    await mustRun(dir, ['uv', 'run', '--locked', 'python', 'manage.py', 'migrate', '--no-input'], env);
    expect(await mysqlRows('SHOW TABLES', database)).toEqual(
      expect.arrayContaining(['auth_sessions', 'django_migrations', 'notes', 'projects', 'refresh_tokens', 'tasks', 'users']),
    );
    const columns = "SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'notes'";
    expect(await mysqlRows(columns, database)).toEqual([expect.stringMatching(/^utf8mb4_/)]);
    expect(await mysqlRows("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'tasks' AND COLUMN_NAME = 'created_at'", database)).toEqual([
      'datetime(6)',
    ]);
    // mysql.W002 warns when the connection is not in strict mode.
    const checked = await mustRun(dir, ['uv', 'run', '--locked', 'python', 'manage.py', 'check', '--database', 'default'], env);
    expect(checked).toContain('System check identified no issues');
  });
});
