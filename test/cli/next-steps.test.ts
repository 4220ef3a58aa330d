import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

interface Step {
  readonly command?: string;
  readonly why: string;
}

const NO_POST_STEPS = ['--no-install', '--no-git', '--json'];

async function createSteps(cwd: string, args: string[]): Promise<Step[]> {
  const result = await runCli([...args, ...NO_POST_STEPS], { cwd });
  expect(result.exitCode, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { nextSteps: Step[] }).nextSteps;
}

const commands = (steps: readonly Step[]): (string | undefined)[] => steps.map((step) => step.command);

describe('the next steps after create come from the project\'s features', () => {
  it('python-foundations: install, check, run the analyzer; nothing about servers', async () => {
    const steps = await createSteps(makeTempDir('cprp-next'), ['logs', '--milestone', 'python-foundations']);
    expect(commands(steps)).toEqual(['cd logs', 'make install', 'make check', 'make run']);
    expect(steps.find((step) => step.command === 'make run')?.why).toContain('examples/access.log');
  });

  it('rest-api-auth: make run migrates the development database itself; fuzz and make an admin once it runs', async () => {
    const steps = await createSteps(makeTempDir('cprp-next'), ['api', '--milestone', 'rest-api-auth']);
    expect(commands(steps)).toEqual([
      'cd api',
      'make install',
      'make check',
      'make run',
      'make fuzz',
      'make admin email=you@example.com',
    ]);
  });

  it('background-jobs: a worker and beat beside the API', async () => {
    const steps = await createSteps(makeTempDir('cprp-next'), ['jobs', '--milestone', 'background-jobs']);
    const list = commands(steps);
    expect(list).toEqual(expect.arrayContaining(['make run', 'make worker', 'make beat']));
    expect(list.indexOf('make worker')).toBeGreaterThan(list.indexOf('make run'));
    expect(list).not.toContain('make docker-up');
  });

  it('cloud-deploy on GitLab and Render: the stack, the repository to connect and every secret to set', async () => {
    const steps = await createSteps(makeTempDir('cprp-next'), ['ship', '--milestone', 'cloud-deploy,background-jobs', '--ci', 'gitlab']);
    const list = commands(steps);
    expect(list).toContain('make docker-up');
    expect(list.find((command) => command?.startsWith('git remote add origin git@gitlab.com:'))).toBeDefined();
    const secrets = steps.find((step) => step.command === undefined && step.why.includes('CI/CD variables'));
    for (const hook of ['RENDER_DEPLOY_HOOK_URL', 'RENDER_WORKER_DEPLOY_HOOK_URL', 'RENDER_BEAT_DEPLOY_HOOK_URL']) {
      expect(secrets?.why).toContain(hook);
    }
  });

  it('cloud-deploy on GitHub and Fly.io: the deploy token, set with gh', async () => {
    const steps = await createSteps(makeTempDir('cprp-next'), ['ship', '--milestone', 'cloud-deploy', '--deploy', 'fly']);
    expect(commands(steps)).toContain('gh secret set FLY_API_TOKEN --env production');
    expect(commands(steps).filter((command) => command?.includes('RENDER'))).toEqual([]);
  });

  it('the printed list aligns each reason beside its command', async () => {
    const cwd = makeTempDir('cprp-next');
    const result = await runCli(['api', '--milestone', 'crud-db', '--no-install', '--no-git'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    const block = result.stdout.slice(result.stdout.indexOf('Next steps:'));
    expect(block).not.toContain('make migrate');
    expect(block).toMatch(/\n {2}make run +# serve the API on http:\/\/127\.0\.0\.1:8000 \(docs at \/docs\), applying pending migrations first/);
  });
});

describe('after add: what the change calls for, then review and commit', () => {
  it('adding background-jobs asks for install, the gates, make run (which applies the new migrations), a worker and beat, and a reviewed commit', async (ctx) => {
    requireOrSkip(ctx, 'git', hasExecutable('git'), 'install git');
    const cwd = makeTempDir('cprp-next');
    const created = await runCli(['shop', '--milestone', 'crud-db', '--no-install'], { cwd });
    expect(created.exitCode, created.stderr).toBe(0);
    const dir = path.join(cwd, 'shop');
    const added = await runCli(['add', 'background-jobs', '--json'], { cwd: dir });
    expect(added.exitCode, added.stderr).toBe(0);
    const steps = (JSON.parse(added.stdout) as { nextSteps: Step[] }).nextSteps;
    expect(commands(steps)).toEqual([
      'make install',
      'make check',
      'make run',
      'make worker',
      'make beat',
      'git add -A && git diff --staged',
      "git commit -m 'Add background-jobs'",
    ]);
    // The commit it suggests is one git accepts as written.
    execFileSync('sh', ['-c', `${steps.at(-2)!.command!} >/dev/null && ${steps.at(-1)!.command!} --quiet`], { cwd: dir });
  });

  it('an update that changes nothing has no next steps', async () => {
    const cwd = makeTempDir('cprp-next');
    expect((await runCli(['proj', '--milestone', 'python-foundations', '--no-install', '--no-git'], { cwd })).exitCode).toBe(0);
    const result = await runCli(['update', '--json'], { cwd: path.join(cwd, 'proj') });
    expect(result.exitCode, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { nextSteps: Step[] }).nextSteps).toEqual([]);
  });
});
