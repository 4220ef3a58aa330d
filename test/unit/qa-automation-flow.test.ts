import { describe, expect, it } from 'vitest';
import { runCreate } from '../../src/commands/create/run.ts';
import { UserError } from '../../src/errors.ts';
import type { CreateFlags } from '../../src/options.ts';
import { fakeTerminal } from '../helpers/fake-io.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const noFlags: CreateFlags = { milestones: [], options: {}, yes: false, dryRun: true, force: false, json: false };

describe('qa-automation in the interactive flow', () => {
  it('is one of what phase 9 offers, with no companion question (it combines with none)', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), answers: ['Shop QA', 'specialization', 'qa-automation', true, true] });
    const report = await runCreate(terminal.io, noFlags);
    expect(report.milestones).toEqual(['qa-automation']);
    expect(terminal.asked[2]?.choices?.map((choice) => choice.value)).toEqual(['qa-automation', 'data-model-service']);
    expect(terminal.asked.map((question) => question.message)).toEqual([
      'Project name',
      'Where are you on the roadmap?',
      'Which milestone?',
      'Initialize a git repository with a first commit?',
      'Install dependencies now (uv sync)?',
    ]);
  });

  it('is refused beside a web milestone with exit 2 and the reason', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), tty: false });
    const refusal = await runCreate(terminal.io, { ...noFlags, yes: true, milestones: ['qa-automation', 'crud-db'] }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(UserError);
    expect((refusal as UserError).exitCode).toBe(2);
    expect((refusal as UserError).message).toContain('two apps in one package');
  });
});
