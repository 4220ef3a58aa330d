import { beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { COMPOSE_AVAILABLE, composeConfig, describeContainerSuite } from '../helpers/container-suite.ts';
import { projectsAndTasksFlow } from '../helpers/crud-flow.ts';
import { generateProject } from '../helpers/python-project.ts';
import { requireOrSkip } from '../helpers/requirements.ts';

/**
 * The standalone milestone (api, db, crud, docker), with every container check:
 * its projects-and-tasks flow served by gunicorn in the container and stored in
 * the machine's PostgreSQL, plus layer caching, sizes, Nginx and the test stage.
 */
describeContainerSuite({
  title: 'dockerized-app: the image, the compose stack and the container, for real',
  name: 'shipyard',
  generate: () => generateProject('shipyard', ['--milestone', 'dockerized-app']),
  thorough: true,
  services: ['app', 'db', 'migrate'],
  mainFlow: projectsAndTasksFlow,
  alsoOnProject: (project) => {
    describe('challenges', () => {
      itProvesTheChallenges('dockerized-app', project, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined });
    });
  },
});

/**
 * With background-jobs, the stack runs the jobs too: Redis, the workers and
 * exactly one beat, as Debian's docker-compose renders the file. (The project's
 * own gates for jobs with docker run in cloud-deploy.test.ts, on a superset.)
 */
describe('dockerized-app with background-jobs: compose runs Redis, the workers and one beat', () => {
  const secrets = { POSTGRES_PASSWORD: 'compose-config-password' };
  let dir = '';

  beforeAll(async () => {
    dir = await generateProject('dock-jobs', ['--milestone', 'background-jobs', '--milestone', 'dockerized-app']);
  });

  it('docker-compose config accepts compose.yaml: one beat, and workers and beat start after Redis and the migrations', async (ctx) => {
    requireOrSkip(ctx, 'docker-compose', COMPOSE_AVAILABLE, 'apt-get install docker-compose');
    const rendered = await composeConfig(dir, secrets);
    expect(rendered.exitCode, rendered.output).toBe(0);
    const services = rendered.config!.services;
    expect(Object.keys(services).sort()).toEqual(['app', 'beat', 'db', 'migrate', 'proxy', 'redis', 'worker']);
    const celery = ['celery', '--app', 'dock_jobs.jobs.worker:celery_app'];
    const beats = Object.entries(services).filter(([, service]) => (service['command'] ?? []).includes('beat'));
    expect(beats.map(([name]) => name)).toEqual(['beat']);
    expect(services['beat']!['command']).toEqual([...celery, 'beat', '--loglevel', 'INFO']);
    expect(services['worker']!['command']).toEqual([...celery, 'worker', '--loglevel', 'INFO']);
    for (const name of ['worker', 'beat']) {
      expect(services[name]!['depends_on'], name).toEqual({
        db: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
      // `docker compose up --scale worker=N` needs no fixed name and no published port.
      expect(services[name], name).not.toHaveProperty('container_name');
      expect(services[name], name).not.toHaveProperty('ports');
    }
    for (const name of ['app', 'worker', 'beat']) {
      expect(services[name]!['environment'], name).toMatchObject({
        REDIS_URL: 'redis://redis:6379/0',
        JOBS_DATA_DIR: '/tmp/jobs',
        DATABASE_URL: `postgresql+psycopg://app:${secrets.POSTGRES_PASSWORD}@db:5432/app`,
      });
    }
    expect(services['app']!['depends_on']).toMatchObject({ redis: { condition: 'service_healthy' } });
    expect(services['redis']!['healthcheck']).toMatchObject({ test: ['CMD', 'redis-cli', 'ping'] });
    expect(Object.keys(rendered.config!.volumes).sort()).toEqual(['postgres-data', 'redis-data']);
  });

  it('refuses to render without POSTGRES_PASSWORD', async (ctx) => {
    requireOrSkip(ctx, 'docker-compose', COMPOSE_AVAILABLE, 'apt-get install docker-compose');
    const result = await composeConfig(dir, { ...secrets, POSTGRES_PASSWORD: undefined });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('set POSTGRES_PASSWORD in .env');
  });
});
