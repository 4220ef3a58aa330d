import type { Feature, FrameworkVariant, MigrationCommands } from './feature.ts';

/**
 * Alembic: `heads`, because every feature ships its migrations as a branch of its own;
 * `alembic check` compares the models' metadata with the migrated database.
 */
const ALEMBIC: MigrationCommands = {
  tool: 'alembic',
  apply: ['alembic', 'upgrade', 'heads'],
  applyFromSource: ['alembic', 'upgrade', 'heads'],
  check: ['alembic', 'check'],
  undo: ['alembic', 'downgrade', '<revision>'],
};

/**
 * Django's own migrations. In the image `django-admin` finds the settings through
 * DJANGO_SETTINGS_MODULE (the Dockerfile sets it); a checkout has `manage.py`, which
 * sets it. `makemigrations --check --dry-run` fails when a model changed without a
 * migration, and writes nothing.
 */
const DJANGO_MIGRATIONS: MigrationCommands = {
  tool: 'django',
  apply: ['django-admin', 'migrate', '--noinput'],
  applyFromSource: ['python', 'manage.py', 'migrate', '--noinput'],
  check: ['python', 'manage.py', 'makemigrations', '--check', '--dry-run'],
  undo: ['django-admin', 'migrate', '<app>', '<migration>'],
};

/**
 * SQLAlchemy 2 and Alembic: SQLite by default, PostgreSQL (psycopg 3) through
 * DATABASE_URL, a session per request, a health check that pings the database,
 * and tests on an isolated database. Owns no tables: features that do (crud,
 * auth...) list their models and ship their migrations.
 */
const SQLALCHEMY = {
  dependencies: ['sqlalchemy', 'alembic'],
  extraSourceDirs: ['migrations'],
  healthChecks: [
    { key: 'database', module: 'db.health', name: 'check_database' },
    { key: 'migrations', module: 'db.health', name: 'check_migrations' },
  ],
  models: [{ module: 'db.base', name: 'Base' }],
  migrations: () => ALEMBIC,
} as const satisfies FrameworkVariant;

export const dbFeature: Feature = {
  id: 'db',
  title: 'SQLAlchemy 2 models and Alembic migrations on SQLite or PostgreSQL',
  requires: ['api'],
  dependencies: [],
  devDependencies: [],
  // What every framework shares: the .gitignore lines for the local SQLite database files.
  templateDirs: () => ['db-local'],
  // The database server of compose, CI and tests: PostgreSQL (also behind --db sqlite, as in production) or MySQL.
  services: (options) => [options['db'] === 'mysql' ? 'mysql' : 'postgres'],
  readingPath: (options) =>
    options['framework'] === 'django'
      ? { stops: [{ file: 'src/{package}/db/health.py', why: 'is the database reachable, and are its migrations applied?' }] }
      : {
    stops: [
      {
        file: 'src/{package}/db/database.py',
        why: `the engine and its sessions: SQLite or ${options['db'] === 'mysql' ? 'MySQL' : 'PostgreSQL'} from one URL`,
      },
    ],
    skip: [{ file: 'migrations/env.py', why: "Alembic's plumbing; the migrations in `migrations/versions/` are worth reading" }],
        },
  frameworks: {
    // SQLAlchemy and Alembic (`templates/db/`), with each framework's glue (the session per
    // request, the 503 on an outage, the health checks) in `templates/db-http/<framework>/`.
    fastapi: { ...SQLALCHEMY, templateDirs: ['db', 'db-http/fastapi'] },
    flask: { ...SQLALCHEMY, templateDirs: ['db', 'db-http/flask'] },
    // The Django ORM and Django's own migrations (each app's `migrations/` package) replace
    // SQLAlchemy and Alembic; DATABASE_URL is read by dj-database-url.
    django: {
      templateDirs: ['django/db'],
      migrations: () => DJANGO_MIGRATIONS,
      healthChecks: [
        { key: 'database', module: 'db.health', name: 'check_database' },
        { key: 'migrations', module: 'db.health', name: 'check_migrations' },
      ],
    },
  },
  // `make run` applies pending migrations first in development (db/schema.py), so a
  // new project needs no separate migrate step; `make migrate` stays for other databases.
  nextSteps: ({ options }) => [
    {
      stage: 'run',
      command: 'make run',
      why: `serve the API on http://127.0.0.1:8000 (${options['framework'] === 'django' ? 'schema at /openapi.json' : 'docs at /docs'}), applying pending migrations first`,
    },
  ],
};
