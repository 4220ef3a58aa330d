import { loadTemplateTree, type TemplateFile } from '../../catalog/templates.ts';
import type { GeneratedRecord } from '../../manifest/manifest.ts';
import { compileTemplate, createRenderer } from '../../render/handlebars.ts';
import { fromImport } from '../python-format.ts';
import type { Insertion } from '../markers.ts';
import { buildResourceContext, type MigrationInput, type ReferenceTarget, type ResourceFramework } from './context.ts';
import { formatFields, type ResourceSpec } from './spec.ts';

/**
 * The template folders of `generate resource`, under templates/: what every framework
 * shares (the model, schemas, repository, service, migration and HTTP tests, on
 * SQLAlchemy), and each framework's router and owner-scoped tests.
 */
export const RESOURCE_TEMPLATES = 'generators/resource';
export const resourceHttpTemplates = (framework: ResourceFramework): string => `generators/resource-http/${framework}`;

/**
 * Every template a resource on `framework` is rendered from, paths relative to their folder.
 * A Django resource is a Django app (its own folder): of the shared set it takes only the HTTP tests.
 */
export function resourceTemplates(framework: ResourceFramework): TemplateFile[] {
  const tree = loadTemplateTree([RESOURCE_TEMPLATES, resourceHttpTemplates(framework)]);
  const shared = (tree.get(RESOURCE_TEMPLATES) ?? []).filter((template) => framework !== 'django' || template.path.startsWith('tests/'));
  return [...shared, ...(tree.get(resourceHttpTemplates(framework)) ?? [])];
}

/** The marker comments the api and db templates place for this generator (ARCHITECTURE.md). */
export const RESOURCE_MARKERS = {
  routerImports: '# generate-resource: router imports (above this line, in sorted order)',
  includeRouters: '# generate-resource: include routers (above this line)',
  modelImports: '# generate-resource: model imports (above this line, in sorted order)',
  modelNames: '# generate-resource: model names',
  /** Django: the settings' `INSTALLED_APPS` (the urls.py markers are the router ones above). */
  installedApps: '# generate-resource: installed apps (above this line)',
} as const;

export interface ResourcePlanInput {
  readonly packageName: string;
  readonly spec: ResourceSpec;
  readonly targets: ReadonlyMap<string, ReferenceTarget>;
  readonly migration: MigrationInput;
  /** The `--plural` the user gave, if any: part of the recorded command. */
  readonly pluralOverride?: string;
  readonly generatorVersion: string;
  readonly templates: readonly TemplateFile[];
  readonly commandName: string;
  /** The project's web framework: its router, its test client, how a router is registered. */
  readonly framework: ResourceFramework;
  /** Every row belongs to the signed-in user who created it (the project has auth). */
  readonly owned?: boolean;
  /** `--public` was given: recorded in the command. */
  readonly public?: boolean;
  /** The project's database has no NULLS LAST (MySQL, MariaDB): optional sort keys order by `IS NULL` first. */
  readonly noNullsLast?: boolean;
}

/** Templates only an owned resource has: its tests' signed-in client, and the tests of the owner rule (a Django resource's tests always have their own client). */
const OWNED_ONLY = new Set(['tests/__resources__/conftest.py.hbs', 'tests/__resources__/test___resources___owners.py.hbs']);
const ownedOnly = (framework: ResourceFramework, path: string): boolean =>
  OWNED_ONLY.has(path) && !(framework === 'django' && path === 'tests/__resources__/conftest.py.hbs');

export interface ResourcePlan {
  /** New files, project-relative paths. */
  readonly files: readonly { readonly path: string; readonly content: string }[];
  /** Lines for the template files that register the resource. */
  readonly insertions: readonly Insertion[];
  readonly record: GeneratedRecord;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * `generate resource`, planned: the files to add and the lines to insert,
 * rendered from templates/generators/resource/ with the private Handlebars
 * instance (noEscape, strict). Pure: everything it needs is passed in.
 */
export function planResource(input: ResourcePlanInput): ResourcePlan {
  const { spec, packageName } = input;
  const { names } = spec;
  const context = buildResourceContext(input);
  const renderer = createRenderer();
  const files = input.templates.filter((template) => input.owned === true || !ownedOnly(input.framework, template.path)).map((template) => {
    const source = template.content.toString('utf8');
    let path = template.path
      .replaceAll('__package__', packageName)
      .replaceAll('__resources__', names.plural)
      .replace(/\.hbs$/, '');
    if (path.startsWith('migrations/versions/')) path = `migrations/versions/${context.migration.fileName}`;
    const content = template.path.endsWith('.hbs') ? compileTemplate(renderer, source)(context) : source;
    return { path, content };
  });
  const insertions = input.framework === 'django' ? djangoInsertions(packageName, names.plural) : sqlAlchemyInsertions(input);
  const fieldText = formatFields(spec.fields);
  const command = [
    input.commandName,
    'generate resource',
    names.className,
    '--fields',
    shellQuote(fieldText),
    ...(input.pluralOverride !== undefined ? ['--plural', input.pluralOverride] : []),
    ...(input.public === true ? ['--public'] : []),
  ].join(' ');
  return {
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    insertions,
    record: {
      generator: 'resource',
      name: names.className,
      version: input.generatorVersion,
      command,
      files: files.map((file) => file.path).sort(),
      insertions,
      resource: {
        model: names.className,
        module: `${names.plural}.models`,
        table: names.plural,
        collection: names.route,
        fields: fieldText,
        ...(input.owned === true ? { owned: true } : {}),
      },
    },
  };
}

/** FastAPI and Flask: the router registered in `routes.py`, the model imported by `db/models.py` (Alembic's metadata). */
function sqlAlchemyInsertions(input: ResourcePlanInput): Insertion[] {
  const { packageName } = input;
  const { names } = input.spec;
  const routes = `src/${packageName}/routes.py`;
  const models = `src/${packageName}/db/models.py`;
  return [
    {
      path: routes,
      marker: RESOURCE_MARKERS.routerImports,
      placement: 'sorted-import',
      text: fromImport(`${packageName}.${names.plural}.router`, [`router as ${names.plural}_router`]),
    },
    {
      path: routes,
      marker: RESOURCE_MARKERS.includeRouters,
      placement: 'above',
      // FastAPI includes a router; Flask registers a blueprint on the versioned one.
      text: `api_router.${input.framework === 'flask' ? 'register_blueprint' : 'include_router'}(${names.plural}_router)`,
    },
    {
      path: models,
      marker: RESOURCE_MARKERS.modelImports,
      placement: 'sorted-import',
      text: fromImport(`${packageName}.${names.plural}.models`, [names.className]),
    },
    { path: models, marker: RESOURCE_MARKERS.modelNames, placement: 'sorted-all', text: `"${names.className}",` },
  ];
}

/** Django: the app in `INSTALLED_APPS`, its URLs mounted under `/api/v1` (no models module: Django finds models through the app). */
function djangoInsertions(packageName: string, plural: string): Insertion[] {
  const urls = `src/${packageName}/urls.py`;
  return [
    { path: `src/${packageName}/settings.py`, marker: RESOURCE_MARKERS.installedApps, placement: 'above', text: `"${packageName}.${plural}",` },
    {
      path: urls,
      marker: RESOURCE_MARKERS.routerImports,
      placement: 'sorted-import',
      text: fromImport(`${packageName}.${plural}.urls`, [`urlpatterns as ${plural}_urls`]),
    },
    { path: urls, marker: RESOURCE_MARKERS.includeRouters, placement: 'above', text: `*${plural}_urls,` },
  ];
}
