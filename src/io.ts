import { emitKeypressEvents } from 'node:readline';
import { styleText } from 'node:util';
import { BackError, CancelledError } from './errors.ts';

/** A question in the shape of the `prompts` library, asked one at a time. */
export interface Question {
  /** `multiselect` answers a list of the chosen values. */
  readonly type: 'text' | 'select' | 'confirm' | 'multiselect';
  readonly message: string;
  readonly initial?: string | number | boolean;
  readonly choices?: readonly {
    readonly title: string;
    readonly value: string;
    readonly description?: string;
    readonly disabled?: boolean;
    /** multiselect: ticked when the question opens. */
    readonly selected?: boolean;
  }[];
  readonly validate?: (value: string) => true | string;
  readonly hint?: string;
}

/** Asks one question; throws CancelledError on Ctrl-C, BackError on Escape (go back one question). */
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

/**
 * The real prompter, on the `prompts` library; loaded only when a question is
 * asked. `prompts` ends a question the same way on Ctrl-C and on Escape; a
 * keypress listener of our own tells them apart, so Escape can mean "back".
 */
export const terminalPrompter: Prompter = async (question) => {
  const { default: prompts } = await import('prompts');
  let cancelled = false;
  let escaped = false;
  const onKey = (_text: string, key: { name?: string; ctrl?: boolean } | undefined): void => {
    if (key?.name === 'escape') escaped = true;
  };
  emitKeypressEvents(process.stdin);
  process.stdin.on('keypress', onKey);
  try {
    const answer = (await prompts(
      {
        ...question,
        name: 'value',
        ...(question.type === 'multiselect' ? { instructions: false, hint: question.hint ?? 'space to tick, enter to go on' } : {}),
      } as unknown as Parameters<typeof prompts>[0],
      {
        onCancel: () => {
          cancelled = true;
          return false;
        },
      },
    )) as { value?: unknown };
    if (cancelled && escaped) throw new BackError();
    if (cancelled || !('value' in answer)) throw new CancelledError();
    return answer.value;
  } finally {
    process.stdin.off('keypress', onKey);
  }
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
