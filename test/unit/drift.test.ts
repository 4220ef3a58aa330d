import { describe, expect, it } from 'vitest';
import { findDrift } from '../../src/merge/drift.ts';
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
