import { randomBytes } from 'node:crypto';
import type { Feature } from '../../catalog/features/index.ts';
import { usageError } from '../../errors.ts';
import type { CliIO } from '../../io.ts';
import type { ReferenceTarget } from './context.ts';
import {
  FIELD_TYPES,
  crossCheck,
  parseFields,
  parseResourceNames,
  type FieldSpec,
  type ResourceSpec,
} from './spec.ts';
import type { GeneratedRecord } from '../../manifest/manifest.ts';
import { existingPaths, readProjectInventory, referenceTargets, type ProjectInventory } from '../../steps/project-inventory.ts';

export const FIELDS_HELP = [
  'Fields are name:type pairs, comma-separated: --fields number:str:unique,total:decimal,paid:bool',
  `Types: ${FIELD_TYPES.filter((type) => type !== 'enum' && type !== 'ref').join(', ')}, str(N), decimal(P,S), enum(a|b|c), ref(Model)`,
  'Modifiers after the type: :optional (nullable, may be left out), :unique',
];

function problemsOf<T>(parse: () => { value?: T; problems: readonly string[] }): true | string {
  const { problems } = parse();
  return problems.length === 0 ? true : problems.join(' ');
}

/**
 * The resource's name and fields: flag, else a question on a terminal, else
 * exit 2 naming the flag. Questions validate as you type, with the same
 * parser the flags go through.
 */
export async function chooseResourceAnswers(
  io: CliIO,
  interactive: boolean,
  given: { readonly name?: string; readonly fields?: string; readonly plural?: string },
): Promise<{ name: string; fields: string }> {
  let name = given.name;
  if (name === undefined) {
    if (!interactive) {
      throw usageError('generate resource needs the resource name.', [
        'Usage: generate resource <Name> --fields name:type,... (Name in PascalCase, e.g. Invoice)',
      ]);
    }
    name = String(
      await io.prompt({
        type: 'text',
        message: 'Resource name (a PascalCase class name, e.g. Invoice)',
        validate: (value) => problemsOf(() => parseResourceNames(value.trim(), given.plural)),
      }),
    ).trim();
  }
  let fields = given.fields;
  if (fields === undefined) {
    if (!interactive) {
      throw usageError('generate resource needs --fields.', FIELDS_HELP);
    }
    fields = String(
      await io.prompt({
        type: 'text',
        message: 'Fields (name:type, comma-separated; e.g. number:str:unique,total:decimal,paid:bool)',
        validate: (value) => problemsOf(() => parseFields(value)),
      }),
    ).trim();
  }
  return { name, fields };
}

export interface ValidatedResource {
  readonly spec: ResourceSpec;
  /** Every model the references reach, with how tests create their rows. */
  readonly targets: ReadonlyMap<string, ReferenceTarget>;
  readonly inventory: ProjectInventory;
}

/** The targets a resource's references need, transitively (a Task ref needs Project to create a task). */
function reachableTargets(
  fields: readonly FieldSpec[],
  known: ReadonlyMap<string, ReferenceTarget>,
): Map<string, ReferenceTarget> {
  const reached = new Map<string, ReferenceTarget>();
  const visit = (model: string): void => {
    const target = known.get(model);
    if (!target || reached.has(model)) return;
    reached.set(model, target);
    for (const parent of Object.values(target.create.parents)) visit(parent);
    for (const field of target.create.fields) if (field.type === 'ref' && field.target) visit(field.target);
  };
  for (const field of fields) if (field.type === 'ref' && field.target) visit(field.target);
  return reached;
}

/**
 * Checks the answers against the project itself: the name must be new (as a
 * model, a table, a route and a module), and every `ref(Model)` must point at
 * a model the project has and the generator knows how to create in tests.
 * Every problem is collected; any problem is exit 2 with nothing written.
 */
export function validateResource(input: {
  readonly root: string;
  readonly packageName: string;
  readonly features: readonly Feature[];
  readonly generated: readonly GeneratedRecord[];
  readonly name: string;
  readonly fields: string;
  readonly plural?: string;
}): ValidatedResource {
  const names = parseResourceNames(input.name, input.plural);
  const fields = parseFields(input.fields);
  const problems = [...names.problems, ...fields.problems];
  const inventory = readProjectInventory(input.root, input.packageName);
  problems.push(...inventory.problems);
  const known = referenceTargets(input.features, input.generated);
  if (names.value) {
    const { className, plural, route } = names.value;
    const existing = inventory.models.get(className);
    if (existing) problems.push(`A model named ${className} already exists (${input.packageName}.${existing.module}).`);
    if (inventory.tables.has(plural)) problems.push(`A table named ${plural} already exists.`);
    const segment = route.slice(1);
    if (inventory.routeSegments.has(segment)) problems.push(`The route /api/v1/${segment} is already served by another router.`);
    for (const taken of existingPaths(input.root, input.packageName, plural)) problems.push(`${taken} already exists.`);
  }
  if (fields.value) {
    const models = [...inventory.models.keys()].filter((model) => inventory.models.get(model)?.table);
    for (const field of fields.value) {
      if (field.type !== 'ref' || !field.target) continue;
      if (!inventory.models.has(field.target)) {
        problems.push(
          `field "${field.name}": there is no model ${field.target} in this project (models: ${models.join(', ') || 'none yet'}).`,
        );
      } else if (!known.has(field.target)) {
        problems.push(
          `field "${field.name}": ${field.target} was not made by a template or by generate resource, so the generated tests cannot create one; refer to ${[...known.keys()].join(', ') || 'a generated resource'} instead.`,
        );
      }
    }
  }
  if (names.value && fields.value) {
    problems.push(
      ...crossCheck(names.value, fields.value, new Set(inventory.models.keys()), (model) => known.get(model)?.table ?? inventory.models.get(model)?.table),
    );
  }
  if (problems.length > 0 || !names.value || !fields.value) {
    throw usageError(`Cannot generate the resource ${input.name}; nothing was written.`, [...new Set(problems)]);
  }
  return { spec: { names: names.value, fields: fields.value }, targets: reachableTargets(fields.value, known), inventory };
}

/** A new Alembic revision id: 12 hex digits, like Alembic's own. */
export function newRevisionId(): string {
  return randomBytes(6).toString('hex');
}
