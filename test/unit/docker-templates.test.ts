import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { baseFeature } from '../../src/catalog/features/base.ts';
import { dbFeature } from '../../src/catalog/features/db.ts';
import { dockerFeature } from '../../src/catalog/features/docker.ts';
import type { Feature } from '../../src/catalog/features/index.ts';
import { jobsFeature } from '../../src/catalog/features/jobs.ts';
import { loadRoadmap } from '../../src/catalog/roadmap.ts';
import { TEMPLATES_DIR } from '../../src/paths.ts';
import { buildRenderContext } from '../../src/render/context.ts';
import { COMPILE_OPTIONS, createRenderer } from '../../src/render/handlebars.ts';
import { buildProjectNames } from '../../src/render/project-names.ts';
import { planMilestones, plannedText } from '../helpers/plan-milestones.ts';

/**
 * The compose file's jobs branch (Redis, a worker and beat) renders from
 * registry data alone: the jobs feature's `workerCommand` and `beatCommand`
 * decide their commands. The generated-project tests run `docker-compose config`
 * on real combinations.
 */
const catalog = new Catalog(loadRoadmap());
const names = buildProjectNames('Ship Yard');

function render(template: string, features: readonly Feature[]): string {
  const context = buildRenderContext({
    catalog,
    answers: { name: 'Ship Yard', milestones: ['python-foundations'], options: {} },
    names,
    features,
    generatorVersion: '9.9.9',
  });
  const source = readFileSync(path.join(TEMPLATES_DIR, 'docker', template), 'utf8');
  return createRenderer().compile(source, COMPILE_OPTIONS)(context);
}

/** The lines of one top-level service block of the rendered compose file. */
function service(compose: string, name: string): string {
  const match = new RegExp(`^  ${name}:\\n((?:    .*\\n|\\n)*)`, 'm').exec(compose);
  if (!match?.[1]) throw new Error(`no service ${name} in:\n${compose}`);
  return match[1];
}

describe('compose.yaml', () => {
  it('without jobs: PostgreSQL, migrations and the app; no Redis, no worker', () => {
    const compose = render('compose.yaml.hbs', [baseFeature, dbFeature, dockerFeature]);
    expect(compose).not.toMatch(/redis|worker|beat/i);
    expect(service(compose, 'app')).toContain('condition: service_completed_successfully');
    expect(compose).toContain('image: ship-yard:latest');
    expect(compose).not.toMatch(/\n\n\n/);
  });

  it('with jobs: Redis with a volume and a health check, and the worker runs the registry command', () => {
    const compose = render('compose.yaml.hbs', [baseFeature, dbFeature, dockerFeature, jobsFeature]);
    const redis = service(compose, 'redis');
    expect(redis).toContain('- redis-data:/data');
    expect(redis).toContain('test: ["CMD", "redis-cli", "ping"]');
    const worker = service(compose, 'worker');
    expect(worker).toContain('command: ["celery", "--app", "ship_yard.jobs.worker:celery_app", "worker", "--loglevel", "INFO"]');
    expect(worker).toMatch(/redis:\n\s+condition: service_healthy/);
    expect(worker).toMatch(/migrate:\n\s+condition: service_completed_successfully/);
    expect(service(compose, 'app')).toMatch(/redis:\n\s+condition: service_healthy/);
    // One beat, a service of its own, so `--scale worker=N` never adds a second one.
    const beat = service(compose, 'beat');
    expect(beat).toContain('command: ["celery", "--app", "ship_yard.jobs.worker:celery_app", "beat", "--loglevel", "INFO"]');
    expect(beat).toMatch(/redis:\n\s+condition: service_healthy/);
    expect(beat).toMatch(/migrate:\n\s+condition: service_completed_successfully/);
    expect(compose.match(/"beat"/g)).toHaveLength(1);
    expect(worker).not.toContain('"beat"');
    expect(compose).toContain('JOBS_DATA_DIR: /tmp/jobs');
    expect(compose).toContain('REDIS_URL: redis://redis:6379/0');
    expect(compose).toMatch(/^volumes:\n  postgres-data:\n  redis-data:\n$/m);
    expect(compose).not.toMatch(/\n\n\n/);
  });
});

describe('the README section', () => {
  it('names the worker only when there are jobs', () => {
    expect(render('_slots/readme-sections.hbs', [baseFeature, dbFeature, dockerFeature])).not.toMatch(/Redis|worker\[|the worker/);
    const withJobs = render('_slots/readme-sections.hbs', [baseFeature, dbFeature, dockerFeature, jobsFeature]);
    expect(withJobs).toContain('PostgreSQL and Redis');
    expect(withJobs).toContain('worker[worker × N] --> redis');
    expect(withJobs).toContain('--scale worker=3');
  });
});

describe('the image and the stack per framework', () => {
  const files = (framework: string) => planMilestones('ship yard', ['dockerized-app'], { framework });

  it('FastAPI and Flask migrate with Alembic and serve the app factory; only the worker class differs', () => {
    for (const framework of ['fastapi', 'flask']) {
      const plan = files(framework);
      const dockerfile = plannedText(plan, 'Dockerfile');
      expect(dockerfile, framework).toContain('COPY migrations /app/migrations');
      expect(dockerfile, framework).toContain('"ship_yard.main:create_app()"]');
      expect(dockerfile, framework).not.toMatch(/django|collectstatic/i);
      expect(plannedText(plan, 'compose.yaml'), framework).toContain('command: ["alembic", "upgrade", "heads"]');
    }
    expect(plannedText(files('fastapi'), 'src/ship_yard/gunicorn_conf.py')).toContain('worker_class = "uvicorn_worker.UvicornWorker"');
    expect(plannedText(files('flask'), 'src/ship_yard/gunicorn_conf.py')).toContain('worker_class = "gthread"');
  });

  it('Django: collectstatic at build time, django-admin migrate, the WSGI app, no Alembic', () => {
    const plan = files('django');
    const dockerfile = plannedText(plan, 'Dockerfile');
    expect(dockerfile).toContain('django-admin collectstatic --noinput');
    expect(dockerfile).toContain('COPY --from=build /app/staticfiles /app/staticfiles');
    expect(dockerfile).toContain('DJANGO_SETTINGS_MODULE=ship_yard.settings');
    expect(dockerfile).toContain('"ship_yard.wsgi:application"]');
    expect(dockerfile).not.toContain('alembic');
    const compose = plannedText(plan, 'compose.yaml');
    expect(service(compose, 'migrate')).toContain('command: ["django-admin", "migrate", "--noinput"]');
    expect(compose).toContain('SECRET_KEY: ${SECRET_KEY:?');
    expect(compose).not.toContain('alembic');
    expect(plannedText(plan, 'src/ship_yard/settings.py')).toContain('"whitenoise.middleware.WhiteNoiseMiddleware"');
    expect(plannedText(plan, 'README.md')).not.toContain('alembic');
  });
});
