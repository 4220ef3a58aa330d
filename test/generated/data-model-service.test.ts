import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { ensureFixtureImages, mustPodman, podman, podmanUsable, PodmanSession } from '../helpers/podman.ts';
import { projectTree } from '../helpers/project-tree.ts';
import { BYTECODE_IN_PLACE, STANDARD_GATES, freePort, generateProject, httpReady, mustRun, startProcess, type RunningProcess } from '../helpers/python-project.ts';
import { hasExecutable, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const PODMAN = podmanUsable();
const PODMAN_HINT = 'as root: apt-get install podman runc debootstrap (see .ci/run)';

const PACKAGE = 'churn_lab';
const ML = ['uv', 'run', '--locked', 'python', '-m', `${PACKAGE}.ml`];

interface Prediction {
  readonly customer_id: string;
  readonly churn_probability: number;
}

/** Serves the project on a free port with the given registry; resolves once /health answers `status`. */
async function serve(dir: string, registry: string, status: number): Promise<{ server: RunningProcess; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startProcess(dir, ['uv', 'run', '--locked', 'python', '-m', PACKAGE], {
    env: { HOST: '127.0.0.1', PORT: String(port), APP_ENV: 'development', MODEL_REGISTRY_DIR: registry, MODEL_VERSION: 'latest' },
    ready: () => httpReady(`${base}/health`, status),
  });
  return { server, base };
}

/** The CSV `ml score` writes, as customer id → probability (no quoting: ids and numbers only). */
function readScores(file: string): Map<string, number> {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  expect(header).toBe('customer_id,churn_probability,model_version');
  return new Map(lines.map((line) => line.split(',')).map(([id, probability]) => [id ?? '', Number(probability)]));
}

describe('data-model-service: the generated pipeline, model and service pass their gates and serve the model', () => {
  let dir = '';
  const running: RunningProcess[] = [];

  /** The project's files right after generation and `uv sync`, without .venv. */
  let generated: string[] = [];

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('churn-lab', ['--milestone', 'data-model-service']);
    await mustRun(dir, ['uv', 'sync']);
    generated = projectTree(dir);
  });

  afterAll(async () => {
    await Promise.all(running.map((server) => server.stop()));
  });

  it('uv sync writes a lock file', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expect(existsSync(path.join(dir, 'uv.lock'))).toBe(true);
  });

  for (const gate of STANDARD_GATES) {
    const isPytest = gate.command.includes('pytest');
    it(`${isPytest ? `${gate.name}, through make test, writing bytecode as a developer's shell does` : gate.name} passes`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      if (!isPytest) {
        await mustRun(dir, gate.command);
        return;
      }
      requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
      // The project's own target, with the quick Hypothesis profile it runs by default.
      const output = await mustRun(dir, ['make', 'test', 'RUN=uv run --locked'], BYTECODE_IN_PLACE);
      expect(output).toMatch(/\b\d{2,} passed/);
      expect(output).not.toMatch(/\d+ (skipped|failed|errors?)\b/);
      expect(output).toContain('Required test coverage of 90% reached');
    });
  }

  it('the Dockerfile passes hadolint', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    await mustRun(dir, ['uv', 'run', '--locked', 'hadolint', '--no-color', 'Dockerfile']);
  });

  it('make clean, after make test, leaves the generated files and the virtualenv', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    const before = projectTree(dir);
    // What the test run wrote: coverage data, pytest's and Hypothesis's caches, bytecode.
    for (const output of ['.coverage', '.pytest_cache/', '.hypothesis/', `src/${PACKAGE}/__pycache__/`, 'tests/data/__pycache__/']) {
      expect(before, output).toContain(output);
    }
    await mustRun(dir, ['make', 'clean']);
    expect(projectTree(dir)).toEqual(generated);
    expect(existsSync(path.join(dir, '.venv', 'bin', 'python'))).toBe(true);
  });

  describe('challenges', () => {
    itProvesTheChallenges('data-model-service', () => dir);
  });

  it('without a registered model the service starts, /health answers 503 and predictions 503', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const { server, base } = await serve(dir, path.join(dir, 'no-models'), 503);
    running.push(server);
    const health = (await (await fetch(`${base}/health`)).json()) as { checks: Record<string, string> };
    expect(health.checks['model']).toBe('failed');
    const prediction = await fetch(`${base}/api/v1/predictions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        rows: [{ customer_id: 'C000001', tenure_months: 3, monthly_charges: 80, support_calls: 4, contract: 'monthly', region: 'north' }],
      }),
    });
    expect(prediction.status).toBe(503);
    await server.stop();
  });

  it('make data, train and score; the served model answers what batch scoring wrote, with its version', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    // A smaller data set than the default keeps training to seconds (Parquet is tested by the project's own suite).
    await mustRun(dir, [...ML, 'generate', '--rows', '1500', '--seed', '9', '--output', 'data/raw/customers.csv']);
    const trained = await mustRun(dir, [...ML, 'train', '--data', 'data/raw/customers.csv', '--registry', 'models', '--seed', '9']);
    expect(trained).toContain('registered v0001 in models');
    expect(trained).toMatch(/rejected \d+ rows that break the schema/);
    const metadata = JSON.parse(readFileSync(path.join(dir, 'models/v0001/metadata.json'), 'utf8')) as {
      data_fingerprint: string;
      seed: number;
      metrics: { roc_auc_margin: number; required_roc_auc_margin: number };
    };
    expect(metadata.seed).toBe(9);
    expect(metadata.data_fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(metadata.metrics.roc_auc_margin).toBeGreaterThanOrEqual(metadata.metrics.required_roc_auc_margin);
    expect(readFileSync(path.join(dir, 'models/v0001/evaluation.png')).subarray(1, 4).toString()).toBe('PNG');

    await mustRun(dir, ['make', 'score']);
    const batch = readScores(path.join(dir, 'data/scores.csv'));
    expect(batch.size).toBeGreaterThan(1000);

    const { server, base } = await serve(dir, path.join(dir, 'models'), 200);
    running.push(server);
    const rows = [
      { customer_id: 'C000001', tenure_months: 2, monthly_charges: 95.5, support_calls: 5, contract: 'monthly', region: 'north' },
      { customer_id: 'C000002', tenure_months: 60, monthly_charges: 40, support_calls: 0, contract: 'two_year', region: 'west' },
    ];
    const response = await fetch(`${base}/api/v1/predictions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rows }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { model_version: string; predictions: Prediction[] };
    expect(body.model_version).toBe('v0001');
    const [risky, loyal] = body.predictions;
    expect(risky?.churn_probability).toBeGreaterThan(0.5);
    expect(loyal?.churn_probability).toBeLessThan(0.2);

    // The same customers, as the raw file has them (cleaned as the pipeline cleans them),
    // scored by the server and by `make score`.
    const [header, ...lines] = readFileSync(path.join(dir, 'data/raw/customers.csv'), 'utf8').trim().split('\n');
    const columns = (header ?? '').split(',');
    const sameRows = new Map<string, Record<string, unknown>>();
    for (const line of lines) {
      const raw = Object.fromEntries(line.split(',').map((value, index) => [columns[index], value.trim().toLowerCase()]));
      const id = String(raw['customer_id']).toUpperCase();
      if (!batch.has(id) || sameRows.has(id) || sameRows.size === 20) continue;
      sameRows.set(id, {
        customer_id: id,
        tenure_months: Number(raw['tenure_months']),
        monthly_charges: Number(raw['monthly_charges']),
        support_calls: Number(raw['support_calls']),
        contract: raw['contract'],
        region: raw['region'],
      });
    }
    expect(sameRows.size).toBe(20);
    const served = (await (
      await fetch(`${base}/api/v1/predictions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rows: [...sameRows.values()] }) })
    ).json()) as { predictions: Prediction[] };
    expect(served.predictions).toHaveLength(20);
    for (const prediction of served.predictions) {
      expect(prediction.churn_probability).toBeCloseTo(batch.get(prediction.customer_id) ?? Number.NaN, 12);
    }

    const refused = await fetch(`${base}/api/v1/predictions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rows: [{ ...rows[0], contract: 'weekly' }] }),
    });
    expect(refused.status).toBe(422);
    await server.stop();
  });

  /**
   * The inference image, as the Dockerfile builds it from the fixture's local base:
   * it holds the code, the registry trained above is mounted read-only, and the
   * container must load the version MODEL_VERSION names and report it on /health.
   */
  describe('podman: the inference image serves the registered model', () => {
    const session = new PodmanSession();
    let image = '';
    let build = { exitCode: -1, output: '' };
    let container = '';
    let base = '';

    const needPodman = (ctx: { skip(note?: string): void }): void => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      requireOrSkip(ctx, 'podman', PODMAN, PODMAN_HINT);
    };

    beforeAll(async () => {
      if (!UV || !PODMAN) return;
      const { pythonImage } = await ensureFixtureImages();
      image = session.image('churn-lab');
      const started = Date.now();
      build = await session.build(dir, ['--build-arg', `PYTHON_IMAGE=${pythonImage}`, '--tag', image]);
      console.log(`[churn-lab] podman build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

    afterAll(async () => {
      await session.cleanup();
    });

    it('the Dockerfile builds from the locally built base image, pulling nothing', (ctx) => {
      needPodman(ctx);
      expect(build.exitCode, build.output.slice(-6000)).toBe(0);
      // The registry stays out of the image (.dockerignore): it is mounted at run time.
      expect(build.output).toMatch(/COPY --from=build \/app\/\.venv \/app\/\.venv/);
    });

    it('the container, as user 10001, loads the mounted model and answers /health 200 with it', async (ctx) => {
      needPodman(ctx);
      expect(build.exitCode, 'the image built').toBe(0);
      const registry = path.join(dir, 'models');
      expect(existsSync(path.join(registry, 'v0001', 'model.joblib')), 'the train test registers v0001').toBe(true);
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      container = await session.start(image, {
        env: { HOST: '127.0.0.1', PORT: String(port), MODEL_VERSION: 'v0001' },
        flags: ['--volume', `${registry}:/app/models:ro`],
      });
      const deadline = Date.now() + 90_000;
      while (!(await httpReady(`${base}/health`))) {
        const state = (await mustPodman(['inspect', '--format', '{{.State.Status}}', container])).trim();
        if (state !== 'running' || Date.now() > deadline) {
          const logs = await podman(['logs', container]);
          throw new Error(`the container is ${state} and /health never answered 200:\n${logs.output.slice(-4000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const health = (await (await fetch(`${base}/health`)).json()) as { status: string; checks: Record<string, string> };
      expect(health).toEqual({ status: 'ok', checks: expect.objectContaining({ model: 'ok' }) });
      expect((await mustPodman(['exec', container, 'id', '-u'])).trim()).toBe('10001');
      // The image's own HEALTHCHECK command agrees.
      const check = await podman(['healthcheck', 'run', container]);
      expect(check.exitCode, check.output).toBe(0);
    });

    it('the container predicts with the registered version, as the local service does', async (ctx) => {
      needPodman(ctx);
      expect(base, 'the /health test starts the container').not.toBe('');
      const rows = [{ customer_id: 'C000001', tenure_months: 2, monthly_charges: 95.5, support_calls: 5, contract: 'monthly', region: 'north' }];
      const response = await fetch(`${base}/api/v1/predictions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ rows }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { model_version: string; predictions: Prediction[] };
      expect(body.model_version).toBe('v0001');
      expect(body.predictions[0]?.churn_probability).toBeGreaterThan(0.5);
    });
  });
});
