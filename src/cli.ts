import { Catalog } from './catalog/catalog.ts';
import { loadRoadmap } from './catalog/roadmap.ts';
import { COMMON_FLAGS, type CommandDefinition, type CommandKind, type CommandOutcome, type FlagsOf, type ParseContext } from './commands/command.ts';
import { COMMANDS, COMMAND_NAMES, flagOwners } from './commands/index.ts';
import { CancelledError, ExitCode, UserError, isCancelled, usageError } from './errors.ts';
import { terminalPrompter, type CliIO, type Prompter } from './io.ts';
import type { Command, CommandName } from './options.ts';
import { PACKAGE_NAME, generatorVersion } from './paths.ts';
import { flagsLostToNpm } from './npm-arguments.ts';
import { fsErrorToUserError, isFsError } from './project/fs-errors.ts';

/** Commands of the contract that later releases add; reserved so they never become directory names by accident. */
const RESERVED_COMMANDS: readonly string[] = [];

/** argv → a typed Command. Pure apart from reading the catalog it is given. */
export function parseCommand(argv: readonly string[], catalog: Catalog): Command {
  const args = [...argv];
  const first = args.find((arg) => !arg.startsWith('-'));
  const command: CommandKind =
    first !== undefined && (COMMAND_NAMES as readonly string[]).includes(first) ? (first as CommandKind) : 'create';
  if (first !== undefined && RESERVED_COMMANDS.includes(first)) {
    throw usageError(`The "${first}" command is not available in this version yet.`, [
      `Available commands: ${COMMAND_NAMES.join(', ')}. To create a project in a directory named "${first}", pass ./${first}.`,
    ]);
  }
  if (first === command) args.splice(args.indexOf(first), 1);
  const ctx: ParseContext = {
    catalog,
    flagOwners: flagOwners(catalog),
    commandNames: COMMAND_NAMES,
    ...(first !== undefined && first !== command ? { firstWord: first } : {}),
  };
  return COMMANDS[command].parse(args, ctx);
}

export function helpText(command: CommandName, catalog: Catalog): string {
  return COMMANDS[command].help(catalog);
}

/**
 * `npm run create ../x --yes` runs us without `--yes`: npm keeps flags typed
 * before `--` (src/npm-arguments.ts). Going on would do something the user did
 * not ask for (write files despite `--dry-run`, ask questions despite `--yes`),
 * so it is exit 2 with the command that passes them on.
 */
function assertNpmKeptNoFlags(argv: readonly string[], env: NodeJS.ProcessEnv, catalog: Catalog): void {
  if (!env['npm_lifecycle_event']) return;
  const specs = [COMMON_FLAGS, ...flagOwners(catalog).map(([, spec]) => spec)];
  const names = (type: 'boolean' | 'string'): string[] => [
    ...new Set(specs.flatMap((spec) => Object.entries(spec).filter(([name, flag]) => flag.type === type && name !== 'help' && name !== 'version').map(([name]) => name))),
  ];
  const lost = flagsLostToNpm(argv, env, names('boolean'), names('string'));
  if (!lost) return;
  throw usageError(`npm kept ${lost.flags.join(', ')} for itself: \`npm run ${lost.script}\` passes flags on to the script only after \`--\`.`, [
    lost.corrected
      ? `Run: npm run ${lost.script} -- ${lost.corrected.join(' ')}`
      : `Put \`--\` before the arguments: npm run ${lost.script} -- <the same arguments>`,
  ]);
}

export interface RunResult {
  readonly exitCode: number;
}

function writeError(io: CliIO, json: boolean, raw: unknown): number {
  // The disk saying no (read-only, full, permission denied) is not a bug: a clear message, exit 1.
  const error = isFsError(raw) ? fsErrorToUserError(raw, io.cwd) : raw;
  if (isCancelled(error)) {
    const message = error.outcome?.summary ?? 'Interrupted; nothing was written.';
    const details = error.outcome?.details ?? [];
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, error: { message, details }, exitCode: ExitCode.interrupted })}\n`);
    io.stderr.write(`\n${message}\n${details.map((line) => `  ${line}\n`).join('')}`);
    return ExitCode.interrupted;
  }
  if (error instanceof UserError) {
    if (json) {
      io.stdout.write(`${JSON.stringify({ ok: false, error: { message: error.message, details: error.details }, exitCode: error.exitCode }, null, 2)}\n`);
    }
    io.stderr.write(`error: ${error.message}\n${error.details.map((line) => `  ${line}\n`).join('')}`);
    return error.exitCode;
  }
  io.stderr.write(`${PACKAGE_NAME} crashed; this is a bug. Please report it with the output below.\n`);
  io.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.failed;
}

/** Runs a parsed command through its definition (which imports the command's code only now). */
function runCommand(command: Exclude<Command, { kind: 'help' | 'version' }>, io: CliIO, catalog: Catalog): Promise<CommandOutcome> {
  const definition = COMMANDS[command.kind] as CommandDefinition<typeof command.kind>;
  return definition.run(io, command.flags as FlagsOf<typeof command.kind>, catalog);
}

/** Runs one invocation with injected I/O and returns the exit code; never exits itself. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  try {
    const catalog = new Catalog(loadRoadmap());
    assertNpmKeptNoFlags(argv, io.env, catalog);
    const command = parseCommand(argv, catalog);
    if (command.kind === 'version') {
      io.stdout.write(`${generatorVersion()}\n`);
      return ExitCode.ok;
    }
    if (command.kind === 'help') {
      io.stdout.write(helpText(command.command, catalog));
      return ExitCode.ok;
    }
    const { report, exitCode } = await runCommand(command, io, catalog);
    if (command.flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return exitCode;
  } catch (error) {
    return writeError(io, json, error);
  }
}

/** Rejects the pending question when the process is told to stop, so nothing waits forever. */
function abortablePrompter(prompter: Prompter, signal: AbortSignal): Prompter {
  return (question) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new CancelledError());
      const onAbort = (): void => reject(new CancelledError());
      signal.addEventListener('abort', onAbort, { once: true });
      prompter(question).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
}

/** The process entry point: the only place that touches process.exit and signals. */
export async function main(): Promise<void> {
  const controller = new AbortController();
  const onSignal = (): void => {
    // A second Ctrl-C while cleaning up means "stop now".
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
    prompt: abortablePrompter(terminalPrompter, controller.signal),
    signal: controller.signal,
  };
  const code = await run(process.argv.slice(2), io);
  process.exit(code);
}

