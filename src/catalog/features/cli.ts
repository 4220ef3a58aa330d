import type { Feature } from './feature.ts';

/** A small command-line program over a typed core: the first-phases milestone. */
export const cliFeature: Feature = {
  id: 'cli',
  title: 'A typed command-line tool with argparse',
  requires: ['base'],
  dependencies: [],
  devDependencies: [],
  templateDirs: () => ['cli'],
  runCommand: (project) => `$(RUN) python -m ${project.packageName} examples/access.log`,
};
