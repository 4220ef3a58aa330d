import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/** The README up to its first section: what a visitor sees first. */
const firstScreen = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').split('\n## ')[0]!;
const blocks = [...firstScreen.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]!.trim());

describe('the README first screen keeps "try it" and "develop it" apart', () => {
  it('has two code blocks: generating a project, and running the suite; neither runs the other', () => {
    expect(blocks).toHaveLength(2);
    const [tryIt, developIt] = blocks;
    expect(tryIt).toMatch(/^npm ci && npm run create -- \.\.\/my-project --yes$/m);
    expect(tryIt).not.toMatch(/npm (run )?test/);
    expect(developIt).toBe('npm ci && npm test');
    // Each says what it needs before its block.
    const before = (block: string): string => firstScreen.slice(0, firstScreen.indexOf(block));
    expect(before(tryIt!)).toMatch(/Try it[\s\S]*Node\.js ≥ 20\.19[\s\S]*Python[\s\S]*uv/);
    expect(before(developIt!).slice(before(tryIt!).length)).toMatch(/Develop it[\s\S]*PostgreSQL and Redis[\s\S]*podman/);
  });

  it('the try-it command, as the built CLI receives it from `npm run create --`, makes ../my-project beside the clone', async () => {
    const clone = path.join(makeTempDir('cprp-readme'), 'clone');
    mkdirSync(clone);
    const create = blocks[0]!.split('\n')[0]!;
    const args = create.slice(create.indexOf('npm run create -- ') + 'npm run create -- '.length).split(' ');
    const result = await runCli([...args, '--no-install', '--no-git'], { cwd: clone });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(existsSync(path.join(clone, '..', 'my-project', 'Makefile'))).toBe(true);
    // The next line of the block is what the CLI's own next steps say to run there.
    expect(blocks[0]!.split('\n')[1]).toBe('cd ../my-project && make check && make run');
    expect(result.stdout).toMatch(/cd \.\.\/my-project[\s\S]*make check[\s\S]*make run/);
  });
});
