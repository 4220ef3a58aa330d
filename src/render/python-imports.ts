import type { PythonObject } from '../catalog/features/index.ts';

/** A registry object resolved against the project's package: what a template imports and uses. */
export interface ResolvedPythonObject {
  /** Fully qualified module: `my_api.projects.router`. */
  readonly module: string;
  readonly name: string;
  /** The name the importing module uses: the alias when there is one, the name otherwise. */
  readonly local: string;
}

/** One `from <module> import <names>` line, ready for a template. */
export interface PythonImportLine {
  readonly module: string;
  /** `Project, Task` or `router as projects_router`. */
  readonly names: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkIdentifier(value: string, what: string): void {
  if (!IDENTIFIER.test(value)) throw new Error(`${what} "${value}" is not a Python identifier.`);
}

/**
 * Qualifies registry objects with the package name and sorts them by module,
 * then name. Two objects with the same local name would shadow each other in
 * the importing module, so that is a registry bug and throws.
 */
export function resolvePythonObjects(packageName: string, objects: readonly PythonObject[]): ResolvedPythonObject[] {
  const resolved = objects.map((object): ResolvedPythonObject => {
    for (const segment of object.module.split('.')) checkIdentifier(segment, `Module segment of ${object.module}`);
    checkIdentifier(object.name, 'Name');
    if (object.alias !== undefined) checkIdentifier(object.alias, 'Alias');
    return { module: `${packageName}.${object.module}`, name: object.name, local: object.alias ?? object.name };
  });
  const seen = new Set<string>();
  for (const object of resolved) {
    if (seen.has(object.local)) throw new Error(`Two registry objects are imported as "${object.local}"; give one an alias.`);
    seen.add(object.local);
  }
  return resolved.sort((a, b) => compareModules(a.module, b.module) || compareNames(a.name, b.name));
}

/** isort's module order as ruff applies it: case-insensitive, segment by segment. */
export function compareModules(a: string, b: string): number {
  const left = a.toLowerCase().split('.');
  const right = b.toLowerCase().split('.');
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const l = left[index] ?? '';
    const r = right[index] ?? '';
    if (l !== r) return l < r ? -1 : 1;
  }
  return left.length - right.length;
}

/** ruff's `order-by-type`: CONSTANTS, then Classes, then everything else, each alphabetically. */
function nameRank(name: string): number {
  if (name.length > 1 && name === name.toUpperCase()) return 0;
  if (/^[A-Z]/.test(name)) return 1;
  return 2;
}

function compareNames(a: string, b: string): number {
  const rank = nameRank(a) - nameRank(b);
  if (rank !== 0) return rank;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The import lines for resolved objects, in the order ruff's isort expects:
 * plain names of one module share a line; an aliased import gets a line of its
 * own (ruff's default `combine-as-imports = false`).
 */
export function pythonImportLines(objects: readonly ResolvedPythonObject[]): PythonImportLine[] {
  const lines: PythonImportLine[] = [];
  let current: { module: string; names: string[] } | undefined;
  const flush = (): void => {
    if (current) lines.push({ module: current.module, names: current.names.join(', ') });
    current = undefined;
  };
  for (const object of objects) {
    if (object.local !== object.name) {
      flush();
      lines.push({ module: object.module, names: `${object.name} as ${object.local}` });
      continue;
    }
    if (current?.module !== object.module) {
      flush();
      current = { module: object.module, names: [] };
    }
    current.names.push(object.name);
  }
  flush();
  return lines;
}
