import { usageError } from '../errors.ts';
import type { Feature, OptionValues } from './features/index.ts';

/**
 * Framework variants. A web framework (the `framework` option: FastAPI today)
 * is a sibling set of template folders plus registry entries, not a fork of
 * every feature: a feature keeps what does not depend on the framework (its
 * id, requirements on other features, its own framework-free folders such as
 * `templates/db/`) and lists, per framework, what does (`Feature.frameworks`).
 * The variant for the chosen framework is merged in where a feature's data is
 * read with the project's options (the template folders to plan, the render
 * context); a merged feature has no `frameworks` left, so merging twice is
 * harmless.
 */

/** The option that picks the framework, and the framework of projects that predate it. */
export const FRAMEWORK_OPTION = 'framework';
export const DEFAULT_FRAMEWORK = 'fastapi';

/** The framework a project's options choose. */
export function frameworkOf(options: OptionValues): string {
  return options[FRAMEWORK_OPTION] ?? DEFAULT_FRAMEWORK;
}

/**
 * A feature with the chosen framework's variant merged in: template folders
 * after the feature's own, dependencies and plug-ins (routers, health checks,
 * models) added, commands (run, worker, beat, migrations, serve) taken from the variant when it
 * sets them. A feature without `frameworks` does not depend on the framework
 * and comes back as it is; one that has variants but none for `framework`
 * cannot be built on it, which is an error naming both.
 */
export function forFramework(feature: Feature, framework: string): Feature {
  const variants = feature.frameworks;
  if (variants === undefined) return feature;
  const variant = variants[framework];
  if (variant === undefined) {
    throw new Error(
      `Feature "${feature.id}" has no ${framework} variant (it has: ${Object.keys(variants).join(', ')}); add one under frameworks in its registry entry.`,
    );
  }
  const { frameworks: _variants, ...common } = feature;
  return {
    ...common,
    templateDirs: (options, features) => [...feature.templateDirs(options, features), ...(variant.templateDirs ?? [])],
    dependencies: [...feature.dependencies, ...(variant.dependencies ?? [])],
    devDependencies: [...feature.devDependencies, ...(variant.devDependencies ?? [])],
    ...(feature.routers || variant.routers ? { routers: [...(feature.routers ?? []), ...(variant.routers ?? [])] } : {}),
    ...(feature.healthChecks || variant.healthChecks
      ? { healthChecks: [...(feature.healthChecks ?? []), ...(variant.healthChecks ?? [])] }
      : {}),
    ...(feature.models || variant.models ? { models: [...(feature.models ?? []), ...(variant.models ?? [])] } : {}),
    ...(feature.extraSourceDirs || variant.extraSourceDirs
      ? { extraSourceDirs: [...(feature.extraSourceDirs ?? []), ...(variant.extraSourceDirs ?? [])] }
      : {}),
    ...(variant.usesSecretKey ? { usesSecretKey: true } : {}),
    ...(feature.djangoApps || variant.djangoApps ? { djangoApps: [...(feature.djangoApps ?? []), ...(variant.djangoApps ?? [])] } : {}),
    ...(variant.djangoMiddleware ? { djangoMiddleware: [...(feature.djangoMiddleware ?? []), ...variant.djangoMiddleware] } : {}),
    ...(variant.rootUrls ? { rootUrls: [...(feature.rootUrls ?? []), ...variant.rootUrls] } : {}),
    ...(variant.runCommand ? { runCommand: variant.runCommand } : {}),
    ...(variant.workerCommand ? { workerCommand: variant.workerCommand } : {}),
    ...(variant.beatCommand ? { beatCommand: variant.beatCommand } : {}),
    ...(variant.migrations ? { migrations: variant.migrations } : {}),
    ...(variant.serveCommand ? { serveCommand: variant.serveCommand } : {}),
    ...(variant.collectStatic ? { collectStatic: variant.collectStatic } : {}),
  };
}

/** Every feature with the variant of the framework `options` choose. */
export function withFramework(features: readonly Feature[], options: OptionValues): Feature[] {
  const framework = frameworkOf(options);
  return features.map((feature) => forFramework(feature, framework));
}

/**
 * Option values a framework cannot build yet, refused like a missing variant
 * (framework → option → values). Empty today: every framework builds every
 * database the `db` option offers.
 */
export const UNSUPPORTED_OPTION_VALUES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {};

/**
 * The features among `features` that have framework variants but none for
 * `framework`: what a project on that framework cannot have (yet).
 */
export function unsupportedOn(features: readonly Feature[], framework: string): Feature[] {
  return features.filter((feature) => feature.frameworks !== undefined && feature.frameworks[framework] === undefined);
}

/**
 * Refuses (exit 2, before anything is written) a project whose features
 * include one that has no variant for the chosen framework, naming them and
 * the frameworks that do have them: a clear "not on this path yet" instead of
 * a half-built project.
 */
export function assertFrameworkSupports(features: readonly Feature[], options: OptionValues): void {
  const framework = frameworkOf(options);
  for (const [option, values] of Object.entries(UNSUPPORTED_OPTION_VALUES[framework] ?? {})) {
    const value = options[option];
    if (value !== undefined && values.includes(value)) {
      throw usageError(`--framework ${framework} does not support --${option} ${value} yet.`, [
        `Choose another --${option}, or another --framework.`,
      ]);
    }
  }
  const missing = unsupportedOn(features, framework);
  if (missing.length === 0) return;
  throw usageError(
    `--framework ${framework} does not support ${missing.map((feature) => `${feature.id} (${feature.title})`).join(', ')} yet.`,
    [
      ...missing.map((feature) => `${feature.id} is available on: ${Object.keys(feature.frameworks ?? {}).join(', ')}`),
      'Choose milestones without them, or another --framework.',
    ],
  );
}

/**
 * The choices of `option` a question should offer, given the project's features
 * and the options answered so far: a framework only when it builds every feature,
 * another option's value only when the chosen framework supports it. Flags are
 * checked by `assertFrameworkSupports` instead, which says why.
 */
export function supportedChoices<C extends { readonly value: string }>(
  optionId: string,
  choices: readonly C[],
  features: readonly Feature[],
  answered: OptionValues,
): C[] {
  if (optionId === FRAMEWORK_OPTION) return choices.filter((choice) => unsupportedOn(features, choice.value).length === 0);
  const refused = UNSUPPORTED_OPTION_VALUES[frameworkOf(answered)]?.[optionId] ?? [];
  return choices.filter((choice) => !refused.includes(choice.value));
}

/** Whether `assertFrameworkSupports` lets these features and options through. */
export function frameworkBuilds(features: readonly Feature[], options: OptionValues): boolean {
  const framework = frameworkOf(options);
  const refusedValue = Object.entries(UNSUPPORTED_OPTION_VALUES[framework] ?? {}).some(
    ([option, values]) => options[option] !== undefined && values.includes(options[option]!),
  );
  return !refusedValue && unsupportedOn(features, framework).length === 0;
}
