import { describe, expect, it } from 'vitest';
import { parseRepository, repositoryFromRemote } from '../../src/steps/repository.ts';

describe('parseRepository', () => {
  it.each([
    ['Octo-Org/My-API', { path: 'octo-org/my-api' }],
    ['https://github.com/Octo-Org/My-API.git', { host: 'github.com', path: 'octo-org/my-api' }],
    ['https://github.com/octo-org/my-api/', { host: 'github.com', path: 'octo-org/my-api' }],
    ['git@github.com:Octo-Org/My-API.git', { host: 'github.com', path: 'octo-org/my-api' }],
    ['ssh://git@gitlab.com:2222/Group/Sub/App.git', { host: 'gitlab.com', path: 'group/sub/app' }],
    ['https://token@gitlab.com/group/app', { host: 'gitlab.com', path: 'group/app' }],
  ])('%s', (text, expected) => {
    expect(parseRepository(text)).toEqual(expected);
  });
});

describe('repositoryFromRemote', () => {
  it('takes a remote on the CI provider\'s host only', () => {
    expect(repositoryFromRemote('git@github.com:Acme/Shop.git', 'github')).toBe('acme/shop');
    expect(repositoryFromRemote('git@github.com:Acme/Shop.git', undefined)).toBe('acme/shop');
    expect(repositoryFromRemote('git@github.com:Acme/Shop.git', 'gitlab')).toBeUndefined();
    expect(repositoryFromRemote('https://gitlab.example.com/acme/shop.git', 'gitlab')).toBeUndefined();
    expect(repositoryFromRemote('/srv/git/shop.git', 'github')).toBeUndefined();
  });
});
