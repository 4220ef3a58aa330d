import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { ROADMAP_SCHEMA_PATH } from '../paths.ts';
import type { Roadmap } from './roadmap-types.ts';

/**
 * The validator of schema/roadmap.schema.json. Run from source (the tests), ajv
 * compiles the schema when this module loads. The build replaces this module
 * with ajv's standalone code for the same schema and options
 * (scripts/precompile.mjs): the CLI then neither ships ajv's compiler nor spends
 * tens of milliseconds compiling the schema at every start, and its errors are
 * the same objects, with the same JSON paths.
 */
export const validateRoadmapSchema: ValidateFunction<Roadmap> = new Ajv({ allErrors: true, strict: true }).compile<Roadmap>(
  JSON.parse(readFileSync(ROADMAP_SCHEMA_PATH, 'utf8')) as object,
);
