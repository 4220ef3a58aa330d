import type { ParseArgsConfig } from 'node:util';

/** The flags a command (or a generator) takes, as node's parseArgs reads them. */
export type FlagSpec = NonNullable<ParseArgsConfig['options']>;
