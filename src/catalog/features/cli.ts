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
  readingPath: () => ({
    stops: [
      { file: 'src/{package}/parsing.py', why: 'a line becomes a `LogRecord`, lazily: a generator, a dataclass, an exception' },
      { file: 'src/{package}/stats.py', why: 'one pass over the records: counters, a set, `bisect`, a sliding window' },
      { file: 'src/{package}/report.py', why: 'one class per output format, found by name through a decorator' },
      { file: 'src/{package}/cli.py', why: 'the shell around the core: arguments, files read and written, exit codes' },
      { file: 'tests/test_stats.py', why: 'the core tested with plain data and `parametrize`' },
      { file: 'tests/test_output.py', why: 'the same in `unittest` style, with a mock that makes the disk fail' },
    ],
    skip: [{ file: 'src/{package}/benchmark.py', why: 'measures the Big-O claims; worth it once the rest is familiar' }],
  }),
  runCommand: (project) => `$(RUN) ${project.distName} examples/access.log`,
  nextSteps: () => [{ stage: 'run', command: 'make run', why: 'analyze the sample log, examples/access.log' }],
};
