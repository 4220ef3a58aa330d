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
 * models) added, commands (run, worker, beat) taken from the variant when it
 * sets them. A feature without `frameworks` does not depend on the framework
 * and comes back as it is; one that has variants but none for `framework`
 * cannot be built on it, which is an error naming both.
 */
export function forFramework(feature: Feature, framework: string): Feature {
  const variants = feature.frameworks;
  if (variants === undefined) return feature;
  const variant = variants[framework];
  if (variant === undefined) throw unsupportedFramework(feature, framework);
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
    ...(variant.runCommand ? { runCommand: variant.runCommand } : {}),
    ...(variant.workerCommand ? { workerCommand: variant.workerCommand } : {}),
    ...(variant.beatCommand ? { beatCommand: variant.beatCommand } : {}),
  };
}

/**
 * The refusal of a feature on a framework it has no variant for (auth on Flask,
 * say): the user's choice to change, so exit 2 with the frameworks that work.
 */
function unsupportedFramework(feature: Feature, framework: string): Error {
  const supported = Object.keys(feature.frameworks ?? {});
  return usageError(`"${feature.title}" (feature ${feature.id}) is not available with --framework ${framework} yet.`, [
    `It is built for: ${supported.join(', ')}. Choose --framework ${supported[0] ?? DEFAULT_FRAMEWORK} when creating the project, or leave out the milestone that needs it.`,
  ]);
}

/** The first of `features` that has no variant for `framework`, or undefined when every one can be built on it. */
export function unsupportedOn(features: readonly Feature[], framework: string): Feature | undefined {
  return features.find((feature) => feature.frameworks !== undefined && feature.frameworks[framework] === undefined);
}

/** Every feature with the variant of the framework `options` choose. */
export function withFramework(features: readonly Feature[], options: OptionValues): Feature[] {
  const framework = frameworkOf(options);
  return features.map((feature) => forFramework(feature, framework));
}
