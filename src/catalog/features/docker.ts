import type { ProjectNames } from '../../render/project-names.ts';
import type { Feature } from './feature.ts';

/** gunicorn with the project's configuration module (bind address, workers, timeouts, logging). */
function gunicorn(project: ProjectNames): string[] {
  return ['gunicorn', '--config', `python:${project.packageName}.gunicorn_conf`];
}

/** The app factory's call, which gunicorn evaluates once per worker. */
function factoryServer(project: ProjectNames): readonly string[] {
  return [...gunicorn(project), `${project.packageName}.main:create_app()`];
}

/**
 * The container image and the compose stack around it. It needs a web app to
 * serve (`api`) and migrations to run (`db`); everything else it learns from
 * the render context (`features.jobs` adds Redis and a worker service).
 */
export const dockerFeature: Feature = {
  id: 'docker',
  title: 'A multi-stage container image with uv, a compose stack and an optional Nginx proxy',
  requires: ['api', 'db'],
  dependencies: ['gunicorn'],
  devDependencies: ['hadolint'],
  templateDirs: () => ['docker'],
  // The image, compose and the proxy are shared (`templates/docker/`); how gunicorn serves
  // the app is each framework's (`templates/docker-http/<framework>/`).
  frameworks: {
    // ASGI: uvicorn's event loop inside each gunicorn worker process.
    fastapi: { templateDirs: ['docker-http/fastapi'], dependencies: ['uvicornWorker'], serveCommand: factoryServer },
    // WSGI: gunicorn's own threaded workers (gthread).
    // PyYAML: the container challenges' tests read compose.yaml (uvicorn[standard] brings it on FastAPI).
    flask: { templateDirs: ['docker-http/flask'], devDependencies: ['pyyaml'], serveCommand: factoryServer },
    // WSGI too (wsgi.py): under ASGI, Django runs a process's synchronous views one at a time.
    // WhiteNoise serves the admin's static files, collected when the image is built.
    django: {
      templateDirs: ['docker-http/django'],
      dependencies: ['whitenoise'],
      serveCommand: (project) => [...gunicorn(project), `${project.packageName}.wsgi:application`],
      collectStatic: () => ['python', 'manage.py', 'collectstatic', '--noinput'],
    },
  },
  readingPath: () => ({
    stops: [
      { file: 'Dockerfile', why: 'the image in stages: built with uv, run as an unprivileged user' },
      { file: 'compose.yaml', why: 'the stack: the database, the migrations once, then the app' },
      { file: 'src/{package}/gunicorn_conf.py', why: 'how the container serves the app' },
    ],
    skip: [{ file: 'nginx/default.conf', why: 'the optional proxy in front (`--profile proxy`)' }],
  }),
  nextSteps: () => [
    {
      stage: 'ship',
      command: 'make docker-up',
      why: 'the whole stack in containers: PostgreSQL, the migrations, the app (needs Docker, and the secrets in .env: README, "Containers")',
    },
  ],
};
