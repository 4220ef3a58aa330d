import { Writable } from 'node:stream';
import type { CliIO, Question } from '../../src/io.ts';
import { BackError, CancelledError } from '../../src/errors.ts';

export interface FakeTerminal {
  readonly io: CliIO;
  /** Every question asked, in order. */
  readonly asked: Question[];
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly controller: AbortController;
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/**
 * In-memory I/O with scripted prompt answers (prompts, exit and
 * stdout are injected). An answer of CANCEL behaves like Ctrl-C at that question.
 */
export const CANCEL = Symbol('cancel');
/** Escape at that question: back one question. */
export const BACK = Symbol('back');
/** Enter at that question: whatever the question starts on (its initial value or choice, the ticked choices). */
export const ENTER = Symbol('enter');

function enter(question: Question): unknown {
  if (question.type === 'select') return question.choices?.[Number(question.initial ?? 0)]?.value;
  if (question.type === 'multiselect') return (question.choices ?? []).filter((choice) => choice.selected).map((choice) => choice.value);
  if (question.type === 'confirm') return question.initial ?? false;
  return question.initial ?? '';
}

export function fakeTerminal(options: {
  cwd: string;
  answers?: unknown[];
  tty?: boolean;
  env?: NodeJS.ProcessEnv;
}): FakeTerminal {
  const out = sink();
  const err = sink();
  const answers = [...(options.answers ?? [])];
  const asked: Question[] = [];
  const controller = new AbortController();
  const io: CliIO = {
    stdout: out.stream,
    stderr: err.stream,
    stdinIsTTY: options.tty ?? true,
    cwd: options.cwd,
    env: options.env ?? { NO_COLOR: '1' },
    signal: controller.signal,
    prompt: async (question) => {
      asked.push(question);
      if (answers.length === 0) throw new Error(`unexpected question: ${question.message}`);
      const answer = answers.shift();
      if (answer === CANCEL) throw new CancelledError();
      if (answer === BACK) throw new BackError();
      if (answer === ENTER) return enter(question);
      return answer;
    },
  };
  return { io, asked, stdout: out.text, stderr: err.text, controller };
}
