import type { Feature } from './feature.ts';

/**
 * A versioned REST API: app factory, settings, health, one error body, CORS,
 * OpenAPI docs. Everything framework-specific is a variant (`frameworks`):
 * Django or Flask joins FastAPI as a sibling folder (`templates/api/<framework>/`),
 * a variant here and a new choice of the `framework` option.
 */
export const apiFeature: Feature = {
  id: 'api',
  title: 'A versioned REST API with FastAPI',
  requires: ['base'],
  dependencies: [],
  devDependencies: [],
  // validation.py holds the rules of text that reaches the database (no NUL for
  // PostgreSQL, ISO dates) as pydantic types, which FastAPI and Flask (APIFlask) both
  // validate with: only a project with a database has a use for it. Django has its own.
  // api/logging is framework-free (the request id's rules and context variable, the JSON
  // log lines): every framework's glue sets the id, so the three cannot drift apart.
  templateDirs: (options, features) => [
    'api/logging',
    ...(features.has('db') && ['fastapi', 'flask'].includes(options['framework'] ?? 'fastapi') ? ['api/pydantic-validation'] : []),
  ],
  frameworks: {
    fastapi: {
      templateDirs: ['api/fastapi'],
      dependencies: ['fastapi', 'uvicorn', 'pydantic', 'pydanticSettings'],
      devDependencies: ['httpx2'],
      runCommand: (project) => `$(RUN) python -m ${project.packageName}`,
    },
    django: {
      templateDirs: ['api/django'],
      // Django signs sessions and CSRF tokens (the admin uses both) with SECRET_KEY.
      usesSecretKey: true,
      dependencies: ['django', 'djangorestframework', 'drfSpectacular', 'djDatabaseUrl', 'djangoStubsExt', 'uvicorn'],
      devDependencies: ['djangoStubs', 'djangorestframeworkStubs', 'pytestDjango'],
      runCommand: (project) => `$(RUN) python -m ${project.packageName}`,
    },
    // Flask 3 with APIFlask: the pydantic models that validate a request also write its OpenAPI document.
    flask: {
      templateDirs: ['api/flask'],
      dependencies: ['flask', 'apiflask', 'gunicorn', 'pydantic', 'pydanticSettings'],
      runCommand: (project) => `$(RUN) python -m ${project.packageName}`,
    },
  },
  readingPath: (options) =>
    options['framework'] === 'django'
      ? {
          stops: [
            { file: 'src/{package}/settings.py', why: 'every setting, read from the environment; the apps the project is made of' },
            { file: 'src/{package}/urls.py', why: 'every URL: health, the apps under `/api/v1`, the admin' },
          ],
          skip: [{ file: 'src/{package}/errors.py', why: 'how every failure becomes the one error body' }],
        }
      : {
    stops: [
      { file: 'src/{package}/main.py', why: '`create_app()`, where everything the app is made of is wired together' },
      { file: 'src/{package}/routes.py', why: 'every router, mounted under `/api/v1`' },
    ],
    skip: [{ file: 'src/{package}/errors.py', why: 'the error handlers and the OpenAPI documentation of each error code' }],
        },
  nextSteps: ({ options }) =>
    options['framework'] === 'django'
      ? [
          { stage: 'run', command: 'make run', why: 'serve the API on http://127.0.0.1:8000 (schema at /openapi.json, admin at /admin/)' },
          { stage: 'try', command: 'make admin', why: 'create an account for the Django admin' },
        ]
      : [
          { stage: 'run', command: 'make run', why: 'serve the API on http://127.0.0.1:8000 (interactive docs at /docs)' },
          { stage: 'try', command: 'make fuzz', why: 'while it runs, in another terminal: fuzz every endpoint against its OpenAPI schema' },
        ],
};
