import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli.ts';
import { UserError } from '../../src/errors.ts';
import { catalog } from '../helpers/template-tree.ts';

const parse = (...argv: string[]): ReturnType<typeof parseCommand> => parseCommand(argv, catalog);

function usageFailure(...argv: string[]): UserError {
  try {
    parse(...argv);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('parseCommand: add, update, check', () => {
  it('parses add with targets (repeated or comma-separated) and the catalog options', () => {
    expect(parse('add', 'crud-db,background-jobs', 'docker', '--db', 'postgres', '--dir', 'api', '-y', '--dry-run')).toEqual({
      kind: 'add',
      flags: {
        dir: 'api',
        json: false,
        dryRun: true,
        allowDirty: false,
        targets: ['crud-db', 'background-jobs', 'docker'],
        options: { db: 'postgres' },
        yes: true,
      },
    });
  });

  it('parses update and check', () => {
    expect(parse('update', '--allow-dirty', '--json')).toEqual({
      kind: 'update',
      flags: { json: true, dryRun: false, allowDirty: true },
    });
    expect(parse('check', '--strict')).toEqual({ kind: 'check', flags: { json: false, strict: true } });
    expect(parse('check', '--help')).toEqual({ kind: 'help', command: 'check' });
  });

  it('refuses what these commands do not take, with exit code 2', () => {
    expect(usageFailure('update', 'somewhere').exitCode).toBe(2);
    expect(usageFailure('check', '--dry-run').message).toContain('--dry-run');
    expect(usageFailure('update', '--db', 'postgres').exitCode).toBe(2);
    expect(usageFailure('add', 'x', '--dir', ' ').message).toBe('--dir needs a value.');
  });

  it('keeps generate reserved', () => {
    expect(usageFailure('generate', 'resource', 'Invoice').message).toContain('not available in this version yet');
  });
});
