import { describe, expect, it } from 'vitest';
import { planMerge, type FileDecision } from '../../src/merge/merge-project.ts';
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
