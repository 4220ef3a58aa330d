import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { isBinary } from '../../src/manifest/manifest.ts';
import { planMerge, type BaseFile, type DiskFile, type NextFile } from '../../src/merge/merge-project.ts';
import { hasConflictMarkers } from '../../src/merge/text-lines.ts';
import type { ProjectAnswers } from '../../src/render/context.ts';
import { planFromAnswers } from '../../src/plan/plan-from-answers.ts';
import { catalog, labelsFor } from '../helpers/template-tree.ts';

/**
 * "No lost lines", checked on the real generated output: thousands
 * of random edits by a user, then a change of the template, then the merge.
 * Every line the user wrote must be in the result, merged or inside a conflict
 * block, and a second update must change nothing.
 */

type Edit =
  | { readonly kind: 'insert'; readonly at: number; readonly count: number }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'change'; readonly at: number };

interface FileEdits {
  readonly file: number;
  readonly edits: readonly Edit[];
  /** The user saves the file with CRLF endings, or without its final newline. */
  readonly style: 'keep' | 'crlf' | 'no-final-newline';
}

interface ProjectEdits {
  readonly files: readonly FileEdits[];
  /** Files the user deletes. */
  readonly deleted: readonly number[];
  /** The template makes exactly the user's change to the first file the user edits (copier #1849). */
  readonly mirror: boolean;
}

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('change' as const), at: fc.nat() }),
);

const projectEditsArb = (maxFiles: number): fc.Arbitrary<ProjectEdits> =>
  fc.record({
    files: fc.array(
      fc.record({
        // Half the picks among the first few files, so both sides often edit the same one.
        file: fc.oneof(fc.nat({ max: 4 }), fc.nat()),
        edits: fc.array(editArb, { minLength: 1, maxLength: 6 }),
        style: fc.constantFrom('keep' as const, 'keep' as const, 'keep' as const, 'crlf' as const, 'no-final-newline' as const),
      }),
      { minLength: 1, maxLength: maxFiles },
    ),
    deleted: fc.array(fc.nat(), { maxLength: 2 }),
    mirror: fc.boolean(),
  });

/** Applies edits to a file; every inserted or changed line is a unique `tag` line, recorded in `added`. */
function applyEdits(text: string, edits: readonly Edit[], tag: string, added: string[]): string {
  const lines = text.split('\n');
  const final = lines.at(-1) === '' ? lines.pop() : undefined;
  for (const edit of edits) {
    const at = edit.at % (lines.length + 1);
    if (edit.kind === 'insert') {
      const fresh: string[] = [];
      for (let count = 0; count < edit.count; count += 1) {
        fresh.push(`${tag} ${added.length}`);
        added.push(`${tag} ${added.length}`);
      }
      lines.splice(at, 0, ...fresh);
    } else if (edit.kind === 'delete') {
      lines.splice(at, edit.count);
    } else if (at < lines.length) {
      const line = `${tag} ${added.length}`;
      added.push(line);
      lines[at] = line;
    }
  }
  return lines.join('\n') + (final === '' ? '\n' : '');
}

function styled(text: string, style: FileEdits['style']): string {
  if (style === 'crlf') return text.replaceAll('\n', '\r\n');
  if (style === 'no-final-newline') return text.replace(/\n$/, '');
  return text;
}

function generated(answers: ProjectAnswers, from: Catalog = catalog): Map<string, NextFile> {
  const { plan } = planFromAnswers(from, answers);
  return new Map(plan.files.map((file) => [file.path, { content: file.content, policy: file.policy, executable: file.executable }]));
}

function asBase(files: ReadonlyMap<string, NextFile>): Map<string, BaseFile> {
  return new Map([...files].map(([path, file]) => [path, { content: file.content, policy: file.policy }]));
}

interface Scenario {
  readonly name: string;
  readonly base: Map<string, NextFile>;
  /** The template side: a fixed new render, or random template edits of the base. */
  readonly next: (edits: ProjectEdits) => Map<string, NextFile>;
}

/** Lines the random template edits added, per path, so the test can check those are kept too. */
const templateLines = new Map<string, string[]>();

function withTemplateEdits(base: ReadonlyMap<string, NextFile>, edits: ProjectEdits): Map<string, NextFile> {
  const next = new Map(base);
  templateLines.clear();
  const paths = [...base.keys()].filter((path) => !isBinary(base.get(path)!.content));
  for (const fileEdits of edits.files) {
    const path = paths[fileEdits.file % paths.length]!;
    const file = next.get(path)!;
    const lines = templateLines.get(path) ?? [];
    templateLines.set(path, lines);
    next.set(path, { ...file, content: Buffer.from(applyEdits(file.content.toString('utf8'), fileEdits.edits, `template ${path}`, lines)) });
  }
  for (const index of edits.deleted) next.delete(paths[index % paths.length]!);
  return next;
}

const available = catalog.milestones.filter((milestone) => catalog.isAvailable(milestone)).map((milestone) => milestone.id);
const first = available[0]!;
const foundations = generated({ name: 'demo-project', milestones: [first], options: {} });
const scenarios: Scenario[] = [
  {
    name: `${first} output, the template edited at random`,
    base: foundations,
    next: (edits) => withTemplateEdits(foundations, edits),
  },
];
// `add`ing a second milestone. Until a second real one ships, a catalog-only twin of the
// first (same features, its own README section) stands in; every real pair joins below.
const twin = new Catalog({
  ...catalog.roadmap,
  milestones: [
    ...catalog.roadmap.milestones,
    { ...catalog.milestone(first)!, id: 'twin-milestone', title: 'A second milestone on the same features' },
  ],
});
scenarios.push({
  name: `${first} + add a catalog-only twin milestone`,
  base: generated({ name: 'demo-project', milestones: [first], options: {} }, twin),
  next: ((next) => () => next)(generated({ name: 'demo-project', milestones: [first, 'twin-milestone'], options: {} }, twin)),
});
// Every pair of milestones that can be generated: the template change is `add`ing the second one.
for (const second of available.slice(1)) {
  const base = generated({ name: 'demo-project', milestones: [first], options: {} });
  const next = generated({ name: 'demo-project', milestones: [first, second], options: {} });
  scenarios.push({ name: `${first} + add ${second}`, base, next: () => next });
}

function textOf(file: DiskFile | undefined): string | undefined {
  return Buffer.isBuffer(file) ? file.toString('utf8') : undefined;
}

describe.each(scenarios)('no lost lines: $name', (scenario) => {
  const paths = [...scenario.base.keys()].filter((path) => !isBinary(scenario.base.get(path)!.content));

  it('keeps every line the user wrote, and a second update changes nothing', () => {
    let userLines = 0;
    let conflicted = 0;
    fc.assert(
      fc.property(projectEditsArb(8), projectEditsArb(6), (userEdits, templateEdits) => {
        templateLines.clear();
        const next = new Map(scenario.next(templateEdits));
        const disk = new Map<string, DiskFile>([...scenario.base].map(([path, file]) => [path, file.content]));
        const added = new Map<string, string[]>();
        for (const fileEdits of userEdits.files) {
          const path = paths[fileEdits.file % paths.length]!;
          const lines = added.get(path) ?? [];
          added.set(path, lines);
          const text = applyEdits(textOf(disk.get(path))!.replaceAll('\r\n', '\n'), fileEdits.edits, `# user ${path}`, lines);
          disk.set(path, Buffer.from(styled(text, fileEdits.style)));
        }
        const mirrored = paths[userEdits.files[0]!.file % paths.length]!;
        if (userEdits.mirror && next.has(mirrored)) next.set(mirrored, { ...next.get(mirrored)!, content: disk.get(mirrored) as Buffer });
        for (const index of userEdits.deleted) {
          const path = paths[index % paths.length]!;
          disk.delete(path);
          added.delete(path);
        }
        // A line the user added and then deleted again is not theirs to lose.
        for (const [path, lines] of added) {
          const present = new Set(textOf(disk.get(path))!.split(/\r?\n/));
          added.set(path, lines.filter((line) => present.has(line)));
        }

        const decisions = planMerge({ base: asBase(scenario.base), next, disk, labelsFor });
        const result = new Map(disk);
        for (const decision of decisions) {
          if (decision.content) result.set(decision.path, decision.content);
          if (decision.outcome === 'removed') result.delete(decision.path);
          if (decision.outcome === 'conflict') conflicted += 1;
          // A file the user deleted stays deleted.
          if (!disk.has(decision.path) && scenario.base.has(decision.path)) expect(decision.content).toBeUndefined();
        }

        for (const [path, lines] of added) {
          if (lines.length === 0) continue;
          const merged = textOf(result.get(path));
          expect(merged, `${path} must still exist: the user edited it`).toBeDefined();
          const have = new Set(merged!.split(/\r?\n/));
          for (const line of lines) {
            userLines += 1;
            expect(have.has(line), `lost "${line}" in ${path}`).toBe(true);
          }
        }
        // The template's new lines are kept too, wherever the file still exists.
        for (const [path, lines] of templateLines) {
          const merged = textOf(result.get(path));
          const wanted = next.get(path)?.content.toString('utf8').split('\n') ?? [];
          // A `once` file (a challenge statement...) is the user's after creation: update never touches it.
          if (merged === undefined || !next.has(path) || !scenario.base.has(path) || !disk.has(path) || next.get(path)!.policy === 'once') continue;
          const have = new Set(merged.split(/\r?\n/));
          for (const line of lines) if (wanted.includes(line)) expect(have.has(line), `lost template line "${line}" in ${path}`).toBe(true);
        }
        for (const decision of decisions) {
          if (userEdits.mirror && decision.path === mirrored) expect(decision.outcome).not.toBe('conflict');
          if (decision.outcome === 'merged') expect(hasConflictMarkers(decision.content!.toString('utf8'))).toBe(false);
          if (decision.outcome === 'conflict') expect(hasConflictMarkers(decision.content!.toString('utf8'))).toBe(true);
          // A file only the template changed ends up exactly as the template wants.
          if (!added.has(decision.path) && disk.has(decision.path) && next.has(decision.path) && next.get(decision.path)!.policy !== 'once') {
            expect(textOf(result.get(decision.path)), decision.path).toBe(next.get(decision.path)!.content.toString('utf8'));
          }
        }

        const again = planMerge({ base: asBase(next), next, disk: result, labelsFor });
        expect(again.filter((decision) => decision.content !== undefined || decision.outcome === 'removed')).toEqual([]);
      }),
      { numRuns: 1000, seed: 20250101 },
    );
    // The run really exercised what it claims to: thousands of user lines, and real conflicts among them.
    expect(userLines).toBeGreaterThan(2000);
    expect(conflicted).toBeGreaterThan(0);
  });
});
