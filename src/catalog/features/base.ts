import type { Feature } from './feature.ts';

/** The skeleton every project starts from: packaging, quality gates, docs, tooling. */
export const baseFeature: Feature = {
  id: 'base',
  title: 'Packaging, quality gates and project tooling',
  requires: [],
  dependencies: [],
  devDependencies: ['pytest', 'pytestCov', 'ruff', 'mypy'],
  templateDirs: () => ['base'],
  nextSteps: () => [{ stage: 'check', command: 'make check', why: 'tests with the coverage gate, lint, format and type checks' }],
};
