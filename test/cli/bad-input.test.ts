import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { loadRoadmap } from '../../src/catalog/roadmap.ts';
import { execa } from 'execa';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const catalog = new Catalog(loadRoadmap());
const available = catalog.milestones.filter((m) => catalog.isAvailable(m));
const firstAvailable = available[0]?.id ?? 'python-foundations';
const withOption = available.find((m) => m.options.some((id) => (catalog.option(id)?.choices.length ?? 0) > 0));
const withoutOptions = available.find((m) => m.options.length === 0);

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** Files to create in the working directory first (path → content; a trailing / makes a folder). */
  readonly setup?: Readonly<Record<string, string>>;
  readonly stderr: RegExp;
  readonly exitCode?: number;
}

const M = ['--milestone', firstAvailable];
const answers = (content: unknown): Record<string, string> => ({ 'answers.json': JSON.stringify(content) });

const cases: Case[] = [
  // milestones
  { name: 'an unknown milestone lists the valid ones', args: ['p', '--milestone', 'nope'], stderr: new RegExp(`Unknown milestone "nope"[\\s\\S]*Valid milestones: .*${firstAvailable}`) },
  { name: 'an unknown milestone in a comma list', args: ['p', '--milestone', `${firstAvailable},nope`], stderr: /Unknown milestone "nope"/ },
  { name: 'a milestone id in the wrong case', args: ['p', '--milestone', firstAvailable.toUpperCase()], stderr: /Unknown milestone/ },
  { name: 'an empty milestone list is a missing milestone', args: ['p', '--milestone', ','], stderr: /No milestone was given[\s\S]*--milestone ID/ },
  { name: 'no milestone and no terminal names the flag', args: ['p'], stderr: /No milestone was given and there is no terminal[\s\S]*--milestone/ },
  { name: 'no name and no terminal names the flags', args: ['--milestone', firstAvailable], stderr: /No project name[\s\S]*--name NAME/ },
  // phases
  { name: 'a phase number past the end', args: ['p', '--phase', '11', ...M], stderr: /Unknown phase "11"[\s\S]*Valid phases: 1 \(fundamentals\)/ },
  { name: 'a phase that does not exist', args: ['p', '--phase', 'wizardry', ...M], stderr: /Unknown phase "wizardry"/ },
  { name: 'a milestone outside the named phase', args: ['p', '--phase', 'system-design', '--milestone', 'python-foundations'], stderr: /does not exercise phase 8/ },
  // options
  { name: 'an option that does not apply to the milestone', args: ['p', '--milestone', withoutOptions?.id ?? firstAvailable, '--ci', 'gitlab'], stderr: /--ci does not apply to[\s\S]*--ci applies to: .*cloud-deploy/ },
  { name: 'an option with an empty value', args: ['p', ...M, '--db', ''], stderr: /--db needs a value/ },
  // flags
  { name: 'an unknown long flag lists the valid ones', args: ['p', ...M, '--colour'], stderr: /Unknown flag '--colour'[\s\S]*Valid flags: .*--milestone/ },
  { name: 'an unknown short flag', args: ['p', ...M, '-z'], stderr: /Unknown flag '-z'/ },
  { name: 'a misspelt flag', args: ['p', '--milestones', firstAvailable], stderr: /Unknown flag '--milestones'/ },
  { name: 'a flag that needs a value, without one', args: ['p', ...M, '--name'], stderr: /Option '--name <value>' argument missing/ },
  { name: 'a value given to a boolean flag', args: ['p', ...M, '--yes=no'], stderr: /Option '-y, --yes' does not take an argument/ },
  { name: 'two directories', args: ['one', 'two', ...M], stderr: /at most one directory; got 2: one two/ },
  { name: 'contradicting git flags', args: ['p', ...M, '--git', '--no-git'], stderr: /--git and --no-git contradict each other/ },
  { name: 'contradicting install flags', args: ['p', ...M, '--install', '--no-install'], stderr: /--install and --no-install contradict/ },
  { name: 'a create flag given to list', args: ['list', '--milestone', firstAvailable], stderr: /Unknown flag '--milestone'/ },
  { name: 'an argument given to list', args: ['list', 'extra'], stderr: /list takes no arguments; got: extra/ },
  { name: 'an empty directory argument', args: ['', ...M], stderr: /The directory argument is empty/ },
  // names
  { name: 'a name that shadows the standard library', args: ['--name', 'json', ...M], stderr: /would shadow the standard library[\s\S]*Try: json-app/ },
  { name: "the name 'test'", args: ['test', ...M], stderr: /shadow the standard library[\s\S]*Try: test-app/ },
  { name: 'a name that shadows a dependency', args: ['--name', 'fastapi', ...M], stderr: /would shadow a package the project depends on[\s\S]*Try: fastapi-app/ },
  { name: 'a Python keyword', args: ['--name', 'class', ...M], stderr: /is a Python keyword[\s\S]*Try: class-app/ },
  { name: 'a leading digit', args: ['--name', '2fast', ...M], stderr: /cannot start with a digit[\s\S]*Try: project-2fast/ },
  { name: 'no letters or digits', args: ['--name', '!!!', ...M], stderr: /has no letters or digits[\s\S]*Try: my-project/ },
  { name: 'only non-Latin letters', args: ['--name', 'プロジェクト', ...M], stderr: /contains "プ" \(U\+30D7\), which a project name cannot hold/ },
  { name: 'a right-to-left override', args: ['--name', 'my\u202eipa', ...M], stderr: /U\+202E, an invisible, control or text-direction character/ },
  { name: 'a zero-width space', args: ['--name', 'my\u200bapi', ...M], stderr: /U\+200B, an invisible/ },
  { name: 'a Cyrillic look-alike', args: ['--name', 'my-\u0430pi', ...M], stderr: /contains "\u0430" \(U\+0430\)[\s\S]*Try: my-pi/ },
  { name: 'a title too long for one line of code', args: ['--name', `a${'!'.repeat(159)}`, ...M], stderr: /160 characters long as a title; the limit is 50/ },
  { name: 'control characters', args: ['--name', 'bad\tname', ...M], stderr: /control characters/ },
  { name: 'a name far too long', args: ['--name', 'a'.repeat(80), ...M], stderr: /80 characters long once normalized; the limit is 40/ },
  // targets
  { name: 'a non-empty target', args: ['taken', ...M], setup: { 'taken/notes.txt': 'mine' }, stderr: /taken is not empty[\s\S]*--force/ },
  { name: 'a target that is a file', args: ['afile', ...M], setup: { afile: 'x' }, stderr: /afile exists and is not a directory/ },
  // answers files
  { name: 'a missing answers file', args: ['p', '--answers', 'missing.json'], stderr: /Cannot read the answers file missing\.json: no such file/ },
  { name: 'an answers file that is not JSON', args: ['p', '--answers', 'answers.json'], setup: { 'answers.json': '{ milestones: [' }, stderr: /Cannot read the answers file answers\.json/ },
  { name: 'an answers file holding a list', args: ['p', '--answers', 'answers.json'], setup: answers([1, 2]), stderr: /must contain a JSON object/ },
  { name: 'an answers file with an unknown key', args: ['p', '--answers', 'answers.json'], setup: answers({ colour: 'red' }), stderr: /unknown key "colour"[\s\S]*Keys: directory, name/ },
  { name: 'answers with milestones that are not a list', args: ['p', '--answers', 'answers.json'], setup: answers({ milestones: firstAvailable }), stderr: /"milestones" must be a list of milestone ids/ },
  { name: 'answers with a non-string option', args: ['p', '--answers', 'answers.json'], setup: answers({ options: { db: 1 } }), stderr: /"options" must be an object/ },
  { name: 'answers with a non-boolean git', args: ['p', '--answers', 'answers.json'], setup: answers({ git: 'yes' }), stderr: /"git" must be true or false/ },
  { name: 'answers naming an unknown milestone', args: ['p', '--answers', 'answers.json'], setup: answers({ milestones: ['nope'] }), stderr: /Unknown milestone "nope"/ },
];
if (withOption) {
  const option = catalog.option(withOption.options[0] ?? '');
  cases.push({ name: `an invalid value for --${option?.id}`, args: ['p', '--milestone', withOption.id, `--${option?.id}`, 'bogus'], stderr: new RegExp(`"bogus" is not a valid value for --${option?.id}[\\s\\S]*Valid values: ${option?.choices[0]?.value}`) });
}

function setUp(cwd: string, setup: Readonly<Record<string, string>> = {}): string[] {
  for (const [file, content] of Object.entries(setup)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), content);
  }
  return readdirSync(cwd, { recursive: true, encoding: 'utf8' }).sort();
}

describe('bad input: a clear message, the documented exit code, and nothing written', () => {
  it('covers at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((testCase) => [testCase.name, testCase]))('%s', async (_name, testCase) => {
    const cwd = makeTempDir('cprp-bad');
    const before = setUp(cwd, testCase.setup);
    const result = await runCli(testCase.args, { cwd, timeoutMs: 20_000 });
    expect(result.stderr).toMatch(testCase.stderr);
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).not.toMatch(/crashed|    at /);
    expect(result.exitCode).toBe(testCase.exitCode ?? 2);
    expect(readdirSync(cwd, { recursive: true, encoding: 'utf8' }).sort()).toEqual(before);
  });

  it('--json turns bad input into a JSON error on stdout, with the same exit code', async () => {
    const cwd = makeTempDir('cprp-bad');
    const result = await runCli(['p', '--milestone', 'nope', '--json'], { cwd });
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, exitCode: 2, error: { message: 'Unknown milestone "nope".' } });
  });

  it('a broken packaged catalog is exit 1, naming the path inside the JSON', async () => {
    // A copy of the built package whose roadmap.json lost a phase's goal.
    const root = makeTempDir('cprp-package');
    for (const entry of ['dist', 'schema', 'templates', 'package.json']) {
      cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
    }
    const roadmap = JSON.parse(readFileSync(path.join(REPO_ROOT, 'roadmap.json'), 'utf8'));
    delete roadmap.phases[0].goal;
    roadmap.milestones[0].features = ['teleport'];
    writeFileSync(path.join(root, 'roadmap.json'), JSON.stringify(roadmap));
    const result = await execa(process.execPath, [path.join(root, 'dist', 'cli.js'), 'list'], { reject: false });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('roadmap.json is not a valid roadmap catalog (2 problems)');
    expect(result.stderr).toContain('/phases/0: is missing the required property "goal"');
    expect(result.stderr).toContain('/milestones/0/features/0: must be one of');
    expect(result.stderr).not.toMatch(/crashed|    at /);
  });
});
