import { getFeature, type Feature, type FeatureId } from '../../catalog/features/index.ts';
import { frameworkOf } from '../../catalog/frameworks.ts';
import { usageError } from '../../errors.ts';
import { PACKAGE_NAME, generatorVersion } from '../../paths.ts';
import { servicesOf } from '../../render/context.ts';
import { buildProjectNames } from '../../render/project-names.ts';
import type { Generator } from '../generator.ts';
import { chooseResourceAnswers, newRevisionId, validateResource } from './answers.ts';
import { RESOURCE_FRAMEWORKS, canConflict, type ReferenceTarget, type ResourceFramework } from './context.ts';
import { RESOURCE_FLAGS } from './flags.ts';
import { planResource, resourceTemplates } from './plan.ts';
import type { FieldSpec } from './spec.ts';

/**
 * A generated resource imports the list helpers (`listing`) and, when a write
 * can break a unique or foreign-key rule, `commit_or_conflict`
 * (`transactions`). A project whose milestones serve no lists has neither, and
 * `add` brings them the way it brings any feature: rendered, merged, recorded.
 */
function requireBuildingBlocks(features: readonly Feature[], needed: readonly FeatureId[]): void {
  const missing = needed.filter((id) => !features.some((feature) => feature.id === id));
  if (missing.length === 0) return;
  throw usageError(`generate resource builds on the ${missing.join(' and ')} feature${missing.length > 1 ? 's' : ''}, which this project does not have yet.`, [
    ...missing.map((id) => `${id}: ${getFeature(id).title}.`),
    `Add ${missing.length > 1 ? 'them' : 'it'} first (a merge like any add: your edits are kept), then run generate again:`,
    `  ${PACKAGE_NAME} add ${missing.join(' ')}`,
  ]);
}

/**
 * A reference to rows that belong to users would let one user point at (and,
 * through ON DELETE, depend on) another user's rows; until references check
 * the owner too, they are refused, with the way out.
 */
function refuseReferencesToOwnedRows(fields: readonly FieldSpec[], targets: ReadonlyMap<string, ReferenceTarget>): void {
  const owned = fields.filter((field) => field.type === 'ref' && targets.get(field.target!)?.owned === true);
  if (owned.length === 0) return;
  throw usageError(`${owned.map((field) => `ref(${field.target!})`).join(', ')}: those rows belong to users, and a reference cannot check whose they are yet.`, [
    `Generate ${owned.map((field) => field.target!).join(', ')} with --public, or leave the reference out.`,
  ]);
}

/** App labels a Django project already has from Django and DRF: a resource app must not take one. */
const DJANGO_APP_LABELS = new Set(['admin', 'auth', 'contenttypes', 'sessions', 'messages', 'staticfiles', 'rest_framework', 'drf_spectacular', 'authentication']);

/**
 * Attributes of DRF's serializers and fields: a serializer declares each field as a class
 * attribute of that name, so a field called `label` or `data` would replace DRF's own.
 */
const DRF_SERIALIZER_ATTRIBUTES = new Set([
  'allow_null', 'context', 'data', 'default', 'error_messages', 'errors', 'field_name', 'fields', 'help_text', 'initial',
  'initial_data', 'instance', 'label', 'many', 'parent', 'partial', 'read_only', 'required', 'root', 'source', 'style',
  'validated_data', 'validators', 'write_only',
]);

/** On Django, a field whose name DRF's serializers already use: refused, with the way out. */
function refuseSerializerAttributes(fields: readonly FieldSpec[]): void {
  const taken = fields.filter((field) => DRF_SERIALIZER_ATTRIBUTES.has(field.column));
  if (taken.length === 0) return;
  throw usageError(`${taken.map((field) => `"${field.column}"`).join(', ')}: DRF's serializers already have an attribute of that name, which a field would replace.`, [
    'Rename the field (e.g. "title" or "name" for "label").',
  ]);
}

/** An app label Django or DRF already installs cannot be a resource app's. */
function refuseTakenAppLabel(plural: string): void {
  if (!DJANGO_APP_LABELS.has(plural)) return;
  throw usageError(`"${plural}" is the label of an app Django or DRF already installs; a resource app cannot take it.`, [
    'Choose another name, or another --plural.',
  ]);
}

/** `generate resource <Name> --fields ...`: a model, schemas, repository, service, router, migration and tests (a Django app on Django). */
export const resourceGenerator: Generator<{ readonly name: string; readonly fields: string }> = {
  id: 'resource',
  frameworks: RESOURCE_FRAMEWORKS,
  requires: {
    feature: 'db',
    why: 'SQLAlchemy models and Alembic migrations',
    hint: `Add a milestone that brings it first, e.g. \`${PACKAGE_NAME} add crud-db\`.`,
  },
  flags: RESOURCE_FLAGS,
  async ask({ io, features, flags, interactive }) {
    // Before any question: a terminal user should not answer them all to be told no.
    if (interactive) requireBuildingBlocks(features, ['listing']);
    return chooseResourceAnswers(io, interactive, flags);
  },
  plan({ project, features, flags }, answers) {
    const packageName = buildProjectNames(project.answers.name).packageName;
    const validated = validateResource({
      root: project.root,
      packageName,
      features,
      generated: project.manifest.generated ?? [],
      name: answers.name,
      fields: answers.fields,
      ...(flags.plural !== undefined ? { plural: flags.plural } : {}),
    });
    refuseReferencesToOwnedRows(validated.spec.fields, validated.targets);
    requireBuildingBlocks(features, canConflict(validated.spec) ? ['listing', 'transactions'] : ['listing']);
    // With auth, rows belong to the user who creates them unless --public says otherwise.
    const owned = features.some((feature) => feature.id === 'auth') && flags.public !== true;
    // `generate` refuses a project on a framework outside `frameworks` before planning.
    const framework = frameworkOf(project.answers.options) as ResourceFramework;
    if (framework === 'django') {
      refuseTakenAppLabel(validated.spec.names.plural);
      refuseSerializerAttributes(validated.spec.fields);
    }
    const templates = resourceTemplates(framework);
    const plan = planResource({
      packageName,
      spec: validated.spec,
      targets: validated.targets,
      migration: { revision: newRevisionId(), downRevisions: validated.inventory.migrationHeads, createdAt: new Date() },
      ...(flags.plural !== undefined ? { pluralOverride: flags.plural } : {}),
      generatorVersion: generatorVersion(),
      templates,
      commandName: PACKAGE_NAME,
      framework,
      owned,
      ...(flags.public === true ? { public: true } : {}),
      ...(servicesOf(features, project.answers.options).some((service) => service.noNullsLast) ? { noNullsLast: true } : {}),
    });
    const { names } = validated.spec;
    return {
      name: names.className,
      files: plan.files,
      insertions: plan.insertions,
      record: plan.record,
      next:
        framework === 'django'
          ? [
              `make check      # the new tests in tests/${names.plural}/ run with the others, makemigrations --check among them`,
              `make migrate    # creates the ${names.plural} table from ${names.plural}/migrations/0001_initial.py, then make run and try GET /api/v1${names.route}`,
            ]
          : [
              `make check      # the new tests in tests/${names.plural}/ run with the others`,
              `make run        # creates the ${names.plural} table (pending migrations, in development), then try GET /api/v1${names.route}`,
            ],
    };
  },
};
