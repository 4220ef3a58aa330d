import { describe, expect, it } from 'vitest';
import { formatMs, formatRatio, markdownTable, median, mergeSection, verdict } from '../../bench/stats.mjs';

describe('bench statistics', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even one, unsorted input', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('refuses the median of nothing', () => {
    expect(() => median([])).toThrow(/no values/);
  });

  it('does not reorder the caller’s samples', () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('says ok within a budget and by how much it is missed otherwise', () => {
    expect(verdict(1.5, 1.5)).toBe('ok');
    expect(verdict(3, 1.5)).toBe('missed: 2.00 × the budget (+100 %)');
    expect(verdict(18_500, 15_000)).toBe('missed: 1.23 × the budget (+23 %)');
  });

  it('formats ratios and milliseconds for the tables', () => {
    expect(formatRatio(1.456)).toBe('1.46 ×');
    expect(formatMs(74.96)).toBe('75.0 ms');
    expect(formatMs(467.6)).toBe('468 ms');
  });
});

describe('bench tables and sections', () => {
  it('draws a Markdown table and escapes pipes in cells', () => {
    expect(markdownTable(['what', 'ms'], [['a | b', '1']])).toBe('| what | ms |\n| --- | --- |\n| a \\| b | 1 |');
  });

  it('refuses a row with the wrong number of cells', () => {
    expect(() => markdownTable(['a', 'b'], [['1']])).toThrow(/1 cells, the header 2/);
  });

  it('appends a new section and replaces an existing one, keeping the text around it', () => {
    const first = mergeSection('# Results\n\nMethod.\n', 'scaffold', '## Scaffold\nfirst body');
    expect(first).toBe('# Results\n\nMethod.\n\n<!-- bench:scaffold:start -->\n## Scaffold\nfirst body\n<!-- bench:scaffold:end -->\n');
    const second = mergeSection(`${first}\nAfter.\n`, 'size', 'size table');
    const replaced = mergeSection(second, 'scaffold', '## Scaffold\nsecond body');
    expect(replaced).toContain('## Scaffold\nsecond body');
    expect(replaced).not.toContain('first body');
    expect(replaced.indexOf('bench:scaffold:start')).toBeLessThan(replaced.indexOf('After.'));
    expect(replaced.indexOf('After.')).toBeLessThan(replaced.indexOf('bench:size:start'));
    expect(replaced.startsWith('# Results\n\nMethod.\n')).toBe(true);
  });

  it('refuses a section whose end marker is gone', () => {
    expect(() => mergeSection('<!-- bench:size:start -->\nhalf', 'size', 'x')).toThrow(/no end marker/);
  });
});
