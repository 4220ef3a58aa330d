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

});

describe('parseCommand: generate', () => {
  it('parses generate resource with its name, fields (repeatable) and options', () => {
    expect(parse('generate', 'resource', 'Invoice', '--fields', 'number:str:unique', '--fields', 'total:decimal(10,2)', '--dir', 'shop', '--dry-run')).toEqual({
      kind: 'generate',
      flags: { kind: 'resource', name: 'Invoice', fields: 'number:str:unique,total:decimal(10,2)', dir: 'shop', dryRun: true, yes: false, json: false },
    });
    expect(parse('generate', '--json', 'resource', 'Person', '--fields', 'name:str', '--plural', 'people', '-y')).toEqual({
      kind: 'generate',
      flags: { kind: 'resource', name: 'Person', fields: 'name:str', plural: 'people', dryRun: false, yes: true, json: true },
    });
    expect(parse('generate', 'resource')).toEqual({ kind: 'generate', flags: { kind: 'resource', dryRun: false, yes: false, json: false } });
  });

  it('parses generate task with --trigger or --no-trigger', () => {
    expect(parse('generate', 'task', 'send_reminders', '--trigger')).toEqual({
      kind: 'generate',
      flags: { kind: 'task', name: 'send_reminders', trigger: true, dryRun: false, yes: false, json: false },
    });
    expect(parse('generate', 'task', 'x', '--no-trigger')).toMatchObject({ flags: { trigger: false } });
    expect(usageFailure('generate', 'task', 'x', '--trigger', '--no-trigger').message).toContain('contradict');
  });

  it('shows help for generate and its generators', () => {
    expect(parse('generate', '--help')).toEqual({ kind: 'help', command: 'generate' });
    expect(parse('generate', 'resource', '--help')).toEqual({ kind: 'help', command: 'generate' });
  });

  it('refuses an unknown generator, a flag of the other generator, two names and empty values, with exit code 2', () => {
    expect(usageFailure('generate').message).toContain('resource or task');
    expect(usageFailure('generate', 'widget', 'X').details).toEqual(['Valid generators: resource, task']);
    expect(usageFailure('generate', 'resource', 'X', '--trigger').exitCode).toBe(2);
    expect(usageFailure('generate', 'task', 'x', '--fields', 'a:str').exitCode).toBe(2);
    expect(usageFailure('generate', 'resource', 'A', 'B', '--fields', 'a:str').message).toContain('takes one name');
    expect(usageFailure('generate', 'resource', 'A', '--fields', ' ').message).toBe('--fields needs a value.');
  });
});
