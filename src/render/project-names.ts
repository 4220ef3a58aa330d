import { RESERVED_IMPORT_NAMES } from '../catalog/python-dependencies.ts';
import { usageError } from '../errors.ts';
import { STDLIB_MODULES } from './stdlib-modules.ts';

/** Every name a template may need, derived once from what the user typed. */
export interface ProjectNames {
  /** What the user typed, trimmed: used for titles ("My Cool API"). */
  readonly displayName: string;
  /** The distribution name, normalized per PEP 503 ("my-cool-api"). */
  readonly distName: string;
  /** The import package under src/ ("my_cool_api"). */
  readonly packageName: string;
}

const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'false', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is',
  'lambda', 'none', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'true', 'try', 'while',
  'with', 'yield',
]);

const STDLIB_LOWERCASE: ReadonlySet<string> = new Set(
  [...STDLIB_MODULES].map((module) => module.toLowerCase()),
);

/**
 * Long enough for any real project, short enough that the longest generated
 * import line (`from <package>.<module>.<sub> import <Name>`) stays within the
 * generated projects' 100-column line length, so templates render already
 * formatted whatever the name.
 */
export const MAX_NAME_LENGTH = 40;

/**
 * PEP 503 normalization, extended to anything a user may type: accents are
 * folded to ASCII ("café" → "cafe"), and every run of characters that is not a
 * letter or digit becomes one hyphen, so "My Cool API" and "my_cool.api" both
 * give "my-cool-api".
 */
export function normalizeDistName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Why `packageName` cannot be a generated package's import name, or undefined if it can. */
function importNameProblem(packageName: string): string | undefined {
  if (/^[0-9]/.test(packageName)) return 'a Python import name cannot start with a digit';
  if (PYTHON_KEYWORDS.has(packageName)) return `"${packageName}" is a Python keyword`;
  if (STDLIB_LOWERCASE.has(packageName)) {
    return `"${packageName}" would shadow the standard library module of the same name`;
  }
  if (RESERVED_IMPORT_NAMES.has(packageName)) {
    return `"${packageName}" would shadow a package the project depends on or its tools use`;
  }
  return undefined;
}

function suggestName(distName: string): string {
  const candidates = /^[0-9]/.test(distName)
    ? [`project-${distName}`, `py-${distName}`]
    : [`${distName}-app`, `my-${distName}`, `${distName}-project`];
  const valid = candidates.find(
    (candidate) => candidate.length <= MAX_NAME_LENGTH && !importNameProblem(candidate.replaceAll('-', '_')),
  );
  return valid ?? 'my-project';
}

/**
 * The one place a project name becomes the names templates use. A name that
 * only needs normalizing is normalized; one that cannot become a valid,
 * non-shadowing import name is refused with a suggestion.
 */
export function buildProjectNames(raw: string): ProjectNames {
  const displayName = raw.trim();
  if (displayName === '') {
    throw usageError('The project name is empty.', ['Pass a directory or --name, e.g. my-api.']);
  }
  if (/[\u0000-\u001f\u007f]/u.test(displayName)) {
    throw usageError('The project name contains control characters.', ['Try: my-project']);
  }
  const distName = normalizeDistName(displayName);
  if (distName === '') {
    throw usageError(`"${displayName}" has no letters or digits to build a Python name from.`, [
      'Try: my-project',
    ]);
  }
  if (distName.length > MAX_NAME_LENGTH) {
    throw usageError(
      `The project name is ${distName.length} characters long once normalized; the limit is ${MAX_NAME_LENGTH}.`,
      [`Try: ${distName.slice(0, MAX_NAME_LENGTH).replace(/-+$/, '')}`],
    );
  }
  const packageName = distName.replaceAll('-', '_');
  const problem = importNameProblem(packageName);
  if (problem) {
    throw usageError(`"${displayName}" cannot be used as a project name: ${problem}.`, [
      `Try: ${suggestName(distName)}`,
    ]);
  }
  return { displayName, distName, packageName };
}
