import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { MAX_NAME_LENGTH, buildProjectNames, normalizeDistName } from '../../src/render/project-names.ts';

describe('buildProjectNames normalizes what only needs normalizing', () => {
  it.each([
    ['my-api', 'my-api', 'my_api'],
    ['My Cool API', 'my-cool-api', 'my_cool_api'],
    ['my_cool.api', 'my-cool-api', 'my_cool_api'],
    ['  spaced  ', 'spaced', 'spaced'],
    ['Café Crème', 'cafe-creme', 'cafe_creme'],
    ['--weird__name--', 'weird-name', 'weird_name'],
    ['api2', 'api2', 'api2'],
    ['A', 'a', 'a'],
  ])('%j → %s / %s', (raw, distName, packageName) => {
    expect(buildProjectNames(raw)).toEqual({ displayName: raw.trim(), distName, packageName });
  });

  it('agrees with PEP 503 on names that are already valid distribution names', () => {
    expect(normalizeDistName('Friendly-Bard')).toBe('friendly-bard');
    expect(normalizeDistName('FRIENDLY._.BARD')).toBe('friendly-bard');
  });
});

describe('buildProjectNames refuses what cannot be fixed, and suggests a valid name', () => {
  const refusal = (raw: string): UserError => {
    try {
      buildProjectNames(raw);
    } catch (error) {
      if (error instanceof UserError) return error;
      throw error;
    }
    throw new Error(`${JSON.stringify(raw)} was accepted`);
  };

  it.each([
    ['test', '"test" would shadow the standard library module of the same name', 'test-app'],
    ['json', '"json" would shadow the standard library module of the same name', 'json-app'],
    ['Logging', '"logging" would shadow the standard library module of the same name', 'logging-app'],
    ['fastapi', '"fastapi" would shadow a package the project depends on or its tools use', 'fastapi-app'],
    ['celery', '"celery" would shadow a package the project depends on or its tools use', 'celery-app'],
    ['sqlalchemy', '"sqlalchemy" would shadow a package the project depends on or its tools use', 'sqlalchemy-app'],
    ['pytest', '"pytest" would shadow a package the project depends on or its tools use', 'pytest-app'],
    ['tests', '"tests" would shadow a package the project depends on or its tools use', 'tests-app'],
    ['class', '"class" is a Python keyword', 'class-app'],
    ['import', '"import" is a Python keyword', 'import-app'],
    ['123', 'a Python import name cannot start with a digit', 'project-123'],
    ['9lives', 'a Python import name cannot start with a digit', 'project-9lives'],
  ])('%j: %s; suggests %s', (raw, reason, suggestion) => {
    const error = refusal(raw);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`"${raw}" cannot be used as a project name: ${reason}.`);
    expect(error.details).toEqual([`Try: ${suggestion}`]);
    expect(buildProjectNames(suggestion).distName).toBe(suggestion);
  });

  it('suggests the next candidate when one is too long, and a plain name when none fits', () => {
    expect(refusal('re').details).toEqual(['Try: re-app']);
    // 37 characters starting with a digit: "project-" makes 45, "py-" exactly 40.
    expect(refusal(`1${'x'.repeat(36)}`).details).toEqual([`Try: py-1${'x'.repeat(36)}`]);
    // 38: both candidates are too long.
    expect(refusal(`1${'x'.repeat(37)}`).details).toEqual(['Try: my-project']);
  });

  it('refuses every Python keyword (lower-cased, as a name becomes one)', () => {
    const keywords = [
      'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'False',
      'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'None', 'nonlocal', 'not', 'or', 'pass',
      'raise', 'return', 'True', 'try', 'while', 'with', 'yield',
    ];
    for (const keyword of keywords) {
      const packageName = keyword.toLowerCase();
      expect(refusal(keyword).message, keyword).toBe(`"${keyword}" cannot be used as a project name: "${packageName}" is a Python keyword.`);
    }
    // Soft keywords are fine as import names.
    expect(buildProjectNames('match').packageName).toBe('match');
    expect(buildProjectNames('type').packageName).toBe('type');
  });

  it('takes names up to 40 characters once normalized, and refuses 41 with a shortened suggestion', () => {
    expect(MAX_NAME_LENGTH).toBe(40);
    expect(buildProjectNames('a'.repeat(40)).distName).toBe('a'.repeat(40));
    expect(buildProjectNames(`${'a'.repeat(40)}!!!`).distName).toBe('a'.repeat(40));
    const error = refusal('a'.repeat(41));
    expect(error.message).toBe('The project name is 41 characters long once normalized; the limit is 40.');
    expect(error.details).toEqual([`Try: ${'a'.repeat(40)}`]);
    // The suggestion never ends with the hyphen the cut left.
    expect(refusal(`${'a'.repeat(39)} bcd`).details).toEqual([`Try: ${'a'.repeat(39)}`]);
  });

  it('explains an empty name, a name of symbols and control characters', () => {
    expect(refusal('  ').message).toBe('The project name is empty.');
    expect(refusal('').details).toEqual(['Pass a directory or --name, e.g. my-api.']);
    expect(refusal('!!!').message).toBe('"!!!" has no letters or digits to build a Python name from.');
    expect(refusal('!!!').details).toEqual(['Try: my-project']);
    expect(refusal('a\u0000b').message).toBe('The project name contains control characters.');
    expect(refusal('a\u007fb').details).toEqual(['Try: my-project']);
  });

  it('refuses a character no name may hold, naming it, with a suggestion when one can be made', () => {
    const error = refusal('my \u0430pi');
    expect(error.message).toBe('"my \u0430pi" contains "\u0430" (U+0430), which a project name cannot hold.');
    expect(error.details).toEqual([
      'Names use Latin letters (accents are fine), digits, spaces and ASCII punctuation: other characters can pass for',
      'look-alikes in the generated code or display differently from one editor to the next.',
      'Try: my-pi',
    ]);
    expect(refusal('\u0430\u0431').details).toHaveLength(2);
  });

  it('accepts an accent only right after a letter', () => {
    expect(buildProjectNames('Cafe\u0301').displayName).toBe('Café');
    expect(refusal('a \u0301b').message).toContain('(U+0301)');
    expect(refusal('\u0301ab').message).toContain('(U+0301)');
  });

  it.each([[''], ['   '], ['!!!'], ['日本語'], ['a\u0000b'], ['x'.repeat(41)]])('%j', (raw) => {
    expect(refusal(raw).exitCode).toBe(2);
  });
});
