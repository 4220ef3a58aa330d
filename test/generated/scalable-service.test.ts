import { existsSync } from 'node:fs';
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
