import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { projectTree } from '../helpers/project-tree.ts';
import { BYTECODE_IN_PLACE, STANDARD_GATES, generateProject, mustRun, runIn } from '../helpers/python-project.ts';
import { hasExecutable, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';
import { runLint } from '../helpers/validators.ts';

const CHROMIUM = hasExecutable('chromium');
const CHROMIUM_HINT = 'install Debian\'s chromium (apt-get install chromium): the UI tests drive it headless';

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

describe('qa-automation: the app under test and its Playwright and API suites pass their own gates', () => {
  let dir = '';
  /** The project's files right after generation and `uv sync`, without .venv. */
  let generated: string[] = [];

  beforeAll(async () => {
    if (!UV) return;
    dir = await generateProject('shop-qa', ['--milestone', 'qa-automation']);
    await mustRun(dir, ['uv', 'sync']);
    generated = projectTree(dir);
  });

  for (const gate of STANDARD_GATES) {
    const isPytest = gate.command.includes('pytest');
    const name = isPytest ? `${gate.name}, through make report: pytest-xdist workers, UI tests in headless Chromium, the HTML report` : gate.name;
    it(`${name} passes`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      if (!isPytest) {
        await mustRun(dir, gate.command);
        return;
      }
      requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
      requireOrSkip(ctx, 'chromium', CHROMIUM, CHROMIUM_HINT);
      // The project's own target (pytest -n auto with the coverage gate, traces kept on failure, the report).
      // Bytecode is written, as in a developer's shell: `make clean` must remove it (below).
      const output = await mustRun(dir, ['make', 'report', 'RUN=uv run --locked'], BYTECODE_IN_PLACE);
      // pytest-xdist started one worker per CPU, and every test passed, the browser ones included.
      expect(output).toMatch(/created: (\d+)\/\1 workers/);
      expect(output).toMatch(/\b\d{2,} passed/);
      expect(output).not.toMatch(/\d+ (skipped|failed|errors?)\b/);
      expect(output).toContain('Required test coverage of 90% reached');
      const html = readFileSync(path.join(dir, 'reports', 'report.html'), 'utf8');
      // Each UI test ran once per viewport.
      expect(html).toContain('test_the_statistics_widget_fills_in_after_the_page[desktop-chromium]');
      expect(html).toContain('test_the_statistics_widget_fills_in_after_the_page[phone-chromium]');
    });
  }

  describe('challenges', () => {
    // The challenge tests start the app themselves: no deployed environment may leak in.
    itProvesTheChallenges('qa-automation', () => dir, { QA_ENV: undefined, QA_BASE_URL: undefined });
  });

  it('the markers split the suite: smoke is a few tests, every other test is regression', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    // "11/94 tests collected (83 deselected)": the selected tests and the whole suite.
    const collect = async (marker: string): Promise<[number, number]> => {
      const output = await mustRun(dir, ['uv', 'run', '--locked', 'pytest', '-m', marker, '--collect-only', '-q', '--no-cov', '-p', 'no:cacheprovider']);
      const match = /(\d+)\/(\d+) tests collected/.exec(output);
      return [Number(match?.[1]), Number(match?.[2])];
    };
    const [[smoke, all], [regression]] = [await collect('smoke'), await collect('regression')];
    expect(smoke).toBeGreaterThan(5);
    expect(regression).toBeGreaterThan(smoke);
    expect(smoke + regression).toBe(all);
  });

  it('a failing UI test keeps its trace and its screenshot, and the run fails', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'chromium', CHROMIUM, CHROMIUM_HINT);
    const failing = path.join(dir, 'tests', 'ui', 'test_made_to_fail.py');
    // The Makefile's folder: the artifacts stay there for the `make clean` test below.
    const output = path.join(dir, 'test-results');
    writeFileSync(
      failing,
      [
        'from playwright.sync_api import Page, expect',
        '',
        '',
        'def test_a_heading_that_is_not_there(page: Page) -> None:',
        '    page.goto("/products")',
        '    expect(page.get_by_role("heading", name="Nothing like this")).to_be_visible(timeout=500)',
        '',
      ].join('\n'),
    );
    try {
      const args = ['--no-cov', '-p', 'no:cacheprovider', '--tracing', 'retain-on-failure', '--screenshot', 'only-on-failure', '--output', output];
      const result = await runIn(dir, ['uv', 'run', '--locked', 'pytest', 'tests/ui/test_made_to_fail.py', ...args]);
      expect(result.exitCode, result.output).toBe(1);
      expect(result.output).toContain('2 failed');
      const kept = filesUnder(output);
      // One trace and one screenshot per failed test (desktop and phone).
      expect(kept.filter((file) => file.endsWith('trace.zip'))).toHaveLength(2);
      expect(kept.filter((file) => file.endsWith('.png'))).toHaveLength(2);
    } finally {
      rmSync(failing);
    }
  });

  it('the workflow runs smoke on every push and everything nightly, uploading the report, and passes actionlint', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const file = path.join(dir, '.github', 'workflows', 'qa.yml');
    const workflow = readFileSync(file, 'utf8');
    expect(await runLint(workflow, file)).toEqual([]);
    expect(workflow).toContain('run: make smoke');
    expect(workflow).toContain('run: make report');
    expect(workflow).toMatch(/schedule:\n\s+- cron:/);
    expect(workflow).toContain('reports/');
  });

  it('make clean, after the test runs, leaves the generated files and the virtualenv', async (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    requireOrSkip(ctx, 'make', hasExecutable('make'), 'install GNU make');
    requireOrSkip(ctx, 'chromium', CHROMIUM, CHROMIUM_HINT);
    const before = projectTree(dir);
    // What the runs above wrote: the HTML report, a failed test's trace, coverage data, pytest's cache, bytecode.
    for (const output of ['reports/report.html', 'test-results/', '.coverage', '.pytest_cache/', 'src/shop_qa/__pycache__/', 'tests/ui/__pycache__/']) {
      expect(before, output).toContain(output);
    }
    await mustRun(dir, ['make', 'clean']);
    expect(projectTree(dir)).toEqual(generated);
    expect(existsSync(path.join(dir, '.venv', 'bin', 'python'))).toBe(true);
  });
});
