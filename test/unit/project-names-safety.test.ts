import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { MAX_TITLE_LENGTH, buildProjectNames } from '../../src/render/project-names.ts';
import { pythonStringLiteral } from '../../src/render/python-literal.ts';

/**
 * Names reach generated files (the API title in main.py and its test, the
 * README): invisible and direction-control characters are refused, look-alike
 * forms folded or refused, and a title must fit one line of code. The same
 * rules run against real ruff in test/generated/project-names-property.test.ts.
 */

function refusal(raw: string): UserError {
  try {
    buildProjectNames(raw);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(raw)} was accepted`);
}

describe('names: what is folded', () => {
  it.each([
    ['\uff4d\uff59\uff0d\uff41\uff50\uff49', 'my-api', 'my-api'],
    ['my\u00a0api', 'my api', 'my-api'],
    ['my\u3000api', 'my api', 'my-api'],
    ['Dave\u2019s \u201cAPI\u201d', 'Dave\'s "API"', 'dave-s-api'],
    ['web \u2013 shop', 'web - shop', 'web-shop'],
    ['\ufb01le store', 'file store', 'file-store'],
    ['Café Crème', 'Café Crème', 'cafe-creme'],
    ['Jørgen Æsir', 'Jørgen Æsir', 'j-rgen-sir'],
  ])('%j → %j (%s)', (raw, displayName, distName) => {
    expect(buildProjectNames(raw)).toMatchObject({ displayName, distName });
  });
});

describe('names: what is refused', () => {
  it.each([
    ['\u202e', 'my\u202eipa'],
    ['\u2066', 'a\u2066b'],
    ['\u061c', 'a\u061cb'],
    ['\u200b', 'zero\u200bwidth'],
    ['\u200d', 'a\u200db'],
    ['\ufeff', '\ufeffapi'],
    ['\u00ad', 'soft\u00adhyphen'],
    ['\u2028', 'line\u2028break'],
    ['\u{e0041}', 'tag\u{e0041}'],
    ['\ue000', 'private\ue000use'],
    ['\u0085', 'c1\u0085control'],
    ['\u0378', 'un\u0378assigned'],
    ['\ud800', 'lone\ud800surrogate'],
    ['\u2029', 'para\u2029graph'],
    ['\u3164', 'hangul\u3164filler'],
  ])('an invisible or direction control (%j)', (char, raw) => {
    const error = refusal(raw);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      `The project name contains U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, an invisible, control or text-direction character.`,
    );
    expect(error.details).toEqual(['Such characters hide or reorder text in every file the name reaches. Type the name again without it.']);
  });

  it.each([['x1\u0303'], ['a~\u0303'], ['\u00e9\u0301\u0301']])('an accent on something that is not a letter, or piled up (%j)', (raw) => {
    expect(refusal(raw).message).toContain('which a project name cannot hold');
  });

  it('takes every printable ASCII character in a title', () => {
    const ascii = Array.from({ length: 0x7f - 0x20 }, (_, index) => String.fromCharCode(0x20 + index)).join('');
    // In pieces that stay within the length limits ("" and \\ count twice in a title).
    for (let at = 0; at < ascii.length; at += 16) {
      const name = `a ${ascii.slice(at, at + 16)} z`;
      expect(buildProjectNames(name).displayName).toBe(name);
    }
  });

  it.each([['my-\u0430pi'], ['\u03bfpen'], ['\u0131dea'], ['a\u00d7b'], ['x\u0660'], ['api \u{1f600}'], ['\u00abquoted\u00bb']])('a look-alike or symbol (%j)', (raw) => {
    const error = refusal(raw);
    expect(error.message).toContain('which a project name cannot hold');
    const suggestion = error.details.find((line) => line.startsWith('Try: '))?.slice(5);
    if (suggestion !== undefined) expect(() => buildProjectNames(suggestion)).not.toThrow();
  });

  it('a title longer than one line of code can hold, counting escapes', () => {
    expect(() => buildProjectNames('a'.repeat(MAX_TITLE_LENGTH - 10) + '!'.repeat(10))).not.toThrow();
    expect(refusal(`a${'!'.repeat(159)}`).message).toContain('160 characters long as a title');
    expect(() => buildProjectNames(`a${'\\'.repeat(24)}`)).not.toThrow();
    expect(refusal(`a${'\\'.repeat(25)}`).message).toContain('51 characters long as a title');
  });
});

describe('pythonStringLiteral writes strings as ruff format does', () => {
  it.each([
    ['plain', '"plain"'],
    ["it's", '"it\'s"'],
    ['say "hi"', `'say "hi"'`],
    [`"a" 'b'`, `"\\"a\\" 'b'"`],
    [`"a" "b" 'c'`, `'"a" "b" \\'c\\''`],
    ['back\\slash', '"back\\\\slash"'],
    ['Café', '"Café"'],
  ])('%j → %s', (value, literal) => {
    expect(pythonStringLiteral(value)).toBe(literal);
  });
});

describe('property: every accepted name has a safe, short title', () => {
  it('holds for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (raw) => {
        let names;
        try {
          names = buildProjectNames(raw);
        } catch (error) {
          if (error instanceof UserError) return;
          throw error;
        }
        expect(names.displayName).not.toMatch(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u);
        expect(names.displayName).toBe(names.displayName.normalize('NFKC'));
        expect(pythonStringLiteral(names.displayName).length).toBeLessThanOrEqual(MAX_TITLE_LENGTH + 2);
        expect(names.packageName).toMatch(/^[a-z][a-z0-9_]*$/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('names: every typographic quote, prime and dash folds to its ASCII', () => {
  it.each([
    ...['\u2018', '\u2019', '\u201a', '\u201b', '\u2032', '\u2035'].map((char) => [char, "'"]),
    ...['\u201c', '\u201d', '\u201e', '\u201f', '\u2033', '\u2036'].map((char) => [char, '"']),
    ...['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212'].map((char) => [char, '-']),
  ])('%j → %j', (char, ascii) => {
    expect(buildProjectNames(`a${char}b`).displayName).toBe(`a${ascii}b`);
  });

  it('folds what NFKC turns into typographic marks too', () => {
    // U+2057 (quadruple prime) is four primes once normalized.
    expect(buildProjectNames('a\u2057b').displayName).toBe("a''''b");
  });

  it('keeps the Latin letters that have no decomposition', () => {
    const letters = 'ßøØæÆœŒłŁđĐðÐþÞħĦŋŊĸ';
    expect(buildProjectNames(`x ${letters}`).displayName).toBe(`x ${letters}`);
  });
});
