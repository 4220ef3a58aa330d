import { describe, expect, it } from 'vitest';
import {
  changesDisk,
  isUnionFile,
  planMerge,
  type BaseFile,
  type DiskFile,
  type FileDecision,
  type NextFile,
} from '../../src/merge/merge-project.ts';
import type { MergeLabels } from '../../src/merge/merge-text.ts';
import { asBase, labelsFor, render, withEdits, type InlineTree } from '../helpers/template-tree.ts';

/** Generate with v1, let the user edit, render v2, decide. */
function update(v1: InlineTree, v2: InlineTree, edits: Readonly<Record<string, string | Buffer | undefined>> = {}): Map<string, FileDecision> {
  const first = render(v1);
  const decisions = planMerge({ base: asBase(first), next: render(v2), disk: withEdits(first, edits), labelsFor });
  return new Map(decisions.map((decision) => [decision.path, decision]));
}

const text = (decision: FileDecision | undefined): string | undefined => decision?.content?.toString('utf8');

describe('planMerge: a file you never changed', () => {
  it('is replaced silently by the new version', () => {
    const result = update({ 'app.py.hbs': 'print("{{project.packageName}} v1")\n' }, { 'app.py.hbs': 'print("{{project.packageName}} v2")\n' });
    expect(result.get('app.py')).toMatchObject({ outcome: 'updated' });
    expect(text(result.get('app.py'))).toBe('print("demo v2")\n');
  });

  it('is left alone when the template did not change either', () => {
    const result = update({ 'a.txt': 'same\n' }, { 'a.txt': 'same\n' });
    expect(result.get('a.txt')).toEqual({ path: 'a.txt', outcome: 'unchanged' });
  });
});

describe('planMerge: a file you changed', () => {
  const v1 = { 'settings.py': 'DEBUG = False\nPORT = 8000\n\nHOST = "127.0.0.1"\n' };
  const v2 = { 'settings.py': 'DEBUG = False\nPORT = 8000\n\nHOST = "0.0.0.0"\n' };

  it('is merged three ways: your lines and the template’s', () => {
    const result = update(v1, v2, { 'settings.py': 'DEBUG = True\nPORT = 8000\n\nHOST = "127.0.0.1"\n' });
    expect(result.get('settings.py')).toMatchObject({ outcome: 'merged' });
    expect(text(result.get('settings.py'))).toBe('DEBUG = True\nPORT = 8000\n\nHOST = "0.0.0.0"\n');
  });

  it('keeps your version when the template did not change it', () => {
    const result = update(v1, v1, { 'settings.py': 'mine\n' });
    expect(result.get('settings.py')).toEqual({ path: 'settings.py', outcome: 'unchanged' });
  });

  it('gets labelled conflict markers where both changed the same line, and is listed', () => {
    const result = update(v1, v2, { 'settings.py': 'DEBUG = False\nPORT = 8000\n\nHOST = "localhost"\n' });
    expect(result.get('settings.py')).toMatchObject({ outcome: 'conflict', conflicts: 1 });
    expect(text(result.get('settings.py'))).toBe(
      'DEBUG = False\nPORT = 8000\n\n<<<<<<< yours\nHOST = "localhost"\n||||||| v1\nHOST = "127.0.0.1"\n=======\nHOST = "0.0.0.0"\n>>>>>>> v2\n',
    );
  });

  it('is unchanged when you already made the template’s change yourself', () => {
    const result = update(v1, v2, { 'settings.py': v2['settings.py'] });
    expect(result.get('settings.py')).toEqual({ path: 'settings.py', outcome: 'unchanged' });
  });
});

describe('planMerge: files that come and go', () => {
  it('keeps a file you deleted deleted, even when the template changed it (copier #1721)', () => {
    const result = update({ 'a.txt': 'v1\n' }, { 'a.txt': 'v2\n' }, { 'a.txt': undefined });
    expect(result.get('a.txt')).toMatchObject({ outcome: 'kept-deleted' });
    expect(result.get('a.txt')?.content).toBeUndefined();
  });

  it('removes a file the template no longer produces, if you never changed it', () => {
    const result = update({ 'old.txt': 'x\n', 'keep.txt': 'k\n' }, { 'keep.txt': 'k\n' });
    expect(result.get('old.txt')).toMatchObject({ outcome: 'removed' });
  });

  it('keeps a file the template no longer produces when you changed it', () => {
    const result = update({ 'old.txt': 'x\n', 'keep.txt': 'k\n' }, { 'keep.txt': 'k\n' }, { 'old.txt': 'x\nmine\n' });
    expect(result.get('old.txt')).toMatchObject({ outcome: 'kept-yours' });
    expect(result.get('old.txt')?.content).toBeUndefined();
  });

  it('adds a new file of the template', () => {
    const result = update({ 'a.txt': 'a\n' }, { 'a.txt': 'a\n', 'b.sh': 'echo b\n' });
    expect(result.get('b.sh')).toMatchObject({ outcome: 'created', executable: false });
    expect(text(result.get('b.sh'))).toBe('echo b\n');
  });

  it('never overwrites a file you created where the template now adds one: a conflict (copier #1587)', () => {
    const result = update({ 'a.txt': 'a\n' }, { 'a.txt': 'a\n', 'b.txt': 'template line\n' }, { 'b.txt': 'my line\n' });
    expect(result.get('b.txt')).toMatchObject({ outcome: 'conflict', conflicts: 1 });
    const merged = text(result.get('b.txt')) ?? '';
    expect(merged).toContain('my line\n');
    expect(merged).toContain('template line\n');
  });

  it('adopts a file you created with exactly the template’s content', () => {
    const result = update({ 'a.txt': 'a\n' }, { 'a.txt': 'a\n', 'b.txt': 'b\n' }, { 'b.txt': 'b\n' });
    expect(result.get('b.txt')).toEqual({ path: 'b.txt', outcome: 'unchanged' });
  });
});

describe('planMerge: files that are never merged', () => {
  const png = (byte: number): Buffer => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, byte]);

  it('keeps your binary file when both changed it, and says so', () => {
    const result = update({ 'logo.png': png(1) }, { 'logo.png': png(2) }, { 'logo.png': png(3) });
    expect(result.get('logo.png')).toMatchObject({ outcome: 'kept-yours' });
    expect(result.get('logo.png')?.reason).toContain('binary');
    expect(result.get('logo.png')?.content).toBeUndefined();
  });

  it('still replaces a binary file you never changed', () => {
    const result = update({ 'logo.png': png(1) }, { 'logo.png': png(2) });
    expect(result.get('logo.png')).toMatchObject({ outcome: 'updated', content: png(2) });
  });

  it('never touches a `once` file after creation', () => {
    const v1 = { 'notes.md.once': 'v1\n' };
    const v2 = { 'notes.md.once': 'v2\n' };
    expect(update(v1, v2).get('notes.md')).toEqual({ path: 'notes.md', outcome: 'unchanged' });
    expect(update(v1, v2, { 'notes.md': 'mine\n' }).get('notes.md')).toEqual({ path: 'notes.md', outcome: 'unchanged' });
    expect(update(v1, {}, { 'notes.md': 'v1\n' }).get('notes.md')).toEqual({ path: 'notes.md', outcome: 'unchanged' });
  });

  it('creates a new `once` file, but keeps yours if one is already there', () => {
    expect(update({}, { 'notes.md.once': 'v2\n' }).get('notes.md')).toMatchObject({ outcome: 'created' });
    expect(update({}, { 'notes.md.once': 'v2\n' }, { 'notes.md': 'mine\n' }).get('notes.md')).toMatchObject({
      outcome: 'kept-yours',
    });
  });

  it('leaves alone a path where you put a folder or a link', () => {
    const first = render({ 'a.txt': 'a\n' });
    const disk = withEdits(first);
    disk.set('a.txt', { notAFile: true });
    const [decision] = planMerge({ base: asBase(first), next: render({ 'a.txt': 'b\n' }), disk, labelsFor });
    expect(decision).toMatchObject({ outcome: 'kept-yours' });
  });
});

describe('planMerge is idempotent', () => {
  it('decides nothing when run again on its own result', () => {
    const v1 = { 'a.txt': '1\n2\n3\n', 'b.txt': 'x\n', 'gone.txt': 'g\n' };
    const v2 = { 'a.txt': '1\n2\nthree\n', 'b.txt': 'X\n', 'new.txt': 'n\n' };
    const first = render(v1);
    const disk = withEdits(first, { 'a.txt': 'one\n2\n3\n', 'b.txt': 'mine\n' });
    const next = render(v2);
    const decisions = planMerge({ base: asBase(first), next, disk, labelsFor });
    const after = new Map(disk);
    for (const decision of decisions) {
      if (decision.content) after.set(decision.path, decision.content);
      if (decision.outcome === 'removed') after.delete(decision.path);
    }
    expect(decisions.filter((decision) => decision.outcome === 'conflict').map((decision) => decision.path)).toEqual(['b.txt']);
    const again = planMerge({ base: asBase(next), next, disk: after, labelsFor });
    expect(again.filter((decision) => decision.content !== undefined || decision.outcome === 'removed')).toEqual([]);
  });
});

describe('planMerge: every policy and outcome, decision by decision', () => {
  const t = (value: string): Buffer => Buffer.from(value, 'utf8');
  const bin = (byte: number): Buffer => Buffer.from([0x00, byte]);
  const calls: [string, string][] = [];
  const labels = (path: string, kind: 'update' | 'new-over-yours'): MergeLabels => {
    calls.push([path, kind]);
    return { yours: 'yours', base: kind === 'update' ? 'v1' : '(none)', template: 'v2' };
  };
  function decide(base: BaseFile | undefined, next: NextFile | undefined, disk: DiskFile | undefined, path = 'a.txt'): FileDecision {
    const decisions = planMerge({
      base: new Map(base ? [[path, base]] : []),
      next: new Map(next ? [[path, next]] : []),
      disk: new Map(disk ? [[path, disk]] : []),
      labelsFor: labels,
    });
    expect(decisions).toHaveLength(1);
    return decisions[0]!;
  }
  const merge = (content: Buffer): BaseFile => ({ content, policy: 'merge' });
  const once = (content: Buffer): BaseFile => ({ content, policy: 'once' });
  const nextMerge = (content: Buffer, executable = false): NextFile => ({ content, policy: 'merge', executable });
  const nextOnce = (content: Buffer): NextFile => ({ content, policy: 'once', executable: false });

  it('decides for every path of the last generation and this one, sorted, and nothing else', () => {
    const decisions = planMerge({
      base: new Map([['b.txt', merge(t('b'))], ['a.txt', merge(t('a'))]]),
      next: new Map([['c.txt', nextMerge(t('c'))], ['a.txt', nextMerge(t('a'))]]),
      disk: new Map([['a.txt', t('a')], ['b.txt', t('b')], ['mine.txt', t('m')]]),
      labelsFor: labels,
    });
    expect(decisions.map((decision) => [decision.path, decision.outcome])).toEqual([
      ['a.txt', 'unchanged'],
      ['b.txt', 'removed'],
      ['c.txt', 'created'],
    ]);
  });

  it('leaves alone whatever is not a regular file, whatever the templates say', () => {
    expect(decide(merge(t('a')), nextMerge(t('b')), { notAFile: true })).toEqual({
      path: 'a.txt',
      outcome: 'kept-yours',
      reason: 'something other than a regular file is there; left alone',
    });
    expect(decide(merge(t('a')), undefined, { notAFile: true }).outcome).toBe('kept-yours');
  });

  it('no longer generated: removed if untouched, yours if changed, never touched if `once` or already gone', () => {
    expect(decide(merge(t('a')), undefined, t('a'))).toEqual({ path: 'a.txt', outcome: 'removed', previous: t('a') });
    expect(decide(merge(t('a')), undefined, t('mine'))).toEqual({
      path: 'a.txt',
      outcome: 'kept-yours',
      reason: 'no longer generated, but you changed it: it is yours now',
    });
    expect(decide(once(t('a')), undefined, t('a'))).toEqual({ path: 'a.txt', outcome: 'unchanged' });
    expect(decide(merge(t('a')), undefined, undefined)).toEqual({ path: 'a.txt', outcome: 'unchanged' });
  });

  it('not on disk: created if new, kept deleted if the template changed it, else nothing', () => {
    expect(decide(undefined, nextMerge(t('n'), true), undefined)).toEqual({ path: 'a.txt', outcome: 'created', content: t('n'), executable: true });
    expect(decide(undefined, nextOnce(t('n')), undefined)).toEqual({ path: 'a.txt', outcome: 'created', content: t('n'), executable: false });
    expect(decide(merge(t('a')), nextMerge(t('b')), undefined)).toEqual({
      path: 'a.txt',
      outcome: 'kept-deleted',
      reason: 'you deleted it; the template changed it, but it stays deleted',
    });
    expect(decide(merge(t('a')), nextMerge(t('a')), undefined)).toEqual({ path: 'a.txt', outcome: 'unchanged' });
    // A `once` file you deleted stays deleted without a word, changed template or not.
    expect(decide(once(t('a')), nextOnce(t('b')), undefined)).toEqual({ path: 'a.txt', outcome: 'unchanged' });
  });

  it('new in the template where you already have a file: never overwritten', () => {
    expect(decide(undefined, nextMerge(t('same')), t('same'))).toEqual({ path: 'a.txt', outcome: 'unchanged' });
    expect(decide(undefined, nextOnce(t('t')), t('mine'))).toEqual({
      path: 'a.txt',
      outcome: 'kept-yours',
      reason: 'you already have this file; it is yours to keep',
    });
    const binaryReason = 'binary: the template adds a file here, but yours is kept';
    expect(decide(undefined, nextMerge(bin(1)), t('mine'))).toEqual({ path: 'a.txt', outcome: 'kept-yours', reason: binaryReason });
    expect(decide(undefined, nextMerge(t('t')), bin(1))).toEqual({ path: 'a.txt', outcome: 'kept-yours', reason: binaryReason });
    calls.length = 0;
    expect(decide(undefined, nextMerge(t('x\ntemplate\n')), t('x\nmine\n'))).toEqual({
      path: 'a.txt',
      outcome: 'conflict',
      conflicts: 1,
      previous: t('x\nmine\n'),
      content: t('x\n<<<<<<< yours\nmine\n||||||| (none)\n=======\ntemplate\n>>>>>>> v2\n'),
    });
    expect(calls).toEqual([['a.txt', 'new-over-yours']]);
    // Your file already holds the template's lines and more: nothing to write.
    expect(decide(undefined, nextMerge(t('x\n')), t('x\nmine\n'))).toEqual({ path: 'a.txt', outcome: 'unchanged' });
  });

  it('`once` on either side (a file that moved between policies) is never merged again', () => {
    expect(decide(merge(t('a')), nextOnce(t('b')), t('a'))).toEqual({ path: 'a.txt', outcome: 'unchanged' });
    expect(decide(once(t('a')), nextMerge(t('b')), t('a'))).toEqual({ path: 'a.txt', outcome: 'unchanged' });
    expect(decide(once(t('a')), nextMerge(t('b')), t('mine'))).toEqual({ path: 'a.txt', outcome: 'unchanged' });
  });

  it('updates a file you never changed, keeps one only you changed', () => {
    expect(decide(merge(t('a')), nextMerge(t('b')), t('a'))).toEqual({ path: 'a.txt', outcome: 'updated', content: t('b'), previous: t('a') });
    expect(decide(merge(bin(1)), nextMerge(bin(2)), bin(1))).toEqual({ path: 'a.txt', outcome: 'updated', content: bin(2), previous: bin(1) });
    expect(decide(merge(t('a')), nextMerge(t('a')), t('mine'))).toEqual({ path: 'a.txt', outcome: 'unchanged' });
    // Binary, unchanged by the template: yours stays without a word (nothing was merged or kept back).
    expect(decide(merge(bin(1)), nextMerge(bin(1)), bin(3))).toEqual({ path: 'a.txt', outcome: 'unchanged' });
  });

  it('never merges a file that is binary on any one side', () => {
    const reason = 'binary and changed on both sides: yours is kept (binary files are never merged)';
    expect(decide(merge(t('a\n')), nextMerge(t('b\n')), bin(1))).toEqual({ path: 'a.txt', outcome: 'kept-yours', reason });
    expect(decide(merge(t('a\n')), nextMerge(bin(2)), t('c\n'))).toEqual({ path: 'a.txt', outcome: 'kept-yours', reason });
    expect(decide(merge(bin(1)), nextMerge(t('b\n')), t('c\n'))).toEqual({ path: 'a.txt', outcome: 'kept-yours', reason });
  });

  it('merges text both sides changed: merged, or a conflict labelled for an update', () => {
    calls.length = 0;
    expect(decide(merge(t('1\n2\n3\n')), nextMerge(t('1\n2\nT\n')), t('Y\n2\n3\n'))).toEqual({
      path: 'a.txt',
      outcome: 'merged',
      content: t('Y\n2\nT\n'),
      previous: t('Y\n2\n3\n'),
    });
    expect(decide(merge(t('1\n')), nextMerge(t('T\n')), t('Y\n'))).toEqual({
      path: 'a.txt',
      outcome: 'conflict',
      conflicts: 1,
      previous: t('Y\n'),
      content: t('<<<<<<< yours\nY\n||||||| v1\n1\n=======\nT\n>>>>>>> v2\n'),
    });
    expect(calls).toEqual([['a.txt', 'update'], ['a.txt', 'update']]);
    // You made the template's change and more: the merge is your file.
    expect(decide(merge(t('1\n2\n')), nextMerge(t('1\nT\n')), t('Y\n1\nT\n'))).toEqual({ path: 'a.txt', outcome: 'unchanged' });
  });

  it('merges the unordered lists (.gitignore, .dockerignore, .env.example) as a union, wherever they are', () => {
    for (const path of ['.gitignore', '.dockerignore', '.env.example', 'docs/.gitignore']) {
      expect(decide(merge(t('a\n')), nextMerge(t('a\nt\n')), t('a\ny\n'), path)).toEqual({
        path,
        outcome: 'merged',
        content: t('a\nt\ny\n'),
        previous: t('a\ny\n'),
      });
    }
    expect(decide(merge(t('a\n')), nextMerge(t('a\nt\n')), t('a\ny\n'), '.gitignore.bak').outcome).toBe('conflict');
    expect(['.gitignore', 'x/.env.example', '.env', 'gitignore'].map(isUnionFile)).toEqual([true, true, false, false]);
  });

  it('tells the decisions that write or delete from the others', () => {
    expect(changesDisk({ path: 'a', outcome: 'removed', previous: t('a') })).toBe(true);
    expect(changesDisk({ path: 'a', outcome: 'updated', content: t('') })).toBe(true);
    expect(changesDisk({ path: 'a', outcome: 'kept-yours', reason: 'x' })).toBe(false);
    expect(changesDisk({ path: 'a', outcome: 'unchanged' })).toBe(false);
  });
});
