import type { Feature } from './feature.ts';

/**
 * The container image and the compose stack around it. It needs a web app to
 * serve (`api`) and migrations to run (`db`); everything else it learns from
 * the render context (`features.jobs` adds Redis and a worker service).
 */
export const dockerFeature: Feature = {
  id: 'docker',
  title: 'A multi-stage container image with uv, a compose stack and an optional Nginx proxy',
  requires: ['api', 'db'],
  dependencies: ['gunicorn', 'uvicornWorker'],
  devDependencies: ['hadolint'],
  templateDirs: () => ['docker'],
  // FastAPI only so far: on another --framework, create and add refuse it (exit 2) instead of mixing frameworks.
  frameworks: { fastapi: {} },
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
