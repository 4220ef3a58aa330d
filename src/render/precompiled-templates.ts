import type Handlebars from 'handlebars';

export type TemplateSpec = Parameters<typeof Handlebars.template>[0];

/**
 * Templates the build compiled, by SHA-1 of their source (see templateKey).
 * Empty when run from source: every template is compiled at run time. The
 * build replaces this module with the specs of every templates/**\/*.hbs
 * (scripts/precompile.mjs), compiled with the same options.
 */
export const PRECOMPILED_TEMPLATES: ReadonlyMap<string, TemplateSpec> = new Map();
