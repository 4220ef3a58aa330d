import { styleText } from 'node:util';
import { CancelledError } from './errors.ts';

/** A question in the shape of the `prompts` library, asked one at a time. */
export interface Question {
  readonly type: 'text' | 'select' | 'confirm';
  readonly message: string;
  readonly initial?: string | number | boolean;
  readonly choices?: readonly {
    readonly title: string;
    readonly value: string;
    readonly description?: string;
    readonly disabled?: boolean;
  }[];
  readonly validate?: (value: string) => true | string;
  readonly hint?: string;
}

/** Asks one question; throws CancelledError when the user presses Ctrl-C or Escape. */
export type Prompter = (question: Question) => Promise<unknown>;

/**
 * Everything the commands touch outside themselves, injected so each step can
 * be tested without a terminal (prompt, exit and stdout are injected).
 */
export interface CliIO {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdinIsTTY: boolean;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly prompt: Prompter;
  /** Fires on Ctrl-C (SIGINT) or SIGTERM. */
  readonly signal: AbortSignal;
}

/** The real prompter, on the `prompts` library; loaded only when a question is asked. */
export const terminalPrompter: Prompter = async (question) => {
  const { default: prompts } = await import('prompts');
  let cancelled = false;
  const answer = (await prompts(
    { ...question, name: 'value' } as unknown as Parameters<typeof prompts>[0],
    {
      onCancel: () => {
        cancelled = true;
        return false;
      },
    },
  )) as { value?: unknown };
  if (cancelled || !('value' in answer)) throw new CancelledError();
  return answer.value;
};

type Style = Parameters<typeof styleText>[0];

/** Human-readable output; silent in --json mode, where stdout carries one JSON document. */
export class Reporter {
  private readonly color: boolean;

  constructor(
    private readonly io: CliIO,
    readonly quiet: boolean,
  ) {
    const env = io.env;
    this.color =
      env['NO_COLOR'] === undefined &&
      (env['FORCE_COLOR'] !== undefined ? env['FORCE_COLOR'] !== '0' : io.stdout.isTTY === true);
  }

  style(format: Style, text: string): string {
    return this.color ? styleText(format, text) : text;
  }

  line(text = ''): void {
    if (!this.quiet) this.io.stdout.write(`${text}\n`);
  }

  success(text: string): void {
    this.line(`${this.style('green', '✔')} ${text}`);
  }

  warn(text: string): void {
    if (!this.quiet) this.io.stderr.write(`${this.style('yellow', '!')} ${text}\n`);
  }
}
