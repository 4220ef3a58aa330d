import type { Feature } from './feature.ts';

/**
 * A small command-line program over a typed core: the first-phases milestone.
 * It runs as its console script (and `python -m <package>.cli`), leaving
 * `python -m <package>` to a server when a web milestone joins the project.
 */
export const cliFeature: Feature = {
  id: 'cli',
  title: 'A typed command-line tool with argparse',
  requires: ['base'],
  dependencies: [],
  devDependencies: [],
  templateDirs: () => ['cli'],
  runCommand: (project) => `$(RUN) ${project.distName} examples/access.log`,
  nextSteps: () => [{ stage: 'run', command: 'make run', why: 'analyze the sample log, examples/access.log' }],
};
