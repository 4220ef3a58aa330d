import type { Feature, NextStep, OptionValues } from './feature.ts';

/**
 * Setting deploy credentials in the CI's secret store: a command each on GitHub,
 * one line for the settings page on GitLab.
 */
function ciSecrets(options: OptionValues, names: readonly string[], what: string, section: string): NextStep[] {
  if (options['ci'] === 'gitlab') {
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    return [
      {
        stage: 'ship',
        why: `set ${list} (${what}) as protected CI/CD variables in GitLab's Settings > CI/CD > Variables (README, "${section}")`,
      },
    ];
  }
  return names.map((name) => ({ stage: 'ship', command: `gh secret set ${name} --env production`, why: `${what} (README, "${section}")` }));
}

/**
 * Where the pipeline ships the image: a Render blueprint, a Fly.io app or plain
 * Kubernetes manifests, one folder per target (`deploy/render`, `deploy/fly`,
 * `deploy/kubernetes`) plus what they share (`deploy/common`). Every target runs
 * the project's migrations (`migrations.apply` in the render context: `alembic upgrade
 * heads`, or Django's `migrate`) once per release, before the new version takes traffic,
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
  frameworks: {
    // The challenges that guard pydantic settings (CORS, debug logs) are the factory frameworks'.
    fastapi: { templateDirs: ['deploy-http/settings-guards'] },
    flask: { templateDirs: ['deploy-http/settings-guards'] },
    // Django answers 400 to a Host header outside ALLOWED_HOSTS, which the platforms' probes
    // do not send (a pod's IP): `probes.py` answers their `GET /health` before that check.
    django: { templateDirs: ['deploy-http/django'] },
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
  nextSteps: ({ options, features }) => {
    const target = options['deploy'] ?? 'render';
    if (target === 'fly') {
      return [
        { stage: 'ship', why: 'create the Fly.io app and its secrets, once (README, "Fly.io")' },
        ...ciSecrets(options, ['FLY_API_TOKEN'], 'a deploy token from `fly tokens create deploy`', 'Fly.io'),
      ];
    }
    if (target === 'kubernetes') {
      const name = options['ci'] === 'gitlab' ? 'KUBECONFIG' : 'KUBE_CONFIG';
      return [
        { stage: 'ship', why: 'create the app\'s secrets in the cluster, once (README, "Kubernetes")' },
        ...ciSecrets(options, [name], 'a kubeconfig that may manage only the app\'s namespace', 'Kubernetes'),
      ];
    }
    const hooks = features.has('jobs')
      ? ['RENDER_DEPLOY_HOOK_URL', 'RENDER_WORKER_DEPLOY_HOOK_URL', 'RENDER_BEAT_DEPLOY_HOOK_URL']
      : ['RENDER_DEPLOY_HOOK_URL'];
    return [
      { stage: 'ship', why: 'in Render: New > Blueprint, pick the repository; Render reads render.yaml (README, "Render")' },
      ...ciSecrets(options, hooks, hooks.length === 1 ? 'the service\'s deploy hook, from Render' : 'each service\'s deploy hook, from Render', 'Render'),
    ];
  },
};
