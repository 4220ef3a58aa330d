import type { Feature, OptionValues } from './feature.ts';

/** The remote's address for `git remote add`, from the recorded repository when there is one. */
function remoteUrl(options: OptionValues): string {
  const host = options['ci'] === 'gitlab' ? 'gitlab.com' : 'github.com';
  const repository = options['repository'];
  return repository ? `git@${host}:${repository}.git` : `git@${host}:<owner>/<name>.git`;
}

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
  // Framework-free: how the test job migrates and checks the migrations (Alembic or Django's
  // own) and what it collects come from the render context (`migrations`, `collectStatic`).
  readingPath: (options) => ({
    stops: [
      {
        file: options['ci'] === 'gitlab' ? '.gitlab-ci.yml' : '.github/workflows/ci.yml',
        why: 'every gate on every push, and the image published from main',
      },
    ],
  }),
  nextSteps: ({ options, gitRemote }) => [
    gitRemote?.() === undefined
      ? {
          stage: 'ship',
          command: `git remote add origin ${remoteUrl(options)} && git push -u origin main`,
          why: `connect the repository (create it on ${options['ci'] === 'gitlab' ? 'GitLab' : 'GitHub'} first): the pipeline runs on every push`,
        }
      : { stage: 'ship', command: 'git push', why: 'the pipeline runs on every push' },
  ],
};
