import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { buildRenderContext } from '../../src/render/context.ts';
import { buildProjectNames } from '../../src/render/project-names.ts';
import { planMilestones, plannedText, type ProjectPlan } from '../helpers/plan-milestones.ts';
import { catalog } from '../helpers/template-tree.ts';

const plan = (milestones: string[], options: Record<string, string> = {}): ProjectPlan => planMilestones('Report Hub', milestones, options);

describe('the jobs feature plugs into the app through the registry', () => {
  const jobs = plan(['background-jobs']);

  it('makes background-jobs available, after the api and db it requires', () => {
    const milestone = catalog.milestone('background-jobs');
    expect(milestone && catalog.isAvailable(milestone)).toBe(true);
    expect(jobs.features.map((feature) => feature.id)).toEqual(['base', 'api', 'db', 'jobs']);
  });

  it('gives the render context the worker command, and make worker runs the same line', () => {
    const context = buildRenderContext({
      catalog,
      answers: { name: 'Report Hub', milestones: ['background-jobs'], options: {} },
      names: buildProjectNames('Report Hub'),
      features: catalog.featuresFor(['background-jobs'], []),
      generatorVersion: '0.0.0-test',
    });
    const argv = ['celery', '--app', 'report_hub.jobs.worker:celery_app', 'worker', '--loglevel', 'INFO'];
    expect(context.workerCommand).toEqual(argv);
    expect(context.beatCommand).toEqual(['celery', '--app', 'report_hub.jobs.worker:celery_app', 'beat', '--loglevel', 'INFO']);
    expect(plannedText(jobs, 'Makefile')).toContain(`worker: ## Run a Celery worker`);
    expect(plannedText(jobs, 'Makefile')).toContain(`\t$(RUN) ${argv.join(' ')} $(WORKER_ARGS)\n`);
    expect(plannedText(jobs, 'Makefile')).toContain('\t$(RUN) celery --app report_hub.jobs.worker:celery_app beat --loglevel INFO\n');
  });

  it('a project without jobs has no worker command', () => {
    const context = buildRenderContext({
      catalog,
      answers: { name: 'Task Tracker', milestones: ['crud-db'], options: {} },
      names: buildProjectNames('Task Tracker'),
      features: catalog.featuresFor(['crud-db'], []),
      generatorVersion: '0.0.0-test',
    });
    expect(context.workerCommand).toEqual([]);
    expect(context.beatCommand).toEqual([]);
    expect(plannedText(plan(['crud-db']), 'Makefile')).not.toContain('celery');
  });

  it('mounts the routers, the broker health check and the models', () => {
    expect(plannedText(jobs, 'src/report_hub/routes.py')).toContain(
      'from report_hub.jobs.router import router as jobs_router\nfrom report_hub.reports.router import router as reports_router\n',
    );
    expect(plannedText(jobs, 'src/report_hub/health.py')).toContain('    "broker": check_broker,\n    "database": check_database,\n');
    expect(plannedText(jobs, 'src/report_hub/db/models.py')).toContain(
      'from report_hub.jobs.models import Job\nfrom report_hub.reports.models import Sale, SalesReport\n',
    );
  });

  it('adds its settings, environment variables and ignored folder through slots', () => {
    const settings = plannedText(jobs, 'src/report_hub/settings.py');
    expect(settings).toContain('    redis_url: str | None = None\n');
    expect(settings).toContain('    jobs_data_dir: str = ".jobs"\n');
    expect(settings).toContain('    jobs_queue: str = Field(\n        default="report_hub",\n');
    expect(settings).toContain('    test_redis_url: str | None = None\n');
    const env = plannedText(jobs, '.env.example');
    expect(env).toMatch(/^# REDIS_URL=redis:\/\/127\.0\.0\.1:6379\/0$/m);
    expect(env).toMatch(/^JOBS_DATA_DIR=\.jobs$/m);
    expect(env).toMatch(/^JOBS_QUEUE=report_hub$/m);
    expect(plannedText(jobs, '.gitignore')).toMatch(/^\.jobs\/$/m);
    expect(plannedText(jobs, 'pyproject.toml')).toMatch(/"celery\[redis\]~=5\.7",\n/);
    expect(plannedText(jobs, 'README.md')).toContain('## Background jobs');
  });

  it('ships its migration as a branch of its own next to crud-db', () => {
    const both = plan(['background-jobs', 'crud-db']);
    const migrations = both.files.map((planned) => planned.path).filter((path) => path.startsWith('migrations/versions/') && path.endsWith('.py'));
    expect(migrations.sort()).toEqual([
      'migrations/versions/0001_create_projects_and_tasks.py',
      'migrations/versions/jobs_0001_create_jobs_sales_and_reports.py',
      'migrations/versions/jobs_0002_job_leases_and_retryable_keys.py',
    ]);
    const jobsMigration = plannedText(both, 'migrations/versions/jobs_0001_create_jobs_sales_and_reports.py');
    expect(jobsMigration).toContain('down_revision: str | Sequence[str] | None = None\n');
    expect(jobsMigration).toContain('branch_labels: str | Sequence[str] | None = ("jobs",)\n');
    // The branch grows: the second migration follows the first, and labels nothing new.
    const leases = plannedText(both, 'migrations/versions/jobs_0002_job_leases_and_retryable_keys.py');
    expect(leases).toContain('down_revision: str | Sequence[str] | None = "jobs_0001"\n');
    expect(leases).toContain('branch_labels: str | Sequence[str] | None = None\n');
  });

  it('makes the time limits, the sweep and the stale-pending age settings, and measures worker processes', () => {
    const settings = plannedText(jobs, 'src/report_hub/settings.py');
    const env = plannedText(jobs, '.env.example');
    for (const [name, value] of [
      ['jobs_soft_time_limit_seconds', '240'],
      ['jobs_time_limit_seconds', '300'],
      ['jobs_sweep_interval_seconds', '60'],
      ['jobs_stale_pending_seconds', '900'],
    ] as const) {
      expect(settings).toMatch(new RegExp(`^ {4}${name}: int = Field\\(default=${value}, ge=\\d\\)$`, 'm'));
      expect(env).toMatch(new RegExp(`^${name.toUpperCase()}=${value}$`, 'm'));
    }
    expect(plannedText(jobs, 'pyproject.toml')).toMatch(/^\[tool\.coverage\.run\]\n(?:.*\n){2}# The job tests start real worker processes.*\npatch = \["subprocess"\]\n/m);
    expect(plannedText(plan(['crud-db']), 'pyproject.toml')).not.toContain('patch =');
  });
});

/**
 * Next to dockerized-app or cloud-deploy, the jobs feature's worker and its one beat
 * run wherever the web app runs; without jobs, no target mentions them. The
 * generated-project tests run the real validators on the same files.
 */
describe('the workers and the one beat go wherever the web app is deployed', () => {
  const WORKER = 'celery --app report_hub.jobs.worker:celery_app worker --loglevel INFO';
  const BEAT = 'celery --app report_hub.jobs.worker:celery_app beat --loglevel INFO';
  const TARGETS = ['render', 'fly', 'kubernetes'] as const;
  const DEPLOY_FILES = /^(render\.yaml|fly\.toml|k8s\/.*|compose\.yaml)$/;
  const withJobs = (deploy: string) => plan(['background-jobs', 'cloud-deploy'], { ci: 'github', deploy });
  const withoutJobs = (deploy: string) => plan(['cloud-deploy'], { ci: 'github', deploy });

  it('without jobs, no deployment file and no deploy README section names a worker, beat or Redis', () => {
    for (const deploy of TARGETS) {
      const result = withoutJobs(deploy);
      for (const planned of result.files.filter((candidate) => DEPLOY_FILES.test(candidate.path))) {
        expect(planned.content.toString('utf8'), `${deploy}: ${planned.path}`).not.toMatch(/celery|\bbeat\b|redis|JOBS_DATA_DIR|worker\.yaml|-worker\b/i);
      }
      expect(plannedText(result, 'README.md')).not.toMatch(/#### Workers|celery/i);
      expect(plannedText(result, '.github/workflows/ci.yml')).not.toContain('WORKER_DEPLOY_HOOK');
    }
    expect(withoutJobs('kubernetes').files.map((planned) => planned.path).filter((path) => path.startsWith('k8s/'))).not.toEqual(
      expect.arrayContaining(['k8s/worker.yaml']),
    );
  });

  it('compose: one worker and exactly one beat, both after Redis and the migrations', () => {
    const compose = parse(plannedText(plan(['background-jobs', 'dockerized-app']), 'compose.yaml'), { merge: true });
    const services = compose.services as Record<string, any>;
    const beats = Object.entries(services).filter(([, service]) => (service.command ?? []).includes('beat'));
    expect(beats.map(([name]) => name)).toEqual(['beat']);
    expect(services['beat'].command.join(' ')).toBe(BEAT);
    expect(services['worker'].command.join(' ')).toBe(WORKER);
    for (const name of ['worker', 'beat']) {
      expect(services[name].depends_on, name).toEqual({
        db: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
      // Nothing that would stop `--scale worker=N`, or make a second beat.
      expect(services[name], name).not.toHaveProperty('container_name');
      expect(services[name], name).not.toHaveProperty('ports');
    }
    expect(services['app'].environment.REDIS_URL).toBe('redis://redis:6379/0');
    expect(services['app'].environment.JOBS_DATA_DIR).toBe('/tmp/jobs');
    const withoutJobsCompose = parse(plannedText(plan(['dockerized-app']), 'compose.yaml'));
    expect(Object.keys(withoutJobsCompose.services).sort()).toEqual(['app', 'db', 'migrate', 'proxy']);
  });

  it('render.yaml: Key Value with noeviction, a worker and a single beat, all wired to it; migrations on the web service only', () => {
    const result = withJobs('render');
    const blueprint = parse(plannedText(result, 'render.yaml'));
    const byName = Object.fromEntries(blueprint.services.map((service: any) => [service.name, service]));
    expect(Object.keys(byName)).toEqual(['report-hub', 'report-hub-worker', 'report-hub-beat', 'report-hub-redis']);
    expect(byName['report-hub-redis']).toEqual({
      type: 'keyvalue',
      name: 'report-hub-redis',
      region: 'oregon',
      plan: 'starter',
      maxmemoryPolicy: 'noeviction',
      ipAllowList: [],
    });
    const worker = byName['report-hub-worker'];
    const beat = byName['report-hub-beat'];
    expect(worker).toMatchObject({ type: 'worker', runtime: 'image', dockerCommand: `${WORKER} --concurrency 2` });
    expect(beat).toMatchObject({ type: 'worker', runtime: 'image', dockerCommand: BEAT, numInstances: 1 });
    const redisUrl = { key: 'REDIS_URL', fromService: { type: 'keyvalue', name: 'report-hub-redis', property: 'connectionString' } };
    for (const service of [byName['report-hub'], worker, beat]) {
      expect(service.envVars, service.name).toContainEqual(redisUrl);
      expect(service.envVars.map((entry: any) => entry.key), service.name).toContain('DATABASE_URL');
      // Nothing in a project without accounts reads SECRET_KEY, so no service is given one.
      expect(service.envVars.map((entry: any) => entry.key), service.name).not.toContain('SECRET_KEY');
    }
    // The web service is on the free plan, which has no pre-deploy command: its container migrates first.
    expect(byName['report-hub'].dockerCommand).toMatch(/^sh -c "alembic upgrade heads && exec gunicorn /);
    expect(worker.dockerCommand).not.toContain('alembic');
    expect(beat.dockerCommand).not.toContain('alembic');
    // The pipeline releases all three services.
    const steps = parse(plannedText(result, '.github/workflows/ci.yml')).jobs.deploy.steps.map((step: any) => step.run).join('\n');
    for (const hook of ['RENDER_DEPLOY_HOOK_URL', 'RENDER_WORKER_DEPLOY_HOOK_URL', 'RENDER_BEAT_DEPLOY_HOOK_URL']) {
      expect(steps).toContain(`"imgURL=\${IMAGE}" "\${${hook}}"`);
    }
    expect(plannedText(result, 'README.md')).toContain('#### Workers, beat and Key Value');
  });

  it('fly.toml: app, worker and beat process groups, the HTTP service on app only', () => {
    const result = withJobs('fly');
    const fly = plannedText(result, 'fly.toml');
    const processes = /^\[processes\]\n((?:  .*\n|\n)*?)(?=\S)/m.exec(fly)?.[1] ?? '';
    const groups = [...processes.matchAll(/^  (\w+) = "(.*)"$/gm)].map((match) => [match[1], match[2]]);
    expect(groups).toEqual([
      ['app', 'gunicorn --config python:report_hub.gunicorn_conf report_hub.main:create_app()'],
      ['worker', `${WORKER} --concurrency 2`],
      ['beat', BEAT],
    ]);
    expect(fly).toMatch(/^\[http_service\]\n(?:  .*\n)*  processes = \["app"\]\n/m);
    expect(fly).toMatch(/^  JOBS_DATA_DIR = "\/tmp\/jobs"$/m);
    expect(fly).not.toMatch(/^\s*REDIS_URL\s*=/m);
    expect(plannedText(result, 'README.md')).toMatch(/fly redis create[\s\S]*REDIS_URL=/);
    expect(plannedText(result, 'README.md')).toContain('fly scale count worker=3');
  });

  it('k8s: a scalable worker Deployment and a single Recreate beat, secured like the web pods, released by deploy.sh', () => {
    const result = withJobs('kubernetes');
    const manifest = (name: string): any => parseAllDocuments(plannedText(result, `k8s/${name}`)).map((document) => document.toJS());
    const [web] = manifest('deployment.yaml');
    const [worker] = manifest('worker.yaml');
    const [beat] = manifest('beat.yaml');
    expect(worker.spec.replicas).toBeGreaterThanOrEqual(1);
    expect(worker.spec.strategy.type).toBe('RollingUpdate');
    expect(beat.spec.replicas).toBe(1);
    expect(beat.spec.strategy).toEqual({ type: 'Recreate' });
    const webPod = web.spec.template.spec;
    const workerResources = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };
    const beatResources = { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } };
    for (const [deployment, argv, resources] of [
      [worker, [...WORKER.split(' '), '--concurrency', '2'], workerResources],
      [beat, BEAT.split(' '), beatResources],
    ] as const) {
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      expect(container.command).toEqual(argv);
      expect(pod.securityContext).toEqual(webPod.securityContext);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(container.securityContext).toEqual(webPod.containers[0].securityContext);
      expect(container.resources).toEqual(resources);
      expect(container).not.toHaveProperty('ports');
      expect(container.envFrom).toEqual(webPod.containers[0].envFrom);
      expect(container.env.map((entry: any) => entry.valueFrom.secretKeyRef)).toEqual([
        { name: 'report-hub-secrets', key: 'DATABASE_URL' },
        { name: 'report-hub-secrets', key: 'REDIS_URL' },
      ]);
      expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    }
    // The web pods queue jobs in the same Redis; the Service and the PDB select web pods only.
    expect(webPod.containers[0].env.map((entry: any) => entry.name)).toContain('REDIS_URL');
    expect(parse(plannedText(result, 'k8s/service.yaml')).spec.selector['app.kubernetes.io/component']).toBe('web');
    expect(parse(plannedText(result, 'k8s/configmap.yaml')).data.JOBS_DATA_DIR).toBe('/tmp/jobs');
    // deploy.sh: migrations, then workers and beat, then the web pods.
    const script = plannedText(result, 'k8s/deploy.sh');
    const order = ['migrate-job.yaml', 'worker.yaml', 'beat.yaml', 'deployment.yaml'].map((name) => script.indexOf(`"$manifests/${name}" `));
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(script).toContain('"worker=$image"');
    expect(script).toContain('"beat=$image"');
    expect(script).toContain('kubectl rollout status deployment/report-hub-worker');
    expect(script).toContain('kubectl rollout status deployment/report-hub-beat');
    const readme = plannedText(result, 'README.md');
    expect(readme).toContain('**Scaling the workers.**');
    expect(readme).toContain('**Why exactly one beat.**');
  });
});
