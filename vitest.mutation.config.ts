import { defineConfig } from 'vitest/config';

/**
 * The unit suite alone, for mutation testing (`npm run test:mutation`,
 * stryker.config.mjs, which picks the test files). Stryker reruns the tests
 * that cover a mutant once per mutant.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    setupFiles: ['test/helpers/has-assertions.ts'],
    // Instrumented code runs several times slower: the property tests need room.
    testTimeout: 120_000,
    // Read by the property tests: fewer runs per mutant (test/unit/merge-text-property.test.ts).
    env: { MUTATION_RUN: '1' },
  },
});
