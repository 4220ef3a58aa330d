import { RESERVED_IMPORT_NAMES } from '../catalog/python-dependencies.ts';
import { usageError } from '../errors.ts';
import { pythonStringLiteral } from './python-literal.ts';
import { STDLIB_MODULES } from './stdlib-modules.ts';

/** Every name a template may need, derived once from what the user typed. */
export interface ProjectNames {
  /**
   * What the user typed, trimmed and folded to plain characters (NFKC, curly
   * quotes and dashes made ASCII): used for titles ("My Cool API").
   */
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
 * The longest title, as the Python string literal the templates write
 * (`title="..."`; a backslash, or a quote when both kinds are used, takes two
 * characters there): the longest generated line holding it
 * (`    assert schema.json()["info"]["title"] == "..."`) then stays within 100 columns.
 */
export const MAX_TITLE_LENGTH = 50;

/**
 * Characters that never reach a generated file: controls, bidirectional
 * overrides and isolates (they reorder what a reader sees: ruff's PLE2502),
 * zero-width and other invisible or unassigned code points, private use,
 * line and paragraph separators.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/** Typographic punctuation an editor or keyboard may put in a name, folded to the ASCII it stands for. */
const TYPOGRAPHIC: Readonly<Record<string, string>> = {
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u2035': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u2033': '"', '\u2036': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
};

/** Latin letters with no decomposition (ß, ø, æ, ł...): letters of real names, none of them a look-alike of another. */
const PLAIN_LATIN_LETTERS = new Set('ßøØæÆœŒłŁđĐðÐþÞħĦŋŊĸ');

/**
 * May this character stand in a title? Printable ASCII; a Latin letter that
 * is an ASCII letter plus accents (é, ñ, ů) or one of the plain Latin letters;
 * an accent right after a letter. Everything else (Cyrillic or Greek letters,
 * non-ASCII digits and punctuation, symbols) could pass for another character
 * in the generated code (ruff's RUF001) or not display the same everywhere.
 */
function isTitleCharacter(char: string, previous: string | undefined): boolean {
  if (/^[\x20-\x7e]$/.test(char)) return true;
  if (PLAIN_LATIN_LETTERS.has(char)) return true;
  if (/^[A-Za-z]\p{Mn}+$/u.test(char.normalize('NFD'))) return true;
  return /^\p{Mn}$/u.test(char) && previous !== undefined && /\p{L}/u.test(previous);
}

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The title a name gives, or the reason it cannot be one: invisible and
 * direction-control characters are refused, compatibility forms (fullwidth
 * letters, ligatures, non-breaking spaces) and typographic quotes and dashes
 * are folded to plain ones, and what remains must be made of title characters.
 */
function foldTitle(raw: string): string {
  const hidden = [...raw].find((char) => INVISIBLE.test(char));
  if (hidden !== undefined) {
    throw usageError(`The project name contains ${codePoint(hidden)}, an invisible, control or text-direction character.`, [
      'Such characters hide or reorder text in every file the name reaches. Type the name again without it.',
    ]);
  }
  const typographic = (text: string): string => [...text].map((char) => TYPOGRAPHIC[char] ?? char).join('');
  // Before NFKC too: it would turn a double prime into two single ones (″ → ′′ → '').
  const folded = typographic(typographic(raw).normalize('NFKC')).trim();
  const chars = [...folded];
  const odd = chars.find((char, index) => !isTitleCharacter(char, chars[index - 1]));
  if (odd !== undefined) {
    const suggestion = normalizeDistName(folded);
    throw usageError(`"${folded}" contains "${odd}" (${codePoint(odd)}), which a project name cannot hold.`, [
      'Names use Latin letters (accents are fine), digits, spaces and ASCII punctuation: other characters can pass for',
      'look-alikes in the generated code or display differently from one editor to the next.',
      ...(suggestion !== '' ? [`Try: ${suggestion}`] : []),
    ]);
  }
  return folded;
}

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
  if (raw.trim() === '') {
    throw usageError('The project name is empty.', ['Pass a directory or --name, e.g. my-api.']);
  }
  if (/[\u0000-\u001f\u007f]/u.test(raw)) {
    throw usageError('The project name contains control characters.', ['Try: my-project']);
  }
  const displayName = foldTitle(raw);
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
  const titleLength = pythonStringLiteral(displayName).length - 2;
  if (titleLength > MAX_TITLE_LENGTH) {
    throw usageError(
      `The project name is ${titleLength} characters long as a title; the limit is ${MAX_TITLE_LENGTH} (a backslash, or a quote when both kinds are used, counts twice).`,
      [`Try: ${distName}`],
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
