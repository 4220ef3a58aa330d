import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { STANDARD_GATES, freePort, generateProject, httpReady, mustRun, startProcess, type RunningProcess } from '../helpers/python-project.ts';
import { requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

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

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('churn-lab', ['--milestone', 'data-model-service']);
    await mustRun(dir, ['uv', 'sync']);
  });

  afterAll(async () => {
    await Promise.all(running.map((server) => server.stop()));
  });

  it('uv sync writes a lock file', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expect(existsSync(path.join(dir, 'uv.lock'))).toBe(true);
  });

  for (const gate of STANDARD_GATES) {
    it(`${gate.name} passes`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      await mustRun(dir, gate.command);
    });
  }

  it('the Dockerfile passes hadolint', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    await mustRun(dir, ['uv', 'run', '--locked', 'hadolint', '--no-color', 'Dockerfile']);
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
});
