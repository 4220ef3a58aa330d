import { Catalog } from '../../src/catalog/catalog.ts';
import { loadRoadmap } from '../../src/catalog/roadmap.ts';
import type { TemplateFile } from '../../src/catalog/templates.ts';
import type { BaseFile, DiskFile, NextFile } from '../../src/merge/merge-project.ts';
import type { MergeLabels } from '../../src/merge/merge-text.ts';
import { planProject } from '../../src/plan/plan-project.ts';

export const catalog = new Catalog(loadRoadmap());

/** A template folder written inline: path → content (a string is UTF-8 text; `.hbs` files are rendered). */
export type InlineTree = Readonly<Record<string, string | Buffer>>;

/**
 * Renders tiny inline template trees with the real planner (copier's test
 * style): `tree` stands in for templates/base, the python-foundations answers
 * for the project, so the test reads as "version 1 of the template, version 2".
 */
export function render(tree: InlineTree, extra: Readonly<Record<string, InlineTree>> = {}): Map<string, NextFile> {
  const toFiles = (files: InlineTree): TemplateFile[] =>
    Object.entries(files)
      .map(([path, content]) => ({ path, content: Buffer.isBuffer(content) ? content : Buffer.from(content), executable: false }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
  const templates = new Map<string, TemplateFile[]>([
    ['base', toFiles(tree)],
    ['cli', toFiles(extra['cli'] ?? {})],
  ]);
  const plan = planProject({
    catalog,
    answers: { name: 'demo', milestones: ['python-foundations'], options: {} },
    templates,
    generatorVersion: '1.0.0',
  });
  return new Map(plan.files.map((file) => [file.path, { content: file.content, policy: file.policy, executable: file.executable }]));
}

/** What the manifest would hold after generating `files`. */
export function asBase(files: ReadonlyMap<string, NextFile>): Map<string, BaseFile> {
  return new Map([...files].map(([path, file]) => [path, { content: file.content, policy: file.policy }]));
}

/** The project on disk: the generated files with the user's edits applied (undefined deletes). */
export function withEdits(
  files: ReadonlyMap<string, NextFile | BaseFile>,
  edits: Readonly<Record<string, string | Buffer | undefined>> = {},
): Map<string, DiskFile> {
  const disk = new Map<string, DiskFile>([...files].map(([path, file]) => [path, file.content]));
  for (const [path, content] of Object.entries(edits)) {
    if (content === undefined) disk.delete(path);
    else disk.set(path, Buffer.isBuffer(content) ? content : Buffer.from(content));
  }
  return disk;
}

export const LABELS: MergeLabels = { yours: 'yours', base: 'v1', template: 'v2' };
export const labelsFor = (): MergeLabels => LABELS;
