import { describe, expect, it } from 'vitest';
import type { OwnedFile } from '../../src/manifest/manifest.ts';
import { findDrift, onlyAdditions, type Drift } from '../../src/merge/drift.ts';
import type { BaseFile, DiskFile, NextFile } from '../../src/merge/merge-project.ts';
import { asBase, render, withEdits, type InlineTree } from '../helpers/template-tree.ts';

const v1: InlineTree = {
  'pyproject.toml.hbs': '[project]\nname = "{{project.distName}}"\n\n[tool.pytest.ini_options]\naddopts = ["--cov-fail-under=90"]\n',
  'notes.md.once': 'yours after creation\n',
};

function check(
  edits: Readonly<Record<string, string | undefined>>,
  options: { next?: InlineTree; strict?: boolean } = {},
): { path: string; kind: string }[] {
  const first = render(v1);
  return findDrift({
    base: asBase(first),
    next: render(options.next ?? v1),
    disk: withEdits(first, edits),
    strict: options.strict ?? false,
  }).map(({ path, kind }) => ({ path, kind }));
}

describe('findDrift', () => {
  it('finds nothing in a project as generated', () => {
    expect(check({})).toEqual([]);
  });

  it('catches a hand-edited generated line (a lowered coverage gate)', () => {
    const pyproject = render(v1).get('pyproject.toml')?.content.toString() ?? '';
    expect(check({ 'pyproject.toml': pyproject.replace('90', '50') })).toEqual([{ path: 'pyproject.toml', kind: 'edited' }]);
  });

  it('treats lines you only added as yours, unless --strict', () => {
    const pyproject = `${render(v1).get('pyproject.toml')?.content.toString() ?? ''}\n[tool.mine]\nx = 1\n`;
    expect(check({ 'pyproject.toml': pyproject })).toEqual([]);
    expect(check({ 'pyproject.toml': pyproject }, { strict: true })).toEqual([{ path: 'pyproject.toml', kind: 'edited' }]);
  });

  it('never looks at files you own', () => {
    expect(check({ 'notes.md': 'rewritten\n', 'mine.py': 'x = 1\n' })).toEqual([]);
  });

  it('reports a deleted template-owned file as missing', () => {
    expect(check({ 'pyproject.toml': undefined })).toEqual([{ path: 'pyproject.toml', kind: 'missing' }]);
  });

  it('reports files an update would change as outdated, and new or removed ones', () => {
    const next = { ...v1, 'pyproject.toml.hbs': `${String(v1['pyproject.toml.hbs'])}# v2\n`, 'new.txt': 'n\n' };
    expect(check({}, { next })).toEqual([
      { path: 'new.txt', kind: 'missing' },
      { path: 'pyproject.toml', kind: 'outdated' },
    ]);
    const { 'pyproject.toml.hbs': _dropped, ...withoutPyproject } = v1;
    expect(check({}, { next: { ...withoutPyproject, 'other.txt': 'o\n' } })).toContainEqual({
      path: 'pyproject.toml',
      kind: 'obsolete',
    });
  });

  it('reports unresolved conflict markers', () => {
    expect(check({ 'pyproject.toml': '<<<<<<< yours\na\n||||||| v1\n=======\nb\n>>>>>>> v2\n' })).toEqual([
      { path: 'pyproject.toml', kind: 'conflict-markers' },
    ]);
  });

  it('ignores line endings and a missing final newline', () => {
    const pyproject = render(v1).get('pyproject.toml')?.content.toString() ?? '';
    expect(check({ 'pyproject.toml': pyproject.trimEnd().replaceAll('\n', '\r\n') })).toEqual([]);
  });
});

describe('findDrift: every kind, with its detail', () => {
  const t = (value: string): Buffer => Buffer.from(value, 'utf8');
  const bin = (byte: number): Buffer => Buffer.from([0x00, byte]);
  const merge = (content: Buffer): BaseFile => ({ content, policy: 'merge' });
  const nextMerge = (content: Buffer): NextFile => ({ content, policy: 'merge', executable: false });
  function drift(
    base: BaseFile | undefined,
    next: NextFile | undefined,
    disk: DiskFile | undefined,
    options: { strict?: boolean; owned?: OwnedFile } = {},
  ): Drift[] {
    return findDrift({
      base: new Map(base ? [['f.py', base]] : []),
      next: new Map(next ? [['f.py', next]] : []),
      disk: new Map(disk ? [['f.py', disk]] : []),
      strict: options.strict ?? false,
      ...(options.owned ? { owned: { 'f.py': options.owned } } : {}),
    });
  }
  const v1 = t('a\nb\nc\n');
  const v2 = t('a\nB\nc\n');

  it('obsolete: no longer generated and untouched, so `update` would remove it', () => {
    expect(drift(merge(v1), undefined, v1)).toEqual([{ path: 'f.py', kind: 'obsolete', detail: 'no longer generated; `update` removes it' }]);
    expect(drift(merge(v1), undefined, t('mine\n'))).toEqual([]);
    expect(drift({ content: v1, policy: 'once' }, undefined, v1)).toEqual([]);
    expect(drift(merge(v1), undefined, { notAFile: true })).toEqual([]);
    expect(drift(merge(v1), undefined, undefined)).toEqual([]);
  });

  it('never looks at a `once` file', () => {
    expect(drift(merge(v1), { content: v2, policy: 'once', executable: false }, undefined)).toEqual([]);
    expect(drift(merge(v1), { content: v2, policy: 'once', executable: false }, t('mine\n'))).toEqual([]);
  });

  it('missing: deleted, or new in this version; a file you own may be gone', () => {
    expect(drift(merge(v1), nextMerge(v1), undefined)).toEqual([{ path: 'f.py', kind: 'missing', detail: 'deleted' }]);
    expect(drift(undefined, nextMerge(v1), undefined)).toEqual([
      { path: 'f.py', kind: 'missing', detail: 'new in this version of the generator; `update` adds it' },
    ]);
    expect(drift(merge(v1), nextMerge(v1), undefined, { owned: { file: true } })).toEqual([]);
    expect(drift(merge(v1), nextMerge(v1), undefined, { owned: { changes: [] } })).toHaveLength(1);
  });

  it('edited: something other than a file where a generated file belongs', () => {
    expect(drift(merge(v1), nextMerge(v1), { notAFile: true })).toEqual([
      { path: 'f.py', kind: 'edited', detail: 'something other than a regular file is there' },
    ]);
  });

  it('conflict markers, even in a file you own, but never in a binary one', () => {
    const markers = t('<<<<<<< yours\nY\n=======\nT\n>>>>>>> v2\n');
    const expected = [{ path: 'f.py', kind: 'conflict-markers', detail: 'unresolved conflict markers' }];
    expect(drift(merge(v1), nextMerge(v1), markers)).toEqual(expected);
    expect(drift(merge(v1), nextMerge(v1), markers, { owned: { file: true } })).toEqual(expected);
    const binaryWithMarkers = Buffer.concat([markers, bin(1)]);
    expect(drift(merge(bin(1)), nextMerge(bin(1)), binaryWithMarkers).map((found) => found.kind)).toEqual(['edited']);
  });

  it('nothing for a file you own as a whole, or as generated', () => {
    expect(drift(merge(v1), nextMerge(v1), t('rewritten\n'), { owned: { file: true } })).toEqual([]);
    expect(drift(merge(v1), nextMerge(v2), v2)).toEqual([]);
  });

  it('binary files: outdated or edited, told apart by the base', () => {
    expect(drift(undefined, nextMerge(bin(2)), bin(3))).toEqual([
      { path: 'f.py', kind: 'outdated', detail: 'new in this version of the generator, and another file is there' },
    ]);
    expect(drift(merge(bin(1)), nextMerge(bin(2)), bin(1))).toEqual([
      { path: 'f.py', kind: 'outdated', detail: 'the template changed since the last update; run `update`' },
    ]);
    expect(drift(merge(bin(1)), nextMerge(bin(2)), bin(3))).toEqual([
      { path: 'f.py', kind: 'edited', detail: 'generated lines were changed or removed, and the template changed since the last update' },
    ]);
    expect(drift(merge(bin(1)), nextMerge(bin(1)), bin(3), { strict: true })).toEqual([
      { path: 'f.py', kind: 'edited', detail: 'differs from the generated file' },
    ]);
    // Text generated, binary on disk (and the other way round): compared as binary.
    expect(drift(merge(v1), nextMerge(v1), bin(3))).toEqual([{ path: 'f.py', kind: 'edited', detail: 'generated lines were changed or removed' }]);
    expect(drift(merge(v1), nextMerge(bin(2)), v1)).toEqual([
      { path: 'f.py', kind: 'outdated', detail: 'the template changed since the last update; run `update`' },
    ]);
    expect(drift(merge(bin(1)), nextMerge(v1), v1)).toEqual([]);
    expect(drift(merge(bin(1)), nextMerge(v1), t('x\n')).map((found) => found.kind)).toEqual(['edited']);
  });

  it('edited: generated lines changed by hand, with the diff and the changes where they are on disk', () => {
    expect(drift(merge(v1), nextMerge(v1), t('top\na\nmine\nc\n'))).toEqual([
      {
        path: 'f.py',
        kind: 'edited',
        detail: 'generated lines were changed or removed',
        // Inside a shown hunk every change is shown, the line you only added too.
        diff: '--- generated/f.py\n+++ yours/f.py\n@@ -1,3 +1,4 @@\n+top\n a\n-b\n+mine\n c\n',
        changes: [{ line: 3, removed: ['b'], added: ['mine'] }],
      },
    ]);
    expect(drift(merge(v1), nextMerge(v2), t('a\nmine\nc\n'))).toEqual([
      {
        path: 'f.py',
        kind: 'edited',
        detail: 'generated lines were changed or removed, and the template changed since the last update',
        diff: '--- generated/f.py\n+++ yours/f.py\n@@ -1,3 +1,3 @@\n a\n-B\n+mine\n c\n',
        changes: [{ line: 2, removed: ['B'], added: ['mine'] }],
      },
    ]);
    expect(drift(merge(v1), nextMerge(v1), t('a\nc\n'), { strict: true }).map((found) => found.detail)).toEqual(['differs from the generated file']);
  });

  it('outdated: only the template moved on (your added lines do not count), or new over a file of yours', () => {
    expect(drift(merge(v1), nextMerge(v2), t('a\nb\nc\nmine\n'))).toEqual([
      {
        path: 'f.py',
        kind: 'outdated',
        detail: 'the template changed since the last update; run `update`',
        diff: '--- generated/f.py\n+++ yours/f.py\n@@ -1,3 +1,4 @@\n a\n-B\n+b\n c\n+mine\n',
        changes: [{ line: 2, removed: ['B'], added: ['b'] }],
      },
    ]);
    expect(drift(undefined, nextMerge(v2), t('mine\n'))).toEqual([
      {
        path: 'f.py',
        kind: 'outdated',
        detail: 'new in this version of the generator, and another file is there',
        diff: '--- generated/f.py\n+++ yours/f.py\n@@ -1,3 +1,1 @@\n-a\n-B\n-c\n+mine\n',
        changes: [{ line: 1, removed: ['a', 'B', 'c'], added: ['mine'] }],
      },
    ]);
  });

  it('line endings and the final newline: drift for --strict alone, and not for a file with accepted changes', () => {
    const crlf = t('a\r\nb\r\nc');
    expect(drift(merge(v1), nextMerge(v1), crlf)).toEqual([]);
    expect(drift(merge(v1), nextMerge(v1), crlf, { strict: true })).toEqual([
      { path: 'f.py', kind: 'edited', detail: 'line endings or the final newline differ from the generated file' },
    ]);
    const accepted = { changes: [{ anchor: 'a', removed: ['b'], added: ['mine'] }] };
    // An owned change recorded, line endings alone differing: not reported, even with --strict.
    expect(drift(merge(v1), nextMerge(v1), t('a\r\nb\r\nc\r\n'), { strict: true, owned: accepted })).toEqual([]);
    expect(drift(merge(v1), nextMerge(v1), t('a\r\nmine\r\nc\r\n'), { owned: accepted })).toEqual([]);
    expect(drift(merge(v1), nextMerge(v1), t('a\r\nmine\r\nc\r\n'), { strict: true, owned: accepted })).toEqual([]);
    // Lines you only added, with --strict: edited, not a line-ending question.
    expect(drift(merge(v1), nextMerge(v1), t('a\nb\nc\nmine\n'), { strict: true }).map((found) => found.detail)).toEqual([
      'differs from the generated file',
    ]);
  });

  it('an accepted change is found again by content; any other change still drifts', () => {
    const accepted = { changes: [{ anchor: 'a', removed: ['b'], added: ['mine'] }] };
    expect(drift(merge(v1), nextMerge(v1), t('a\nmine\nc\n'), { owned: accepted })).toEqual([]);
    expect(drift(merge(v1), nextMerge(v1), t('a\nmine\nC\n'), { owned: accepted })).toEqual([
      {
        path: 'f.py',
        kind: 'edited',
        detail: 'generated lines were changed or removed',
        diff: '--- generated/f.py\n+++ yours/f.py\n@@ -1,3 +1,3 @@\n a\n-b\n-c\n+mine\n+C\n',
        changes: [{ line: 2, removed: ['b', 'c'], added: ['mine', 'C'] }],
      },
    ]);
  });
});

describe('onlyAdditions', () => {
  it('is true when every generated line is still there, in order', () => {
    expect(onlyAdditions(Buffer.from('a\nb\n'), Buffer.from('x\na\ny\nb\nz'))).toBe(true);
    expect(onlyAdditions(Buffer.from('a\nb\n'), Buffer.from('a\r\nb\r\n'))).toBe(true);
    expect(onlyAdditions(Buffer.from('a\nb\n'), Buffer.from('b\na\n'))).toBe(false);
    expect(onlyAdditions(Buffer.from('a\nb\n'), Buffer.from('a\nB\n'))).toBe(false);
  });
});
