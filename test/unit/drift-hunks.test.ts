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

describe('drift hunks: the edges', () => {
  it('finds an accepted change only when its lines are the same, all of them', () => {
    const accepted = [{ anchor: 'a', removed: ['b', 'c'], added: ['X', 'Y'] }];
    const change = (removed: string[], added: string[]) => ({ line: 2, generatedLine: 2, removed, added, anchor: 'a' });
    expect(isAccepted(change(['b', 'c'], ['X', 'Y']), accepted)).toBe(true);
    expect(isAccepted(change(['b', 'd'], ['X', 'Y']), accepted)).toBe(false);
    expect(isAccepted(change(['b', 'c'], ['X', 'Z']), accepted)).toBe(false);
    expect(isAccepted(change(['b'], ['X', 'Y']), accepted)).toBe(false);
    expect(isAccepted({ ...change(['b', 'c'], ['X', 'Y']), anchor: null }, accepted)).toBe(false);
  });

  it('places a change at the top with no anchor', () => {
    expect(changesBetween(text(['a', 'b']), text(['A', 'b']))).toEqual([{ line: 1, generatedLine: 1, removed: ['a'], added: ['A'], anchor: null }]);
  });

  it('covers the lines a change wrote, or the line where a deletion was', () => {
    const [replaced] = changesBetween(text(['a', 'b', 'c']), text(['a', 'X', 'Y', 'c']));
    expect([1, 2, 3, 4].map((line) => changeAtLine(replaced!, line))).toEqual([false, true, true, false]);
    const [deleted] = changesBetween(text(['a', 'b', 'c']), text(['a', 'c']));
    expect([1, 2, 3].map((line) => changeAtLine(deleted!, line))).toEqual([false, true, false]);
  });

  it('writes nothing when no change is shown', () => {
    expect(changesDiff('f.txt', text(['a']), text(['b']), [])).toBe('');
  });

  it('joins changes up to six lines apart into one hunk, and splits them at seven', () => {
    const lines = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16'];
    const edit = (at: number[]) => text(lines.map((line, index) => (at.includes(index) ? `${line}!` : line)));
    const hunks = (yours: string): number => {
      const changes = changesBetween(text(lines), yours);
      return (changesDiff('f.txt', text(lines), yours, changes).match(/^@@ /gm) ?? []).length;
    };
    expect(hunks(edit([2, 9]))).toBe(1);
    expect(hunks(edit([2, 10]))).toBe(2);
  });

  it('counts context after a change of several lines, and writes the hunk header of a file emptied or created', () => {
    const generated = text(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const yours = text(['1', 'X', '5', '6', '7', '8', '9']);
    expect(changesDiff('f.txt', generated, yours, changesBetween(generated, yours))).toBe(
      '--- generated/f.txt\n+++ yours/f.txt\n@@ -1,7 +1,5 @@\n 1\n-2\n-3\n-4\n+X\n 5\n 6\n 7\n',
    );
    expect(changesDiff('f.txt', text(['a']), '', changesBetween(text(['a']), ''))).toBe('--- generated/f.txt\n+++ yours/f.txt\n@@ -1,1 +0,0 @@\n-a\n');
    expect(changesDiff('f.txt', '', text(['x']), changesBetween('', text(['x'])))).toBe('--- generated/f.txt\n+++ yours/f.txt\n@@ -0,0 +1,1 @@\n+x\n');
  });
});
