import { describe, expect, it } from 'vitest';
import { optionProducts } from '../../src/catalog/roadmap.ts';
import { planMilestones } from '../helpers/plan-milestones.ts';
import {
  PENDING_FINDINGS,
  readmeProblems,
  unusedModules,
  unusedSettings,
  withoutPending,
  type ProjectFiles,
} from '../helpers/project-honesty.ts';
import { catalog } from '../helpers/template-tree.ts';

/**
 * No dead module, no unread setting, no README sentence about what the project
 * does not have: each milestone alone, every CI provider and deploy target, and
 * two combinations. test/generated/matrix.test.ts runs the same checks over
 * every valid combination.
 */
describe('a generated project has no dead module, no unread setting and no untrue README line', () => {
  const projects: { milestones: string[]; options: Record<string, string> }[] = [
    ...catalog.milestones.filter((milestone) => milestone.id !== 'cloud-deploy').map((milestone) => ({ milestones: [milestone.id], options: {} })),
    ...optionProducts(catalog.options.filter((option) => option.id === 'ci' || option.id === 'deploy')).map((options) => ({
      milestones: ['cloud-deploy'],
      options,
    })),
    { milestones: ['python-foundations', 'crud-db'], options: {} },
    { milestones: ['rest-api-auth', 'background-jobs', 'dockerized-app'], options: { db: 'postgres' } },
  ];
  const pending: string[] = [];
  for (const { milestones, options } of projects) {
    it(`${milestones.join(' + ')} ${Object.entries(options).map(([id, value]) => `${id}=${value}`).join(' ')}`, () => {
      const plan = planMilestones('honest', milestones, options);
      const files = new Map(plan.files.map((file) => [file.path, file.content] as const));
      const resolved = { milestones, options: plan.context.options };
      const findings = withoutPending([...unusedModules(files, 'honest'), ...unusedSettings(files, 'honest'), ...readmeProblems(files, resolved, catalog, 'honest')]);
      pending.push(...findings.pending);
      expect(findings.other).toEqual([]);
    });
  }

  it('every pending finding still occurs (remove it from PENDING_FINDINGS once fixed)', () => {
    // Each pending pattern matches a finding; with none pending, no finding is set aside.
    expect(PENDING_FINDINGS.filter((pattern) => !pending.some((finding) => pattern.test(finding))).map(String)).toEqual([]);
    if (PENDING_FINDINGS.length === 0) expect(pending).toEqual([]);
  });
});

describe('the checks fail for the reason they name', () => {
  const project = (extra: Record<string, string>): ProjectFiles =>
    new Map(
      Object.entries({
        'pyproject.toml': '[project.scripts]\napp = "app.cli:main"\n',
        'Makefile': 'run: ## run\n\tuv run python -m app\nbeat:\n\tcelery --app app.worker:celery_app beat\n',
        'src/app/__init__.py': '',
        'src/app/__main__.py': 'from app.cli import main\n',
        'src/app/cli.py': 'from .report import render\nfrom app import stats\n',
        'src/app/report.py': '"""Report."""\n',
        'src/app/stats.py': '',
        'src/app/worker.py': 'TASK_MODULES = ("app.tasks",)\n',
        'src/app/tasks.py': '',
        'tests/__init__.py': '',
        'tests/helpers.py': '',
        'tests/test_cli.py': 'from .helpers import x\n',
        ...extra,
      }),
    );

  it('accepts modules that run: started by name, imported absolutely, relatively, as a submodule or in a string', () => {
    expect(unusedModules(project({}), 'app')).toEqual([]);
  });

  it("accepts a Django app's tasks.py that Celery's autodiscovery imports, and only then", () => {
    const app = {
      'src/app/stats.py': 'INSTALLED_APPS = ["app.jobs"]\n',
      'src/app/jobs/__init__.py': '',
      'src/app/jobs/tasks.py': 'from app.jobs.sweeper import sweep\n',
      'src/app/jobs/sweeper.py': '',
    };
    expect(unusedModules(project({ ...app, 'src/app/report.py': 'app.autodiscover_tasks()\n' }), 'app')).toEqual([]);
    expect(unusedModules(project(app), 'app')).toEqual([
      'src/app/jobs/tasks.py: nothing the project runs imports it',
      'src/app/jobs/sweeper.py: nothing the project runs imports it',
    ]);
  });

  it.each([
    [{ 'src/app/legacy.py': 'import os\n' }, 'src/app/legacy.py: nothing the project runs imports it'],
    [{ 'src/app/pagination.py': '', 'tests/test_pagination.py': 'from app.pagination import Page\n' }, 'src/app/pagination.py: nothing the project runs imports it (only tests do)'],
    [{ 'src/app/a.py': 'from app.b import x\n', 'src/app/b.py': 'from app.a import y\n' }, 'src/app/a.py: nothing the project runs imports it'],
    [{ 'tests/factories.py': '' }, 'tests/factories.py: a test helper no test imports'],
  ])('flags a module nothing runs: %o', (extra, problem) => {
    expect(unusedModules(project(extra), 'app')).toContainEqual(problem);
  });

  const settings = `class Settings(BaseSettings):
    app_env: str = "development"
    secret_key: str = "change-me"
    host: str = "127.0.0.1"
    cors_origins: list[str] = []
    test_database_url: str | None = None

    @model_validator(mode="after")
    def _refuse_weak_secret_in_production(self) -> Self:
        if self.app_env == "production" and self.secret_key == "change-me":
            raise ValueError("x")
        return self

    @property
    def cors_allow_credentials(self) -> bool:
        return bool(self.cors_origins)
`;
  const web = (code: string, example = 'HOST=127.0.0.1\n'): ProjectFiles =>
    new Map([
      ['src/app/settings.py', settings],
      ['src/app/main.py', code],
      ['tests/database.py', 'url = settings.test_database_url\n'],
      ['.env.example', example],
    ]);

  it('accepts settings read by the code, through a property, or by a validator beside a read one', () => {
    const code = 'print(settings.host, settings.cors_allow_credentials, settings.secret_key)\n';
    expect(unusedSettings(web(code), 'app')).toEqual([]);
  });

  it('flags a setting only its own validator reads, and .env.example lines nothing reads', () => {
    const problems = unusedSettings(web('print(settings.host, settings.cors_allow_credentials)\n', 'HOST=1\nLEGACY_FLAG=1\n'), 'app');
    expect(problems).toEqual([
      'src/app/settings.py: the setting app_env (APP_ENV) is never read',
      'src/app/settings.py: the setting secret_key (SECRET_KEY) is never read',
      '.env.example sets LEGACY_FLAG, which nothing in the project reads',
    ]);
  });

  it('flags an .env.example in a project that reads no setting', () => {
    expect(unusedSettings(new Map([['.env.example', '# Copy to .env\n']]), 'app')).toEqual([
      '.env.example sets no variable: the project reads none, so it needs no such file',
    ]);
  });

  const readme = (body: string, extra: Record<string, string> = {}): string[] =>
    readmeProblems(
      new Map(
        Object.entries({
          'README.md': body,
          'Makefile': 'run:\n\techo\nmigration:\n\techo\n',
          'src/app/notes/router.py': 'router = APIRouter(prefix="/notes")\n',
          'migrations/versions/auth_0001.py': 'branch_labels = ("auth",)\n',
          '.env.example': 'DATABASE_URL=x\n',
          ...extra,
        }),
      ),
      { milestones: ['cloud-deploy'], options: { framework: 'fastapi', db: 'sqlite', ci: 'github', deploy: 'fly' } },
      catalog,
      'app',
    );

  it('accepts a README that names what the project has', () => {
    const body = [
      '`src/app/notes/router.py`, `notes/`, `router.py`, `.venv/`, `uv.lock`, `OWNER/REPOSITORY`, `ghcr.io/octo-org/app`',
      '```bash\nmake run\n```',
      'Set `DATABASE_URL`. `make migration m="x" head=auth@head`; GET /api/v1/notes. Deploys to Fly.io.',
      '- CI/CD with GitHub Actions or GitLab CI: `jobs.publish`',
      'You can make a change.',
    ].join('\n');
    expect(readme(body)).toEqual([]);
  });

  it.each([
    ['`db/transactions.py` commits', 'names `db/transactions.py`'],
    ['```bash\nmake worker\n```', 'runs `make worker`'],
    ['`head=crud@head`', 'crud@head'],
    ['set `SECRET_KEY` first', 'names SECRET_KEY'],
    ['`GET /api/v1/projects`', '/api/v1/projects'],
    ['Render, Fly.io or Kubernetes', 'mentions Render'],
    ['pushed by GitLab CI', 'mentions GitLab CI'],
  ])('flags %s', (body, problem) => {
    expect(readme(body)).toContainEqual(expect.stringContaining(problem));
  });
});
