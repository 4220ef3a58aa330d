import type { Feature } from './feature.ts';

/**
 * The CI/CD pipeline: every gate of the project on every push and pull request
 * (lint, types, tests against PostgreSQL, the coverage report, a dependency
 * audit, the template drift check, the image build), and on the main branch the
 * image pushed to the provider's registry. One folder per provider (`ci/github`,
 * `ci/gitlab`) plus what both share (`ci/common`). The deploy feature adds its
 * job through the `ci-github-jobs` / `ci-gitlab-jobs` slots.
 */
export const ciFeature: Feature = {
  id: 'ci',
  title: 'A hardened CI/CD pipeline on GitHub Actions or GitLab CI',
  requires: ['docker'],
  dependencies: [],
  devDependencies: [],
  templateDirs: (options) => ['ci/common', `ci/${options['ci'] ?? 'github'}`],
  readingPath: (options) => ({
    stops: [
      {
        file: options['ci'] === 'gitlab' ? '.gitlab-ci.yml' : '.github/workflows/ci.yml',
        why: 'every gate on every push, and the image published from main',
      },
    ],
  }),
};
