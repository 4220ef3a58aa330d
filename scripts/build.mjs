// Bundles the CLI into dist/cli.js with every dependency inlined, so the
// published package installs nothing at run time (like create-vite).
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

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
  // node-plop's prompts are never used (see the stub): keep inquirer out of the package.
  alias: { inquirer: './scripts/inquirer-stub.mjs' },
  banner: {
    // Some bundled CommonJS dependencies call require(); ESM output needs it defined.
    js: "#!/usr/bin/env node\nimport { createRequire as __cprpCreateRequire } from 'node:module';\nconst require = __cprpCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
