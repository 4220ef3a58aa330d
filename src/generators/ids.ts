import type { FlagSpec } from '../commands/flag-spec.ts';
import { RESOURCE_FLAGS } from './resource/flags.ts';
import { TASK_FLAGS } from './task/flags.ts';

/**
 * Every generator's id and flags: the part of the registry the CLI reads at
 * every start (to parse `generate <id>`). The generators themselves, with
 * their questions and planning, are in registry.ts, loaded when one runs.
 * A new generator is a folder beside resource/ and task/, one line here and
 * one in registry.ts.
 */
export const GENERATOR_FLAGS = {
  resource: RESOURCE_FLAGS,
  task: TASK_FLAGS,
} as const satisfies Record<string, FlagSpec>;

export type GeneratorId = keyof typeof GENERATOR_FLAGS;

export const GENERATOR_IDS = Object.keys(GENERATOR_FLAGS) as GeneratorId[];

export function isGeneratorId(value: string): value is GeneratorId {
  return Object.hasOwn(GENERATOR_FLAGS, value);
}
