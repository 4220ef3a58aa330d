import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forFramework } from '../../src/catalog/frameworks.ts';
import { FEATURES, type FeatureId } from '../../src/catalog/features/index.ts';
import { planMilestones, plannedText, type ProjectPlan } from '../helpers/plan-milestones.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { catalog } from '../helpers/template-tree.ts';

const plan = (milestones: string[], extraFeatures: FeatureId[] = [], options: Record<string, string> = {}): ProjectPlan =>
  planMilestones('Task Tracker', milestones, options, extraFeatures);

describe('the api, db and crud features compose the app from registry data', () => {
  it('crud-db is available and resolves to base, api, db, listing, transactions, crud in render order', () => {
    const milestone = catalog.milestone('crud-db');
    expect(milestone && catalog.isAvailable(milestone)).toBe(true);
    expect(plan(['crud-db']).features.map((feature) => feature.id)).toEqual(['base', 'api', 'db', 'listing', 'transactions', 'crud']);
  });

  it('routes.py imports every router, sorted, above the generator marker', () => {
    const routes = plannedText(plan(['crud-db']), 'src/task_tracker/routes.py');

    expect(routes).toContain(
      [
        'from task_tracker.projects.router import router as projects_router',
        'from task_tracker.tasks.router import router as tasks_router',
        '',
        '# generate-resource: router imports (above this line, in sorted order)',
      ].join('\n'),
    );
    expect(routes).toContain(
      'api_router.include_router(projects_router)\napi_router.include_router(tasks_router)\n# generate-resource: include routers',
    );
  });

  it('db/models.py re-exports Base and every model for Alembic', () => {
    const models = plannedText(plan(['crud-db']), 'src/task_tracker/db/models.py');

    expect(models).toContain(
      'from task_tracker.db.base import Base\nfrom task_tracker.projects.models import Project\nfrom task_tracker.tasks.models import Task\n',
    );
    expect(models).toContain('__all__ = [\n    "Base",\n    "Project",\n    "Task",\n    # generate-resource: model names\n]');
  });

  it('health.py runs the database checks (up, no migration pending) only when the project has a database', () => {
    const withDb = plannedText(plan(['crud-db']), 'src/task_tracker/health.py');
    const apiOnly = plannedText(plan([], ['api']), 'src/task_tracker/health.py');

    expect(withDb).toContain('from task_tracker.db.health import check_database, check_migrations');
    expect(withDb).toContain('CHECKS: dict[str, HealthCheck] = {\n    "database": check_database,\n    "migrations": check_migrations,\n}');
    expect(apiOnly).toContain('CHECKS: dict[str, HealthCheck] = {}');
    expect(apiOnly).not.toContain('task_tracker.db');
  });

  it('the db feature adds its settings, migrations to mypy, and its Makefile targets', () => {
    const result = plan(['crud-db']);

    expect(plannedText(result, 'src/task_tracker/settings.py')).toMatch(/^ {4}database_url: str = "sqlite:\/\/\/\.\/task_tracker\.db"$/m);
    expect(plannedText(result, 'pyproject.toml')).toContain('files = ["src", "tests", "migrations"]');
    expect(plannedText(result, 'Makefile')).toContain('migrate: ## Apply every pending database migration (alembic upgrade heads)');
    expect(plannedText(result, 'Makefile')).toContain('$(RUN) python -m task_tracker');
    // make run and make dev bring the development database up to date first.
    expect(plannedText(result, 'Makefile')).toMatch(/^run dev: migrate-if-development$/m);
    expect(plannedText(result, 'Makefile')).toContain('@$(RUN) python -m task_tracker.db.schema');
    expect(result.files.map((planned) => planned.path)).toContain('migrations/versions/0001_create_projects_and_tasks.py');
  });

  it('an api-only project has no database code at all', () => {
    const result = plan([], ['api']);
    const paths = result.files.map((planned) => planned.path);

    expect(paths.some((path) => path.includes('/db/') || path.startsWith('migrations/'))).toBe(false);
    expect(plannedText(result, 'src/task_tracker/main.py')).not.toMatch(/database|lifespan/i);
    expect(plannedText(result, 'tests/conftest.py')).not.toContain('database');
    expect(plannedText(result, 'pyproject.toml')).toContain('files = ["src", "tests"]');
  });

  it('--db postgres changes .env.example only, and the README that explains it', () => {
    const sqlite = plan(['crud-db']);
    const postgres = plan(['crud-db'], [], { db: 'postgres' });
    expect(postgres.files.map((planned) => planned.path)).toEqual(sqlite.files.map((planned) => planned.path));
    const differing = postgres.files
      .filter((planned, index) => !planned.content.equals(sqlite.files[index]!.content))
      .map((planned) => planned.path);

    expect(differing).toEqual(['.env.example', 'README.md']);
  });

  it('no registry entry names a router, health check or model twice', () => {
    for (const feature of FEATURES) {
      const names = [...(feature.routers ?? []), ...(feature.models ?? []), ...(feature.healthChecks ?? [])].map(
        (object) => `${object.module}:${object.name}`,
      );
      expect(new Set(names).size, feature.id).toBe(names.length);
    }
  });
});

describe('the auth feature composes through the same extension points', () => {
  it('rest-api-auth is available, resolves to base, api, db, listing, auth, and the default milestone stays python-foundations', () => {
    const milestone = catalog.milestone('rest-api-auth');
    expect(milestone && catalog.isAvailable(milestone)).toBe(true);
    expect(plan(['rest-api-auth']).features.map((feature) => feature.id)).toEqual(['base', 'api', 'db', 'listing', 'auth']);
    // The no-services default (DECISIONS.md): a web milestone becoming available does not change it.
    expect(catalog.defaultMilestone.id).toBe('python-foundations');
  });

  it('mounts the auth, users and notes routers and registers their models for Alembic', () => {
    const result = plan(['rest-api-auth']);

    expect(plannedText(result, 'src/task_tracker/routes.py')).toContain(
      [
        'from task_tracker.auth.router import router as auth_router',
        'from task_tracker.notes.router import router as notes_router',
        'from task_tracker.users.router import router as users_router',
      ].join('\n'),
    );
    expect(plannedText(result, 'src/task_tracker/db/models.py')).toContain(
      '__all__ = [\n    "AuthSession",\n    "Base",\n    "Note",\n    "RefreshToken",\n    "User",\n',
    );
  });

  it('adds its settings, environment variables, dependencies and its own migration branch', () => {
    const result = plan(['rest-api-auth']);

    expect(plannedText(result, 'src/task_tracker/settings.py')).toMatch(/^ {4}access_token_minutes: int = Field\(default=15, ge=1, le=60\)$/m);
    expect(plannedText(result, '.env.example')).toMatch(/^RATE_LIMIT_LOGIN_PER_ACCOUNT=5$/m);
    expect(plannedText(result, 'pyproject.toml')).toMatch(/^ {4}"pyjwt~=[\d.]+",$/m);
    expect(plannedText(result, 'pyproject.toml')).toMatch(/^ {4}"pwdlib\[argon2\]~=[\d.]+",$/m);
    expect(plannedText(result, 'Makefile')).toContain('python -m task_tracker.users.promote "$(email)"');
    const migration = plannedText(result, 'migrations/versions/auth_0001_create_users_sessions_and_notes.py');
    expect(migration).toContain('down_revision: str | Sequence[str] | None = None');
    expect(migration).toContain('branch_labels: str | Sequence[str] | None = ("auth",)');
  });

  it('combines with crud-db: every router and model once, both migration branches, one settings class', () => {
    const result = plan(['rest-api-auth', 'crud-db']);
    const routes = plannedText(result, 'src/task_tracker/routes.py');

    expect(result.features.map((feature) => feature.id)).toEqual(['base', 'api', 'db', 'listing', 'transactions', 'auth', 'crud']);
    for (const router of ['auth', 'notes', 'projects', 'tasks', 'users']) {
      expect(routes.split(`api_router.include_router(${router}_router)`)).toHaveLength(2);
    }
    const migrations = result.files.map((planned) => planned.path).filter((path) => path.startsWith('migrations/versions/'));
    expect(migrations).toEqual([
      'migrations/versions/.gitkeep',
      'migrations/versions/0001_create_projects_and_tasks.py',
      'migrations/versions/auth_0001_create_users_sessions_and_notes.py',
      'migrations/versions/auth_0002_random_session_ids.py',
    ]);
    expect(plannedText(result, 'src/task_tracker/settings.py').match(/^class Settings/gm)).toHaveLength(1);
  });
});

describe('the migration branches the README names are the ones the migrations declare', () => {
  it.each(FEATURES.filter((feature) => feature.migrationBranch).map((feature) => [feature.id, feature.migrationBranch] as const))(
    '%s: branch %s',
    (id, branch) => {
      // The Alembic migrations of the feature's SQLAlchemy folders (FastAPI's), wherever they sit.
      const feature = forFramework(FEATURES.find((candidate) => candidate.id === id)!, 'fastapi');
      const folders = feature.templateDirs({}, new Set()).map((dir) => path.join(REPO_ROOT, 'templates', dir, 'migrations', 'versions'));
      const labels = folders.filter((versions) => existsSync(versions)).flatMap((versions) =>
        readdirSync(versions).flatMap((file) =>
          [...readFileSync(path.join(versions, file), 'utf8').matchAll(/^branch_labels[^=]*=\s*\("([\w-]+)",\)/gm)].map((match) => match[1]),
        ),
      );
      expect(labels).toEqual([branch]);
    },
  );

  it('a README names a branch of its own project', () => {
    const readme = plannedText(plan(['background-jobs']), 'README.md');
    expect(readme).toContain('(here: jobs)');
    expect(readme).toContain('head=jobs@head');
    expect(readme).not.toContain('crud@head');
  });
});
