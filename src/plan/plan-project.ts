import type { Catalog } from '../catalog/catalog.ts';
import type { Feature, OptionValues } from '../catalog/features/index.ts';
import { withFramework } from '../catalog/frameworks.ts';
import type { TemplateFile, TemplateTree } from '../catalog/templates.ts';
import { buildRenderContext, type ProjectAnswers, type RenderContext } from '../render/context.ts';
import { compileTemplate, concatTemplates, createRenderer, type TemplateDelegate } from '../render/handlebars.ts';
import type { TemplateSpec } from '../render/precompiled-templates.ts';
import { buildProjectNames, type ProjectNames } from '../render/project-names.ts';
import { SLOT_NAMES, isSlotName } from '../render/slots.ts';

/**
 * How a later `update` treats a file: `merge` files are re-rendered and merged
 * three ways; `once` files are written when first planned and then belong to the user.
 */
export type FilePolicy = 'merge' | 'once';

export interface PlannedFile {
  /** Path in the generated project, forward slashes. */
  readonly path: string;
  readonly content: Buffer;
  readonly policy: FilePolicy;
  readonly executable: boolean;
  /** The feature whose template produced the file. */
  readonly feature: string;
}

export interface ProjectPlan {
  readonly names: ProjectNames;
  readonly features: readonly Feature[];
  readonly context: RenderContext;
  /** Sorted by path. */
  readonly files: readonly PlannedFile[];
}

const TEMPLATE_SUFFIX = '.hbs';
const SLOTS_DIR = '_slots/';
const PARTIALS_DIR = '_partials/';
const ONCE_MARKER = '.once';

/** Each feature's template folders, in render order: computed once per plan. */
function featureTemplateDirs(features: readonly Feature[], options: OptionValues): { feature: Feature; dir: string }[] {
  const ids = new Set(features.map((feature) => feature.id));
  // Each feature with its variant for the chosen framework (src/catalog/frameworks.ts).
  return withFramework(features, options).flatMap((feature) => feature.templateDirs(options, ids).map((dir) => ({ feature, dir })));
}

/** The template folders a set of features renders, in order; the shell loads exactly these. */
export function templateDirsFor(features: readonly Feature[], options: OptionValues): string[] {
  return featureTemplateDirs(features, options).map(({ dir }) => dir);
}

/**
 * Template path → project path: `__package__` becomes the import package,
 * a leading `dot-` becomes `.` (npm would drop a real `.gitignore` from the
 * package), a `.once` before the suffix marks a user-owned file, and `.hbs` goes.
 */
export function outputPath(templatePath: string, names: ProjectNames): { path: string; policy: FilePolicy } {
  let policy: FilePolicy = 'merge';
  const segments = templatePath.split('/').map((segment, index, all) => {
    let out = segment.replaceAll('__package__', names.packageName);
    if (out.startsWith('dot-')) out = `.${out.slice('dot-'.length)}`;
    if (index === all.length - 1) {
      if (out.endsWith(TEMPLATE_SUFFIX)) out = out.slice(0, -TEMPLATE_SUFFIX.length);
      if (out.endsWith(ONCE_MARKER)) {
        out = out.slice(0, -ONCE_MARKER.length);
        policy = 'once';
      }
    }
    return out;
  });
  return { path: segments.join('/'), policy };
}

function stripSuffix(value: string, suffix: string): string {
  return value.endsWith(suffix) ? value.slice(0, -suffix.length) : value;
}

interface Located {
  readonly dir: string;
  readonly feature: Feature;
  readonly file: TemplateFile;
}

/**
 * Planning is a pure function: catalog, answers and template
 * contents in, the complete list of files out. No disk, no clock, no randomness,
 * so the same answers always give byte-identical files.
 */
export function planProject(input: {
  readonly catalog: Catalog;
  readonly answers: ProjectAnswers;
  readonly templates: TemplateTree;
  readonly generatorVersion: string;
  /** The build's precompiled templates (the default); tests pass their own, or none to compile every template. */
  readonly precompiled?: ReadonlyMap<string, TemplateSpec>;
  /** The answers' features, when the caller resolved them already (to load their templates). */
  readonly features?: readonly Feature[];
}): ProjectPlan {
  const { catalog, answers, templates } = input;
  const compile = (source: string): TemplateDelegate => compileTemplate(renderer, source, input.precompiled);
  const names = buildProjectNames(answers.name);
  const features = input.features ?? catalog.featuresFor(answers.milestones, answers.extraFeatures);
  const context = buildRenderContext({
    catalog,
    answers,
    names,
    features,
    generatorVersion: input.generatorVersion,
  });

  const located: Located[] = [];
  for (const { feature, dir } of featureTemplateDirs(features, answers.options)) {
    const files = templates.get(dir);
    if (!files) throw new Error(`Template folder "${dir}" of feature "${feature.id}" was not loaded.`);
    for (const file of files) located.push({ dir, feature, file });
  }

  const renderer = createRenderer();
  const slotParts = new Map<string, TemplateDelegate[]>(SLOT_NAMES.map((name) => [name, []]));
  const outputs: Located[] = [];
  for (const item of located) {
    const { path } = item.file;
    if (path.startsWith(SLOTS_DIR)) {
      const slot = stripSuffix(path.slice(SLOTS_DIR.length), TEMPLATE_SUFFIX);
      if (!isSlotName(slot)) {
        throw new Error(
          `templates/${item.dir}/${path} contributes to an unknown slot "${slot}"; known slots: ${SLOT_NAMES.join(', ')}.`,
        );
      }
      const source = item.file.content.toString('utf8');
      slotParts.get(slot)?.push(compile(source.endsWith('\n') || source === '' ? source : `${source}\n`));
    } else if (path.startsWith(PARTIALS_DIR)) {
      const name = stripSuffix(path.slice(PARTIALS_DIR.length), TEMPLATE_SUFFIX);
      renderer.registerPartial(`${item.feature.id}/${name}`, compile(item.file.content.toString('utf8')));
    } else {
      outputs.push(item);
    }
  }
  // A standalone `{{> slot/x}}` line indents each contributed line and vanishes when empty;
  // the trailing newline is dropped because the slot's own line supplies it.
  for (const [slot, parts] of slotParts) {
    renderer.registerPartial(`slot/${slot}`, concatTemplates(parts));
  }

  const files = new Map<string, PlannedFile>();
  for (const { dir, feature, file } of outputs) {
    const target = outputPath(file.path, names);
    const previous = files.get(target.path);
    if (previous) {
      throw new Error(
        `Features "${previous.feature}" and "${feature.id}" both write ${target.path} (templates/${dir}/${file.path}).`,
      );
    }
    let content = file.content;
    if (file.path.endsWith(TEMPLATE_SUFFIX)) {
      try {
        const template = compile(file.content.toString('utf8'));
        content = Buffer.from(template(context), 'utf8');
      } catch (error) {
        throw new Error(`Rendering templates/${dir}/${file.path} failed: ${(error as Error).message}`);
      }
    }
    files.set(target.path, {
      path: target.path,
      content,
      policy: target.policy,
      executable: file.executable,
      feature: feature.id,
    });
  }

  const sorted = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { names, features, context, files: sorted };
}
