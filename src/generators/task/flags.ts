import type { FlagSpec } from '../../commands/flag-spec.ts';

/** `generate task` flags, besides the common ones. */
export const TASK_FLAGS = {
  dir: { type: 'string' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  trigger: { type: 'boolean' },
  'no-trigger': { type: 'boolean' },
} as const satisfies FlagSpec;
