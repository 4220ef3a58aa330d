import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { PRECOMPILED_TEMPLATES, type TemplateSpec } from './precompiled-templates.ts';
import { pythonStringLiteral } from './python-literal.ts';

export type TemplateDelegate = Handlebars.TemplateDelegate;

/**
 * A private Handlebars instance per render, so partials registered for one
 * project (its slots) never leak into another, and nothing global is touched.
 *
 * `noEscape`: the output is Python, TOML, YAML and Markdown, never HTML.
 * `strict`: a variable the context does not have is an error, not an empty string.
 */
export function createRenderer(): typeof Handlebars {
  const instance = Handlebars.create();
  instance.registerHelper('eq', (left: unknown, right: unknown) => left === right);
  instance.registerHelper('ne', (left: unknown, right: unknown) => left !== right);
  instance.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  instance.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  instance.registerHelper('not', (value: unknown) => !value);
  // A double-quoted string literal valid in Python, TOML and YAML alike: JSON's
  // escapes (\" \\ \n \uXXXX) are a subset all three accept.
  instance.registerHelper('quote', (value: unknown) => JSON.stringify(String(value)));
  // A Python string literal exactly as `ruff format` writes it (quotes chosen to need the fewest escapes).
  instance.registerHelper('pyString', (value: unknown) => pythonStringLiteral(String(value)));
  // An argv as one POSIX shell command line: words with only safe characters as they
  // are, any other in single quotes (`'pkg.main:create_app()'`), so `sh -c` runs the argv.
  instance.registerHelper('shell', (items: unknown) => {
    if (!Array.isArray(items)) throw new Error('shell expects a list');
    return items.map((item) => shellWord(String(item))).join(' ');
  });
  instance.registerHelper('join', (items: unknown, separator: unknown) => {
    if (!Array.isArray(items)) throw new Error('join expects a list');
    return items.join(typeof separator === 'string' ? separator : ', ');
  });
  return instance;
}

export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** The key of a template in PRECOMPILED_TEMPLATES; scripts/precompile.mjs computes the same. */
export function templateKey(source: string): string {
  return createHash('sha1').update(source, 'utf8').digest('hex');
}

/**
 * The template function of `source`: the build's precompiled spec when this
 * exact source was compiled by the build, otherwise compiled now (from source,
 * or an edited template in a copy of the package). Both give the same output.
 */
export function compileTemplate(
  renderer: typeof Handlebars,
  source: string,
  precompiled: ReadonlyMap<string, TemplateSpec> = PRECOMPILED_TEMPLATES,
): TemplateDelegate {
  const spec = precompiled.size === 0 ? undefined : precompiled.get(templateKey(source));
  return spec === undefined ? renderer.compile(source, COMPILE_OPTIONS) : renderer.template(spec);
}

/**
 * One partial made of several templates rendered one after the other, as a
 * slot is. Each part ends with a newline and no template uses `~` whitespace
 * control, so this is the same as compiling their concatenation, and every
 * part can be precompiled on its own.
 */
export function concatTemplates(parts: readonly TemplateDelegate[]): TemplateDelegate {
  return (context, options) => parts.map((part) => part(context, options)).join('');
}

/** One word of a POSIX shell command line that the shell reads back as `word`. */
export function shellWord(word: string): string {
  if (/^[\w./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
