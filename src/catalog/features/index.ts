import { apiFeature } from './api.ts';
import { authFeature } from './auth.ts';
import { baseFeature } from './base.ts';
import { ciFeature } from './ci.ts';
import { cliFeature } from './cli.ts';
import { crudFeature } from './crud.ts';
import { dataFeature } from './data.ts';
import { dbFeature } from './db.ts';
import { deployFeature } from './deploy.ts';
import { dockerFeature } from './docker.ts';
import { FEATURE_IDS, type Feature, type FeatureId } from './feature.ts';
import { jobsFeature } from './jobs.ts';
import { listingFeature } from './listing.ts';
import { qaFeature } from './qa.ts';
import { scalingFeature } from './scaling.ts';
import { transactionsFeature } from './transactions.ts';

export {
  FEATURE_IDS,
  type Feature,
  type FeatureId,
  type FrameworkVariant,
  type HealthCheck,
  type MigrationCommands,
  type NextStep,
  type NextStepContext,
  type NextStepStage,
  NEXT_STEP_STAGES,
  type OptionValues,
  type PythonObject,
  type ReadingPath,
  type ReadingStop,
  type ReferenceableModel,
} from './feature.ts';

/**
 * The feature registry, in render order: a feature comes after the features it
 * requires, so its slot contributions land after theirs.
 */
export const FEATURES: readonly Feature[] = [
  baseFeature,
  cliFeature,
  apiFeature,
  dbFeature,
  listingFeature,
  transactionsFeature,
  authFeature,
  crudFeature,
  jobsFeature,
  dockerFeature,
  ciFeature,
  deployFeature,
  qaFeature,
  scalingFeature,
  dataFeature,
];

/**
 * Features the catalog already names whose templates have not landed yet.
 * A milestone that needs one of them is listed as "coming soon" and refused by `create`.
 */
export const PLANNED_FEATURES: ReadonlySet<FeatureId> = new Set<FeatureId>(
  FEATURE_IDS.filter((id) => !FEATURES.some((feature) => feature.id === id)),
);

const byId = new Map<FeatureId, Feature>(FEATURES.map((feature) => [feature.id, feature]));

export function getFeature(id: FeatureId): Feature {
  const feature = byId.get(id);
  if (!feature) throw new Error(`Feature "${id}" is not implemented yet.`);
  return feature;
}

export function isFeatureId(value: string): value is FeatureId {
  return (FEATURE_IDS as readonly string[]).includes(value);
}

/**
 * The closure of `requested` under `requires`, in registry order, so rendering
 * and slot contributions are deterministic whatever order the user named things in.
 */
export function resolveFeatures(requested: Iterable<FeatureId>): Feature[] {
  const wanted = new Set<FeatureId>();
  const visit = (id: FeatureId): void => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const dependency of getFeature(id).requires) visit(dependency);
  };
  visit('base');
  for (const id of requested) visit(id);
  return FEATURES.filter((feature) => wanted.has(feature.id));
}
