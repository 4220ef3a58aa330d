import { defineConfig } from 'vitest/config';

/**
 * Three suites (PRODUCT.md §7), run together by `npm test`:
 * - unit: pure code, milliseconds (`npm run test:unit`);
 * - cli: the built binary in temp dirs;
 * - generated: generates projects and runs their own gates (uv, pytest, ruff,
 *   mypy, ...) for real. Slow by nature, so it has its own project, few
 *   workers (2 cores), and generous timeouts.
 * The groups run one after another (groupOrder), fastest first, so a broken
 * unit test fails the run in seconds.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/helpers/has-assertions.ts'],
          sequence: { groupOrder: 0 },
          // A guard against hangs, not a speed check (bench/ measures speed): the
          // property tests run a thousand merges each and took 6.5 s under CI-like
          // load, past vitest's 5 s default.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'cli',
          include: ['test/cli/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'generated',
          include: ['test/generated/**/*.test.ts'],
          globalSetup: ['test/helpers/generated-setup.ts'],
          sequence: { groupOrder: 2 },
          testTimeout: 15 * 60_000,
          hookTimeout: 15 * 60_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
