import { describe, expect, it } from 'vitest';
import { flagsLostToNpm } from '../../src/npm-arguments.ts';
import { closestMatch, editDistance } from '../../src/suggest.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['check', 'chek', 1],
    ['update', 'udpate', 1],
    ['postgres', 'postgresql', 2],
    ['kitten', 'sitting', 3],
  ])('%s → %s: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestMatch', () => {
  const milestones = ['python-foundations', 'rest-api-auth', 'crud-db', 'background-jobs'];
  it('picks the nearest within a tolerance that grows with the word', () => {
    expect(closestMatch('rest-api-oauth', milestones)).toBe('rest-api-auth');
    expect(closestMatch('crud-bd', milestones)).toBe('crud-db');
    expect(closestMatch('CRUD-DB', milestones)).toBe('crud-db');
  });
  it('falls back to the only candidate the input begins', () => {
    expect(closestMatch('background', milestones)).toBe('background-jobs');
    expect(closestMatch('re', milestones)).toBeUndefined();
  });
  it('guesses nothing when nothing is close', () => {
    expect(closestMatch('quantum', milestones)).toBeUndefined();
    expect(closestMatch('app', ['add', 'list', 'check'])).toBeUndefined();
  });
});

describe('flagsLostToNpm', () => {
  const BOOLEANS = ['yes', 'dry-run', 'git', 'no-git'];
  const VALUED = ['milestone'];
  const inNpmRun = { npm_command: 'run', npm_lifecycle_event: 'create' };

  it('reports the flags npm turned into its configuration', () => {
    const lost = flagsLostToNpm(['../x'], { ...inNpmRun, npm_config_yes: 'true', npm_config_git: 'false' }, BOOLEANS, VALUED);
    expect(lost).toEqual({ flags: ['--yes', '--no-git'], script: 'create', corrected: ['../x', '--yes', '--no-git'] });
  });
  it('cannot rebuild the line when a lost flag took a value', () => {
    const lost = flagsLostToNpm(['../x', 'crud-db'], { ...inNpmRun, npm_config_milestone: 'true' }, BOOLEANS, VALUED);
    expect(lost).toEqual({ flags: ['--milestone'], script: 'create' });
  });
  it('is quiet outside npm run, under npx, and when the flag arrived', () => {
    expect(flagsLostToNpm(['../x'], { npm_config_yes: 'true' }, BOOLEANS, VALUED)).toBeUndefined();
    expect(flagsLostToNpm(['../x'], { npm_command: 'exec', npm_lifecycle_event: 'npx', npm_config_yes: 'true' }, BOOLEANS, VALUED)).toBeUndefined();
    expect(flagsLostToNpm(['../x', '-y'], { ...inNpmRun, npm_config_yes: 'true' }, BOOLEANS, VALUED)).toBeUndefined();
    expect(flagsLostToNpm(['../x'], { ...inNpmRun, npm_config_yes: '' }, BOOLEANS, VALUED)).toBeUndefined();
  });
});
