import type { Feature } from './feature.ts';

/**
 * Background jobs with Celery 5: a job ledger in the database (status, result,
 * error, attempts), a sales-report job with retries and an idempotency key,
 * periodic tasks run by beat, and an embedded broker (files, nothing to
 * install) that Redis replaces when REDIS_URL is set.
 */
export const jobsFeature: Feature = {
  id: 'jobs',
  title: 'Background jobs with Celery workers, beat and a job ledger, on an embedded broker or Redis',
  requires: ['api', 'db'],
  dependencies: ['celery', 'redis'],
  devDependencies: ['celeryTypes'],
  templateDirs: () => ['jobs'],
  workerCommand: (project) => ['celery', '--app', `${project.packageName}.jobs.worker:celery_app`, 'worker', '--loglevel', 'INFO'],
  beatCommand: (project) => ['celery', '--app', `${project.packageName}.jobs.worker:celery_app`, 'beat', '--loglevel', 'INFO'],
  routers: [
    { module: 'jobs.router', name: 'router', alias: 'jobs_router' },
    { module: 'reports.router', name: 'router', alias: 'reports_router' },
  ],
  healthChecks: [{ key: 'broker', module: 'jobs.health', name: 'check_broker' }],
  models: [
    { module: 'jobs.models', name: 'Job' },
    { module: 'reports.models', name: 'Sale' },
    { module: 'reports.models', name: 'SalesReport' },
  ],
  nextSteps: () => [
    { stage: 'run', command: 'make worker', why: 'in a second terminal: the Celery worker that runs the queued jobs' },
    { stage: 'run', command: 'make beat', why: 'in a third terminal: Celery beat, which queues the periodic jobs' },
  ],
};
