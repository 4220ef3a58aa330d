import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_PATH = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built CLI as a user would: a child process, no TTY on stdin (so it
 * must never wait for input), in the given working directory.
 */
export async function runCli(
  args: readonly string[],
  options: {
    cwd: string;
    env?: Record<string, string | undefined>;
    input?: string;
    timeoutMs?: number;
    /** Another build of the CLI (a copy of the package standing in for a newer release). */
    cli?: string;
  } & Pick<Options, 'cancelSignal'>,
): Promise<CliResult> {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first.`);
  const result = await execa(process.execPath, [options.cli ?? CLI_PATH, ...args], {
    cwd: options.cwd,
    env: { NO_COLOR: '1', ...options.env },
    input: options.input ?? '',
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
  });
  if (result.timedOut) throw new Error(`CLI timed out: ${args.join(' ')}`);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
