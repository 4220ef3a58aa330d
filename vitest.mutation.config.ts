import { defineConfig } from 'vitest/config';

/**
 * The unit suite alone, for mutation testing (`npm run test:mutation`,
 * stryker.config.mjs). Stryker runs the tests that import a mutated file
 * (`related`), once per mutant, so only the fast, pure tests belong here.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    setupFiles: ['test/helpers/has-assertions.ts'],
    // Instrumented code runs several times slower: the property tests need room.
    testTimeout: 120_000,
  },
});
