import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { buildProjectNames, normalizeDistName } from '../../src/render/project-names.ts';

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
    ['test', 'standard library'],
    ['json', 'standard library'],
    ['Logging', 'standard library'],
    ['fastapi', 'depends on'],
    ['celery', 'depends on'],
    ['sqlalchemy', 'depends on'],
    ['pytest', 'depends on'],
    ['tests', 'depends on'],
    ['class', 'keyword'],
    ['import', 'keyword'],
    ['123', 'cannot start with a digit'],
    ['9lives', 'cannot start with a digit'],
  ])('%j (%s)', (raw, reason) => {
    const error = refusal(raw);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(reason);
    const suggestion = error.details.find((line) => line.startsWith('Try: '))?.slice('Try: '.length);
    expect(suggestion).toBeDefined();
    expect(() => buildProjectNames(suggestion ?? '')).not.toThrow();
  });

  it.each([[''], ['   '], ['!!!'], ['日本語'], ['a\u0000b'], ['x'.repeat(41)]])('%j', (raw) => {
    expect(refusal(raw).exitCode).toBe(2);
  });
});
