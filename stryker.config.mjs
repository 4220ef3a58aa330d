// Mutation testing of the code `add`, `update` and `check` rest on (docs/MUTATION.md).
// Opt-in: `npm run test:mutation` (minutes, CPU-heavy), not part of `npm test`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: ['src/merge/**/*.ts', 'src/manifest/**/*.ts', 'src/render/project-names.ts'],
  // The unit tests written for these modules: each mutant must be caught by them
  // alone. The suites that plan whole projects (and the property test over real
  // templates) reach the same code through thousands of calls and would make a
  // run take hours; leaving them out can only lower the score.
  testFiles: [
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
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: 85 },
};
