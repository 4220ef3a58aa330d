import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { MANIFEST_SCHEMA_PATH } from '../paths.ts';

/**
 * The validator of schema/manifest.schema.json, compiled the way the roadmap's
 * is (src/catalog/roadmap-validator.ts): from source (the tests) ajv compiles
 * the schema when this module loads; the build replaces this module with ajv's
 * standalone code for the same schema and options (scripts/precompile.mjs), so
 * the CLI ships no schema compiler.
 */
export const validateManifestSchema: ValidateFunction = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(MANIFEST_SCHEMA_PATH, 'utf8')) as object,
);
