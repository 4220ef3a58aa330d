import type { Feature, FrameworkVariant } from './feature.ts';

/** The FastAPI and Flask variants' plug-ins: SQLAlchemy models, routers and the health check. */
const SQLALCHEMY_JOBS = {
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
} as const satisfies FrameworkVariant;

const DJANGO_READING_PATH = {
  stops: [
    { file: 'src/{package}/reports/views.py', why: '`POST /reports` answers 202 and a `Location` to poll' },
    { file: 'src/{package}/jobs/services.py', why: 'a job saved, then its id published on commit; idempotency keys' },
    { file: 'src/{package}/reports/tasks.py', why: 'the `@shared_task` a worker runs' },
    { file: 'src/{package}/jobs/execution.py', why: '`run_job`: the ledger around the work, retries with backoff' },
    { file: 'src/{package}/jobs/ledger.py', why: "the only code that changes a job's status" },
    { file: 'src/{package}/reports/builder.py', why: 'the report itself: one `GROUP BY` query through the ORM' },
    { file: 'tests/jobs/test_worker.py', why: 'a real worker through a real broker, and each failure path' },
  ],
  skip: [
    { file: 'src/{package}/jobs/embedded_broker.py', why: 'the no-install broker for a laptop; Redis replaces it in production' },
    { file: 'src/{package}/celery.py', why: "the Celery app from Django's settings, beat's schedule, request ids in a job's log lines" },
    { file: 'src/{package}/jobs/sweeper.py', why: 'jobs whose worker died or whose message was lost, run again or failed' },
  ],
};

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
  templateDirs: () => [],
  frameworks: {
    // The ledger, the Celery app, the tasks, the services and their tests (`templates/jobs/`)
    // are shared; the routes, the health check and the HTTP tests are each framework's
    // (`templates/jobs-http/<framework>/`). A framework without a variant is refused.
    fastapi: { ...SQLALCHEMY_JOBS, templateDirs: ['jobs', 'jobs-broker', 'jobs-http/fastapi'] },
    flask: { ...SQLALCHEMY_JOBS, templateDirs: ['jobs', 'jobs-broker', 'jobs-http/flask'] },
    // Django apps (`jobs`, `reports`): the ledger as a model with its migration and admin,
    // `@shared_task`s found by autodiscovery, Celery configured from Django's settings
    // (`<package>/celery.py`), DRF views. Only the embedded broker (`jobs-broker`) is shared.
    django: {
      templateDirs: ['jobs-broker', 'django/jobs'],
      dependencies: ['sqlalchemy'],
      djangoApps: ['jobs', 'reports'],
      routers: [
        { module: 'jobs.urls', name: 'urlpatterns', alias: 'jobs_urls' },
        { module: 'reports.urls', name: 'urlpatterns', alias: 'reports_urls' },
      ],
      healthChecks: [{ key: 'broker', module: 'jobs.health', name: 'check_broker' }],
      workerCommand: (project) => ['celery', '--app', `${project.packageName}.celery:app`, 'worker', '--loglevel', 'INFO'],
      beatCommand: (project) => ['celery', '--app', `${project.packageName}.celery:app`, 'beat', '--loglevel', 'INFO'],
    },
  },
  services: () => ['redis'],
  readingPath: (options) =>
    options['framework'] === 'django'
      ? DJANGO_READING_PATH
      : {
    stops: [
      { file: 'src/{package}/reports/router.py', why: '`POST /reports` answers 202 and a `Location` to poll' },
      { file: 'src/{package}/jobs/service.py', why: 'a job committed, then its id published; idempotency keys' },
      { file: 'src/{package}/reports/tasks.py', why: 'the Celery task a worker runs' },
      { file: 'src/{package}/jobs/execution.py', why: '`run_job`: the ledger around the work, retries with backoff' },
      { file: 'src/{package}/jobs/ledger.py', why: "the only code that changes a job's status" },
      { file: 'src/{package}/reports/builder.py', why: 'the report itself: one `GROUP BY` query' },
      { file: 'tests/jobs/test_worker.py', why: 'a real worker through a real broker, and each failure path' },
    ],
    skip: [
      { file: 'src/{package}/jobs/embedded_broker.py', why: 'the no-install broker for a laptop; Redis replaces it in production' },
      { file: 'src/{package}/jobs/celery_app.py', why: "Celery's configuration, beat's schedule and scheduler, the time limits" },
      { file: 'src/{package}/jobs/supervision.py', why: "what the worker's main process records when a job's process dies" },
      { file: 'src/{package}/jobs/sweeper.py', why: 'jobs whose worker died or whose message was lost, run again or failed' },
    ],
        },
  migrationBranch: 'jobs',
  workerCommand: (project) => ['celery', '--app', `${project.packageName}.jobs.worker:celery_app`, 'worker', '--loglevel', 'INFO'],
  beatCommand: (project) => ['celery', '--app', `${project.packageName}.jobs.worker:celery_app`, 'beat', '--loglevel', 'INFO'],
  nextSteps: () => [
    { stage: 'run', command: 'make worker', why: 'in a second terminal: the Celery worker that runs the queued jobs' },
    { stage: 'run', command: 'make beat', why: 'in a third terminal: Celery beat, which queues the periodic jobs' },
  ],
};
