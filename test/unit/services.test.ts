import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Catalog } from '../../src/catalog/catalog.ts';
import { FEATURES } from '../../src/catalog/features/index.ts';
import { loadRoadmap } from '../../src/catalog/roadmap.ts';
import { getService, resolveServices, SERVICES } from '../../src/catalog/services.ts';
import { TEMPLATES_DIR } from '../../src/paths.ts';
import { planFromAnswers } from '../../src/plan/plan-from-answers.ts';

/**
 * The service registry: features declare the servers they need, and compose,
 * both pipelines and the deploy targets render them from its data. `--db mysql`
 * is the proof: it arrives as a registry entry and template branches only.
 */
const catalog = new Catalog(loadRoadmap());

function plan(milestones: string[], options: Record<string, string>): Map<string, string> {
  const { files } = planFromAnswers(catalog, { name: 'Bookshop', milestones, options });
  return new Map(files.map((file) => [file.path, file.content.toString('utf8')]));
}

function yamlOf(files: Map<string, string>, file: string): Record<string, any> {
  const text = files.get(file);
  if (text === undefined) throw new Error(`no ${file} in the plan`);
  return parse(text) as Record<string, any>;
}

describe('the service registry', () => {
  it('has at most one database per project', () => {
    expect(resolveServices(['redis', 'postgres']).map((service) => service.id)).toEqual(['postgres', 'redis']);
    expect(() => resolveServices(['postgres', 'mysql'])).toThrow(/one database server/);
  });

  it('gives every database a scheme, a test isolation and a secret for compose', () => {
    for (const service of SERVICES.filter((candidate) => candidate.role === 'database')) {
      expect(service.scheme, service.id).toBeTruthy();
      expect(service.testIsolation, service.id).toBeTruthy();
      expect(service.compose.secret, service.id).toBeTruthy();
      expect(service.compose.name, service.id).toBe('db');
    }
  });

  it('is what the db option chooses: PostgreSQL for sqlite and postgres, MariaDB for mysql', () => {
    const db = FEATURES.find((feature) => feature.id === 'db');
    expect(db?.services?.({ db: 'sqlite' })).toEqual(['postgres']);
    expect(db?.services?.({ db: 'postgres' })).toEqual(['postgres']);
    expect(db?.services?.({ db: 'mysql' })).toEqual(['mysql']);
  });

  it('leaves no template outside the jobs feature testing the jobs feature by name', () => {
    const offenders = readdirSync(TEMPLATES_DIR, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
      .map((entry) => path.relative(TEMPLATES_DIR, path.join(entry.parentPath, entry.name)))
      .filter((file) => !file.startsWith('jobs/') && readFileSync(path.join(TEMPLATES_DIR, file), 'utf8').includes('features.jobs'));
    expect(offenders).toEqual([]);
  });
});

describe('--db mysql', () => {
  const mysql = getService('mysql');
  const files = plan(['cloud-deploy'], { db: 'mysql', ci: 'github', deploy: 'render', repository: 'octo-org/bookshop' });

  it('installs PyMySQL instead of psycopg', () => {
    const pyproject = files.get('pyproject.toml') ?? '';
    expect(pyproject).toContain('"pymysql~=');
    expect(pyproject).not.toContain('psycopg');
  });

  it('runs MariaDB in compose, with its health check, volume and secret', () => {
    const compose = yamlOf(files, 'compose.yaml');
    expect(compose['services'].db.image).toBe(mysql.image);
    expect(compose['services'].db.healthcheck.test).toEqual(['CMD', ...mysql.compose.healthCheck]);
    expect(compose['services'].db.volumes).toEqual(['mysql-data:/var/lib/mysql']);
    expect(compose['x-app'].environment.DATABASE_URL).toMatch(/^mysql\+pymysql:\/\/app:\$\{MYSQL_PASSWORD:\?/);
    expect(Object.keys(compose['volumes'])).toEqual(['mysql-data']);
    expect(files.get('.env.example')).toContain('\nMYSQL_PASSWORD=\n');
    expect(files.get('compose.yaml')).not.toMatch(/postgres/i);
  });

  it('gives the GitHub test job a mysql service container and its URLs', () => {
    const test = yamlOf(files, '.github/workflows/ci.yml')['jobs'].test;
    expect(Object.keys(test.services)).toEqual(['mysql']);
    expect(test.services.mysql.image).toBe(mysql.image);
    expect(test.services.mysql.ports).toEqual(['3306:3306']);
    expect(test.env.TEST_DATABASE_URL).toBe('mysql://root@localhost:3306/test');
  });

  it('gives the GitLab test job a mysql service and its URLs', () => {
    const gitlab = plan(['cloud-deploy'], { db: 'mysql', ci: 'gitlab', deploy: 'fly', repository: 'octo-org/bookshop' });
    const test = yamlOf(gitlab, '.gitlab-ci.yml')['test'];
    expect(test.services).toEqual([{ name: mysql.image, alias: 'mysql', variables: { MARIADB_DATABASE: 'test', MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1' } }]);
    expect(test.variables.TEST_DATABASE_URL).toBe('mysql://root@mysql:3306/test');
    expect(gitlab.get('README.md')).toContain('DATABASE_URL="mysql://user:password@host:3306/bookshop"');
  });

  it('asks Render for DATABASE_URL instead of creating a PostgreSQL database', () => {
    const blueprint = yamlOf(files, 'render.yaml');
    expect(blueprint['databases']).toBeUndefined();
    const web = blueprint['services'][0];
    expect(web.envVars).toContainEqual({ key: 'DATABASE_URL', sync: false });
    expect(files.get('README.md')).toContain('Render has no managed MariaDB');
  });

  it("gives Render's workers and beat the web service's DATABASE_URL", () => {
    const withJobs = plan(['cloud-deploy', 'background-jobs'], { db: 'mysql', ci: 'github', deploy: 'render', repository: 'octo-org/bookshop' });
    const services = yamlOf(withJobs, 'render.yaml')['services'] as { name: string; envVars?: { key: string }[] }[];
    const workers = services.filter((service) => service.name === 'bookshop-worker' || service.name === 'bookshop-beat');
    expect(workers).toHaveLength(2);
    for (const worker of workers) {
      expect(worker.envVars).toContainEqual({ key: 'DATABASE_URL', fromService: { type: 'web', name: 'bookshop', envVarKey: 'DATABASE_URL' } });
    }
    expect(withJobs.get('render.yaml')).not.toContain('fromDatabase');
  });

  it('keeps PostgreSQL everywhere for sqlite and postgres', () => {
    for (const db of ['sqlite', 'postgres']) {
      const other = plan(['cloud-deploy', 'background-jobs'], { db, ci: 'github', deploy: 'render', repository: 'octo-org/bookshop' });
      const compose = yamlOf(other, 'compose.yaml');
      expect(Object.keys(compose['services'])).toEqual(['db', 'redis', 'migrate', 'app', 'worker', 'beat', 'proxy']);
      expect(compose['services'].app.depends_on).toEqual({
        db: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
      const test = yamlOf(other, '.github/workflows/ci.yml')['jobs'].test;
      expect(Object.keys(test.services)).toEqual(['postgres', 'redis']);
      expect(other.get('pyproject.toml')).not.toContain('pymysql');
    }
  });
});
