import type { Generator } from './generator.ts';
import type { GeneratorId } from './ids.ts';
import { resourceGenerator } from './resource/generator.ts';
import { taskGenerator } from './task/generator.ts';

/**
 * Every generator, by id (the ids and flags the CLI parses are in ids.ts).
 * Each generator's answers are its own type; the runner only hands what `ask`
 * returned to the same generator's `plan`.
 */
export const GENERATORS: { readonly [K in GeneratorId]: Generator } = {
  resource: resourceGenerator,
  task: taskGenerator,
};
