import type { Catalog } from '../catalog/catalog.ts';
import {
  FEATURE_IDS,
  type Feature,
  type FeatureId,
  type MigrationCommands,
  type OptionValues,
  type ReadingStop,
} from '../catalog/features/index.ts';
import { PYTHON_DEPENDENCIES, pythonTargets, type PythonDependencyId } from '../catalog/python-dependencies.ts';
import { resolveServices, SERVICE_IDS, type EnvironmentEntry, type Service, type ServiceId } from '../catalog/services.ts';
import { withFramework } from '../catalog/frameworks.ts';
import { evidenceApplies, type Challenge, type Learning } from '../catalog/roadmap.ts';
import { PACKAGE_NAME } from '../paths.ts';
import type { ProjectNames } from './project-names.ts';
import { pythonImportLines, resolvePythonObjects, type PythonImportLine } from './python-imports.ts';
import { compareRequirements } from './requirement-order.ts';

/** What the user chose, once every question has an answer. */
export interface ProjectAnswers {
  /** The project name as typed; every other name is derived from it. */
  readonly name: string;
  readonly milestones: readonly string[];
  /** Features asked for directly (by `add <feature>`), beyond the milestones'. */
  readonly extraFeatures?: readonly FeatureId[];
  /** Values of the options that apply to the milestones, defaults filled in. */
  readonly options: OptionValues;
}

export interface MilestoneView {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly phases: readonly { readonly number: number; readonly title: string }[];
  readonly topics: readonly TopicView[];
  /** The milestone's learning, its objectives those this project's options demonstrate. */
  readonly learning: Omit<Learning, 'objectives'> & { readonly objectives: readonly string[] };
}

/** A claimed topic, with where this project shows it: paths resolved, the evidence its options keep, grouped by file. */
export interface TopicView {
  readonly id: string;
  readonly title: string;
  readonly evidence: readonly { readonly file: string; readonly symbols: readonly string[] }[];
}

function evidenceByFile(evidence: readonly { readonly file: string; readonly symbol: string }[]): TopicView['evidence'] {
  const byFile = new Map<string, string[]>();
  for (const { file, symbol } of evidence) byFile.set(file, [...(byFile.get(file) ?? []), symbol]);
  return [...byFile].map(([file, symbols]) => ({ file, symbols }));
}

/** Everything a template may read. Templates compute nothing: names and lists arrive ready. */
export interface RenderContext {
  readonly generator: { readonly name: string; readonly version: string };
  readonly project: ProjectNames & { readonly description: string };
  readonly milestones: readonly MilestoneView[];
  /** Every feature id, true when the project has it, so `{{#if features.jobs}}` is never a typo trap. */
  readonly features: Readonly<Record<FeatureId, boolean>>;
  readonly featureList: readonly { readonly id: FeatureId; readonly title: string }[];
  /** Every catalog option, with the chosen value or its default. */
  readonly options: OptionValues;
  readonly python: { readonly minimum: string; readonly target: string };
  /** PEP 508 requirements, sorted, for `[project] dependencies`. */
  readonly dependencies: readonly string[];
  /** PEP 508 requirements, sorted, for the `dev` dependency group. */
  readonly devDependencies: readonly string[];
  /** The README's reading path: each feature's stops in registry order, and what a first reading can skip. */
  readonly reading: { readonly stops: readonly (ReadingStop & { readonly number: number })[]; readonly skip: readonly ReadingStop[] };
  /** Every service id, true when a feature declared it, so `{{#if services.redis}}` is never a typo trap. */
  readonly services: Readonly<Record<ServiceId, boolean>>;
  /** The declared services, database first: compose, CI and deploy templates loop over these. */
  readonly serviceList: readonly ServiceView[];
  /** The database server (PostgreSQL, or MariaDB with `--db mysql`), when the project has the db feature. */
  readonly databaseService: ServiceView | undefined;
  /** The other servers (Redis...): what the app waits for besides the database. */
  readonly backingServices: readonly ServiceView[];
  /** The Alembic branch labels of the features' migrations, in registry order. */
  readonly migrationBranches: readonly string[];
  /** Whether a feature reads `SECRET_KEY` (Feature.usesSecretKey): the setting exists only then. */
  readonly secretKey: boolean;
  /** The Makefile recipe of `make run`. */
  readonly runCommand: string;
  /** The graded challenges the project ships: those of every milestone its features cover, in catalog order. */
  readonly challenges: readonly Challenge[];
  /** The argv of the background worker in a container; empty when no feature has one. */
  readonly workerCommand: readonly string[];
  /** The argv of the single beat (periodic scheduler) process; empty when no feature has one. */
  readonly beatCommand: readonly string[];
  /**
   * How the project migrates (Alembic or Django's own): the commands compose, both pipelines,
   * the deploy targets and the README run and name. Undefined without a database.
   */
  readonly migrations: MigrationCommands | undefined;
  /** The argv of the production app server in the image (gunicorn); empty without a container. */
  readonly serveCommand: readonly string[];
  /** The argv (after `uv run`) that collects the static files the image serves; empty where nothing is collected. */
  readonly collectStatic: readonly string[];
  /**
   * The compose services of the app's copies behind Nginx (`app-1`, `app-2`...) when a
   * feature asks for more than one (Feature.appReplicas); empty: one service, `app`.
   */
  readonly appReplicas: readonly string[];
  /** Folders mypy checks: src, tests, and every feature's `extraSourceDirs` (migrations...). */
  readonly sourceDirs: readonly string[];
  /** What coverage measures (`[tool.coverage.run] source`): the package and every feature's `coverageSources`. */
  readonly coverageSources: readonly string[];
  /** What the features plug into the app, from registry data, sorted the way ruff's isort wants. */
  readonly app: AppComposition;
}

/** The pieces the api and db templates compose; each list comes with its import lines. */
export interface AppComposition {
  /** `api_router.include_router(<local>)` in routes.py. */
  readonly routers: readonly { readonly local: string }[];
  readonly routerImports: readonly PythonImportLine[];
  /** `"<key>": <local>` in health.py. */
  readonly healthChecks: readonly { readonly key: string; readonly local: string }[];
  readonly healthCheckImports: readonly PythonImportLine[];
  /** Names re-exported by db/models.py so `Base.metadata` knows every table. */
  readonly models: readonly { readonly local: string }[];
  readonly modelImports: readonly PythonImportLine[];
  /** Django apps (dotted paths, `<pkg>.projects`) the Django settings' `INSTALLED_APPS` lists. */
  readonly djangoApps: readonly string[];
  /** Django middleware (dotted paths) `MIDDLEWARE` lists after the request id's, in registry order. */
  readonly djangoMiddleware: readonly string[];
  /** `*<local>` at the root of Django's urls.py (their imports are among `routerImports`). */
  readonly rootUrls: readonly { readonly local: string }[];
  /** `from <package> import __version__, <modules>` in main.py: the installers' modules, sorted. */
  readonly installerModules: readonly string[];
  /** `<module>.<name>(app)` at the end of `create_app()`, in registry order. */
  readonly installers: readonly { readonly module: string; readonly name: string }[];
}

/** `NAME: value` as Handlebars reads it. */
export interface EnvironmentVariable {
  readonly name: string;
  readonly value: string;
}

/** A declared service, its data ready for the templates (the CI host names filled in). */
export interface ServiceView extends Omit<Service, 'compose' | 'ci'> {
  readonly compose: Omit<Service['compose'], 'environment' | 'appEnvironment' | 'command'> & {
    readonly command: readonly string[];
    readonly environment: readonly EnvironmentVariable[];
    readonly appEnvironment: readonly EnvironmentVariable[];
  };
  readonly ci: {
    readonly environment: readonly EnvironmentVariable[];
    readonly healthCommand: string;
    /** The test job's variables on GitHub (services on localhost) and on GitLab (services on their alias). */
    readonly githubEnvironment: readonly EnvironmentVariable[];
    readonly gitlabEnvironment: readonly EnvironmentVariable[];
  };
}

function variables(entries: readonly EnvironmentEntry[], host = ''): EnvironmentVariable[] {
  return entries.map(([name, value]) => ({ name, value: value.replaceAll('{host}', host) }));
}

function serviceView(service: Service): ServiceView {
  return {
    ...service,
    compose: {
      ...service.compose,
      command: service.compose.command ?? [],
      environment: variables(service.compose.environment),
      appEnvironment: variables(service.compose.appEnvironment),
    },
    ci: {
      environment: variables(service.ci.environment),
      healthCommand: service.ci.healthCommand,
      githubEnvironment: variables(service.ci.jobEnvironment, 'localhost'),
      gitlabEnvironment: variables(service.ci.jobEnvironment, service.id),
    },
  };
}

/** The services the features declare, for these options. */
export function servicesOf(features: readonly Feature[], options: OptionValues): Service[] {
  return resolveServices(features.flatMap((feature) => feature.services?.(options) ?? []));
}

function readingPathOf(features: readonly Feature[], options: OptionValues, packageName: string): RenderContext['reading'] {
  const all = features.flatMap((feature) => (feature.readingPath ? [{ id: feature.id, path: feature.readingPath(options) }] : []));
  const replaced = new Set(all.flatMap(({ path }) => path.replaces ?? []));
  const paths = all.filter(({ id }) => !replaced.has(id)).map(({ path }) => path);
  const resolve = (stop: ReadingStop): ReadingStop => ({ file: stop.file.replaceAll('{package}', packageName), why: stop.why });
  const stops = paths.flatMap((path) => path.stops.map(resolve));
  // A file one feature lets a first reading skip stays a stop when another feature builds on it
  // (the docker feature's optional proxy is the scaling feature's load balancer).
  const stopped = new Set(stops.map((stop) => stop.file));
  return {
    stops: stops.map((stop, index) => ({ ...stop, number: index + 1 })),
    skip: paths.flatMap((path) => (path.skip ?? []).map(resolve)).filter((item) => !stopped.has(item.file)),
  };
}

function requirements(
  features: readonly Feature[],
  pick: (feature: Feature) => readonly PythonDependencyId[],
  services: readonly Service[] = [],
): string[] {
  const ids = new Set([...features.flatMap(pick), ...services.flatMap((service) => service.pythonDependencies)]);
  return [...ids].map((id) => PYTHON_DEPENDENCIES[id].requirement).sort(compareRequirements);
}

function composeApp(packageName: string, features: readonly Feature[]): AppComposition {
  const routers = resolvePythonObjects(packageName, features.flatMap((feature) => feature.routers ?? []));
  const rootUrls = resolvePythonObjects(packageName, features.flatMap((feature) => feature.rootUrls ?? []));
  const checks = features.flatMap((feature) => feature.healthChecks ?? []);
  const keys = new Set<string>();
  for (const check of checks) {
    if (keys.has(check.key)) throw new Error(`Two health checks are named "${check.key}".`);
    keys.add(check.key);
  }
  const resolvedChecks = resolvePythonObjects(packageName, checks);
  const models = resolvePythonObjects(packageName, features.flatMap((feature) => feature.models ?? []));
  const installers = features.flatMap((feature) => feature.installers ?? []);
  for (const { module } of installers) {
    if (!/^[a-z_][a-z0-9_]*$/.test(module)) throw new Error(`An installer's module must be at the top of the package: "${module}".`);
  }
  const keyOf = new Map(checks.map((check) => [check.alias ?? check.name, check.key]));
  return {
    routers: routers.map(({ local }) => ({ local })),
    routerImports: pythonImportLines(
      rootUrls.length === 0 ? routers : resolvePythonObjects(packageName, features.flatMap((feature) => [...(feature.routers ?? []), ...(feature.rootUrls ?? [])])),
    ),
    rootUrls: rootUrls.map(({ local }) => ({ local })),
    healthChecks: resolvedChecks
      .map(({ local }) => ({ key: keyOf.get(local) ?? local, local }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    healthCheckImports: pythonImportLines(resolvedChecks),
    models: models.map(({ local }) => ({ local })).sort((a, b) => (a.local < b.local ? -1 : a.local > b.local ? 1 : 0)),
    modelImports: pythonImportLines(models),
    djangoApps: features.flatMap((feature) => feature.djangoApps ?? []).map((app) => `${packageName}.${app}`),
    djangoMiddleware: features.flatMap((feature) => feature.djangoMiddleware ?? []).map((middleware) => `${packageName}.${middleware}`),
    installerModules: [...new Set(installers.map(({ module }) => module))].sort(),
    installers: installers.map(({ module, name }) => ({ module, name })),
  };
}

/** The compose service names of `count` copies of the app: none for a single copy (it is `app`). */
function replicaNames(count: number): string[] {
  return count > 1 ? Array.from({ length: count }, (_, index) => `app-${index + 1}`) : [];
}

/** The one context builder: answers and names in, template data out. */
export function buildRenderContext(input: {
  readonly catalog: Catalog;
  readonly answers: ProjectAnswers;
  readonly names: ProjectNames;
  readonly features: readonly Feature[];
  readonly generatorVersion: string;
}): RenderContext {
  const { catalog, answers, names } = input;
  const options = catalog.optionValuesOf(answers.options);
  const milestones = answers.milestones.map((id): MilestoneView => {
    const milestone = catalog.milestone(id);
    if (!milestone) throw new Error(`unknown milestone "${id}" reached the context builder`);
    return {
      id: milestone.id,
      title: milestone.title,
      summary: milestone.frameworkSummaries?.[options['framework'] ?? ''] ?? milestone.summary,
      phases: milestone.phases.map((phaseId) => {
        const phase = catalog.phase(phaseId);
        return { number: phase?.number ?? 0, title: phase?.title ?? phaseId };
      }),
      topics: milestone.topics.filter((claim) => evidenceApplies(claim, options)).map(
        (claim): TopicView => ({
          id: claim.id,
          title: catalog.topicTitle(claim.id),
          evidence: evidenceByFile(
            claim.evidence
              .filter((evidence) => evidenceApplies(evidence, options))
              .map((evidence) => ({ file: evidence.file.replaceAll('{package}', names.packageName), symbol: evidence.symbol })),
          ),
        }),
      ),
      learning: {
        ...milestone.learning,
        objectives: milestone.learning.objectives.flatMap((objective) =>
          typeof objective === 'string' ? [objective] : evidenceApplies(objective, options) ? [objective.text] : [],
        ),
      },
    };
  });
  // Each feature with its variant for the chosen framework (src/catalog/frameworks.ts).
  const features = withFramework(input.features, options);
  const has = new Set(features.map((feature) => feature.id));
  const runner = [...features].reverse().find((feature) => feature.runCommand);
  const worker = [...features].reverse().find((feature) => feature.workerCommand);
  const beat = [...features].reverse().find((feature) => feature.beatCommand);
  const migrator = [...features].reverse().find((feature) => feature.migrations);
  const server = [...features].reverse().find((feature) => feature.serveCommand);
  const collector = [...features].reverse().find((feature) => feature.collectStatic);
  const services = servicesOf(features, options);
  const serviceList = services.map(serviceView);

  return {
    generator: { name: PACKAGE_NAME, version: input.generatorVersion },
    project: { ...names, description: milestones[0]?.summary ?? `${names.displayName}, a Python project.` },
    milestones,
    features: Object.fromEntries(FEATURE_IDS.map((id) => [id, has.has(id)])) as Record<FeatureId, boolean>,
    featureList: features.map((feature) => ({ id: feature.id, title: feature.title })),
    challenges: catalog
      .milestonesCoveredBy(has)
      .flatMap((milestone) => (milestone.challenges ?? []).filter((challenge) => evidenceApplies(challenge, options))),
    options,
    python: pythonTargets(),
    dependencies: requirements(features, (feature) => feature.dependencies, services),
    devDependencies: requirements(features, (feature) => feature.devDependencies),
    reading: readingPathOf(features, options, names.packageName),
    services: Object.fromEntries(SERVICE_IDS.map((id) => [id, services.some((service) => service.id === id)])) as Record<ServiceId, boolean>,
    serviceList,
    databaseService: serviceList.find((service) => service.role === 'database'),
    backingServices: serviceList.filter((service) => service.role === 'backing'),
    migrationBranches: features.flatMap((feature) => (feature.migrationBranch ? [feature.migrationBranch] : [])),
    secretKey: features.some((feature) => feature.usesSecretKey === true),
    runCommand: runner?.runCommand?.(names) ?? `$(RUN) python -c "import ${names.packageName}"`,
    workerCommand: worker?.workerCommand?.(names) ?? [],
    beatCommand: beat?.beatCommand?.(names) ?? [],
    migrations: migrator?.migrations?.(names),
    serveCommand: server?.serveCommand?.(names) ?? [],
    collectStatic: collector?.collectStatic?.(names) ?? [],
    appReplicas: replicaNames(Math.max(1, ...features.map((feature) => feature.appReplicas ?? 1))),
    sourceDirs: ['src', 'tests', ...new Set(features.flatMap((feature) => feature.extraSourceDirs ?? []))],
    coverageSources: [names.packageName, ...new Set(features.flatMap((feature) => feature.coverageSources ?? []))],
    app: composeApp(names.packageName, features),
  };
}
