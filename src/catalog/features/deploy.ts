import type { Feature } from './feature.ts';

/**
 * Where the pipeline ships the image: a Render blueprint, a Fly.io app or plain
 * Kubernetes manifests, one folder per target (`deploy/render`, `deploy/fly`,
 * `deploy/kubernetes`) plus what they share (`deploy/common`). Every target runs
 * `alembic upgrade heads` once per release, before the new version takes traffic,
 * and reads its secrets from the platform's secret store. Its pipeline job goes
 * into the ci feature's file through the `ci-github-jobs` / `ci-gitlab-jobs` slots.
 * With the jobs feature, every target also runs the Celery workers and exactly one
 * beat; on Kubernetes those are manifests of their own (`deploy/kubernetes-jobs`).
 */
export const deployFeature: Feature = {
  id: 'deploy',
  title: 'Deployment to Render, Fly.io or Kubernetes, with migrations on release',
  requires: ['ci'],
  dependencies: [],
  devDependencies: [],
  templateDirs: (options, features) => {
    const target = options['deploy'] ?? 'render';
    const dirs = ['deploy/common', `deploy/${target}`];
    if (target === 'kubernetes' && features.has('jobs')) dirs.push('deploy/kubernetes-jobs');
    return dirs;
  },
  readingPath: (options) => {
    const target = options['deploy'] ?? 'render';
    if (target === 'kubernetes') {
      return {
        stops: [{ file: 'k8s/deploy.sh', why: 'a release in order: configuration, migrations, then the new pods' }],
        skip: [{ file: 'k8s/hpa.yaml', why: 'autoscaling, and `k8s/pdb.yaml`, the disruption budget' }],
      };
    }
    const file = target === 'fly' ? 'fly.toml' : 'render.yaml';
    return { stops: [{ file, why: 'the platform: the service, its database, migrations on every release' }] };
  },
};
