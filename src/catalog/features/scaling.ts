import type { Feature, FrameworkVariant } from './feature.ts';

/** The plug-ins of the SQLAlchemy variants: the products router, the cache's health check, the model. */
const SQLALCHEMY_SCALING = {
  routers: [{ module: 'products.router', name: 'router', alias: 'products_router' }],
  healthChecks: [{ key: 'cache', module: 'cache.health', name: 'check_cache' }],
  models: [{ module: 'products.models', name: 'Product' }],
} as const satisfies FrameworkVariant;

/**
 * The scalable-service milestone's machinery on a read-heavy product catalog:
 * cache-aside on Redis (an in-process store when REDIS_URL is unset) with
 * versioned invalidation, stampede protection and hit/miss counters; Prometheus
 * metrics at /metrics with a scrape config and an error-budget alert; and
 * load balancing: the docker feature's compose stack runs three copies of the
 * app behind Nginx (`appReplicas`), each naming itself in `X-Served-By`.
 */
export const scalingFeature: Feature = {
  id: 'scaling',
  title: 'A product catalog served through a cache-aside cache on Redis or in process',
  // docker: the replicas and the load balancer are its compose stack and Nginx config.
  requires: ['api', 'db', 'listing', 'transactions', 'docker'],
  dependencies: ['redis', 'prometheusClient', 'opentelemetrySdk', 'opentelemetryOtlp'],
  devDependencies: ['locust', 'typesGevent', 'matplotlib'],
  // The locust file: outside the package (the app never imports locust), type-checked all the same.
  extraSourceDirs: ['loadtests'],
  templateDirs: () => [],
  frameworks: {
    // `templates/scaling/` is framework-free (the cache store and cache-aside, the load
    // test's bounds, runner and report, the locust file, Prometheus's files, the docs);
    // `templates/scaling-sqlalchemy/` is the products catalog on SQLAlchemy and Alembic
    // (models, repository, schemas, service, migration, seeding); the HTTP layer (routes,
    // middleware, health check) and its tests are each framework's
    // (`templates/scaling-http/<framework>/`). A framework without a variant is refused.
    fastapi: { ...SQLALCHEMY_SCALING, templateDirs: ['scaling', 'scaling-sqlalchemy', 'scaling-http/fastapi'] },
    flask: { ...SQLALCHEMY_SCALING, templateDirs: ['scaling', 'scaling-sqlalchemy', 'scaling-http/flask'] },
    // A Django app (`products`: model, migration, read-only admin, DRF views) over the shared
    // cache, which is built from Django's settings (`cache/current.py`); the metrics, tracing
    // and X-Served-By as Django middleware (outermost but for the request id's), and
    // `/metrics` mounted at the root beside `/health`.
    django: {
      templateDirs: ['scaling', 'django/scaling'],
      // pydantic: the shared cache-aside (de)serializes what it stores through a model.
      dependencies: ['pydantic'],
      djangoApps: ['products'],
      routers: [{ module: 'products.urls', name: 'urlpatterns', alias: 'products_urls' }],
      rootUrls: [{ module: 'observability', name: 'urlpatterns', alias: 'observability_urls' }],
      healthChecks: [{ key: 'cache', module: 'cache.health', name: 'check_cache' }],
      djangoMiddleware: ['observability.MetricsMiddleware', 'tracing.TracingMiddleware', 'served_by.ServedByMiddleware'],
    },
  },
  services: () => ['redis'],
  // Three, not two: with one copy restarting, the other two still share the load.
  appReplicas: 3,
  readingPath: () => ({
    // products/ has crud's layout (router, service, repository, models): its stops stand for projects/ and tasks/.
    replaces: ['crud'],
    stops: [
      { file: 'src/{package}/products/service.py', why: 'reads through the cache, writes that invalidate it' },
      { file: 'src/{package}/cache/aside.py', why: 'cache-aside: versioned keys, one loader per cold key, counters' },
      { file: 'src/{package}/cache/store.py', why: 'the same four operations on Redis and in process' },
      { file: 'tests/scaling/test_consistency.py', why: 'a write is never followed by a stale read, on real Redis' },
      { file: 'nginx/default.conf', why: 'the load balancer: round robin over the replicas, failed ones skipped, idempotent requests retried' },
      { file: 'loadtests/locustfile.py', why: 'the load test\'s traffic; `make load` runs it with the cache off, then on' },
    ],
  }),
  migrationBranch: 'scaling',
  installers: [
    { module: 'observability', name: 'install_observability' },
    { module: 'tracing', name: 'install_tracing' },
    { module: 'served_by', name: 'install_served_by' },
  ],
};
