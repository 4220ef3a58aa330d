import type { Catalog } from '../../catalog/catalog.ts';
import { ExitCode, usageError } from '../../errors.ts';
import type { Command } from '../../options.ts';
import { PACKAGE_NAME } from '../../paths.ts';
import { COMMON_FLAGS, helpOrVersion, parseOrExplain, type CommandDefinition, type FlagSpec, type ParseContext } from '../command.ts';

export const PROGRESS_FLAGS: FlagSpec = {
  dir: { type: 'string', multiple: true },
  svg: { type: 'string' },
  'skip-tests': { type: 'boolean' },
};

function parseProgress(args: string[], ctx: ParseContext): Command {
  const { values, positionals } = parseOrExplain(args, { ...COMMON_FLAGS, ...PROGRESS_FLAGS }, 'progress', ctx);
  const early = helpOrVersion(values, 'progress');
  if (early) return early;
  if (positionals.length > 0) {
    throw usageError(`progress takes no arguments; got: ${positionals.join(' ')}`, ['Pass projects with --dir DIR (repeat it for a portfolio).']);
  }
  const dirs = Array.isArray(values['dir']) ? values['dir'].filter((dir): dir is string => typeof dir === 'string') : [];
  if (dirs.some((dir) => dir.trim() === '')) throw usageError('--dir needs a value.');
  const svg = values['svg'];
  if (typeof svg === 'string' && svg.trim() === '') throw usageError('--svg needs a value.');
  return {
    kind: 'progress',
    flags: {
      dirs,
      json: values['json'] === true,
      skipTests: values['skip-tests'] === true,
      ...(typeof svg === 'string' ? { svg } : {}),
    },
  };
}

export const progressCommand: CommandDefinition<'progress'> = {
  name: 'progress',
  flags: () => [['progress', PROGRESS_FLAGS]],
  help: (_catalog: Catalog) => `Usage: ${PACKAGE_NAME} progress [--dir DIR]... [--json] [--svg FILE] [--skip-tests]

Your place on the Python roadmap. Inside a generated project (or with --dir),
runs the project's challenge tests (make challenge), then shows the ten
phases with, for each topic, the files of the project that demonstrate it and
the challenges you solved that exercise it, and what to do next.

Writes an SVG card of the board, regenerated on every run: ${'roadmap-progress.svg'}
in the project (embed it in your README: ![Roadmap progress](roadmap-progress.svg)).
Repeat --dir for one board across several projects (your portfolio); its card
is roadmap-portfolio.svg in the current directory.

  --dir DIR      a project; repeat for a portfolio (default: the current one)
  --svg FILE     write the card here instead
  --skip-tests   do not run the challenge tests (challenges show as not run)
  --json         print the board as one JSON document on stdout

The challenge tests run with the project's own .venv (make install makes it):
nothing is downloaded.

Exit codes
  0    the board was shown
  2    bad usage, or a folder that is not a generated project
`,
  parse: parseProgress,
  async run(io, flags, catalog) {
    const { runProgress } = await import('./run.ts');
    return { report: await runProgress(io, flags, catalog), exitCode: ExitCode.ok };
  },
};
