import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { loadRoadmap } from '../../src/catalog/roadmap.ts';
import { loadTemplateTree } from '../../src/catalog/templates.ts';
import { planProject, templateDirsFor } from '../../src/plan/plan-project.ts';
import { buildRenderContext } from '../../src/render/context.ts';
import { buildProjectNames } from '../../src/render/project-names.ts';

const catalog = new Catalog(loadRoadmap());

function plan(milestones: string[]) {
  const answers = { name: 'Report Hub', milestones, options: { framework: 'fastapi', db: 'sqlite' } };
  const features = catalog.featuresFor(milestones, []);
  const templates = loadTemplateTree(templateDirsFor(features, answers.options));
  return planProject({ catalog, answers, templates, generatorVersion: '0.0.0-test' });
}

function file(result: ReturnType<typeof plan>, path: string): string {
  const found = result.files.find((candidate) => candidate.path === path);
  if (!found) throw new Error(`${path} was not planned`);
  return found.content.toString('utf8');
}

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
    expect(file(jobs, 'Makefile')).toContain(`worker: ## Run a Celery worker`);
    expect(file(jobs, 'Makefile')).toContain(`\t$(RUN) ${argv.join(' ')} $(WORKER_ARGS)\n`);
    expect(file(jobs, 'Makefile')).toContain('\t$(RUN) celery --app report_hub.jobs.worker:celery_app beat --loglevel INFO\n');
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
    expect(file(plan(['crud-db']), 'Makefile')).not.toContain('celery');
  });

  it('mounts the routers, the broker health check and the models', () => {
    expect(file(jobs, 'src/report_hub/routes.py')).toContain(
      'from report_hub.jobs.router import router as jobs_router\nfrom report_hub.reports.router import router as reports_router\n',
    );
    expect(file(jobs, 'src/report_hub/health.py')).toContain('    "broker": check_broker,\n    "database": check_database,\n');
    expect(file(jobs, 'src/report_hub/db/models.py')).toContain(
      'from report_hub.jobs.models import Job\nfrom report_hub.reports.models import Sale, SalesReport\n',
    );
  });

  it('adds its settings, environment variables and ignored folder through slots', () => {
    const settings = file(jobs, 'src/report_hub/settings.py');
    expect(settings).toContain('    redis_url: str | None = None\n');
    expect(settings).toContain('    jobs_data_dir: str = ".jobs"\n');
    expect(settings).toContain('    jobs_queue: str = Field(\n        default="report_hub",\n');
    expect(settings).toContain('    test_redis_url: str | None = None\n');
    const env = file(jobs, '.env.example');
    expect(env).toMatch(/^# REDIS_URL=redis:\/\/127\.0\.0\.1:6379\/0$/m);
    expect(env).toMatch(/^JOBS_DATA_DIR=\.jobs$/m);
    expect(env).toMatch(/^JOBS_QUEUE=report_hub$/m);
    expect(file(jobs, '.gitignore')).toMatch(/^\.jobs\/$/m);
    expect(file(jobs, 'pyproject.toml')).toMatch(/"celery\[redis\]~=5\.7",\n/);
    expect(file(jobs, 'README.md')).toContain('## Background jobs');
  });

  it('ships its migration as a branch of its own next to crud-db', () => {
    const both = plan(['background-jobs', 'crud-db']);
    const migrations = both.files.map((planned) => planned.path).filter((path) => path.startsWith('migrations/versions/') && path.endsWith('.py'));
    expect(migrations.sort()).toEqual([
      'migrations/versions/0001_create_projects_and_tasks.py',
      'migrations/versions/jobs_0001_create_jobs_sales_and_reports.py',
    ]);
    const jobsMigration = file(both, 'migrations/versions/jobs_0001_create_jobs_sales_and_reports.py');
    expect(jobsMigration).toContain('down_revision: str | Sequence[str] | None = None\n');
    expect(jobsMigration).toContain('branch_labels: str | Sequence[str] | None = ("jobs",)\n');
  });
});
