import type { Feature } from './feature.ts';

/**
 * Where the pipeline ships the image: a Render blueprint, a Fly.io app or plain
 * Kubernetes manifests, one folder per target (`deploy/render`, `deploy/fly`,
 * `deploy/kubernetes`) plus what they share (`deploy/common`). Every target runs
 * `alembic upgrade heads` once per release, before the new version takes traffic,
 * and reads its secrets from the platform's secret store. Its pipeline job goes
 * into the ci feature's file through the `ci-github-jobs` / `ci-gitlab-jobs` slots.
 */
export const deployFeature: Feature = {
  id: 'deploy',
  title: 'Deployment to Render, Fly.io or Kubernetes, with migrations on release',
  requires: ['ci'],
  dependencies: [],
  devDependencies: [],
  templateDirs: (options) => ['deploy/common', `deploy/${options['deploy'] ?? 'render'}`],
};
