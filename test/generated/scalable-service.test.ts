import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { STANDARD_GATES, generateProject, mustRun, usePostgresDatabase } from '../helpers/python-project.ts';
import { hasExecutable, POSTGRES, POSTGRES_HINT, REDIS, REDIS_HINT, REDIS_URL, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

const PYTEST = STANDARD_GATES[0]!.command;
const PROMTOOL = hasExecutable('promtool');
const PROMTOOL_HINT = "promtool (Debian's prometheus package)";

/**
 * scalable-service: the product catalog behind a cache-aside cache. The tests the
 * project ships prove its promises (no stale read after a write, one query per cold
 * key); here they run for real, on the machine's Redis and PostgreSQL, and once
 * without Redis, the way a learner's laptop runs them.
 */
describe('scalable-service: the generated project passes its gates on real Redis and PostgreSQL', () => {
  let dir = '';
  const postgres = usePostgresDatabase(POSTGRES);

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('catalog-service', ['--milestone', 'scalable-service']);
    await mustRun(dir, ['uv', 'sync']);
  });

  it('uv sync writes a lock file', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expect(existsSync(path.join(dir, 'uv.lock'))).toBe(true);
  });

  it('pytest (with the coverage gate) passes on PostgreSQL and Redis, running the Redis consistency test', async (ctx) => {
    requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
    requireOrSkip(ctx, 'Redis', REDIS, REDIS_HINT);
    const output = await mustRun(dir, PYTEST, { TEST_DATABASE_URL: postgres.database.url, TEST_REDIS_URL: REDIS_URL });
    expect(output).toMatch(/\d+ passed/);
    expect(output).toContain('Required test coverage of 90% reached');
    // With Redis there, nothing is skipped: the Redis cases ran.
    expect(output).not.toMatch(/\d+ skipped|needs Redis/);
  });

  it('pytest passes on SQLite without Redis, skipping only the Redis cases', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const output = await mustRun(dir, PYTEST, { TEST_DATABASE_URL: undefined, TEST_REDIS_URL: undefined, REDIS_URL: undefined });
    expect(output).toMatch(/\d+ passed/);
    expect(output).toContain('needs Redis');
    expect(output).toContain('Required test coverage of 90% reached');
  });

  for (const gate of STANDARD_GATES.slice(1)) {
    it(`${gate.name} passes`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      await mustRun(dir, gate.command);
    });
  }

  it('make metrics-check: promtool accepts the scrape config and the alert rule passes its unit tests', async (ctx) => {
    requireOrSkip(ctx, 'promtool', PROMTOOL, PROMTOOL_HINT);
    const output = await mustRun(dir, ['make', 'metrics-check']);
    expect(output).toContain('SUCCESS: 1 rule files found');
    expect(output).toContain('SUCCESS: 3 rules found');
    expect(output).toMatch(/Unit Testing: +prometheus\/alerts\.test\.yml\s+SUCCESS/);
  });

  it('alembic upgrade heads creates the products table with its index on PostgreSQL', async (ctx) => {
    requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
    const env = { DATABASE_URL: postgres.database.url };
    await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'upgrade', 'heads'], env);
    await mustRun(dir, ['uv', 'run', '--locked', 'alembic', 'check'], env);
  });

  // Real traffic against the real server, twice: locust for 8 s per run on PostgreSQL and
  // Redis. The cache must win on the median and the throughput (the script's own verdict,
  // checked here from the numbers in the report).
  it('make load: the cache-on run is faster than the cache-off run, and the report says by how much', async (ctx) => {
    requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
    requireOrSkip(ctx, 'Redis', REDIS, REDIS_HINT);
    const output = await mustRun(dir, ['make', 'load', 'LOAD_SECONDS=8', 'LOAD_USERS=8'], {
      LOAD_DATABASE_URL: postgres.database.url,
      REDIS_URL: REDIS_URL,
    });
    expect(output).toMatch(/^With the cache on: median latency /m);
    const report = readFileSync(path.join(dir, 'reports/load/report.md'), 'utf8');
    expect(report).toContain('100000 seeded products on postgresql; the cache in Redis.');
    const row = (name: string): [number, number] => {
      const match = new RegExp(`^\\| ${name} \\| ([\\d.]+) \\| ([\\d.]+) \\|$`, 'm').exec(report);
      if (!match) throw new Error(`no ${name} row in the report:\n${report}`);
      return [Number(match[1]), Number(match[2])];
    };
    const [offP50, onP50] = row('p50 latency \\(ms\\)');
    const [offP95, onP95] = row('p95 latency \\(ms\\)');
    const [offRps, onRps] = row('throughput \\(requests/s\\)');
    expect(row('failures')).toEqual([0, 0]);
    expect(row('requests')[1]).toBeGreaterThan(0);
    // The verdict is the median and the throughput; the p95 of an 8 s run rests on a few
    // dozen requests on a shared machine, so it is reported, not judged.
    expect(onP50).toBeLessThan(offP50);
    expect(onRps).toBeGreaterThan(offRps);
    expect(offP95).toBeGreaterThan(0);
    expect(onP95).toBeGreaterThan(0);
    expect(report).toMatch(/median latency [\d.]+ ms → [\d.]+ ms \(\d+\.\dx faster\)/);
    const png = readFileSync(path.join(dir, 'reports/load/load.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  // On SQLite and the in-process cache: fast, and no test shares a cache with another.
  describe('challenges', () => {
    itProvesTheChallenges('scalable-service', () => dir, {
      TEST_DATABASE_URL: undefined,
      DATABASE_URL: undefined,
      TEST_REDIS_URL: undefined,
      REDIS_URL: undefined,
    });
  });
});
