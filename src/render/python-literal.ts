/**
 * A Python string literal for `value`, spelled exactly as `ruff format`
 * leaves it, so a generated file passes `ruff format --check` whatever the
 * text: double quotes unless the text holds more double quotes than single
 * ones (then single quotes, which need fewer escapes), a backslash before each
 * backslash and each quote of the chosen kind, and nothing else escaped. Only
 * for text without control characters (project names refuse them).
 */
export function pythonStringLiteral(value: string): string {
  const doubles = [...value].filter((char) => char === '"').length;
  const singles = [...value].filter((char) => char === "'").length;
  const quote = doubles > singles ? "'" : '"';
  const body = value.replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`);
  return `${quote}${body}${quote}`;
}
