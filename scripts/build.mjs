// Bundles the CLI into dist/cli.js with every dependency inlined, so the
// published package installs nothing at run time (like create-vite).
import { build } from 'esbuild';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestValidatorModule, roadmapValidatorModule, templateSpecsModule, templateSpecsPack, templatesPack } from './precompile.mjs';

/**
 * Swaps three source modules for what the build computes once (scripts/precompile.mjs):
 * the roadmap and manifest schemas' validators as ajv standalone code, and the precompiled templates.
 */
const precompiled = {
  name: 'precompiled',
  setup(build) {
    // The package root from this script's place, not the working directory (bench/profile.mjs builds from another one).
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const modules = {
      [path.join(root, 'src/catalog/roadmap-validator.ts')]: () => roadmapValidatorModule(path.join(root, 'schema/roadmap.schema.json')),
      [path.join(root, 'src/manifest/manifest-validator.ts')]: () => manifestValidatorModule(path.join(root, 'schema/manifest.schema.json')),
      [path.join(root, 'src/render/precompiled-templates.ts')]: () => templateSpecsModule(),
    };
    build.onLoad({ filter: /[\\/]src[\\/](catalog[\\/]roadmap-validator|manifest[\\/]manifest-validator|render[\\/]precompiled-templates)\.ts$/ }, (args) => {
      const generate = modules[args.path];
      if (!generate) return undefined;
      return { contents: generate(), loader: 'js', resolveDir: root, watchFiles: [] };
    });
  },
};

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/bin.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  legalComments: 'linked',
  sourcemap: false,
  chunkNames: 'chunks/[name]-[hash]',
  banner: {
    // Some bundled CommonJS dependencies call require(); ESM output needs it defined.
    js: "#!/usr/bin/env node\nimport { createRequire as __cprpCreateRequire } from 'node:module';\nconst require = __cprpCreateRequire(import.meta.url);",
  },
  plugins: [precompiled],
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
// The templates, packed: the published package ships this instead of templates/ (src/catalog/templates.ts).
const templatesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'templates');
writeFileSync('dist/templates.json.gz', templatesPack(templatesDir));
// The precompiled templates, packed: read by the module templateSpecsModule() generates.
writeFileSync('dist/template-specs.json.gz', templateSpecsPack(templatesDir));
