import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PYTHON_DEPENDENCIES } from '../../src/catalog/python-dependencies.ts';
import { compareRequirements } from '../../src/render/requirement-order.ts';

const english = (a: string, b: string): number => a.localeCompare(b, 'en');

describe('compareRequirements', () => {
  it('sorts every known requirement as localeCompare does', () => {
    const requirements = Object.values(PYTHON_DEPENDENCIES).map((dependency) => dependency.requirement);
    expect([...requirements].sort(compareRequirements)).toEqual([...requirements].sort(english));
    // The case that code-unit order gets wrong: "httpx~=" before "httpx2~=".
    expect(compareRequirements('httpx~=0.28', 'httpx2~=2.16')).toBeLessThan(0);
  });

  it('agrees with localeCompare on any printable ASCII', () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 12 });
    const run = fc.check(
      fc.property(ascii, ascii, (a, b) => Math.sign(compareRequirements(a, b)) === Math.sign(english(a, b))),
      { numRuns: 20_000 },
    );
    expect(run.failed, fc.defaultReportMessage(run)).toBe(false);
  });

  it('agrees with localeCompare on requirement-like strings', () => {
    const requirement = fc
      .tuple(
        fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9._-]{0,8}$/),
        fc.option(fc.stringMatching(/^\[[a-z0-9,]{1,6}\]$/), { nil: '' }),
        fc.constantFrom('~=', '==', '>=', '<', ''),
        fc.stringMatching(/^[0-9]{1,2}(\.[0-9]{1,2}){0,2}$/),
      )
      .map((parts) => parts.join(''));
    const run = fc.check(
      fc.property(requirement, requirement, (a, b) => Math.sign(compareRequirements(a, b)) === Math.sign(english(a, b))),
      { numRuns: 20_000 },
    );
    expect(run.failed, fc.defaultReportMessage(run)).toBe(false);
  });
});
