import type { FlagSpec } from '../../commands/flag-spec.ts';

/** `generate resource` flags, besides the common ones. */
export const RESOURCE_FLAGS = {
  dir: { type: 'string' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  fields: { type: 'string', multiple: true },
  plural: { type: 'string' },
  public: { type: 'boolean' },
} as const satisfies FlagSpec;
