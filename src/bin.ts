import module from 'node:module';

// Node 22.1+ keeps the compiled code of the bundle on disk between runs (its
// compile cache, in the OS temp dir); Node 20 has no such API, so this is a no-op there.
// It must run before the rest of the CLI is loaded, hence the dynamic import.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { main } = await import('./cli.ts');
await main();
