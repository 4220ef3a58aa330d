import type { Feature } from './feature.ts';

/**
 * SQLAlchemy 2 and Alembic: SQLite by default, PostgreSQL (psycopg 3) through
 * DATABASE_URL, a session per request, a health check that pings the database,
 * and tests on an isolated database. Owns no tables: features that do (crud,
 * auth...) list their models and ship their migrations.
 */
export const dbFeature: Feature = {
  id: 'db',
  title: 'SQLAlchemy 2 models and Alembic migrations on SQLite or PostgreSQL',
  requires: ['api'],
  dependencies: ['sqlalchemy', 'alembic'],
  devDependencies: [],
  templateDirs: () => ['db'],
  // The session per request, the 503 on an outage and the health checks are framework glue.
  frameworks: {
    fastapi: { templateDirs: ['db-http/fastapi'] },
    flask: { templateDirs: ['db-http/flask'] },
  },
  // The database server of compose, CI and tests: PostgreSQL (also behind --db sqlite, as in production) or MySQL.
  services: (options) => [options['db'] === 'mysql' ? 'mysql' : 'postgres'],
  readingPath: (options) => ({
    stops: [
      {
        file: 'src/{package}/db/database.py',
        why: `the engine and its sessions: SQLite or ${options['db'] === 'mysql' ? 'MySQL' : 'PostgreSQL'} from one URL`,
      },
    ],
    skip: [{ file: 'migrations/env.py', why: "Alembic's plumbing; the migrations in `migrations/versions/` are worth reading" }],
  }),
  extraSourceDirs: ['migrations'],
  healthChecks: [
    { key: 'database', module: 'db.health', name: 'check_database' },
    { key: 'migrations', module: 'db.health', name: 'check_migrations' },
  ],
  models: [{ module: 'db.base', name: 'Base' }],
  // `make run` applies pending migrations first in development (db/schema.py), so a
  // new project needs no separate migrate step; `make migrate` stays for other databases.
  nextSteps: () => [
    {
      stage: 'run',
      command: 'make run',
      why: 'serve the API on http://127.0.0.1:8000 (docs at /docs), applying pending migrations first',
    },
  ],
};
