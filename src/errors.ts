/**
 * The two kinds of failure the CLI knows about:
 * a UserError is the user's to fix and is printed as one clear message with a
 * documented exit code; anything else is a bug and is printed with its stack.
 */

/** Exit codes of the command-line contract (README, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  conflicts: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.usage,
    /** Extra lines printed under the message: valid choices, a suggestion, a hint. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Bad usage or bad input: exit 2. */
export function usageError(message: string, details: readonly string[] = []): UserError {
  return new UserError(message, ExitCode.usage, details);
}

/** Raised when the user presses Ctrl-C (or the process is told to stop). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(
    message = 'Cancelled.',
    /**
     * What the interruption left on disk and what to run next, when that is
     * something (a complete project kept); without it, nothing was written.
     */
    readonly outcome?: { readonly summary: string; readonly details: readonly string[] },
  ) {
    super(message);
  }
}

/** Raised when the user presses Escape at a question: ask the one before it again. */
export class BackError extends Error {
  override readonly name = 'BackError';
  constructor() {
    super('Back one question.');
  }
}

export function isCancelled(error: unknown): error is CancelledError {
  return error instanceof CancelledError;
}

/** Throws CancelledError when the signal has fired; call between units of work. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
