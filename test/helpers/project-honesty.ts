import type { Catalog } from '../../src/catalog/catalog.ts';
import { buildProjectNames } from '../../src/render/project-names.ts';
import type { Combination } from './combinations.ts';

/**
 * Pure checks over a planned (or generated) project's files, for what a
 * reviewer would flag as dead or untrue:
 * - a module nothing imports: every module under src/ is imported by another
 *   module of the project outside tests (or by migrations/), or started by name
 *   from its configuration (pyproject scripts, Makefile, Dockerfile, compose,
 *   pipelines, deploy files); a test helper is imported by a test;
 * - a setting nothing reads: every field of `Settings` is read as an attribute
 *   by the code (fields named `test_*` by the tests);
 * - a README that speaks of what the project does not have: a file or folder it
 *   names in backticks, a `make` target, a migration branch (`<label>@head`), an
 *   environment variable, an `/api/v1/...` route, or a choice of an option the
 *   project did not take (another CI provider or deploy target).
 */

export type ProjectFiles = ReadonlyMap<string, Buffer | string>;

/**
 * Findings that are true today and known, kept apart so the checks stay strict for
 * everything else (none at the moment). Each entry must still match a finding:
 * once it is fixed, the tests fail until the entry is removed.
 */
export const PENDING_FINDINGS: readonly RegExp[] = [];

/** Splits findings into the pending ones and the rest. */
export function withoutPending(findings: readonly string[]): { readonly pending: string[]; readonly other: string[] } {
  const isPending = (finding: string): boolean => PENDING_FINDINGS.some((pattern) => pattern.test(finding));
  return { pending: findings.filter(isPending), other: findings.filter((finding) => !isPending(finding)) };
}

const text = (content: Buffer | string): string => content.toString();

/** Dotted module name of a Python file under src/ or tests/ (`src/pkg/db/models.py` → `pkg.db.models`). */
function moduleName(file: string): string {
  const parts = file.replace(/^src\//, '').replace(/\.py$/, '').split('/');
  if (parts.at(-1) === '__init__') parts.pop();
  return parts.join('.');
}

/** Every module a Python file imports: absolute and relative imports, and dotted module names in strings. */
function importedModules(file: string, source: string, known: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  const self = moduleName(file);
  const packageOf = file.endsWith('__init__.py') ? self : self.split('.').slice(0, -1).join('.');
  const add = (name: string): void => {
    // `from pkg.db import models` names a module too: try the longest prefix that is one.
    const parts = name.split('.');
    for (let length = parts.length; length > 0; length -= 1) {
      const candidate = parts.slice(0, length).join('.');
      if (known.has(candidate)) {
        found.add(candidate);
        return;
      }
    }
  };
  const resolve = (dots: string, rest: string): string => {
    const base = packageOf.split('.').slice(0, packageOf.split('.').length - (dots.length - 1));
    return [...base, ...(rest ? rest.split('.') : [])].join('.');
  };
  for (const match of source.matchAll(/^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(?:\(([^)]*)\)|([^\n#]+))/gm)) {
    const [, dots = '', module = '', grouped, single] = match;
    const names = grouped ?? single ?? '';
    const target = dots ? resolve(dots, module) : module;
    add(target);
    for (const name of names.split(',').map((item) => item.trim().split(/\s+/)[0] ?? '')) {
      if (name && name !== '*' && known.has(`${target}.${name}`)) found.add(`${target}.${name}`);
    }
  }
  for (const match of source.matchAll(/^[ \t]*import[ \t]+([\w.]+)/gm)) add(match[1] ?? '');
  // A dotted name in a string, or a server's import string (`"pkg.main:create_app"`).
  for (const match of source.matchAll(/["']([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+)(?::[A-Za-z_]\w*(?:\(\))?)?["']/g)) add(match[1] ?? '');
  found.delete(self);
  return found;
}

/** Files that start code by name (`pkg.main:create_app`, `python -m pkg.users.promote`): configuration, never docs or tests. */
function isLauncher(file: string): boolean {
  if (file.endsWith('.py') || file.endsWith('.md') || file === '.roadmap-project.json') return false;
  return !file.startsWith('tests/') && !file.startsWith('src/');
}

/**
 * Modules under src/ that nothing runs, and test helpers no test imports. A
 * module runs when the project's configuration starts it by name (the console
 * script, `python -m`, the ASGI app, the worker, gunicorn's config) or when a
 * module that runs imports it, directly or through a dotted name in a string
 * (Celery's task modules); Alembic runs everything under migrations/. A chain of
 * modules that only import each other, or that only tests import, does not run.
 */
export function unusedModules(files: ProjectFiles, projectName: string): string[] {
  const { packageName } = buildProjectNames(projectName);
  const python = [...files.keys()].filter((file) => file.endsWith('.py'));
  const known = new Set(python.map(moduleName));
  const fileOf = new Map(python.map((file) => [moduleName(file), file] as const));
  const imports = new Map(python.map((file) => [file, importedModules(file, text(files.get(file) ?? ''), known)] as const));
  const launchers = [...files].filter(([file]) => isLauncher(file)).map(([, content]) => text(content)).join('\n');
  const started = (module: string): boolean =>
    new RegExp(`(^|[^\\w.])${module.replace(/\./g, '\\.')}(?![\\w.])`, 'm').test(launchers) ||
    // `python -m pkg` runs pkg/__main__.py, and `python -m pkg.loadtest` pkg/loadtest/__main__.py.
    (module.startsWith(`${packageName}.`) &&
      module.endsWith('.__main__') &&
      new RegExp(`-m\\s+${module.slice(0, -'.__main__'.length).replace(/\./g, '\\.')}(?![\\w.])`).test(launchers));

  // Django loads `apps.py`, `admin.py`, the management commands and the `migrations/` of every app its settings name by a
  // dotted string (`INSTALLED_APPS = ["pkg.projects"]`): a string that names a package counts.
  const named = new Set(
    python
      .filter((file) => file.startsWith('src/'))
      .flatMap((file) => [...text(files.get(file) ?? '').matchAll(/["']([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)["']/g)].map((match) => match[1] ?? '')),
  );
  // Celery's `app.autodiscover_tasks()` (Django's recipe) imports the `tasks.py` of every installed app.
  const autodiscovers = python.some((file) => file.startsWith('src/') && /\.autodiscover_tasks\(\)/.test(text(files.get(file) ?? '')));
  const loadedByDjango = (file: string): boolean => {
    const parts = moduleName(file).split('.');
    if (/\/(apps|admin)\.py$/.test(file)) return named.has(parts.slice(0, -1).join('.'));
    if (/\/tasks\.py$/.test(file)) return autodiscovers && named.has(parts.slice(0, -1).join('.'));
    // `manage.py <name>` runs an installed app's `management/commands/<name>.py`.
    if (/\/management\/commands\/\w+\.py$/.test(file)) return named.has(parts.slice(0, -3).join('.'));
    return /\/migrations\/\w+\.py$/.test(file) && file.startsWith('src/') && named.has(parts.slice(0, -2).join('.'));
  };
  const reached = new Set<string>();
  const queue = python.filter(
    (file) => file.startsWith('migrations/') || (file.startsWith('src/') && (started(moduleName(file)) || loadedByDjango(file))),
  );
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (reached.has(file)) continue;
    reached.add(file);
    const module = moduleName(file);
    // Importing a module runs its packages' __init__ first.
    const parents = module.split('.').map((_, index, parts) => parts.slice(0, index + 1).join('.'));
    for (const next of [...(imports.get(file) ?? []), ...parents]) {
      const target = fileOf.get(next);
      if (target && !reached.has(target)) queue.push(target);
    }
  }

  const problems: string[] = [];
  for (const file of python) {
    if (file.startsWith(`src/${packageName}/`)) {
      if (file.endsWith('__init__.py') || reached.has(file)) continue;
      const importedByTests = python.some((other) => other.startsWith('tests/') && imports.get(other)?.has(moduleName(file)));
      problems.push(`${file}: nothing the project runs imports it${importedByTests ? ' (only tests do)' : ''}`);
    } else if (file.startsWith('tests/')) {
      const name = file.split('/').at(-1) ?? '';
      if (name.startsWith('test_') || name === 'conftest.py' || name === '__init__.py') continue;
      if (!python.some((other) => other.startsWith('tests/') && imports.get(other)?.has(moduleName(file)))) {
        problems.push(`${file}: a test helper no test imports`);
      }
    }
  }
  return problems;
}

/** Fields of `Settings` in settings.py: `name: type = ...` lines of the class body. */
function settingsFields(source: string): string[] {
  const body = /^class Settings\b[^\n]*\n([\s\S]*?)(?=^\S|(?![\s\S]))/m.exec(source)?.[1] ?? '';
  return [...body.matchAll(/^ {4}([a-z_][a-z0-9_]*)\s*:/gm)].map((match) => match[1] ?? '').filter((name) => name !== 'model_config');
}

/** The methods of `Settings` (properties, validators): name, whether a property, and the fields each reads. */
function settingsMethods(source: string, fields: readonly string[]): { name: string; property: boolean; reads: string[] }[] {
  const body = /^class Settings\b[^\n]*\n([\s\S]*?)(?=^\S|(?![\s\S]))/m.exec(source)?.[1] ?? '';
  return [...body.matchAll(/((?:^ {4}@[^\n]*\n)*)^ {4}def (\w+)\([^)]*\)[^:]*:\n([\s\S]*?)(?=^ {4}(?:@|def )|(?![\s\S]))/gm)].map((match) => {
    const [, decorators = '', name = '', code = ''] = match;
    const reads = fields.filter((field) => new RegExp(`\\b(?:self|cls)\\.${field}\\b|["']${field}["']`).test(code + decorators));
    return { name, property: /@property/.test(decorators), reads };
  });
}

/**
 * `Settings` fields the project never reads (`test_*` fields: never read by its
 * tests). A field counts as read when code outside settings.py reads it, or reads
 * a property built on it, or when a validator checks it together with a field
 * that is read (the production check reads APP_ENV for SECRET_KEY's sake). A
 * validator of a field nothing reads keeps nothing alive.
 */
export function unusedSettings(files: ProjectFiles, projectName: string): string[] {
  const { packageName } = buildProjectNames(projectName);
  const settingsFile = `src/${packageName}/settings.py`;
  const source = files.get(settingsFile);
  if (source === undefined) return envExampleProblems(files, []);
  const readers = (include: (file: string) => boolean): string =>
    [...files].filter(([file]) => file.endsWith('.py') && file !== settingsFile && include(file)).map(([, content]) => text(content)).join('\n');
  const code = readers((file) => file.startsWith('src/') || file.startsWith('migrations/'));
  const tests = readers((file) => file.startsWith('tests/'));
  const own = text(source);
  const fields = settingsFields(own);
  const methods = settingsMethods(own, fields);
  const readOutside = (name: string, where: string): boolean => new RegExp(`\\.${name}\\b`).test(where);
  const used = new Set(fields.filter((field) => readOutside(field, field.startsWith('test_') ? tests : code)));
  for (const method of methods) {
    if (method.property && readOutside(method.name, code)) for (const field of method.reads) used.add(field);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const method of methods.filter((candidate) => !candidate.property)) {
      if (method.reads.some((field) => used.has(field))) {
        for (const field of method.reads) {
          if (!used.has(field)) {
            used.add(field);
            grew = true;
          }
        }
      }
    }
  }
  return [
    ...fields
      .filter((field) => !used.has(field))
      .map((field) => `${settingsFile}: the setting ${field} (${field.toUpperCase()}) is never read${field.startsWith('test_') ? ' by the tests' : ''}`),
    ...envExampleProblems(files, fields),
  ];
}

/**
 * `.env.example` documents what the project reads: each variable it sets is a
 * settings field or is read by another file of the project (compose's
 * `${POSTGRES_PASSWORD}`), and a project that reads none has no such file.
 */
function envExampleProblems(files: ProjectFiles, fields: readonly string[]): string[] {
  const example = files.get('.env.example');
  if (example === undefined) return [];
  const assigned = [...text(example).matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? '');
  if (assigned.length === 0) return ['.env.example sets no variable: the project reads none, so it needs no such file'];
  const others = [...files].filter(([file]) => file !== '.env.example' && file !== 'README.md').map(([, content]) => text(content)).join('\n');
  return assigned
    .filter((variable) => !fields.includes(variable.toLowerCase()) && !new RegExp(`\\b${variable}\\b`).test(others))
    .map((variable) => `.env.example sets ${variable}, which nothing in the project reads`);
}

/** Paths that exist only once the project runs, or that name things outside it. */
const RUNTIME_PATHS = [
  /^\.venv\b/,
  /^\.env$/,
  /^uv\.lock$/,
  /^\.jobs\b/,
  // The data sets and the model registry the data workflow writes (make data, make train).
  /^data\//,
  /^models\b/,
  /\.db$/,
  /^\.git\b/,
  /^htmlcov\b/,
  /^\.coverage$/,
  // What a test run writes: failed UI tests' traces and screenshots, HTML reports (qa-automation).
  /^test-results\b/,
  /^reports\b/,
  /^dist\b/,
  /^\//,
  /^~/,
  /^https?:/,
  /^\.\.?\//,
  // A file extension (`.pyc`), not a file.
  /^\.[a-z]{1,4}$/,
  // A host and a path: a container image or a URL without its scheme (`ghcr.io/owner/app`).
  /^[\w-]+(\.[\w-]+)+\//,
  // A placeholder the reader replaces (`OWNER/REPOSITORY`).
  /^[A-Z/_-]+$/,
];

/** Backticked tokens that look like paths in the project (`src/x.py`, `k8s/`, `.env.example`, `render.yaml`). */
function namedPaths(readme: string): string[] {
  const found = new Set<string>();
  for (const match of readme.matchAll(/`([^`\s]+)`/g)) {
    const token = (match[1] ?? '').replace(/[.,:;]+$/, '');
    if (/[<>*{}$=()|\\"']/.test(token) || token.startsWith('-') || token.includes('@')) continue;
    const looksLikePath =
      /^[\w.-]+(\/[\w.-]*)+$/.test(token) || /^[\w-]*\.(py|toml|ya?ml|ini|json|conf|cfg|mako|sh|lock|example|log)$/.test(token) || /^\.[\w-]+(\.[\w]+)*$/.test(token);
    if (looksLikePath && !/^\d/.test(token) && !/^\/?api\//.test(token)) found.add(token);
  }
  return [...found];
}

/**
 * Whether the project has what the README names: a path from the root, from
 * the package (the layout lists modules under it), or, for a bare name
 * (`tokens.py`, `versions/`), a file or folder of that name anywhere.
 */
function pathExists(files: ProjectFiles, packageName: string, named: string): boolean {
  const clean = named.replace(/\/$/, '');
  const paths = [...files.keys(), MANIFEST];
  if (!clean.includes('/')) return paths.some((file) => file.split('/').includes(clean));
  const candidates = [clean, `src/${packageName}/${clean}`, `tests/${clean}`];
  return paths.some((file) => candidates.some((candidate) => file === candidate || file.startsWith(`${candidate}/`)));
}

const MANIFEST = '.roadmap-project.json';

/** The text of inline code spans and fenced code blocks: where commands are. */
function codeOf(markdown: string): string {
  const fenced = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? '');
  const inline = [...markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '').matchAll(/`([^`\n]+)`/g)].map((match) => match[1] ?? '');
  return [...fenced, ...inline].join('\n');
}

function makeTargets(makefile: string): Set<string> {
  return new Set([...makefile.matchAll(/^([\w-]+):(?!=)/gm)].map((match) => match[1] ?? ''));
}

/** What a project's README says about things the project does not have. */
export function readmeProblems(files: ProjectFiles, combination: Combination, catalog: Catalog, projectName: string): string[] {
  const { packageName } = buildProjectNames(projectName);
  const readme = text(files.get('README.md') ?? '');
  const problems: string[] = [];
  const say = (message: string): void => {
    problems.push(`README.md ${message}`);
  };

  for (const named of namedPaths(readme)) {
    if (RUNTIME_PATHS.some((pattern) => pattern.test(named))) continue;
    if (!pathExists(files, packageName, named)) say(`names \`${named}\`, which the project does not have`);
  }

  const targets = makeTargets(text(files.get('Makefile') ?? ''));
  for (const match of codeOf(readme).matchAll(/(?:^|[\s;&|(])make\s+([a-z][\w-]*)/gm)) {
    const target = match[1] ?? '';
    if (!targets.has(target)) say(`runs \`make ${target}\`, which the Makefile does not have`);
  }

  const labels = new Set(
    [...files]
      .filter(([file]) => file.startsWith('migrations/versions/'))
      .flatMap(([, content]) => [...text(content).matchAll(/branch_labels[^=]*=\s*\(\s*"([\w-]+)"/g)].map((match) => match[1] ?? '')),
  );
  for (const match of readme.matchAll(/\b([a-z][\w-]*)@head\b/g)) {
    if (!labels.has(match[1] ?? '')) say(`names the migration branch ${match[1]}@head, which no migration has`);
  }

  const elsewhere = [...files].filter(([file]) => file !== 'README.md').map(([, content]) => text(content)).join('\n');
  const variables = new Set([...readme.matchAll(/(?:`|\b(?:-e|export)\s+|^\s*)([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?==|`)/gm)].map((match) => match[1] ?? ''));
  for (const variable of variables) {
    if (!new RegExp(`\\b${variable}\\b`).test(elsewhere)) say(`names ${variable}, which nothing in the project reads or sets`);
  }

  const routes = new Set([
    ...[...elsewhere.matchAll(/(?:prefix=|@\w+\.(?:get|post|put|patch|delete)\(\s*)"\/([\w-]+)/g)].map((match) => match[1] ?? ''),
    // Django: `path("auth/token", ...)` and a DRF router's `router.register("notes", ...)`.
    ...[...elsewhere.matchAll(/\b(?:path|register)\(\s*r?"\^?([\w-]+)/g)].map((match) => match[1] ?? ''),
  ]);
  for (const match of readme.matchAll(/\/api\/v1\/([a-z][\w-]*)/g)) {
    if (!routes.has(match[1] ?? '') && match[1] !== 'nowhere') say(`names the route /api/v1/${match[1]}, which no router serves`);
  }

  // Choices that generate different files: another CI provider or deploy target has no place in
  // this README, outside the roadmap's own topic titles ("CI/CD with GitHub Actions or GitLab CI").
  // A README may compare with the other paths in its own section on switching paths (up to the next heading).
  const withoutSwitching = readme.replace(/^#+ Switching paths\n[\s\S]*?(?=^#|(?![\s\S]))/m, '');
  const prose = catalog.phases
    .flatMap((phase) => phase.topics.map((topic) => topic.title))
    .reduce((remaining, title) => remaining.split(title).join(''), withoutSwitching);
  for (const option of catalog.optionsFor(combination.milestones)) {
    if (option.choices.length < 2 || option.id === 'db') continue;
    for (const choice of option.choices) {
      if (choice.value === combination.options[option.id]) continue;
      if (new RegExp(`\\b${choice.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(prose)) {
        say(`mentions ${choice.title}, a ${option.id} choice this project did not take (${option.id}=${combination.options[option.id]})`);
      }
    }
  }
  return problems;
}
