import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PYTHON_DEPENDENCIES } from '../../src/catalog/python-dependencies.ts';
import { loadTemplateTree } from '../../src/catalog/templates.ts';
import { UserError } from '../../src/errors.ts';
import { planProject, templateDirsFor } from '../../src/plan/plan-project.ts';
import { buildProjectNames } from '../../src/render/project-names.ts';
import { UV, UV_HINT, requireOrSkip } from '../helpers/requirements.ts';
import { catalog } from '../helpers/template-tree.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/**
 * Every name the tool accepts gives a project that passes its own lint gates.
 * Names are generated (fast-check) from every kind of character a user, an
 * editor or an attacker may type: quotes and backslashes, accents, fullwidth
 * forms, curly quotes, look-alike letters, bidirectional controls, zero-width
 * characters, emoji, long runs of punctuation. Each accepted name's project,
 * every milestone at once, is rendered in process; then one `ruff check` and
 * one `ruff format --check` (the version the projects pin) read all of them.
 * Refused names are fine: the property is that nothing accepted breaks a gate.
 */

const RUFF = PYTHON_DEPENDENCIES.ruff.requirement.replace('==', '@');
const AVAILABLE = catalog.milestones.filter((milestone) => catalog.isAvailable(milestone)).map((milestone) => milestone.id);
/**
 * Every available milestone, in as few projects as combine: a milestone joins the
 * first group it is compatible with (qa-automation, say, ships its own app and
 * combines with no web milestone).
 */
const GROUPS: readonly (readonly string[])[] = AVAILABLE.reduce<string[][]>((groups, milestone) => {
  const fits = groups.find((group) => !catalog.incompatibilityIn(catalog.featuresFor([...group, milestone]).map((feature) => feature.id)));
  if (fits) fits.push(milestone);
  else groups.push([milestone]);
  return groups;
}, []);
const OPTIONS = { framework: 'fastapi', db: 'sqlite', ci: 'github', deploy: 'render' };
const TEMPLATES = loadTemplateTree(templateDirsFor(catalog.featuresFor(AVAILABLE), OPTIONS));

/** Names the issue reported, and their neighbours: always part of the batch. */
const KNOWN: readonly string[] = [
  'my\u202eapi',
  '\uff4d\uff59\uff0d\uff41\uff50\uff49',
  'say "hi" api',
  `a${'!'.repeat(159)}`,
  `a${'!'.repeat(49)}`,
  `b${'"'.repeat(24)}`,
  `c${"'".repeat(24)}`,
  `d${'\\'.repeat(24)}`,
  `it's "quoted" \\ api`,
  `x"'"'"'`,
  'Jørgen’s “API” – ß æ ł',
  'Café Crème',
  'e\u0301\u0301 api',
  'zero\u200bwidth',
  'my-\u0430pi',
  'tab\there',
];

const character = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') },
  { weight: 3, arbitrary: fc.constantFrom(...' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~') },
  { weight: 2, arbitrary: fc.constantFrom('é', 'ñ', 'ů', 'Å', 'ß', 'ø', 'æ', 'ł', 'Ð', 'þ', '\u0301', '\u0308') },
  { weight: 2, arbitrary: fc.constantFrom('Ａ', 'ｚ', '０', 'ﬁ', '\u00a0', '\u3000', '’', '“', '”', '–', '—', '…', '½') },
  { weight: 1, arbitrary: fc.constantFrom('\u202e', '\u2066', '\u200b', '\u200d', '\ufeff', '\u00ad', '\u061c', '\u2028', '\u0000', '\u001b') },
  { weight: 1, arbitrary: fc.constantFrom('а', 'ο', 'ı', '×', '٠', '日', '😀', '\u{e0041}', '«', '·') },
);
const names = fc.array(character, { minLength: 1, maxLength: 64 }).map((chars) => chars.join(''));

function accepted(raw: string): boolean {
  try {
    buildProjectNames(raw);
    return true;
  } catch (error) {
    if (error instanceof UserError) return false;
    throw error;
  }
}

/** Writes what ruff reads of the project `raw` names: every Python file and pyproject.toml (its ruff settings). */
function writeProject(root: string, raw: string, milestones: readonly string[]): void {
  const plan = planProject({ catalog, answers: { name: raw, milestones: [...milestones], options: OPTIONS }, templates: TEMPLATES, generatorVersion: '0.0.0-test' });
  for (const file of plan.files) {
    if (!file.path.endsWith('.py') && file.path !== 'pyproject.toml') continue;
    const target = path.join(root, ...file.path.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
}

describe('project names', () => {
  it('every accepted name renders projects that pass ruff check and ruff format --check', (ctx) => {
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const generated = fc.sample(names, { numRuns: 120 });
    const candidates = [...new Set([...KNOWN, ...generated])];
    const kept = candidates.filter(accepted);
    // The generator must produce both kinds, or the property says little.
    expect(kept.length).toBeGreaterThan(20);
    expect(candidates.length - kept.length).toBeGreaterThan(20);

    const batch = makeTempDir('cprp-names');
    const byFolder = new Map<string, string>();
    expect(GROUPS.flat().sort()).toEqual([...AVAILABLE].sort());
    kept.forEach((raw, index) => {
      GROUPS.forEach((milestones, group) => {
        const folder = `p${index}-${group}`;
        byFolder.set(folder, raw);
        writeProject(path.join(batch, folder), raw, milestones);
      });
    });
    const ruff = (args: string[]) =>
      spawnSync('uvx', [RUFF, ...args, '--no-cache', ...byFolder.keys()], { cwd: batch, encoding: 'utf8', env: { ...process.env, UV_PYTHON_DOWNLOADS: 'never' } });
    const explain = (output: string): string =>
      output.replace(/\bp\d+-\d+(?=[/\\])/g, (folder) => `${folder} (name ${JSON.stringify(byFolder.get(folder))})`);
    const check = ruff(['check', '--output-format', 'concise']);
    expect(check.status, explain(check.stdout + check.stderr)).toBe(0);
    const format = ruff(['format', '--check']);
    expect(format.status, explain(format.stdout + format.stderr)).toBe(0);
  });

  it('the names the issue found are refused or made safe', () => {
    expect(accepted('my\u202eapi')).toBe(false);
    expect(buildProjectNames('\uff4d\uff59\uff0d\uff41\uff50\uff49').displayName).toBe('my-api');
    expect(accepted('say "hi" api')).toBe(true);
    expect(accepted(`a${'!'.repeat(159)}`)).toBe(false);
    expect(execFileSync('uvx', ['--version'], { encoding: 'utf8' })).toMatch(/uv/);
  });
});
