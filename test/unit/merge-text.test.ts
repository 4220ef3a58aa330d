import { describe, expect, it } from 'vitest';
import { mergeText } from '../../src/merge/merge-text.ts';
import { hasConflictMarkers } from '../../src/merge/text-lines.ts';

const labels = { yours: 'yours', base: 'base', template: 'template' };
const lines = (...values: string[]): string => values.map((value) => `${value}\n`).join('');
const merge = (base: string, template: string, yours: string): { text: string; conflicts: number } =>
  mergeText({ base, template, yours, labels });

describe('mergeText: one side changed', () => {
  it('takes the template when you changed nothing', () => {
    expect(merge(lines('a', 'b'), lines('a', 'B'), lines('a', 'b'))).toEqual({ text: lines('a', 'B'), conflicts: 0 });
  });

  it('keeps yours when the template changed nothing', () => {
    expect(merge(lines('a', 'b'), lines('a', 'b'), lines('a', 'mine', 'b'))).toEqual({
      text: lines('a', 'mine', 'b'),
      conflicts: 0,
    });
  });

  it('merges changes far apart', () => {
    const base = lines('1', '2', '3', '4', '5');
    expect(merge(base, lines('1', '2', '3', '4', 'T'), lines('Y', '2', '3', '4', '5'))).toEqual({
      text: lines('Y', '2', '3', '4', 'T'),
      conflicts: 0,
    });
  });
});

describe('mergeText: fewer noisy conflicts than git or copier', () => {
  it('counts an identical change made on both sides once (copier #1849)', () => {
    expect(merge(lines('a', 'b'), lines('a', 'X', 'b'), lines('a', 'X', 'b'))).toEqual({
      text: lines('a', 'X', 'b'),
      conflicts: 0,
    });
  });

  it('applies changes to neighbouring lines from both sides', () => {
    expect(merge(lines('1', '2', '3', '4'), lines('1', '2', 'T', '4'), lines('1', 'Y', '3', '4'))).toEqual({
      text: lines('1', 'Y', 'T', '4'),
      conflicts: 0,
    });
  });

  it('puts your insertion before a line the template changed', () => {
    expect(merge(lines('1', '2', '3'), lines('1', '2t', '3'), lines('1', 'mine', '2', '3'))).toEqual({
      text: lines('1', 'mine', '2t', '3'),
      conflicts: 0,
    });
  });

  it('keeps both when both sides inserted the same line and you added one more', () => {
    expect(merge(lines('a', 'z'), lines('a', 'X', 'z'), lines('a', 'X', 'mine', 'z'))).toEqual({
      text: lines('a', 'X', 'mine', 'z'),
      conflicts: 0,
    });
  });

  it('ignores a final newline you removed', () => {
    expect(merge(lines('a', 'b'), lines('a', 'B'), 'a\nb')).toEqual({ text: 'a\nB', conflicts: 0 });
  });

  it('merges a file your editor saved with CRLF line endings, and keeps them', () => {
    expect(merge(lines('a', 'b', 'c'), lines('a', 'b', 'C'), 'A\r\nb\r\nc\r\n')).toEqual({
      text: 'A\r\nb\r\nC\r\n',
      conflicts: 0,
    });
  });
});

describe('mergeText: real conflicts', () => {
  it('marks two different changes to one line with diff3-style markers', () => {
    const result = merge(lines('a', 'b', 'c'), lines('a', 'T', 'c'), lines('a', 'Y', 'c'));
    expect(result.conflicts).toBe(1);
    expect(result.text).toBe(lines('a', '<<<<<<< yours', 'Y', '||||||| base', 'b', '=======', 'T', '>>>>>>> template', 'c'));
    expect(hasConflictMarkers(result.text)).toBe(true);
  });

  it('marks two different insertions at one point, since neither order is right', () => {
    const result = merge(lines('a', 'z'), lines('a', 'T', 'z'), lines('a', 'Y', 'z'));
    expect(result).toEqual({
      text: lines('a', '<<<<<<< yours', 'Y', '||||||| base', '=======', 'T', '>>>>>>> template', 'z'),
      conflicts: 1,
    });
  });

  it('marks a line you deleted that the template changed', () => {
    const result = merge(lines('a', 'b', 'c'), lines('a', 'B', 'c'), lines('a', 'c'));
    expect(result).toEqual({
      text: lines('a', '<<<<<<< yours', '||||||| base', 'b', '=======', 'B', '>>>>>>> template', 'c'),
      conflicts: 1,
    });
  });

  it('trims lines both sides share out of the block', () => {
    const result = merge(lines('x'), lines('same', 'T', 'tail'), lines('same', 'Y', 'tail'));
    expect(result.text).toBe(
      lines('same', '<<<<<<< yours', 'Y', '||||||| base', 'x', '=======', 'T', '>>>>>>> template', 'tail'),
    );
  });

  it('merges against an empty base (a file you created where the template now adds one)', () => {
    expect(merge('', lines('a', 'b'), lines('a', 'b', 'mine'))).toEqual({ text: lines('a', 'b', 'mine'), conflicts: 0 });
    const clash = merge('', lines('import os', 'T'), lines('import os', 'Y'));
    expect(clash).toEqual({
      text: lines('import os', '<<<<<<< yours', 'Y', '||||||| base', '=======', 'T', '>>>>>>> template'),
      conflicts: 1,
    });
  });

  it('ends a file that ends in a conflict with a newline', () => {
    expect(merge('a', 'T', 'Y').text.endsWith('>>>>>>> template\n')).toBe(true);
  });
});

describe('mergeText is stable', () => {
  it('changes nothing when run again on its own output', () => {
    const base = lines('1', '2', '3', '4', '5', '6');
    const template = lines('1', 'two', '3', '4', '5', 'six', '7');
    const yours = lines('0', '1', '2', '3', 'mine', '4', '5', '6');
    const first = merge(base, template, yours);
    expect(first.conflicts).toBe(0);
    expect(merge(template, template, first.text)).toEqual(first);
  });
});

describe('hasConflictMarkers', () => {
  it('needs a whole block, not a Markdown underline', () => {
    expect(hasConflictMarkers('Title\n=======\n')).toBe(false);
    expect(hasConflictMarkers('<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n')).toBe(true);
  });
});

describe('union merge for unordered line lists', () => {
  const labels = { yours: 'yours', base: 'base', template: 'template' };

  it('keeps both sides when both only appended at the same point, template lines first', () => {
    const result = mergeText({
      base: 'A=1\n',
      template: 'A=1\nDATABASE_URL=sqlite:///app.db\n',
      yours: 'A=1\n# TEAM_NOTE=ask first\n',
      labels,
      union: true,
    });
    expect(result).toEqual({ text: 'A=1\nDATABASE_URL=sqlite:///app.db\n# TEAM_NOTE=ask first\n', conflicts: 0 });
  });

  it('writes a line both sides appended once', () => {
    const result = mergeText({ base: 'a\n', template: 'a\nx\ny\n', yours: 'a\ny\nz\n', labels, union: true });
    expect(result).toEqual({ text: 'a\nx\ny\nz\n', conflicts: 0 });
  });

  it('still conflicts when both sides changed the same existing line', () => {
    const result = mergeText({ base: 'PORT=8000\n', template: 'PORT=8080\n', yours: 'PORT=9000\n', labels, union: true });
    expect(result.conflicts).toBe(1);
  });

  it('is off by default: the same appends conflict in ordinary files', () => {
    const result = mergeText({ base: 'a\n', template: 'a\nb\n', yours: 'a\nc\n', labels });
    expect(result.conflicts).toBe(1);
  });
});
