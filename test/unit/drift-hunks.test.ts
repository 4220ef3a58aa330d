import { applyPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeAtLine, changesBetween, changesDiff, driftingChanges, isAccepted, toAccepted } from '../../src/merge/drift-hunks.ts';
import { findDrift } from '../../src/merge/drift.ts';

const text = (lines: readonly string[]): string => (lines.length === 0 ? '' : `${lines.join('\n')}\n`);

describe('changesBetween', () => {
  it('names each change where it is on disk and in the generated file, with the generated line before it', () => {
    const changes = changesBetween(text(['a', 'b', 'c', 'd']), text(['a', 'B', 'c', 'x', 'd']));
    expect(changes).toEqual([
      { line: 2, generatedLine: 2, removed: ['b'], added: ['B'], anchor: 'a' },
      { line: 4, generatedLine: 4, removed: [], added: ['x'], anchor: 'c' },
    ]);
    expect(driftingChanges(changes, false)).toHaveLength(1);
    expect(driftingChanges(changes, true)).toHaveLength(2);
    expect(changeAtLine(changes[0]!, 2)).toBe(true);
    expect(changeAtLine(changes[0]!, 3)).toBe(false);
  });

  it('an accepted change is found again by content after lines move', () => {
    const [change] = changesBetween(text(['a', 'b', 'c']), text(['a', 'B', 'c']));
    const moved = changesBetween(text(['new', 'top', 'a', 'b', 'c']), text(['new', 'top', 'a', 'B', 'c']));
    expect(isAccepted(moved[0]!, [toAccepted(change!)])).toBe(true);
    const elsewhere = changesBetween(text(['z', 'b']), text(['z', 'B']));
    expect(isAccepted(elsewhere[0]!, [toAccepted(change!)])).toBe(false);
  });
});

describe('changesDiff', () => {
  it('is a unified diff that turns the generated file into yours (property)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', ''), { maxLength: 30 });
    fc.assert(
      fc.property(lines, lines, (before, after) => {
        const generated = text(before);
        const yours = text(after);
        const all = changesBetween(generated, yours);
        if (all.length === 0) return;
        const patch = changesDiff('f.txt', generated, yours, all);
        expect(applyPatch(generated, patch)).toBe(yours);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out hunks that hold no shown change', () => {
    const generated = text(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']);
    const yours = text(['a', 'B', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'mine']);
    const shown = driftingChanges(changesBetween(generated, yours), false);
    const diff = changesDiff('f.txt', generated, yours, shown);
    expect(diff).toContain('-b\n+B\n');
    expect(diff).not.toContain('+mine');
  });
});

describe('findDrift with what the user owns', () => {
  const file = (content: string) => ({ content: Buffer.from(content), policy: 'merge' as const });
  const generated = text(['title = "x"', 'between', 'gate = 90', 'end']);
  const yours = text(['title = "My title"', 'between', 'gate = 90', 'end']);
  const input = (owned?: Parameters<typeof findDrift>[0]['owned'], disk = yours) => ({
    base: new Map([['f.toml', file(generated)]]),
    next: new Map([['f.toml', { ...file(generated), executable: false }]]),
    disk: new Map([['f.toml', Buffer.from(disk)]]),
    strict: false,
    ...(owned ? { owned } : {}),
  });

  it('an accepted change is not drift; another edit still is, with its diff', () => {
    expect(findDrift(input())).toMatchObject([{ path: 'f.toml', kind: 'edited', changes: [{ line: 1 }] }]);
    const accepted = toAccepted(changesBetween(generated, yours)[0]!);
    expect(findDrift(input({ 'f.toml': { changes: [accepted] } }))).toEqual([]);
    const more = text(['title = "My title"', 'between', 'gate = 50', 'end']);
    const drift = findDrift(input({ 'f.toml': { changes: [accepted] } }, more));
    expect(drift).toMatchObject([{ kind: 'edited', changes: [{ line: 3, removed: ['gate = 90'], added: ['gate = 50'] }] }]);
    expect(drift[0]?.diff).toContain('-gate = 90\n+gate = 50');
  });

  it('a whole owned file is checked only for conflict markers', () => {
    expect(findDrift(input({ 'f.toml': { file: true } }, text(['anything'])))).toEqual([]);
    expect(findDrift(input({ 'f.toml': { file: true } }, '<<<<<<< yours\na\n=======\nb\n>>>>>>> v2\n'))).toMatchObject([{ kind: 'conflict-markers' }]);
  });
});

describe('the owned record in the manifest', () => {
  it('survives a later render (update) and a generator run, for template-owned files only', async () => {
    const { buildManifest, recordGenerated } = await import('../../src/manifest/manifest.ts');
    const { planFromAnswers } = await import('../../src/plan/plan-from-answers.ts');
    const { catalog } = await import('../helpers/template-tree.ts');
    const answers = { name: 'shop', milestones: ['crud-db'], options: {} };
    const { plan } = planFromAnswers(catalog, answers);
    const owned = {
      Makefile: { file: true as const },
      'src/shop/main.py': { changes: [{ anchor: 'a', removed: ['b'], added: ['c'] }] },
      'gone.txt': { file: true as const },
      'README.md': { changes: [] },
    };
    const manifest = buildManifest({ plan, answers, generatorName: 'x', generatorVersion: '0.1.0', owned });
    // A path no longer generated and an empty record are dropped; the field sits before the pristine blob.
    expect(manifest.owned).toEqual({ Makefile: { file: true }, 'src/shop/main.py': owned['src/shop/main.py'] });
    expect(Object.keys(manifest).slice(-2)).toEqual(['owned', 'pristine']);
    const after = recordGenerated(manifest, {
      record: { generator: 'task', name: 't', version: '0.1.0', command: 'c', files: [], insertions: [] },
      created: [],
      modified: [],
    });
    expect(after.owned).toEqual(manifest.owned);
    expect('owned' in buildManifest({ plan, answers, generatorName: 'x', generatorVersion: '0.1.0' })).toBe(false);
  });
});
