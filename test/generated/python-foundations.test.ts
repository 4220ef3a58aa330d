import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges, solvedCopy } from '../helpers/challenges.ts';
import { runCli } from '../helpers/cli.ts';
import { STANDARD_GATES, generateProject, mustRun, runIn } from '../helpers/python-project.ts';
import { hasExecutable, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';

describe('python-foundations: the generated log analyzer passes its own gates', () => {
  let dir = '';

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('log-tool', ['--milestone', 'python-foundations']);
    await mustRun(dir, ['uv', 'sync']);
  });

  it('uv sync writes a lock file', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    expect(existsSync(path.join(dir, 'uv.lock'))).toBe(true);
  });

  for (const gate of STANDARD_GATES) {
    it(`${gate.name} passes`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      await mustRun(dir, gate.command);
    });
  }

  it('make run analyzes the sample log', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    const output = await mustRun(dir, ['make', 'run']);
    expect(output).toContain('Requests:    15');
    expect(output).toContain('skipped 1 malformed line');
  });

  it('the installed console script reports bad input with exit code 1', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const result = await runIn(dir, ['uv', 'run', '--locked', 'log-tool', 'missing.log']);
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('cannot read missing.log');
  });

  itProvesTheChallenges('python-foundations', () => dir);

  it('progress runs the challenge tests: none done on the fresh project, all five once solved, their topics on the board', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    type Board = { challenges: { done: number; total: number }; next: string[]; phases: { topics: { id: string; challenges: string[] }[] }[] };
    const board = async (cwd: string): Promise<Board> => {
      const result = await runCli(['progress', '--json'], { cwd, timeoutMs: 120_000 });
      expect(result.exitCode, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as Board;
    };
    const fresh = await board(dir);
    expect(fresh.challenges).toEqual({ done: 0, total: 5 });
    expect(fresh.next[0]).toContain('make challenge id=csv-format');
    const solved = await solvedCopy(dir, 'python-foundations');
    await mustRun(solved, ['uv', 'sync', '--locked', '--quiet']);
    const done = await board(solved);
    expect(done.challenges).toEqual({ done: 5, total: 5 });
    const oop = done.phases.flatMap((phase) => phase.topics).find((topic) => topic.id === 'oop');
    expect(oop?.challenges).toContain('csv-format');
    expect(done.next[0]).toMatch(/^Every challenge is done\. Next milestone/);
    expect(existsSync(path.join(solved, 'roadmap-progress.svg'))).toBe(true);
  });
});
