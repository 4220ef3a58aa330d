import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { commitAll, git } from '../helpers/project-history.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const GIT = hasExecutable('git');
const QUIET = ['--no-install', '--no-git'];

function renderImage(project: string): string {
  return parse(readFileSync(path.join(project, 'render.yaml'), 'utf8')).services[0].image.url;
}

function recorded(project: string): Record<string, string> {
  return JSON.parse(readFileSync(path.join(project, '.roadmap-project.json'), 'utf8')).answers.options;
}

describe('render.yaml names the image after the repository: from --repository or the git remote', () => {
  it('--repository, as a path or any URL form, becomes the lower-case image path and the remote to connect', async () => {
    const cwd = makeTempDir('cprp-repo');
    for (const [name, given] of [
      ['one', 'Octo-Org/My-API'],
      ['two', 'https://github.com/Octo-Org/My-API.git'],
      ['three', 'git@github.com:Octo-Org/My-API.git'],
    ] as const) {
      const result = await runCli([name, '--milestone', 'cloud-deploy', '--repository', given, ...QUIET, '--json'], { cwd });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(renderImage(path.join(cwd, name))).toBe('ghcr.io/octo-org/my-api:latest');
      expect(recorded(path.join(cwd, name)).repository).toBe('octo-org/my-api');
      const steps = (JSON.parse(result.stdout) as { nextSteps: { command?: string }[] }).nextSteps;
      expect(steps.map((step) => step.command)).toContain('git remote add origin git@github.com:octo-org/my-api.git && git push -u origin main');
    }
    const gitlab = await runCli(['four', '--milestone', 'cloud-deploy', '--ci', 'gitlab', '--repository', 'group/sub/app', ...QUIET], { cwd });
    expect(gitlab.exitCode, gitlab.stderr).toBe(0);
    expect(renderImage(path.join(cwd, 'four'))).toBe('registry.gitlab.com/group/sub/app:latest');
  });

  it('refuses an answer that is not a repository path, writing nothing', async () => {
    const cwd = makeTempDir('cprp-repo');
    const result = await runCli(['p', '--milestone', 'cloud-deploy', '--repository', 'not a repo', ...QUIET], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('"not a repo" is not a valid --repository (for example octo-org/my-api).');
    const elsewhere = await runCli(['p', '--milestone', 'crud-db', '--repository', 'octo/app', ...QUIET], { cwd });
    expect(elsewhere.exitCode).toBe(2);
    expect(elsewhere.stderr).toContain('--repository does not apply to crud-db.');
  });

  it('without the flag: the git remote origin of the repository the project is created in, when it is on the CI provider', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const monorepo = makeTempDir('cprp-repo');
    await git(monorepo, 'init', '--quiet');
    await git(monorepo, 'remote', 'add', 'origin', 'git@github.com:Acme/Platform.git');
    mkdirSync(path.join(monorepo, 'services'));
    const result = await runCli(['services/shop', '--milestone', 'cloud-deploy', '--no-install'], { cwd: monorepo });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(renderImage(path.join(monorepo, 'services', 'shop'))).toBe('ghcr.io/acme/platform:latest');
    // A remote on another host than the CI provider's says nothing about its registry.
    const other = await runCli(['services/lab', '--milestone', 'cloud-deploy', '--ci', 'gitlab', '--no-install'], { cwd: monorepo });
    expect(other.exitCode, other.stderr).toBe(0);
    expect(renderImage(path.join(monorepo, 'services', 'lab'))).toBe('registry.gitlab.com/OWNER/REPOSITORY:latest');
    expect(recorded(path.join(monorepo, 'services', 'lab')).repository).toBeUndefined();
  });

  it('neither: a placeholder until the project has a remote; then update records it and fills render.yaml, and check passes', async (ctx) => {
    requireOrSkip(ctx, 'git', GIT, 'install git');
    const cwd = makeTempDir('cprp-repo');
    const created = await runCli(['later', '--milestone', 'cloud-deploy', '--no-install'], { cwd });
    expect(created.exitCode, created.stderr).toBe(0);
    const project = path.join(cwd, 'later');
    expect(renderImage(project)).toBe('ghcr.io/OWNER/REPOSITORY:latest');
    expect(created.stdout).toContain('git remote add origin git@github.com:<owner>/<name>.git');
    expect((await runCli(['check'], { cwd: project })).exitCode).toBe(0);

    await git(project, 'remote', 'add', 'origin', 'https://github.com/Me/Later.git');
    const update = await runCli(['update'], { cwd: project });
    expect(update.exitCode, update.stderr).toBe(0);
    expect(update.stdout).toContain('--repository me/later: from the git remote origin, now recorded in .roadmap-project.json.');
    expect(update.stdout).toMatch(/updated\s+render\.yaml/);
    expect(renderImage(project)).toBe('ghcr.io/me/later:latest');
    expect(recorded(project).repository).toBe('me/later');
    expect((await runCli(['check'], { cwd: project })).exitCode).toBe(0);
    await commitAll(project, 'the repository');
    // Recorded now: a new remote changes nothing (an answer is never changed behind the user's back).
    execFileSync('git', ['remote', 'set-url', 'origin', 'https://github.com/Other/Place.git'], { cwd: project });
    const again = await runCli(['update'], { cwd: project });
    expect(again.stdout).toContain('already up to date');
  });
});
