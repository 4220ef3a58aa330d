import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run test:mutation:names` runs (stryker.project-names.config.mjs):
 * only the project names' own unit tests, so the module-level mutants, each of
 * which needs a fresh run, stay cheap. Everything else is as in
 * vitest.mutation.config.ts.
 */
export default defineConfig({
  test: {
    include: ["test/unit/project-names-safety.test.ts", "test/unit/project-names.test.ts"],
    setupFiles: ['test/helpers/has-assertions.ts'],
    // Instrumented code runs several times slower: the property tests need room.
    testTimeout: 120_000,
    // Read by the property tests: fewer runs per mutant (test/unit/merge-text-property.test.ts).
    env: { MUTATION_RUN: '1' },
  },
});
