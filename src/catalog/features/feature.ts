import type { ProjectNames } from '../../render/project-names.ts';
import type { PythonDependencyId } from '../python-dependencies.ts';
import type { ServiceId } from '../services.ts';

/** Every feature the catalog may name. The JSON Schema's enum is checked against this list. */
export const FEATURE_IDS = [
  'base',
  'cli',
  'api',
  'db',
  'listing',
  'transactions',
  'auth',
  'crud',
  'jobs',
  'docker',
  'ci',
  'deploy',
  'qa',
  'scaling',
  'data',
] as const;
export type FeatureId = (typeof FEATURE_IDS)[number];

/**
 * A Python object a feature plugs into the app, named relative to the project's
 * import package: `{ module: 'projects.router', name: 'router', alias: 'projects_router' }`
 * becomes `from <package>.projects.router import router as projects_router`.
 * The templates that compose the app import these from registry data, sorted,
 * so no feature has to edit another feature's module.
 */
export interface PythonObject {
  readonly module: string;
  readonly name: string;
  /** The local name in the importing module; needed when several features export the same name. */
  readonly alias?: string;
}

/** A readiness check `GET /health` runs: `key` names it in the response body. */
export interface HealthCheck extends PythonObject {
  readonly key: string;
}

/**
 * A model of a feature's templates that `generate resource` may point a
 * foreign key at (`--fields project:ref(Project)`), and how the generated
 * tests create one of its rows over HTTP.
 */
export interface ReferenceableModel {
  /** The model class: `Project`. */
  readonly model: string;
  /** Its module, relative to the package: `projects.models`. */
  readonly module: string;
  readonly table: string;
  /** Under /api/v1: `DELETE <collection>/{id}` deletes a row. */
  readonly collection: string;
  /** Its rows belong to users: only their owner sees them. */
  readonly owned?: boolean;
  /** `POST /api/v1<path>` creates a row: `{x_id}` placeholders are filled with new rows of `parents`. */
  readonly create: {
    readonly path: string;
    readonly parents?: Readonly<Record<string, string>>;
    /** The fields a create requires, in `--fields` syntax. */
    readonly fields: string;
  };
}

/** A stop on the README's reading path: a file of the generated project (`{package}` for the import package) and why to read it. */
export interface ReadingStop {
  readonly file: string;
  /** One line: what the file shows. */
  readonly why: string;
}

/**
 * A feature's part of the README's "Read the code in this order": the files a
 * first reading should visit, in order (the features' parts follow registry
 * order), and the advanced machinery it can skip until later.
 */
export interface ReadingPath {
  readonly stops: readonly ReadingStop[];
  readonly skip?: readonly ReadingStop[];
  /**
   * Features whose stops this path stands for, left out of the README's path when
   * both are in a project: code of this feature that follows their layout, read
   * first, teaches the same (and keeps the path short enough to follow).
   */
  readonly replaces?: readonly FeatureId[];
}

/** Option id → chosen value, after defaults are applied. */
export type OptionValues = Readonly<Record<string, string>>;

/**
 * Where a next step goes in the closing report, in this order: set the project
 * up, run its gates, start it, try what it does, ship it.
 */
export const NEXT_STEP_STAGES = ['prepare', 'check', 'run', 'try', 'ship'] as const;
export type NextStepStage = (typeof NEXT_STEP_STAGES)[number];

/**
 * One line of "Next steps" after `create` (or after `add` brought the feature in):
 * a command to type in the project folder, or a thing to do elsewhere (a secret to
 * set in the CI's settings), with why in a few words.
 */
export interface NextStep {
  readonly stage: NextStepStage;
  /** The command, as typed in the project folder; absent for something done outside it. */
  readonly command?: string;
  readonly why: string;
}

/** What a feature's next steps may depend on. */
export interface NextStepContext {
  readonly project: ProjectNames;
  readonly options: OptionValues;
  readonly features: ReadonlySet<FeatureId>;
  /** The URL of the project's git remote `origin`, if it has one (read only when a step asks). */
  readonly gitRemote?: () => string | undefined;
}

/**
 * How a project's schema changes ship, as data of the framework (the db feature's
 * variant): every pipeline, container and deploy target runs these commands, and the
 * README names them, so a framework with its own migrations (Django) changes them in
 * one place.
 */
export interface MigrationCommands {
  /** The migration tool: its prose differs where the tools behave differently (a rollback). */
  readonly tool: 'alembic' | 'django';
  /** Applies every pending migration inside the image (compose, Fly's release, Render, the Kubernetes Job). */
  readonly apply: readonly string[];
  /** The same from a checkout of the repository, after `uv run` (the CI test job, `make migrate`). */
  readonly applyFromSource: readonly string[];
  /** Fails when the models and the migrations disagree (the CI test job), after `uv run`. */
  readonly check: readonly string[];
  /** Undoes applied migrations down to one, inside the image: `<revision>`-style placeholders in angle brackets. */
  readonly undo: readonly string[];
}

/**
 * What a feature adds on one web framework (`Feature.frameworks`): merged into
 * the feature when the project's framework is known (src/catalog/frameworks.ts).
 */
export interface FrameworkVariant {
  /** Template folders after the feature's own: `api/fastapi`. */
  readonly templateDirs?: readonly string[];
  readonly dependencies?: readonly PythonDependencyId[];
  readonly devDependencies?: readonly PythonDependencyId[];
  readonly routers?: readonly PythonObject[];
  readonly healthChecks?: readonly HealthCheck[];
  readonly models?: readonly PythonObject[];
  /** Source folders beyond src/ and tests/ on this framework (Alembic's `migrations`, say). */
  readonly extraSourceDirs?: readonly string[];
  /** Django apps the variant adds, relative to the package (`projects`): `INSTALLED_APPS` lists them. */
  readonly djangoApps?: readonly string[];
  /**
   * Django middleware classes, relative to the package (`observability.MetricsMiddleware`):
   * `MIDDLEWARE` lists them right after the request id's, in registry order.
   */
  readonly djangoMiddleware?: readonly string[];
  /** URL pattern lists mounted at the root beside `/health` (Django's `urls.py`), not under `/api/v1`. */
  readonly rootUrls?: readonly PythonObject[];
  /** The framework itself needs `SECRET_KEY` (Django: sessions, CSRF, the admin), whatever the features. */
  readonly usesSecretKey?: boolean;
  runCommand?(project: ProjectNames): string;
  workerCommand?(project: ProjectNames): readonly string[];
  beatCommand?(project: ProjectNames): readonly string[];
  migrations?(project: ProjectNames): MigrationCommands;
  serveCommand?(project: ProjectNames): readonly string[];
  collectStatic?(project: ProjectNames): readonly string[];
}

/**
 * A building block of generated projects. A milestone is a set of
 * features; a project's feature set is the closure of its milestones' features
 * under `requires`. Adding a feature means a folder under templates/ and one of
 * these objects in the registry; nothing else has to learn its name.
 */
export interface Feature {
  readonly id: FeatureId;
  /** One line for `list` and the project README. */
  readonly title: string;
  /** Features that must be present for this one to work; pulled in automatically. */
  readonly requires: readonly FeatureId[];
  /** Runtime requirements, as keys of the one version map. */
  readonly dependencies: readonly PythonDependencyId[];
  /** Requirements of the `dev` dependency group. */
  readonly devDependencies: readonly PythonDependencyId[];
  /**
   * Template folders under templates/, in render order. A function of the options
   * so that one feature can carry alternatives (one folder per CI provider, say),
   * and of the project's other features, for files that exist only next to one
   * of them (the Kubernetes manifests of the jobs feature's worker, say).
   */
  templateDirs(options: OptionValues, features: ReadonlySet<FeatureId>): readonly string[];
  /**
   * The servers (src/catalog/services.ts) the feature talks to, which may depend on
   * the options (`--db`). Compose, the CI pipelines and the deploy targets run
   * every declared service; a service's Python driver joins the dependencies.
   */
  services?(options: OptionValues): readonly ServiceId[];
  /**
   * What `make run` runs when this feature is the last one in registry order
   * that sets it; the Makefile template reads the winner from the context.
   */
  runCommand?(project: ProjectNames): string;
  /**
   * The argv that starts this feature's background worker inside the project's
   * container image (the compose file's `worker` service runs it). Set by the
   * feature that owns the worker (jobs); the last one in registry order wins.
   */
  workerCommand?(project: ProjectNames): readonly string[];
  /**
   * The argv of the one scheduler process that queues this feature's periodic work
   * (Celery beat for jobs): `make beat`, and the `beat` service or process of each
   * container and deploy target. Exactly one may run. The last one in registry order wins.
   */
  beatCommand?(project: ProjectNames): readonly string[];
  /**
   * How the project's migrations are applied and checked (Alembic, or Django's own): set by
   * the db feature's variant; the last one in registry order wins.
   */
  migrations?(project: ProjectNames): MigrationCommands;
  /**
   * The argv of the production app server inside the image (gunicorn with the framework's
   * entry point): the Dockerfile's CMD and every deploy target's web process run it. Set by
   * the docker feature's variant; the last one in registry order wins.
   */
  serveCommand?(project: ProjectNames): readonly string[];
  /**
   * The argv, after `uv run` in a checkout, that gathers the static files the image serves
   * (Django's `collectstatic`, which the image build runs too): the CI test job runs it, so a
   * broken static file fails before the image is built. Absent where nothing is collected.
   */
  collectStatic?(project: ProjectNames): readonly string[];
  /**
   * How many copies of the app the compose stack runs behind Nginx (the docker
   * feature's `compose.yaml` and `nginx/default.conf`), when more than one: the
   * largest number any feature asks for. Without it, compose runs one `app`.
   */
  readonly appReplicas?: number;
  /**
   * The feature signs or derives keys from `SECRET_KEY` (auth's tokens). The setting, its
   * production check, its `.env.example` line and the secret every container and deploy
   * target provides exist only when a feature sets this: a secret nothing reads is one
   * more thing to generate, store and rotate for nothing.
   */
  readonly usesSecretKey?: boolean;
  /**
   * Why `add` cannot bring this feature into an existing project with these options, if it
   * cannot (Django swaps the user model only before the first migration). `create` is unaffected.
   */
  addRefusal?(options: OptionValues): string | undefined;
  /** The feature's part of the README's reading path, which may depend on the options (the deploy target's file). */
  readingPath?(options: OptionValues): ReadingPath;
  /** The Alembic branch label of the feature's migrations (`branch_labels` of its first revision), if it ships any. */
  readonly migrationBranch?: string;
  /** Modules mypy, ruff and coverage must know about beyond src/ and tests/ (migrations, say). */
  readonly extraSourceDirs?: readonly string[];
  /** Folders coverage measures beside the package: code under tests/ that is not a test (a test framework's helpers). */
  readonly coverageSources?: readonly string[];
  /** FastAPI routers (`APIRouter` objects) mounted under /api/v1 by the api feature's `routes.py`. */
  readonly routers?: readonly PythonObject[];
  /**
   * What depends on the web framework, per value of the `framework` option. A
   * feature that has this supports exactly the frameworks it lists; one without
   * it works on every framework (the db feature's SQLAlchemy code, say).
   */
  readonly frameworks?: Readonly<Record<string, FrameworkVariant>>;
  /** Readiness checks `GET /health` runs, each a `(Request) -> None` that raises when unhealthy. */
  readonly healthChecks?: readonly HealthCheck[];
  /** Django apps (relative to the package) in `INSTALLED_APPS`; set through a django variant. */
  readonly djangoApps?: readonly string[];
  /** Django middleware classes (relative to the package); set through a django variant. */
  readonly djangoMiddleware?: readonly string[];
  /** URL pattern lists mounted at the root of Django's `urls.py`; set through a django variant. */
  readonly rootUrls?: readonly PythonObject[];
  /** SQLAlchemy model classes; the db feature's `db/models.py` imports them so `Base.metadata` is complete. */
  readonly models?: readonly PythonObject[];
  /**
   * Functions `(app: FastAPI) -> None` that `create_app()` calls last, in registry order, to
   * wrap the whole app (middleware, endpoints outside /api/v1). `module` is a module at the
   * top of the package (`observability`): main.py imports it beside `__version__`.
   */
  readonly installers?: readonly PythonObject[];
  /** Models a generated resource may refer to with `ref(Model)`. */
  readonly referenceable?: readonly ReferenceableModel[];
  /**
   * What the user does to see this feature work once the project exists: the
   * closing report of `create` lists every feature's steps (and `add`, the new
   * features'), by stage, then registry order; for one command named by several
   * features, the last one's words win, like `runCommand`.
   */
  nextSteps?(context: NextStepContext): readonly NextStep[];
}
