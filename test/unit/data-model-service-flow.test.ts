import { describe, expect, it } from 'vitest';
import { runCreate } from '../../src/commands/create/run.ts';
import { UserError } from '../../src/errors.ts';
import type { CreateFlags } from '../../src/options.ts';
import { fakeTerminal } from '../helpers/fake-io.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const noFlags: CreateFlags = { milestones: [], options: {}, yes: false, dryRun: true, force: false, json: false };

describe('data-model-service in the interactive flow', () => {
  it('is offered by phase 9, and only python-foundations is offered beside it', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), answers: ['Churn Lab', 'specialization', 'data-model-service', [], true, true] });
    const report = await runCreate(terminal.io, noFlags);
    expect(report.milestones).toEqual(['data-model-service']);
    expect(terminal.asked.map((question) => question.message)).toEqual([
      'Project name',
      'Where are you on the roadmap?',
      'Which milestone?',
      'Combine data-model-service with other milestones in the same project?',
      'Initialize a git repository with a first commit?',
      'Install dependencies now (uv sync)?',
    ]);
    expect(terminal.asked[3]?.choices?.map((choice) => choice.value)).toEqual(['python-foundations']);
  });

  it('is refused beside a database milestone with exit 2 and the reason', async () => {
    const terminal = fakeTerminal({ cwd: makeTempDir(), tty: false });
    const refusal = await runCreate(terminal.io, { ...noFlags, yes: true, milestones: ['data-model-service', 'crud-db'] }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(UserError);
    expect((refusal as UserError).exitCode).toBe(2);
    expect((refusal as UserError).message).toContain('keeps no database of its own');
  });
});
