import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeText } from '../../src/merge/merge-text.ts';
import { MARKERS, hasConflictMarkers } from '../../src/merge/text-lines.ts';

/**
 * Properties that pin what `mergeText` returns, not just which lines survive:
 * random edits of a small base by both sides, every line unique, so where a
 * line ends up says which side it came from. The examples below each of them
 * are inputs on which a planted fault went unnoticed before.
 */

const labels = { yours: 'yours', base: 'base', template: 'template' };

type Edit =
  | { readonly kind: 'insert'; readonly at: number; readonly count: number }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'change'; readonly at: number };

interface Style {
  readonly crlf: boolean;
  readonly finalNewline: boolean;
}

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat({ max: 12 }), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat({ max: 12 }), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('change' as const), at: fc.nat({ max: 12 }) }),
);
const editsArb = fc.array(editArb, { maxLength: 5 });
const styleArb: fc.Arbitrary<Style> = fc.record({ crlf: fc.boolean(), finalNewline: fc.boolean() });

/** Base lines `b0`, `b1`...; a side's new lines are `<tag>0`, `<tag>1`...: no line appears twice anywhere. */
function edited(base: readonly string[], edits: readonly Edit[], tag: string): string[] {
  const lines = [...base];
  let fresh = 0;
  const next = (): string => `${tag}${(fresh += 1)}`;
  for (const edit of edits) {
    const at = edit.at % (lines.length + 1);
    if (edit.kind === 'insert') lines.splice(at, 0, ...Array.from({ length: edit.count }, next));
    else if (edit.kind === 'delete') lines.splice(at, edit.count);
    else if (at < lines.length) lines[at] = next();
  }
  return lines;
}

function text(lines: readonly string[], style: Style): string {
  if (lines.length === 0) return '';
  const eol = style.crlf ? '\r\n' : '\n';
  return lines.join(eol) + (style.finalNewline ? eol : '');
}

interface Parsed {
  /** Lines written outside any conflict block. */
  readonly outside: string[];
  readonly blocks: { yours: string[]; base: string[]; template: string[] }[];
}

/** Splits a merge result into clean lines and conflict blocks (line endings dropped). */
function parse(result: string): Parsed {
  const parsed: Parsed = { outside: [], blocks: [] };
  let section: 'outside' | 'yours' | 'base' | 'template' = 'outside';
  const lines = result.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    if (line === `${MARKERS.yours} ${labels.yours}`) {
      expect(section, 'a block opens outside another').toBe('outside');
      parsed.blocks.push({ yours: [], base: [], template: [] });
      section = 'yours';
    } else if (line === `${MARKERS.base} ${labels.base}`) {
      expect(section).toBe('yours');
      section = 'base';
    } else if (line === MARKERS.separator) {
      expect(section).toBe('base');
      section = 'template';
    } else if (line === `${MARKERS.template} ${labels.template}`) {
      expect(section).toBe('template');
      section = 'outside';
    } else if (section === 'outside') parsed.outside.push(line);
    else parsed.blocks.at(-1)![section].push(line);
  }
  expect(section, 'every block is closed').toBe('outside');
  return parsed;
}

const scenarioArb = fc.record({
  size: fc.nat({ max: 8 }),
  yours: editsArb,
  template: editsArb,
  /**
   * `same`: the template makes exactly your edits (the same change on both sides);
   * `more`: your edits and more (you took part of the new version by hand).
   */
  relation: fc.constantFrom('independent' as const, 'independent' as const, 'same' as const, 'more' as const),
  baseStyle: styleArb,
  yoursStyle: styleArb,
  templateStyle: styleArb,
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function sides(scenario: Scenario) {
  const base = Array.from({ length: scenario.size }, (_, index) => `b${index}`);
  const yours = edited(base, scenario.yours, 'y');
  const template =
    scenario.relation === 'same' ? yours : edited(scenario.relation === 'more' ? yours : base, scenario.template, 't');
  const templateStyle = scenario.relation === 'same' ? scenario.yoursStyle : scenario.templateStyle;
  return {
    base,
    yours,
    template,
    baseText: text(base, scenario.baseStyle),
    yoursText: text(yours, scenario.yoursStyle),
    templateStyle,
    templateText: text(template, templateStyle),
  };
}

/**
 * Under mutation testing (vitest.mutation.config.ts sets MUTATION_RUN) every
 * mutant reruns these properties: fewer runs, and no shrinking of a failure.
 */
const underMutation = process.env['MUTATION_RUN'] === '1';
const RUNS = { numRuns: underMutation ? 250 : 1000, endOnFailure: underMutation, seed: 20260101 };

function holds<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void): void {
  const run = fc.check(fc.property(arbitrary, predicate), RUNS);
  expect(run.failed, fc.defaultReportMessage(run)).toBe(false);
}

describe('mergeText properties', () => {
  it('is yours when the template did not change, and the template when you did not', () => {
    holds(scenarioArb, (scenario) => {
      const { baseText, yoursText, templateText } = sides(scenario);
      expect(mergeText({ base: baseText, template: baseText, yours: yoursText, labels })).toEqual({ text: yoursText, conflicts: 0 });
      expect(mergeText({ base: baseText, template: templateText, yours: baseText, labels })).toEqual({ text: templateText, conflicts: 0 });
      expect(mergeText({ base: baseText, template: yoursText, yours: yoursText, labels })).toEqual({ text: yoursText, conflicts: 0 });
    });
  });

  it('writes only lines of yours, of the template, or a conflict block; nothing twice; deletions stay deleted', () => {
    let conflicted = 0;
    let clean = 0;
    holds(scenarioArb, (scenario) => {
      const { base, yours, template, baseText, yoursText, templateText } = sides(scenario);
      const result = mergeText({ base: baseText, template: templateText, yours: yoursText, labels });
      const parsed = parse(result.text);
      expect(parsed.blocks.length).toBe(result.conflicts);
      expect(hasConflictMarkers(result.text)).toBe(result.conflicts > 0);
      if (result.conflicts > 0) conflicted += 1;
      else clean += 1;

      // Provenance: every line comes from the side its place says.
      for (const line of parsed.outside) expect(yours.includes(line) || template.includes(line), line).toBe(true);
      for (const block of parsed.blocks) {
        for (const line of block.yours) expect(yours).toContain(line);
        for (const line of block.base) expect(base).toContain(line);
        for (const line of block.template) expect(template).toContain(line);
      }
      // Nothing duplicated: a line is written once outside the blocks, and then never inside one.
      const inBlocks = new Set(parsed.blocks.flatMap((block) => [...block.yours, ...block.template]));
      expect(new Set(parsed.outside).size).toBe(parsed.outside.length);
      for (const line of parsed.outside) expect(inBlocks.has(line), `${line} outside and inside a block`).toBe(false);
      // A base line one side deleted and the other kept stays deleted (unless it is inside a conflict).
      for (const line of base) {
        if (yours.includes(line) !== template.includes(line)) expect(parsed.outside, `${line} came back`).not.toContain(line);
      }
      // No line is lost: each side's own lines are in the result, clean or in a block.
      const written = new Set([...parsed.outside, ...inBlocks]);
      for (const line of [...yours, ...template]) {
        if (!base.includes(line)) expect(written.has(line), `${line} was lost`).toBe(true);
      }
      // A clean merge is stable: merging it again against the template changes nothing.
      if (result.conflicts === 0) {
        expect(mergeText({ base: templateText, template: templateText, yours: result.text, labels })).toEqual(result);
        // ...and lists the lines in the order both sides give them.
        const order = (side: readonly string[]): string[] => parsed.outside.filter((line) => side.includes(line));
        expect(order(yours)).toEqual(yours.filter((line) => parsed.outside.includes(line)));
        expect(order(template)).toEqual(template.filter((line) => parsed.outside.includes(line)));
      }
    });
    // The run exercised both outcomes, many times.
    expect(conflicted).toBeGreaterThan(RUNS.numRuns / 10);
    expect(clean).toBeGreaterThan(RUNS.numRuns / 10);
  });

  it('keeps the line endings and final newline a side chose, as a three-way merge of its own', () => {
    holds(scenarioArb, (scenario) => {
      const { yours, template, baseText, yoursText, templateText } = sides(scenario);
      const result = mergeText({ base: baseText, template: templateText, yours: yoursText, labels });
      if (result.text === '') return;
      // Only one line ending is used in the result: the merge never mixes them.
      expect(/(^|[^\r])\n/.test(result.text) && result.text.includes('\r\n')).toBe(false);
      // A conflict block is always closed by a line ending, whatever the sides did.
      expect(result.text.endsWith(`${MARKERS.template} ${labels.template}`)).toBe(false);
      if (parse(result.text).outside.at(-1) !== result.text.split(/\r?\n/).filter((line) => line !== '').at(-1)) return;
      const yoursEnds = yours.length === 0 || scenario.yoursStyle.finalNewline;
      const templateEnds = template.length === 0 || sides(scenario).templateStyle.finalNewline;
      // Both sides end their text with a line ending: so does the merge; neither does: neither does the merge.
      if (yoursEnds && templateEnds) expect(result.text.endsWith('\n')).toBe(true);
      if (!yoursEnds && !templateEnds && yours.length > 0 && template.length > 0) expect(result.text.endsWith('\n')).toBe(false);
    });
  });

  it('with union, keeps both sides’ lines in an unordered list, each once', () => {
    holds(scenarioArb, (scenario) => {
      const { base, yours, template, baseText, yoursText, templateText } = sides(scenario);
      const result = mergeText({ base: baseText, template: templateText, yours: yoursText, labels, union: true });
      const plain = mergeText({ base: baseText, template: templateText, yours: yoursText, labels });
      expect(result.conflicts).toBeLessThanOrEqual(plain.conflicts);
      const parsed = parse(result.text);
      expect(new Set(parsed.outside).size).toBe(parsed.outside.length);
      const written = new Set([...parsed.outside, ...parsed.blocks.flatMap((block) => [...block.yours, ...block.template])]);
      for (const line of [...yours, ...template]) {
        if (!base.includes(line)) expect(written.has(line), `${line} was lost`).toBe(true);
      }
    });
  });
});

/** The merge of three texts given as lines (`\n` endings, final newline). */
const lines = (...values: string[]): string => values.map((value) => `${value}\n`).join('');
const merge = (base: string, template: string, yours: string, union = false): { text: string; conflicts: number } =>
  mergeText({ base, template, yours, labels, union });
const block = (yours: string[], base: string[], template: string[]): string[] => [
  `${MARKERS.yours} yours`,
  ...yours,
  `${MARKERS.base} base`,
  ...base,
  MARKERS.separator,
  ...template,
  `${MARKERS.template} template`,
];

describe('mergeText: inputs a planted fault once passed', () => {
  it('keeps a line you deleted deleted when the template deleted its neighbour (conflict region end)', () => {
    expect(merge(lines('c', 'd'), lines('d'), '')).toEqual({ text: lines(...block([], ['c', 'd'], ['d'])), conflicts: 1 });
  });

  it('does not settle a real conflict in your favour because both sides changed the same lines', () => {
    expect(merge(lines('a', 'b', 'c'), lines('a', 'T', 'c'), lines('a', 'Y', 'c'))).toEqual({
      text: lines('a', ...block(['Y'], ['b'], ['T']), 'c'),
      conflicts: 1,
    });
  });

  it('keeps the template’s line when both sides wrote into an empty base', () => {
    expect(merge('', lines('Y', 'X'), lines('a'))).toEqual({ text: lines(...block(['a'], [], ['Y', 'X'])), conflicts: 1 });
  });

  it('trims a shared suffix out of the block when the base has no final newline', () => {
    expect(merge('x', lines('T', 'tail'), lines('Y', 'tail'))).toEqual({
      text: lines(...block(['Y'], ['x'], ['T']), 'tail'),
      conflicts: 1,
    });
  });

  it('conflicts on your insertion inside lines the template changed', () => {
    expect(merge(lines('a', 'b', 'c', 'd'), lines('a', 'B', 'C', 'd'), lines('a', 'b', 'mine', 'c', 'd'))).toEqual({
      text: lines('a', ...block(['b', 'mine', 'c'], ['b', 'c'], ['B', 'C']), 'd'),
      conflicts: 1,
    });
    expect(merge(lines('a', 'b', 'c', 'd'), lines('a', 'b', 'new', 'c', 'd'), lines('a', 'B', 'C', 'd'))).toEqual({
      text: lines('a', ...block(['B', 'C'], ['b', 'c'], ['b', 'new', 'c']), 'd'),
      conflicts: 1,
    });
  });

  it('joins three clashing changes into one block, and leaves the change next to them alone', () => {
    // Yours changes 2-3 and 5; the template changes 3-5; then yours changes 7, which nobody else touched.
    const base = lines('1', '2', '3', '4', '5', '6', '7');
    const template = lines('1', '2', 'T3', 'T4', 'T5', '6', '7');
    const yours = lines('1', 'Y2', 'Y3', '4', 'Y5', '6', 'Y7');
    expect(merge(base, template, yours)).toEqual({
      text: lines('1', ...block(['Y2', 'Y3', '4', 'Y5'], ['2', '3', '4', '5'], ['2', 'T3', 'T4', 'T5']), '6', 'Y7'),
      conflicts: 1,
    });
  });

  it('drops the final newline when the template drops it and you did not touch it', () => {
    expect(merge(lines('a', 'b'), 'a\nb', lines('a', 'b', 'mine'))).toEqual({ text: 'a\nb\nmine', conflicts: 0 });
    expect(merge(lines('a', 'b'), lines('a', 'b', 'new'), 'a\nb')).toEqual({ text: 'a\nb\nnew', conflicts: 0 });
    expect(merge('', lines('a'), 'b')).toEqual({ text: lines(...block(['b'], [], ['a'])), conflicts: 1 });
    expect(merge(lines('a'), '', 'a\nb')).toEqual({ text: 'b', conflicts: 0 });
    // You emptied the file, the template changed its line: a conflict, closed by a line ending.
    expect(merge(lines('a'), 'b', '')).toEqual({ text: lines(...block([], ['a'], ['b'])), conflicts: 1 });
  });

  it('reads a CRLF file that starts with an empty LF line as LF, and keeps it', () => {
    const yours = '\nx\r\ny\r\n';
    expect(merge(lines('', 'x', 'y'), lines('', 'x', 'y', 'z'), yours)).toEqual({ text: '\nx\r\ny\r\nz\n', conflicts: 0 });
  });

  it('keeps your CRLF endings, and takes the template’s when you kept the base’s', () => {
    expect(merge(lines('a', 'b'), lines('a', 'B'), 'a\r\nb\r\nmine\r\n')).toEqual({ text: 'a\r\nB\r\nmine\r\n', conflicts: 0 });
    expect(merge(lines('a', 'b'), 'a\r\nB\r\n', lines('a', 'b', 'mine'))).toEqual({ text: 'a\r\nB\r\nmine\r\n', conflicts: 0 });
    expect(merge('', 'a\r\n', lines('b'))).toEqual({ text: lines(...block(['b'], [], ['a'])), conflicts: 1 });
  });

  it('keeps one copy of a line both sides inserted, with union on', () => {
    expect(merge(lines('a'), lines('a', 'x', 'y'), lines('a', 'y', 'z'), true)).toEqual({ text: lines('a', 'x', 'y', 'z'), conflicts: 0 });
    expect(merge(lines('a'), lines('a', 'x'), lines('a', 'x', 'z'), true)).toEqual({ text: lines('a', 'x', 'z'), conflicts: 0 });
    // Union writes the lines and no block, so a file that ends there still ends with its own final newline.
    expect(merge('a', 'a\nx', 'a\ny', true)).toEqual({ text: 'a\nx\ny', conflicts: 0 });
  });
});

describe('mergeText: you took part of the new version by hand', () => {
  it('writes lines both sides added next to a template change once', () => {
    // You added the template's new first lines yourself; the template also changed the line after them.
    expect(merge(lines('b0'), lines('y1', 'y2', 'y3', 't1', 't2', 't3'), lines('y1', 'y2', 'y3', 'b0'))).toEqual({
      text: lines('y1', 'y2', 'y3', 't1', 't2', 't3'),
      conflicts: 0,
    });
    expect(merge(lines('b0'), lines('y1'), lines('b0', 'y1'))).toEqual({ text: lines('y1'), conflicts: 0 });
    expect(merge(lines('b0'), lines('y2', 't1'), lines('y1', 'b0', 'y2'))).toEqual({ text: lines('y1', 'y2', 't1'), conflicts: 0 });
  });

  it('conflicts rather than write a line twice when only some of your lines are the template’s', () => {
    expect(merge(lines('b0'), lines('y2'), lines('y2', 'y1', 'b0'))).toEqual({
      text: lines('y2', ...block(['y1', 'b0'], ['b0'], [])),
      conflicts: 1,
    });
  });
});

describe('hasConflictMarkers', () => {
  it.each([
    ['a whole block', '<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n', true],
    ['a block with a base section, CRLF', '<<<<<<< a\r\nx\r\n||||||| base\r\n=======\r\n>>>>>>>\r\n', true],
    ['a lone end marker', 'x\n>>>>>>> b\n', false],
    ['a start marker inside the template side', '<<<<<<< a\n=======\n<<<<<<< b\n>>>>>>> c\n', true],
    ['an end marker before the start', '>>>>>>> b\n<<<<<<< a\nx\n=======\n', false],
    ['no separator', '<<<<<<< a\nx\n>>>>>>> b\n', false],
    ['a separator before the start marker', '=======\n<<<<<<< a\n>>>>>>> b\n', false],
    ['markers not at the start of a line', ' <<<<<<< a\n=======\n>>>>>>> b\n', false],
    ['a longer run of the marker character', '<<<<<<<< a\n=======\n>>>>>>> b\n', false],
    ['a marker glued to its label', '<<<<<<<a\n=======\n>>>>>>> b\n', false],
    ['an indented separator', '<<<<<<< a\n =======\n>>>>>>> b\n', false],
    ['a Markdown underline', 'Title\n=======\n', false],
  ])('%s', (_name, content, expected) => {
    expect(hasConflictMarkers(content)).toBe(expected);
  });
});
