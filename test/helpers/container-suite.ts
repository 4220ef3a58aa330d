import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it, type TestFunction } from 'vitest';
import { createPostgresDatabase, freePort, httpReady, mustRun, psqlRows, runIn, STANDARD_GATES } from './python-project.ts';
import { ensureFixtureImages, imageSize, mustPodman, podman, podmanUsable, PodmanSession } from './podman.ts';
import { findExecutable } from '../../src/apply/post-steps.ts';
import { hasExecutable, POSTGRES, POSTGRES_HINT, requireOrSkip, UV, UV_HINT } from './requirements.ts';

/**
 * The whole story of a project with the `docker` feature, for one milestone
 * combination: its own gates, hadolint, `docker-compose config`, and with podman
 * the image built from a local base, migrated, run on the host network against
 * the machine's PostgreSQL, probed, and stopped with SIGTERM.
 */
export interface ContainerSuite {
  /** The describe title. */
  readonly title: string;
  /** The project name, also used to name its images. */
  readonly name: string;
  /** Generates the project (with the built CLI) and returns its directory; `uv sync` follows. */
  readonly generate: () => Promise<string>;
  /**
   * Also run the slower checks that depend on the Dockerfile alone, not on the
   * milestones (layer caching, image sizes, the Nginx config, the test stage);
   * one suite registers them, the combinations leave them out (not skipped:
   * a run's report shows no skipped test that did not lack a tool).
   */
  readonly thorough: boolean;
  /** The services compose starts without a profile (the proxy profile adds `proxy`). */
  readonly services: readonly string[];
  /**
   * The milestone's main flow against the running container, whose database
   * (migrated, on the machine's PostgreSQL) is given; throws (via expect) when it breaks.
   */
  readonly mainFlow: (baseUrl: string, database: { readonly name: string; readonly url: string }) => Promise<void>;
  /** More checks on the generated, synced project (the milestone's challenges, say), registered after the gates. */
  readonly alsoOnProject?: (project: () => string) => void;
  /**
   * How the image migrates a database, and a query (psql, one row) that shows it did:
   * Alembic by default; Django's `django-admin migrate` on the Django path.
   */
  readonly migrations?: { readonly command: readonly string[]; readonly applied: string; readonly expected: string };
  /** The project has a SECRET_KEY (Django, auth): compose requires it, the containers get one. */
  readonly secretKey?: boolean;
  /** More checks on the built image (one-off containers), registered after the main flow. */
  readonly alsoOnImage?: (image: BuiltImage) => void;
}

/** The suite's built image, for checks a milestone or framework adds. */
export interface BuiltImage {
  /** Skips (or, with CI=true, fails) the test when podman, uv or PostgreSQL is missing. */
  need(ctx: { skip(note?: string): void }): void;
  /** Runs a one-off container of the image on the host network, removed when it exits. */
  run(options: { env?: Record<string, string>; command?: readonly string[] }): Promise<{ exitCode: number; output: string }>;
  /** Starts a container of the image in the background (`podman run --detach` with extra flags); its name. */
  start(options: { env?: Record<string, string>; flags?: readonly string[]; command?: readonly string[] }): Promise<string>;
}

const ALEMBIC = { command: ['alembic', 'upgrade', 'heads'], applied: 'select count(*) from alembic_version', expected: '1' } as const;
/** A random-looking key of the length production demands; the container tests sign nothing with it. */
const CONTAINER_SECRET_KEY = 'container-test-secret-key-0123456789abcdefghijklmnop';

const PODMAN = podmanUsable();
const COMPOSE = hasExecutable('docker-compose');
const YAML_TO_JSON = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))';

/**
 * Debian's docker-compose is a Python program that depends on PyYAML, so its
 * own interpreter (from its #! line) can turn `config`'s YAML into JSON.
 */
function composePython(): string {
  const compose = findExecutable('docker-compose');
  const shebang = compose ? /^#!\s*(\S+)/.exec(readFileSync(compose, 'utf8').slice(0, 200)) : null;
  return shebang?.[1] ?? 'python3';
}

/**
 * `docker-compose config` of the project's compose.yaml with the given environment,
 * and the rendered stack as data when compose accepted it (merge keys resolved).
 */
export async function composeConfig(
  dir: string,
  env: Record<string, string | undefined>,
): Promise<{ exitCode: number; output: string; config?: { services: Record<string, Record<string, any>>; volumes: Record<string, unknown> } }> {
  const rendered = await runIn(dir, ['docker-compose', '--file', 'compose.yaml', 'config'], env);
  if (rendered.exitCode !== 0) return rendered;
  const json = await execa(composePython(), ['-c', YAML_TO_JSON], { input: rendered.output });
  return { ...rendered, config: JSON.parse(String(json.stdout)) };
}

export const COMPOSE_AVAILABLE = COMPOSE;

const PODMAN_HINT = 'as root: apt-get install podman runc debootstrap (see .ci/run)';

/** The machine's PostgreSQL as the db feature's SQLAlchemy URL (psycopg 3 driver). */
function sqlalchemyUrl(url: string): string {
  return url.replace(/^postgresql:\/\//, 'postgresql+psycopg://');
}

/** The first file under src/<package>/, to simulate a code change. */
function aSourceFile(dir: string): string {
  const src = path.join(dir, 'src');
  const [pkg] = readdirSync(src);
  if (!pkg) throw new Error(`no package under ${src}`);
  return path.join(src, pkg, '__init__.py');
}

export function describeContainerSuite(suite: ContainerSuite): void {
  const migrations = suite.migrations ?? ALEMBIC;
  /** What every container of the image is given besides its own variables: the secret key, when the project has one. */
  const secretEnv: Record<string, string> = suite.secretKey ? { SECRET_KEY: CONTAINER_SECRET_KEY } : {};
  describe(suite.title, () => {
    let dir = '';

    beforeAll(async () => {
      if (!UV) return;
      dir = await suite.generate();
      await mustRun(dir, ['uv', 'sync']);
    });

    for (const gate of STANDARD_GATES) {
      it(`${gate.name} passes`, async (ctx) => {
        requireOrSkip(ctx, 'uv', UV, UV_HINT);
        await mustRun(dir, gate.command);
      });
    }

    suite.alsoOnProject?.(() => dir);

    it('hadolint (from PyPI, a dev dependency) finds nothing in the Dockerfile', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      // No threshold: not even an info or style finding is accepted.
      const result = await runIn(dir, ['uv', 'run', '--locked', 'hadolint', '--no-color', 'Dockerfile']);
      expect(result.output.trim()).toBe('');
      expect(result.exitCode).toBe(0);
    });

    it('make lint runs hadolint too', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
      const output = await mustRun(dir, ['make', 'lint']);
      expect(output).toContain('hadolint Dockerfile');
    });

    describe("Debian's docker-compose accepts the compose file", () => {
      // A project without a secret key (no accounts, not Django) needs only the database's password.
      const secrets: Record<string, string> = { POSTGRES_PASSWORD: 'compose-config-password', ...secretEnv };
      const compose = (args: readonly string[], env: Record<string, string | undefined>) =>
        runIn(dir, ['docker-compose', '--file', 'compose.yaml', ...args], env);

      it('with the required secrets set, `config` renders the stack', async (ctx) => {
        requireOrSkip(ctx, 'docker-compose', COMPOSE, 'apt-get install docker-compose');
        requireOrSkip(ctx, 'uv', UV, UV_HINT);
        const rendered = await composeConfig(dir, secrets);
        expect(rendered.exitCode, rendered.output).toBe(0);
        const config = rendered.config!;
        const { app, migrate, db, proxy } = config.services;
        // Version 1.x lists profiled services too; the profile decides what `up` starts.
        expect(Object.keys(config.services).sort()).toEqual([...suite.services, 'proxy'].sort());
        expect(migrate?.['command']).toEqual(migrations.command);
        expect(app?.['depends_on']).toMatchObject({
          db: { condition: 'service_healthy' },
          migrate: { condition: 'service_completed_successfully' },
        });
        expect(db?.['healthcheck']).toMatchObject({ test: expect.arrayContaining(['pg_isready']) });
        expect(app?.['environment']).toMatchObject({
          DATABASE_URL: `postgresql+psycopg://app:${secrets.POSTGRES_PASSWORD}@db:5432/app`,
        });
        if (suite.secretKey) expect(app?.['environment']).toMatchObject({ SECRET_KEY: CONTAINER_SECRET_KEY });
        else expect(app?.['environment']).not.toHaveProperty('SECRET_KEY');
        expect(proxy?.['profiles']).toEqual(['proxy']);
        expect(proxy?.['depends_on']).toMatchObject({ app: { condition: 'service_healthy' } });
        expect(proxy?.['volumes']).toEqual([
          expect.stringMatching(/\/nginx\/default\.conf:\/etc\/nginx\/conf\.d\/default\.conf:ro$/),
        ]);
        expect(Object.keys(config.volumes)).toContain('postgres-data');
      });

      // Only the database's: a project with a secret key got a random one in its .env at creation, which compose reads.
      for (const missing of ['POSTGRES_PASSWORD']) {
        it(`refuses to render without ${missing}`, async (ctx) => {
          requireOrSkip(ctx, 'docker-compose', COMPOSE, 'apt-get install docker-compose');
          const result = await compose(['config'], { ...secrets, [missing]: undefined });
          expect(result.exitCode).not.toBe(0);
          expect(result.output).toContain(`set ${missing} in .env`);
        });
      }
    });

    describe('podman: the image built from a local base, run against the real PostgreSQL', () => {
      const session = new PodmanSession();
      /** `it` for the Dockerfile-only checks; a no-op in the suites that leave them out. */
      const itThorough = (name: string, test: TestFunction): void => {
        if (suite.thorough) it(name, test);
      };
      const databases: { name: string; url: string; drop(): Promise<void> }[] = [];
      let image = '';
      let firstBuild = { exitCode: -1, output: '' };
      let container = '';
      let baseUrl = '';
      let pythonImage = '';
      let nginxImage = '';
      // The stack runs with APP_ENV=production (the image's default) and, like
      // compose, gives the containers DATABASE_URL and nothing secret besides.

      const needPodman = (ctx: { skip(note?: string): void }): void => {
        requireOrSkip(ctx, 'uv', UV, UV_HINT);
        requireOrSkip(ctx, 'podman', PODMAN, PODMAN_HINT);
        requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      };
      const buildArgs = (): string[] => ['--build-arg', `PYTHON_IMAGE=${pythonImage}`];

      beforeAll(async () => {
        if (!UV || !PODMAN || !POSTGRES) return;
        ({ pythonImage, nginxImage } = await ensureFixtureImages());
        image = session.image(suite.name);
        const started = Date.now();
        firstBuild = await session.build(dir, [...buildArgs(), '--tag', image]);
        console.log(`[${suite.name}] podman build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      });

      afterAll(async () => {
        await session.cleanup();
        for (const database of databases) await database.drop();
      });

      it('the Dockerfile builds from the locally built base image, pulling nothing', (ctx) => {
        needPodman(ctx);
        expect(firstBuild.exitCode, firstBuild.output.slice(-6000)).toBe(0);
        expect(firstBuild.output).toContain(`FROM ${pythonImage} AS runtime`);
      });

      itThorough('a code change rebuilds the project layer but reuses the dependency layer', async (ctx) => {
        needPodman(ctx);
        appendFileSync(aSourceFile(dir), '\n# a code change\n');
        const rebuild = await session.build(dir, [...buildArgs(), '--tag', session.image(suite.name, 'rebuilt')]);
        expect(rebuild.exitCode, rebuild.output.slice(-4000)).toBe(0);
        const step = (marker: string): string => {
          const start = rebuild.output.indexOf(marker);
          expect(start, `no step "${marker}" in the build output`).toBeGreaterThanOrEqual(0);
          const next = rebuild.output.indexOf('STEP', start + marker.length);
          return rebuild.output.slice(start, next === -1 ? undefined : next);
        };
        expect(step('uv sync --locked --no-dev --no-install-project')).toContain('Using cache');
        expect(step('COPY . /app')).not.toContain('Using cache');
      });

      itThorough('the runtime stage is slim: no uv or compilers, and smaller than the build stage', async (ctx) => {
        needPodman(ctx);
        const probe = await session.run(image, {
          command: ['python', '-c', "import shutil; print([shutil.which(t) for t in ('uv', 'gcc', 'cc', 'make')])"],
        });
        expect(probe.output.trim()).toBe('[None, None, None, None]');
        const buildStage = session.image(suite.name, 'build-stage');
        const built = await session.build(dir, [...buildArgs(), '--target', 'build', '--tag', buildStage]);
        expect(built.exitCode, built.output.slice(-4000)).toBe(0);
        const [runtimeBytes, buildBytes, baseBytes] = await Promise.all([
          imageSize(image),
          imageSize(buildStage),
          imageSize(pythonImage),
        ]);
        const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
        console.log(
          `[${suite.name}] image sizes: runtime ${mb(runtimeBytes)} (base ${mb(baseBytes)} + ${mb(runtimeBytes - baseBytes)}), build stage ${mb(buildBytes)}`,
        );
        expect(runtimeBytes).toBeLessThan(buildBytes);
      });

      it(`${migrations.command.join(' ')} runs in the container against a throwaway database`, async (ctx) => {
        needPodman(ctx);
        const database = await createPostgresDatabase();
        databases.push(database);
        const migrated = await session.run(image, {
          env: { DATABASE_URL: sqlalchemyUrl(database.url), ...secretEnv },
          command: [...migrations.command],
        });
        expect(migrated.exitCode, migrated.output).toBe(0);
        expect(await psqlRows(database.name, migrations.applied)).toEqual([migrations.expected]);
      });

      it('the container serves GET /health on the host network', async (ctx) => {
        needPodman(ctx);
        const database = databases[0];
        expect(database, 'the migration test creates the database').toBeDefined();
        const port = await freePort();
        baseUrl = `http://127.0.0.1:${port}`;
        container = await session.start(image, {
          env: {
            DATABASE_URL: sqlalchemyUrl(database?.url ?? ''),
            PORT: String(port),
            ...secretEnv,
          },
        });
        const deadline = Date.now() + 60_000;
        while (!(await httpReady(`${baseUrl}/health`))) {
          const state = await mustPodman(['inspect', '--format', '{{.State.Status}}', container]);
          if (state.trim() !== 'running' || Date.now() > deadline) {
            const logs = await podman(['logs', container]);
            throw new Error(`the container is ${state.trim()} and /health never answered 200:\n${logs.output.slice(-4000)}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      });

      it("the milestone's main flow works through the container", async (ctx) => {
        needPodman(ctx);
        expect(baseUrl, 'the /health test starts the container').not.toBe('');
        const database = databases[0];
        if (!database) throw new Error('the migration test creates the database');
        await suite.mainFlow(baseUrl, database);
      });

      suite.alsoOnImage?.({
        need: needPodman,
        run: (options) => session.run(image, options),
        start: (options) => session.start(image, options),
      });

      it('every process in the container runs as the non-root user 10001', async (ctx) => {
        needPodman(ctx);
        const top = await mustPodman(['top', container, 'user', 'huser', 'args']);
        const rows = top.trim().split('\n').slice(1);
        expect(rows.length).toBeGreaterThanOrEqual(3); // gunicorn's master and its two workers
        for (const row of rows) expect(row).toMatch(/^app\s+10001\s+.*gunicorn/);
        const id = await mustPodman(['exec', container, 'id', '-u']);
        expect(id.trim()).toBe('10001');
      });

      it("the image's HEALTHCHECK reports healthy", async (ctx) => {
        needPodman(ctx);
        const result = await podman(['healthcheck', 'run', container]);
        expect(result.exitCode, result.output).toBe(0);
      });

      it('SIGTERM stops the server gracefully and quickly (no shell in between)', async (ctx) => {
        needPodman(ctx);
        const started = Date.now();
        await mustPodman(['stop', '--time', '20', container]);
        const seconds = (Date.now() - started) / 1000;
        const exitCode = await mustPodman(['inspect', '--format', '{{.State.ExitCode}}', container]);
        const logs = await podman(['logs', container]);
        expect(exitCode.trim(), logs.output.slice(-3000)).toBe('0');
        expect(seconds).toBeLessThan(10);
        expect(logs.output).not.toMatch(/\[ERROR\]|Traceback/);
      });

      itThorough('nginx/default.conf proxies to the app, as in the compose proxy profile', async (ctx) => {
        needPodman(ctx);
        // As in compose: the app listens on 8000 in its own network namespace and
        // Nginx reaches it as `app`. Sharing one namespace (podman has no compose
        // network here) makes `app` resolve to 127.0.0.1. The machine's PostgreSQL
        // listens on the host's loopback only, so this app uses SQLite: the test is
        // about the proxy, the database tests are above.
        const port = await freePort();
        // The runtime stage's command (the Dockerfile's last CMD), after the migrations:
        // GET /health is 503 while one is pending.
        const commands = [...readFileSync(path.join(dir, 'Dockerfile'), 'utf8').matchAll(/^CMD (\[.*\])$/gm)];
        const cmd = JSON.parse(commands.at(-1)?.[1] ?? '[]') as string[];
        const app = await session.start(image, {
          network: ['--publish', `127.0.0.1:${port}:80`, '--add-host', 'app:127.0.0.1'],
          env: { DATABASE_URL: 'sqlite:////tmp/proxy-test.db' },
          command: ['sh', '-c', 'alembic upgrade heads && exec "$@"', 'sh', ...cmd],
        });
        const proxy = await session.start(nginxImage, {
          network: ['--network', `container:${app}`],
          flags: ['--volume', `${path.join(dir, 'nginx', 'default.conf')}:/etc/nginx/conf.d/default.conf:ro`],
        });
        const url = `http://127.0.0.1:${port}/health`;
        // 502 while gunicorn boots (Nginx is up, the app not yet); then the app's answer.
        const deadline = Date.now() + 60_000;
        let response: Response | undefined;
        while (response === undefined || response.status === 502) {
          if (Date.now() > deadline) {
            const logs = await Promise.all([podman(['logs', app]), podman(['logs', proxy])]);
            throw new Error(`no answer from the app through Nginx:\n${logs.map((log) => log.output.slice(-2000)).join('\n---\n')}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
          response = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
        }
        expect(response.status, await response.clone().text()).toBe(200);
        expect(response.headers.get('server')).toBe('nginx'); // server_tokens off: no version
        expect(response.headers.get('content-type')).toContain('application/json');
      });

      itThorough("the image's test stage runs the test suite against PostgreSQL", async (ctx) => {
        needPodman(ctx);
        const testImage = session.image(suite.name, 'test');
        const built = await session.build(dir, [...buildArgs(), '--target', 'test', '--tag', testImage]);
        expect(built.exitCode, built.output.slice(-4000)).toBe(0);
        const database = await createPostgresDatabase();
        databases.push(database);
        const result = await session.run(testImage, {
          env: { TEST_DATABASE_URL: sqlalchemyUrl(database.url) },
          command: ['pytest', '-q', '-p', 'no:cacheprovider'],
        });
        expect(result.exitCode, result.output.slice(-4000)).toBe(0);
        expect(result.output).toMatch(/\d+ passed/);
      });
    });
  });
}
