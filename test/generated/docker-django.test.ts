import { describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { describeContainerSuite } from '../helpers/container-suite.ts';
import { projectsAndTasksFlow } from '../helpers/crud-flow.ts';
import { createPostgresDatabase, generateProject } from '../helpers/python-project.ts';

/**
 * dockerized-app on `--framework django`: the project's gates and hadolint, the
 * compose file (`django-admin migrate` as the one-shot migrate service, SECRET_KEY
 * required), and the image built with podman: migrated against the machine's
 * PostgreSQL, serving the projects-and-tasks flow and the admin (its CSS collected
 * at build time, served by WhiteNoise) through gunicorn's threaded WSGI workers,
 * refusing a placeholder SECRET_KEY, stopped with SIGTERM; and its challenges, proved
 * with the Django reference solutions. The Dockerfile-only
 * checks (layer caching, sizes, Nginx, the test stage) run in dockerized-app.test.ts.
 */
describeContainerSuite({
  title: 'dockerized-app --framework django: the image, the compose stack and the container, for real',
  name: 'django-dock',
  generate: () => generateProject('django-dock', ['--milestone', 'dockerized-app', '--framework', 'django']),
  thorough: false,
  services: ['app', 'db', 'migrate'],
  secretKey: true,
  migrations: {
    command: ['django-admin', 'migrate', '--noinput'],
    applied: "select count(*) > 0 from django_migrations where app = 'tasks'",
    expected: 't',
  },
  mainFlow: async (baseUrl, database) => {
    await projectsAndTasksFlow(baseUrl, database);
    // The admin renders in production, with its static files from the image (DEBUG is off).
    const login = await fetch(`${baseUrl}/admin/login/`);
    expect(login.status).toBe(200);
    const page = await login.text();
    const stylesheet = /href="(\/static\/admin\/css\/base\.css)"/.exec(page)?.[1];
    expect(stylesheet, 'the login page links the admin stylesheet').toBeDefined();
    const css = await fetch(`${baseUrl}${stylesheet}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('body');
  },
  alsoOnProject: (project) => {
    describe('challenges', () => {
      // security-headers and version-endpoint in Django's words (settings, a middleware, a view).
      itProvesTheChallenges('dockerized-app', project, { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined }, 'django');
    });
  },
  alsoOnImage: (image) => {
    it('the image refuses to start Django with the placeholder SECRET_KEY (APP_ENV=production)', async (ctx) => {
      image.need(ctx);
      const database = await createPostgresDatabase();
      try {
        const env = { DATABASE_URL: database.url };
        const refused = await image.run({ env: { ...env, SECRET_KEY: 'change-me' }, command: ['django-admin', 'check'] });
        expect(refused.exitCode).not.toBe(0);
        expect(refused.output).toContain('SECRET_KEY must be a random value');
        const accepted = await image.run({ env: { ...env, SECRET_KEY: 'k'.repeat(48) }, command: ['django-admin', 'check'] });
        expect(accepted.exitCode, accepted.output).toBe(0);
      } finally {
        await database.drop();
      }
    });
  },
});
