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
