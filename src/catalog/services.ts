import type { PythonDependencyId } from './python-dependencies.ts';

/**
 * Every server a generated project can run beside itself. Features declare the
 * ones they need (`Feature.services`); the compose file, both CI pipelines and
 * the deploy targets loop over the declared services instead of testing
 * feature names, so a new service is one entry here plus the templates that
 * talk to it.
 */
export const SERVICE_IDS = ['postgres', 'mysql', 'redis'] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

/** An environment variable as `NAME: value` in YAML (the value written as is). */
export type EnvironmentEntry = readonly [name: string, value: string];

export interface Service {
  readonly id: ServiceId;
  /** The product's name, in prose: "PostgreSQL". */
  readonly title: string;
  /**
   * `database`: the server DATABASE_URL names, which the migrations run on (the
   * compose `migrate` service waits for it); at most one per project.
   * `backing`: any other server the app talks to (a broker, a cache).
   */
  readonly role: 'database' | 'backing';
  /** The container image compose and the CI jobs run (a tag of the official image). */
  readonly image: string;
  readonly port: number;
  /** The Python driver(s) the app needs to talk to it, as keys of the one version map. */
  readonly pythonDependencies: readonly PythonDependencyId[];
  /** How `compose.yaml` runs it. */
  readonly compose: {
    /** The compose service (and host) name: `db` for the database, whichever it is. */
    readonly name: string;
    /** The container's command, when the image's default is not enough. */
    readonly command?: readonly string[];
    readonly environment: readonly EnvironmentEntry[];
    /** The named volume that keeps its data, and where the image keeps it. */
    readonly volume: { readonly name: string; readonly path: string };
    /** The health check's argv (run with `CMD`, no shell). */
    readonly healthCheck: readonly string[];
    /** What every container of the project image gets to reach it. */
    readonly appEnvironment: readonly EnvironmentEntry[];
    /** The secret `.env` must set before compose starts it, if any. */
    readonly secret?: string;
  };
  /** How the CI pipelines' `test` job runs it (a service container, no password). */
  readonly ci: {
    readonly environment: readonly EnvironmentEntry[];
    /** The health check, as one shell command (GitHub's `--health-cmd`). */
    readonly healthCommand: string;
    /** The test job's variables; `{host}` is the service's host name (`localhost` on GitHub, its alias on GitLab). */
    readonly jobEnvironment: readonly EnvironmentEntry[];
  };
  /** What a test run makes on TEST_DATABASE_URL's server and drops at the end (databases only). */
  readonly testIsolation?: 'schema' | 'database';
  /** The URL scheme of its connection strings (`postgresql://`), databases only. */
  readonly scheme?: string;
  /** The database has no `NULLS LAST` (MySQL, MariaDB): generated orders put `IS NULL` first instead. */
  readonly noNullsLast?: true;
}

export const SERVICES: readonly Service[] = [
  {
    id: 'postgres',
    title: 'PostgreSQL',
    role: 'database',
    image: 'postgres:17-bookworm',
    port: 5432,
    pythonDependencies: ['psycopg'],
    compose: {
      name: 'db',
      environment: [
        ['POSTGRES_USER', 'app'],
        ['POSTGRES_DB', 'app'],
        ['POSTGRES_PASSWORD', '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}'],
      ],
      volume: { name: 'postgres-data', path: '/var/lib/postgresql/data' },
      healthCheck: ['pg_isready', '--username', 'app', '--dbname', 'app'],
      appEnvironment: [['DATABASE_URL', 'postgresql+psycopg://app:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@db:5432/app']],
      secret: 'POSTGRES_PASSWORD',
    },
    ci: {
      environment: [
        ['POSTGRES_DB', 'test'],
        ['POSTGRES_HOST_AUTH_METHOD', 'trust'],
      ],
      healthCommand: 'pg_isready --username postgres',
      jobEnvironment: [
        ['DATABASE_URL', 'postgresql://postgres@{host}:5432/test'],
        ['TEST_DATABASE_URL', 'postgresql://postgres@{host}:5432/test'],
      ],
    },
    testIsolation: 'schema',
    scheme: 'postgresql',
  },
  {
    // MariaDB, the MySQL fork Debian ships: the image the generated tests run
    // against is the one compose and CI run. MySQL 8 takes the same URLs.
    id: 'mysql',
    title: 'MariaDB',
    role: 'database',
    image: 'mariadb:11.4',
    port: 3306,
    pythonDependencies: ['pymysql'],
    compose: {
      name: 'db',
      environment: [
        ['MARIADB_USER', 'app'],
        ['MARIADB_DATABASE', 'app'],
        ['MARIADB_PASSWORD', '${MYSQL_PASSWORD:?set MYSQL_PASSWORD in .env}'],
        ['MARIADB_RANDOM_ROOT_PASSWORD', '"1"'],
      ],
      volume: { name: 'mysql-data', path: '/var/lib/mysql' },
      healthCheck: ['healthcheck.sh', '--connect', '--innodb_initialized'],
      appEnvironment: [['DATABASE_URL', 'mysql+pymysql://app:${MYSQL_PASSWORD:?set MYSQL_PASSWORD in .env}@db:3306/app']],
      secret: 'MYSQL_PASSWORD',
    },
    ci: {
      environment: [
        ['MARIADB_DATABASE', 'test'],
        ['MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', '"1"'],
      ],
      healthCommand: 'healthcheck.sh --connect --innodb_initialized',
      jobEnvironment: [
        ['DATABASE_URL', 'mysql://root@{host}:3306/test'],
        ['TEST_DATABASE_URL', 'mysql://root@{host}:3306/test'],
      ],
    },
    testIsolation: 'database',
    noNullsLast: true,
    scheme: 'mysql',
  },
  {
    id: 'redis',
    title: 'Redis',
    role: 'backing',
    image: 'redis:7-bookworm',
    port: 6379,
    pythonDependencies: [],
    compose: {
      name: 'redis',
      command: ['redis-server', '--appendonly', 'yes'],
      environment: [],
      volume: { name: 'redis-data', path: '/data' },
      healthCheck: ['redis-cli', 'ping'],
      appEnvironment: [['REDIS_URL', 'redis://redis:6379/0']],
    },
    ci: {
      environment: [],
      healthCommand: 'redis-cli ping',
      jobEnvironment: [['REDIS_URL', 'redis://{host}:6379/0']],
    },
  },
];

const byId = new Map<ServiceId, Service>(SERVICES.map((service) => [service.id, service]));

export function getService(id: ServiceId): Service {
  const service = byId.get(id);
  if (!service) throw new Error(`Service "${id}" is not in the registry.`);
  return service;
}

/** The services a set of declarations names, once each, in registry order (the database first). */
export function resolveServices(declared: Iterable<ServiceId>): Service[] {
  const wanted = new Set(declared);
  const services = SERVICES.filter((service) => wanted.has(service.id));
  const databases = services.filter((service) => service.role === 'database');
  if (databases.length > 1) {
    throw new Error(`A project has one database server; the features ask for ${databases.map((service) => service.id).join(' and ')}.`);
  }
  return services;
}
