// Mutation testing of src/render/project-names.ts with its module-level mutants
// included (docs/MUTATION.md): the keyword list and the fold tables are built when
// the module loads, so each such mutant needs a fresh test run; with only the
// names' own test files (vitest.mutation-names.config.ts) that takes about a minute.
// Opt-in: `npm run test:mutation:names`.
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'vitest.mutation-names.config.ts' },
  mutate: ['src/render/project-names.ts'],
  htmlReporter: { fileName: 'reports/mutation/project-names.html' },
  jsonReporter: { fileName: 'reports/mutation/project-names.json' },
  tempDirName: '.stryker-tmp-names',
  thresholds: { high: 90, low: 80, break: 80 },
};
