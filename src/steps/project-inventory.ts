import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Feature, ReferenceableModel } from '../catalog/features/index.ts';
import type { ReferenceTarget } from '../generators/resource/context.ts';
import { parseFields } from '../generators/resource/spec.ts';
import type { GeneratedRecord } from '../manifest/manifest.ts';

/**
 * What a generated project already has, read from its files (not only from the
 * manifest: a learner may have written models and routers by hand): the
 * models `db/models.py` registers and their tables, the first path segments
 * the routers serve, and the heads of the migration history.
 */
export interface ProjectInventory {
  /** Model class → its module (relative to the package) and table. */
  readonly models: ReadonlyMap<string, { readonly module: string; readonly table?: string }>;
  readonly tables: ReadonlySet<string>;
  /** `projects` for a router serving `/projects/...`. */
  readonly routeSegments: ReadonlySet<string>;
  /** Revisions no other revision follows. */
  readonly migrationHeads: readonly string[];
  readonly problems: readonly string[];
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `from pkg.mod import A, B as C` (also parenthesized over several lines) → module and imported names. */
export function importsOf(source: string): { module: string; names: string[] }[] {
  const out: { module: string; names: string[] }[] = [];
  for (const match of source.matchAll(/^from\s+([\w.]+)\s+import\s+(\([^)]*\)|[^\n]+)/gm)) {
    const names = match[2]!
      .replace(/[()]/g, '')
      .split(',')
      .map((name) => name.trim().split(/\s+as\s+/)[0]!.trim())
      .filter((name) => /^\w+$/.test(name));
    out.push({ module: match[1]!, names });
  }
  return out;
}

function moduleSource(root: string, module: string): string | undefined {
  const base = path.join(root, 'src', ...module.split('.'));
  return read(`${base}.py`) ?? read(path.join(base, '__init__.py'));
}

/** `class Name(...)` → its `__tablename__`, for every class of a module. */
export function tablesOf(source: string): Map<string, string> {
  const tables = new Map<string, string>();
  const classes = [...source.matchAll(/^class\s+(\w+)\b/gm)];
  classes.forEach((match, index) => {
    const end = classes[index + 1]?.index ?? source.length;
    const body = source.slice(match.index, end);
    const table = /^\s+__tablename__\s*(?::[^=]+)?=\s*["']([^"']+)["']/m.exec(body)?.[1];
    if (table) tables.set(match[1]!, table);
  });
  return tables;
}

/** The first path segments a router module serves (its prefix joined with each route's path). */
export function routeSegmentsOf(source: string): string[] {
  const prefix = /APIRouter\([^)]*prefix\s*=\s*["']([^"']*)["']/s.exec(source)?.[1] ?? '';
  const paths = [...source.matchAll(/@\w+\.(?:get|post|put|patch|delete|head|options|api_route)\(\s*["']([^"']*)["']/g)].map(
    (match) => match[1]!,
  );
  const segments = [prefix, ...paths.map((route) => `${prefix}${route}`)]
    .map((route) => route.split('/').filter((segment) => segment !== '')[0])
    .filter((segment): segment is string => segment !== undefined);
  return [...new Set(segments)];
}

/** A revision file's `revision` and `down_revision` values, or undefined if it does not declare them. */
export function revisionOf(source: string): { revision: string; downRevisions: string[] } | undefined {
  const revision = /^revision\s*(?::[^=\n]+)?=\s*["']([^"']+)["']/m.exec(source)?.[1];
  const down = /^down_revision\s*(?::[^=\n]+)?=\s*(None|["'][^"']*["']|\([^)]*\)|\[[^\]]*\])/m.exec(source)?.[1];
  if (revision === undefined || down === undefined) return undefined;
  return { revision, downRevisions: [...down.matchAll(/["']([^"']+)["']/g)].map((match) => match[1]!) };
}

/** `class Name(models.Model)` → its `db_table`, for every Django model of a module. */
export function djangoTablesOf(source: string): Map<string, string | undefined> {
  const tables = new Map<string, string | undefined>();
  const classes = [...source.matchAll(/^class\s+(\w+)\(([^)]*)\)/gm)];
  classes.forEach((match, index) => {
    if (!/\bModel\b|AbstractUser|AbstractBaseUser/.test(match[2]!)) return;
    const end = classes[index + 1]?.index ?? source.length;
    const table = /^\s+db_table\s*=\s*["']([^"']+)["']/m.exec(source.slice(match.index, end))?.[1];
    tables.set(match[1]!, table);
  });
  return tables;
}

/**
 * A Django project has no `db/models.py` nor `routes.py`: its models are in each
 * app's `models.py` and its routes in each app's `urls.py` (`router.register("x", ...)`
 * or `path("x/...", ...)`).
 */
function readDjangoApps(root: string, packageName: string, models: Map<string, { module: string; table?: string }>, routeSegments: Set<string>): void {
  const base = path.join(root, 'src', packageName);
  for (const app of readdirSync(base, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()) {
    for (const [name, table] of djangoTablesOf(read(path.join(base, app, 'models.py')) ?? '')) {
      models.set(name, { module: `${app}.models`, ...(table ? { table } : {}) });
    }
    for (const match of (read(path.join(base, app, 'urls.py')) ?? '').matchAll(/(?:\.register|\bpath)\(\s*r?["']([^"'/<]+)/g)) routeSegments.add(match[1]!);
  }
}

export function readProjectInventory(root: string, packageName: string): ProjectInventory {
  const problems: string[] = [];
  const models = new Map<string, { module: string; table?: string }>();
  const routeSegments = new Set<string>();
  if (existsSync(path.join(root, 'manage.py')) && existsSync(path.join(root, 'src', packageName))) readDjangoApps(root, packageName, models, routeSegments);
  const modelsSource = read(path.join(root, 'src', packageName, 'db', 'models.py')) ?? '';
  for (const { module, names } of importsOf(modelsSource)) {
    if (!module.startsWith(`${packageName}.`)) continue;
    const tables = tablesOf(moduleSource(root, module) ?? '');
    for (const name of names) {
      const table = tables.get(name);
      models.set(name, { module: module.slice(packageName.length + 1), ...(table ? { table } : {}) });
    }
  }
  const routesSource = read(path.join(root, 'src', packageName, 'routes.py')) ?? '';
  for (const { module } of importsOf(routesSource)) {
    if (!module.startsWith(`${packageName}.`)) continue;
    for (const segment of routeSegmentsOf(moduleSource(root, module) ?? '')) routeSegments.add(segment);
  }
  const versions = path.join(root, 'migrations', 'versions');
  const revisions = new Map<string, string[]>();
  if (existsSync(versions)) {
    for (const entry of readdirSync(versions).filter((name) => name.endsWith('.py')).sort()) {
      const parsed = revisionOf(read(path.join(versions, entry)) ?? '');
      if (!parsed) {
        problems.push(`migrations/versions/${entry} does not declare revision and down_revision; the new migration cannot be placed after it.`);
        continue;
      }
      revisions.set(parsed.revision, parsed.downRevisions);
    }
  }
  const followed = new Set([...revisions.values()].flat());
  return {
    models,
    tables: new Set([...models.values()].flatMap((model) => (model.table ? [model.table] : []))),
    routeSegments,
    migrationHeads: [...revisions.keys()].filter((revision) => !followed.has(revision)).sort(),
    problems,
  };
}

/**
 * The models a new resource may refer to: the templates' (registry) and those
 * earlier `generate resource` runs recorded, each with how a test creates a row.
 */
export function referenceTargets(features: readonly Feature[], generated: readonly GeneratedRecord[]): Map<string, ReferenceTarget> {
  const targets = new Map<string, ReferenceTarget>();
  const add = (model: ReferenceableModel): void => {
    const fields = parseFields(model.create.fields).value ?? [];
    targets.set(model.model, {
      model: model.model,
      module: model.module,
      table: model.table,
      collection: model.collection,
      create: { path: model.create.path, parents: model.create.parents ?? {}, fields },
      ...(model.owned ? { owned: true } : {}),
    });
  };
  for (const feature of features) for (const model of feature.referenceable ?? []) add(model);
  for (const record of generated) {
    if (!record.resource) continue;
    add({
      model: record.resource.model,
      module: record.resource.module,
      table: record.resource.table,
      collection: record.resource.collection,
      create: { path: record.resource.collection, fields: record.resource.fields },
      ...(record.resource.owned ? { owned: true } : {}),
    });
  }
  return targets;
}

/** Does something already live where the resource's package or tests would go? */
export function existingPaths(root: string, packageName: string, plural: string): string[] {
  return [
    `src/${packageName}/${plural}`,
    `src/${packageName}/${plural}.py`,
    `tests/${plural}`,
    `tests/test_${plural}.py`,
  ].filter((relative) => existsSync(path.join(root, ...relative.split('/'))));
}
