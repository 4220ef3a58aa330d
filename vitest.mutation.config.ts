import { defineConfig } from 'vitest/config';

/**
 * The tests mutation testing runs (`npm run test:mutation`, stryker.config.mjs):
 * the unit tests written for src/merge, src/manifest and the project names, so
 * each mutant must be caught by the tests of its own module. The suites that
 * plan whole projects (and the merge property test over real templates) reach
 * the same code through thousands of calls and would make a run take hours on
 * two cores; leaving them out can only lower the score. (The list lives here,
 * not in Stryker's `testFiles`: with a test filter, Stryker 9.6 activates a
 * mutant of module-level code only after the module has loaded, so every such
 * mutant would survive.)
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/drift-hunks.test.ts',
      'test/unit/drift.test.ts',
      'test/unit/manifest-schema.test.ts',
      'test/unit/manifest.test.ts',
      'test/unit/merge-project.test.ts',
      'test/unit/merge-text-property.test.ts',
      'test/unit/merge-text.test.ts',
      'test/unit/project-names-safety.test.ts',
      'test/unit/project-names.test.ts',
      'test/unit/read-manifest.test.ts',
      'test/unit/unified-diff.test.ts',
    ],
    setupFiles: ['test/helpers/has-assertions.ts'],
    // Instrumented code runs several times slower: the property tests need room.
    testTimeout: 120_000,
    // Read by the property tests: fewer runs per mutant (test/unit/merge-text-property.test.ts).
    env: { MUTATION_RUN: '1' },
  },
});
