// Used by bench/profile.mjs to build a copy of the CLI with source maps, with the
// project's own scripts/build.mjs (so the profiled bundle is built exactly like
// the measured one). This module plays two parts, and has no side effects:
// - as a module-customization hook, `resolve` hands scripts/build.mjs this
//   module in place of 'esbuild';
// - as that stand-in, `build` calls the real esbuild with the output redirected
//   to the current folder's dist/ and external source maps switched on.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'esbuild' && context.parentURL?.endsWith('/scripts/build.mjs')) {
    return { url: import.meta.url, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function build(options) {
  const esbuild = createRequire(path.join(root, 'package.json'))('esbuild');
  const redirected = { ...options, absWorkingDir: root, sourcemap: 'external', sourcesContent: false };
  if (options.outdir !== undefined) redirected.outdir = path.resolve(process.cwd(), options.outdir);
  if (options.outfile !== undefined) redirected.outfile = path.resolve(process.cwd(), options.outfile);
  return esbuild.build(redirected);
}
