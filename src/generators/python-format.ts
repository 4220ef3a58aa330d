import { compareModules } from '../render/python-imports.ts';

/**
 * Lays out generated Python statements the way `ruff format` leaves them, so
 * generated code passes `ruff format --check` whatever the names' lengths.
 *
 * One rule, applied recursively: a statement that fits in the line length is
 * written on one line; one that does not is exploded at its outermost bracket,
 * one item per line, with a trailing comma. Ruff keeps such a "magic trailing
 * comma" explosion as it is, and never splits a line that fits, so the output
 * is stable under the formatter by construction (no guessing at its heuristics).
 */

/** The generated projects' `[tool.ruff] line-length`. */
export const LINE_LENGTH = 100;

/** An expression with brackets that may be exploded: `head(items...)tail`. */
export interface Bracketed {
  /** Everything before the opening bracket: `mapped_column`, `from x import `, `def create_invoice`. */
  readonly head: string;
  readonly open: '(' | '[' | '{';
  readonly items: readonly Code[];
  readonly close: ')' | ']' | '}';
  /** After the closing bracket: ` -> InvoiceRead`. */
  readonly tail?: string;
}

export type Code = string | Bracketed;

export function call(head: string, items: readonly Code[], tail = ''): Bracketed {
  return { head, open: '(', items, close: ')', tail };
}

export function subscript(head: string, items: readonly Code[]): Bracketed {
  return { head, open: '[', items, close: ']' };
}

export function list(head: string, items: readonly Code[]): Bracketed {
  return { head, open: '[', items, close: ']' };
}

export function dict(head: string, items: readonly Code[]): Bracketed {
  return { head, open: '{', items, close: '}' };
}

/** The expression on one line. */
export function flat(code: Code): string {
  if (typeof code === 'string') return code;
  return `${code.head}${code.open}${code.items.map(flat).join(', ')}${code.close}${code.tail ?? ''}`;
}

/**
 * The lines of `prefix + code + suffix` at `indent`: one line when it fits,
 * otherwise exploded (recursively) with trailing commas.
 */
export function layout(code: Code, options: { indent?: string; prefix?: string; suffix?: string } = {}): string[] {
  const indent = options.indent ?? '';
  const prefix = options.prefix ?? '';
  const suffix = options.suffix ?? '';
  const line = `${indent}${prefix}${flat(code)}${suffix}`;
  if (line.length <= LINE_LENGTH || typeof code === 'string' || code.items.length === 0) return [line];
  const inner = `${indent}    `;
  return [
    `${indent}${prefix}${code.head}${code.open}`,
    ...code.items.flatMap((item) => layout(item, { indent: inner, suffix: ',' })),
    `${indent}${code.close}${code.tail ?? ''}${suffix}`,
  ];
}

/** `layout` joined into one string (no final newline). */
export function format(code: Code, options: { indent?: string; prefix?: string; suffix?: string } = {}): string {
  return layout(code, options).join('\n');
}

/**
 * `from module import a, b`: one line when it fits, else one name per line.
 * Names are sorted the way ruff's isort orders them (constants, classes, then
 * the rest); an aliased name (`router as invoices_router`) is passed whole.
 */
export function fromImport(module: string, names: readonly string[], options: { explode?: boolean } = {}): string {
  const sorted = [...new Set(names)].sort(compareImportedNames);
  const line = `from ${module} import ${sorted.join(', ')}`;
  // Crud's templates always explode an import of several names from the
  // project's own package: the package name's length varies, and an exploded
  // import with a trailing comma stays exploded under ruff.
  if ((options.explode === true && sorted.length > 1) || line.length > LINE_LENGTH) {
    return [`from ${module} import (`, ...sorted.map((name) => `    ${name},`), ')'].join('\n');
  }
  return line;
}

/** One import statement of a block: `import x` when `names` is absent. */
export interface ImportStatement {
  readonly module: string;
  readonly names?: readonly string[];
  /** Explode even when it fits (imports of several names from the project's package). */
  readonly explode?: boolean;
}

/**
 * An import block in the order ruff's isort wants: standard library, third
 * party, first party, separated by a blank line; in each, `import x` lines
 * first, then `from` imports by module.
 */
export function importBlock(sections: readonly (readonly ImportStatement[])[]): string {
  return sections
    .filter((section) => section.length > 0)
    .map((section) => {
      const merged = new Map<string, { names: Set<string>; explode: boolean }>();
      const plain = new Set<string>();
      for (const statement of section) {
        if (!statement.names) {
          plain.add(statement.module);
          continue;
        }
        const entry = merged.get(statement.module) ?? { names: new Set<string>(), explode: false };
        for (const name of statement.names) entry.names.add(name);
        entry.explode ||= statement.explode === true;
        merged.set(statement.module, entry);
      }
      const straight = [...plain].sort(compareModules).map((module) => `import ${module}`);
      const froms = [...merged.keys()]
        .sort(compareModules)
        .map((module) => {
          const entry = merged.get(module)!;
          return fromImport(module, [...entry.names], { explode: entry.explode });
        });
      return [...straight, ...froms].join('\n');
    })
    .join('\n\n');
}

/** ruff's isort `order-by-type`: CONSTANTS, then Classes, then the rest, each in code-point order. */
export function compareImportedNames(a: string, b: string): number {
  const rank = (name: string): number => {
    const bare = name.split(' as ')[0] ?? name;
    if (bare.length > 1 && bare === bare.toUpperCase()) return 0;
    return /^[A-Z]/.test(bare) ? 1 : 2;
  };
  const difference = rank(a) - rank(b);
  if (difference !== 0) return difference;
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  if (left !== right) return left < right ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A Python string literal in double quotes (ruff's preferred quote), for ASCII text we generate. */
export function pyString(text: string): string {
  return JSON.stringify(text);
}
