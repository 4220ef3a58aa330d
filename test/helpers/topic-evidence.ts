import { parseAllDocuments } from 'yaml';
import type { Catalog } from '../../src/catalog/catalog.ts';
import { evidenceApplies } from '../../src/catalog/roadmap.ts';
import { buildProjectNames } from '../../src/render/project-names.ts';
import type { Combination } from './combinations.ts';

/**
 * The roadmap topics a project claims (roadmap.json: each milestone's topics,
 * each with the file and symbol that demonstrate it) checked against a
 * generated project:
 * - structurally, from the planned files alone: the file exists and, outside
 *   Python, the symbol is in it (a YAML key path, a TOML table, a Makefile
 *   target, a Dockerfile stage, a Markdown heading, an Nginx block or
 *   directive); a Python symbol must at least be defined there;
 * - by execution, from the project's own test run: a function or class under
 *   src/ has lines coverage.py saw executed (its JSON report's per-function
 *   and per-class regions), a test under tests/ ran and passed (pytest's JUnit
 *   report). Being named in a file is not enough: the suite must run it.
 */

/** One claim's piece of evidence, resolved for one project. */
export interface EvidenceItem {
  readonly milestone: string;
  readonly topic: string;
  /** Path in the project, `{package}` replaced. */
  readonly file: string;
  readonly symbol: string;
}

type Kind = 'code' | 'test' | 'yaml' | 'toml' | 'makefile' | 'dockerfile' | 'markdown' | 'nginx';

export function evidenceKind(file: string): Kind {
  const name = file.split('/').at(-1) ?? file;
  // A test module under tests/ is run by pytest; any other Python (a test framework's helpers) is code coverage measures.
  if (file.endsWith('.py')) return file.startsWith('tests/') && name.startsWith('test_') ? 'test' : 'code';
  if (/\.(ya?ml|json)$/.test(name)) return 'yaml';
  if (name.endsWith('.toml')) return 'toml';
  if (name === 'Makefile') return 'makefile';
  if (name === 'Dockerfile') return 'dockerfile';
  if (name.endsWith('.md')) return 'markdown';
  if (file.startsWith('nginx/') && name.endsWith('.conf')) return 'nginx';
  throw new Error(`roadmap.json names ${file} as evidence, a kind of file the claim checks cannot read`);
}

const describe = (item: EvidenceItem): string => `${item.milestone} claims "${item.topic}": ${item.symbol} in ${item.file}`;

/** Every piece of evidence that applies to a combination's options, for each of its milestones. */
export function evidenceFor(catalog: Catalog, combination: Combination, projectName: string): EvidenceItem[] {
  const { packageName } = buildProjectNames(projectName);
  return combination.milestones.flatMap((id) =>
    (catalog.milestone(id)?.topics ?? []).filter((claim) => evidenceApplies(claim, combination.options)).flatMap((claim) =>
      claim.evidence
        .filter((evidence) => evidenceApplies(evidence, combination.options))
        .map((evidence) => ({
          milestone: id,
          topic: claim.id,
          file: evidence.file.replaceAll('{package}', packageName),
          symbol: evidence.symbol,
        })),
    ),
  );
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function hasKeyPath(text: string, symbol: string): boolean {
  return parseAllDocuments(text).some((document) => {
    let node: unknown = document.toJS();
    for (const key of symbol.split('.')) {
      if (node === null || typeof node !== 'object' || !(key in node)) return false;
      node = (node as Record<string, unknown>)[key];
    }
    return true;
  });
}

/** Whether a Python file defines `symbol` (`f`, `Class`, `Class.method`); execution is checked elsewhere. */
function definesPython(text: string, symbol: string): boolean {
  const parts = symbol.split('.');
  const last = parts.at(-1) as string;
  const defines = (name: string, kind: 'def' | 'class' | 'any'): boolean => {
    const keyword = kind === 'def' ? '(?:async\\s+)?def' : kind === 'class' ? 'class' : '(?:(?:async\\s+)?def|class)';
    return new RegExp(`^\\s*${keyword}\\s+${escape(name)}\\b`, 'm').test(text);
  };
  return parts.slice(0, -1).every((owner) => defines(owner, 'class')) && defines(last, parts.length > 1 ? 'def' : 'any');
}

function symbolFound(kind: Kind, text: string, symbol: string): boolean {
  switch (kind) {
    case 'code':
    case 'test':
      return definesPython(text, symbol);
    case 'yaml':
      return hasKeyPath(text, symbol);
    case 'toml':
      return new RegExp(`^\\[{1,2}\\s*${escape(symbol)}\\s*\\]{1,2}\\s*(#.*)?$`, 'm').test(text);
    case 'makefile':
      return new RegExp(`^${escape(symbol)}:(?!=)`, 'm').test(text);
    case 'dockerfile':
      return new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${escape(symbol)}\\s*$`, 'im').test(text);
    case 'markdown':
      return new RegExp(`^#{1,6}\\s+${escape(symbol)}\\s*$`, 'm').test(text);
    case 'nginx':
      // A block (`upstream app`, opened by `{`) or a directive (`proxy_next_upstream ...;`), not in a comment.
      return new RegExp(`^\\s*${escape(symbol)}(?:\\s*\\{|\\s[^#\\n]*;|;)`, 'm').test(text);
  }
}

/** What is missing from a project's files: evidence files, and the symbols in them. */
export function structuralProblems(files: ReadonlyMap<string, Buffer | string>, items: readonly EvidenceItem[]): string[] {
  const problems: string[] = [];
  for (const item of items) {
    const content = files.get(item.file);
    if (content === undefined) {
      problems.push(`${describe(item)}, but the project has no ${item.file}`);
    } else if (!symbolFound(evidenceKind(item.file), content.toString(), item.symbol)) {
      problems.push(`${describe(item)}, but ${item.file} has no ${item.symbol}`);
    }
  }
  return problems;
}

/** The parts of coverage.py's JSON report (format 3, coverage ≥ 7.6) the check reads. */
interface CoverageRegion {
  readonly executed_lines: readonly number[];
}
interface CoverageReport {
  readonly files: Readonly<
    Record<string, { readonly functions?: Readonly<Record<string, CoverageRegion>>; readonly classes?: Readonly<Record<string, CoverageRegion>> }>
  >;
}

interface TestCase {
  readonly classname: string;
  readonly name: string;
  readonly passed: boolean;
}

/** The test cases of a pytest JUnit XML report: where each was defined, and whether it passed. */
export function junitTestCases(xml: string): TestCase[] {
  const unescape = (text: string): string =>
    text.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const cases: TestCase[] = [];
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attribute = (key: string): string => unescape(new RegExp(`\\b${key}="([^"]*)"`).exec(match[1] ?? '')?.[1] ?? '');
    const body = match[3] ?? '';
    cases.push({ classname: attribute('classname'), name: attribute('name'), passed: !/<(failure|error|skipped)\b/.test(body) });
  }
  return cases;
}

/** Whether a test case is the test `symbol` of `file` (a function, a `TestCase` class, or `Class.method`). */
function isTest(testCase: TestCase, file: string, symbol: string): boolean {
  const module = file.replace(/\.py$/, '').split('/').join('.');
  const name = testCase.name.replace(/\[.*$/s, '');
  const parts = symbol.split('.');
  if (parts.length === 2) return testCase.classname === `${module}.${parts[0]}` && name === parts[1];
  return testCase.classname === `${module}.${symbol}` || (testCase.classname === module && name === symbol);
}

/**
 * Evidence the project's test run did not execute: Python code under src/
 * without an executed line in its coverage region, a test under tests/ that
 * did not run and pass. Other files are for structuralProblems.
 */
export function executionProblems(items: readonly EvidenceItem[], coverage: CoverageReport, junitXml: string): string[] {
  const cases = junitTestCases(junitXml);
  const problems: string[] = [];
  for (const item of items) {
    const kind = evidenceKind(item.file);
    if (kind === 'code') {
      const file = coverage.files[item.file];
      const region = file?.functions?.[item.symbol] ?? file?.classes?.[item.symbol];
      if (!file) problems.push(`${describe(item)}, but coverage measured no ${item.file}`);
      else if (!region) problems.push(`${describe(item)}, but coverage found no function or class ${item.symbol} there`);
      else if (region.executed_lines.length === 0) problems.push(`${describe(item)}, but the tests never execute it`);
    } else if (kind === 'test') {
      const matching = cases.filter((testCase) => isTest(testCase, item.file, item.symbol));
      if (matching.length === 0) problems.push(`${describe(item)}, but pytest ran no such test`);
      else if (!matching.some((testCase) => testCase.passed)) problems.push(`${describe(item)}, but that test did not pass`);
    }
  }
  return problems;
}

/** The pytest arguments that write the two reports executionProblems reads; they change no gate. */
export function evidenceReportArgs(coverageJson: string, junitXml: string): string[] {
  return [`--cov-report=json:${coverageJson}`, `--junitxml=${junitXml}`];
}
