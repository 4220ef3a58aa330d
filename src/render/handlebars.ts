import Handlebars from 'handlebars';

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
  instance.registerHelper('join', (items: unknown, separator: unknown) => {
    if (!Array.isArray(items)) throw new Error('join expects a list');
    return items.join(typeof separator === 'string' ? separator : ', ');
  });
  return instance;
}

export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;
