import { execa } from 'execa';
import { existsSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgressReport } from '../../src/commands/progress/run.ts';
import { Catalog } from '../../src/catalog/catalog.ts';
import { loadRoadmap, type Roadmap } from '../../src/catalog/roadmap.ts';
import { runList } from '../../src/commands/list/run.ts';
import { runCli } from '../helpers/cli.ts';
import { fakeTerminal } from '../helpers/fake-io.ts';
import { hasExecutable, requireOrSkip } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/**
 * `progress` on generated projects, without running their tests (--skip-tests:
 * the generated-project suites prove the challenge results, see
 * test/generated/python-foundations.test.ts). What is checked here: the board
 * comes from roadmap.json evidence found on disk, a portfolio merges projects,
 * the card is written (and renders), and project content cannot steer it.
 */
let parent = '';

async function create(name: string, milestone: string, ...options: readonly string[]): Promise<string> {
  const result = await runCli([name, '--no-git', '--no-install', '--milestone', milestone, ...options], { cwd: parent });
  expect(result.exitCode, result.stderr).toBe(0);
  return path.join(parent, name);
}

async function progress(args: readonly string[], cwd: string): Promise<ProgressReport> {
  const result = await runCli(['progress', '--skip-tests', '--json', ...args], { cwd });
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ProgressReport;
}

describe('progress', () => {
  let logTool = '';
  let tracker = '';

  beforeAll(async () => {
    parent = makeTempDir('cprp-progress');
    logTool = await create('log-tool', 'python-foundations');
    tracker = await create('task-tracker', 'crud-db');
  });

  it('shows the ten phases, with the topics the project demonstrates by file and symbol', async () => {
    const report = await progress([], logTool);
    expect(report.phases.map((phase) => phase.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const topics = new Map(report.phases.flatMap((phase) => phase.topics.map((topic) => [topic.id, topic])));
    expect(topics.get('data-types')?.demonstrated).toContainEqual({ file: 'src/log_tool/stats.py', symbol: 'summarize' });
    expect(topics.get('docker-compose')?.done).toBe(false);
    expect(report.topics.done).toBeGreaterThanOrEqual(15);
    expect(report.projects[0]?.challenges.map((challenge) => challenge.id)).toEqual(['csv-format', 'status-filter', 'since-option', 'gzip-logs', 'many-logs']);
    expect(report.projects[0]?.challenges.every((challenge) => challenge.state === 'not-run')).toBe(true);
  });

  it('a topic whose evidence file is gone is no longer demonstrated', async () => {
    const copy = await create('log-gone', 'python-foundations');
    const before = await progress([], copy);
    rmSync(path.join(copy, 'src', 'log_gone', 'benchmark.py'));
    const after = await progress([], copy);
    const bigO = (report: ProgressReport) => report.phases.flatMap((phase) => phase.topics).find((topic) => topic.id === 'big-o')!;
    expect(bigO(before).demonstrated.map((item) => item.file)).toContain('src/log_gone/benchmark.py');
    expect(bigO(after).demonstrated.map((item) => item.file)).not.toContain('src/log_gone/benchmark.py');
  });

  it('--dir repeated gives one board for a portfolio, and its card lands where the command runs', async () => {
    const report = await progress(['--dir', logTool, '--dir', tracker], parent);
    expect(report.projects.map((project) => project.name)).toEqual(['log-tool', 'task-tracker']);
    const sql = report.phases.flatMap((phase) => phase.topics).find((topic) => topic.id === 'sql');
    expect(sql?.demonstrated[0]?.file).toMatch(/^task-tracker\//);
    expect(report.challenges.total).toBe(10);
    expect(report.svg).toBe(path.join(parent, 'roadmap-portfolio.svg'));
    expect(readFileSync(report.svg, 'utf8')).toContain('portfolio: 2 projects');
  });

  it('writes the SVG card into the project, replacing a symlink there instead of writing through it', async () => {
    const outside = path.join(makeTempDir('cprp-outside'), 'target.svg');
    writeFileSync(outside, 'untouched');
    symlinkSync(outside, path.join(tracker, 'roadmap-progress.svg'));
    const report = await progress([], tracker);
    expect(report.svg).toBe(path.join(tracker, 'roadmap-progress.svg'));
    expect(readFileSync(outside, 'utf8')).toBe('untouched');
    const svg = readFileSync(report.svg, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<title>Phase \d+/g)).toHaveLength(10);
  });

  it('prints the board as text, with what to do next', async () => {
    const result = await runCli(['progress', '--skip-tests'], { cwd: tracker });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Phase 5 · Databases');
    expect(result.stdout).toContain('Challenges of task-tracker');
    expect(result.stdout).toContain('Run progress without --skip-tests');
  });

  it('outside a project it is a usage error (exit 2)', async () => {
    const result = await runCli(['progress', '--skip-tests'], { cwd: makeTempDir('cprp-empty') });
    expect(result.exitCode).toBe(2);
  });

  it('the card renders to a PNG that reads well (chromium headless screenshot)', async (ctx) => {
    requireOrSkip(ctx, 'chromium', hasExecutable('chromium'), 'install Debian chromium to render the card');
    const report = await progress([], tracker);
    const png = path.join(makeTempDir('cprp-card'), 'card.png');
    await execa('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=780,200', `--screenshot=${png}`, report.svg], { reject: false, timeout: 90_000 });
    expect(existsSync(png)).toBe(true);
    const header = readFileSync(png);
    expect(header.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([header.readUInt32BE(16), header.readUInt32BE(20)]).toEqual([780, 200]);
    expect(statSync(png).size).toBeGreaterThan(5_000);
  });

  it('list inside a project marks covered milestones and the challenges the last progress run found done', async () => {
    writeFileSync(path.join(logTool, '.roadmap-progress.json'), JSON.stringify({ challenges: { 'csv-format': 'done', 'status-filter': '<b>done</b>', 'no-such': 'done' } }));
    const result = await runCli(['list', '--json'], { cwd: logTool });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { project: { covered: string[]; challenges: { id: string; state: string }[] } };
    expect(report.project.covered).toEqual(['python-foundations']);
    expect(report.project.challenges.map(({ id, state }) => [id, state])).toEqual([
      ['csv-format', 'done'],
      ['status-filter', 'not-run'],
      ['since-option', 'not-run'],
      ['gzip-logs', 'not-run'],
      ['many-logs', 'not-run'],
    ]);
    const text = await runCli(['list'], { cwd: logTool });
    expect(text.stdout).toContain('Challenges: 1 of 5 done');
    expect(text.stdout).toMatch(/✔ csv-format +Add a CSV report format/);
  });

  it("list shows the challenges a project ships on its framework, not the milestone's others", async () => {
    const challengesIn = async (dir: string) => {
      const result = await runCli(['list', '--json'], { cwd: dir });
      expect(result.exitCode, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { project: { challenges: { id: string }[] } }).project.challenges.map(({ id }) => id);
    };
    const onFastapi = await challengesIn(tracker);
    expect(onFastapi).toHaveLength(5);
    const django = await create('django-tracker', 'crud-db', '--framework', 'django');
    expect(await challengesIn(django)).toEqual(onFastapi);
    // A challenge offered on some frameworks only (`when`) is left out of a project on another.
    const roadmap = structuredClone(loadRoadmap()) as unknown as { milestones: { id: string; challenges?: { when?: unknown }[] }[] };
    roadmap.milestones.find((milestone) => milestone.id === 'crud-db')!.challenges![0]!.when = { framework: ['fastapi', 'flask'] };
    const terminal = fakeTerminal({ answers: [], cwd: django });
    const report = runList(terminal.io, { json: true }, new Catalog(roadmap as unknown as Roadmap));
    expect(report.project?.challenges.map(({ id }) => id)).toEqual(onFastapi.slice(1));
  });
});
