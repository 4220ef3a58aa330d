import { describe, expect, it } from 'vitest';
import { evidenceApplies, optionProducts } from '../../src/catalog/roadmap.ts';
import { planMilestones } from '../helpers/plan-milestones.ts';
import { catalog } from '../helpers/template-tree.ts';
import { evidenceFor, executionProblems, junitTestCases, structuralProblems, type EvidenceItem } from '../helpers/topic-evidence.ts';

/**
 * The structural half of the claim check, for each milestone alone with every
 * value of the options its evidence depends on (`when`): the evidence
 * roadmap.json names is in the planned files. test/generated/matrix.test.ts
 * runs the same check over every valid combination, plus the half that needs a
 * test run (coverage and JUnit reports).
 */
describe('every topic a milestone claims names code the project has', () => {
  for (const milestone of catalog.milestones) {
    const varying = new Set(
      milestone.topics.flatMap((topic) => [...Object.keys(topic.when ?? {}), ...topic.evidence.flatMap((evidence) => Object.keys(evidence.when ?? {}))]),
    );
    for (const options of optionProducts(catalog.optionsFor([milestone.id]).filter((option) => varying.has(option.id)))) {
      const label = [milestone.id, ...Object.entries(options).map(([id, value]) => `${id}=${value}`)].join(' ');
      // A framework that cannot build the milestone (create refuses it, exit 2) has no project to check.
      let builds = true;
      try {
        planMilestones('claims', [milestone.id], options);
      } catch {
        builds = false;
      }
      (builds ? it : it.skip)(label, () => {
        const plan = planMilestones('claims', [milestone.id], options);
        const files = new Map(plan.files.map((file) => [file.path, file.content] as const));
        const items = evidenceFor(catalog, { milestones: [milestone.id], options }, 'claims');
        // Every topic claimed for these options (a claim's own `when` may limit it to some), each with evidence.
        const claimed = milestone.topics.filter((topic) => evidenceApplies(topic, options));
        expect(new Set(items.map((item) => item.topic))).toEqual(new Set(claimed.map((topic) => topic.id)));
        expect(structuralProblems(files, items)).toEqual([]);
      });
    }
  }
});

describe('the claim checks fail for the reason they name', () => {
  const item = (file: string, symbol: string): EvidenceItem => ({ milestone: 'm', topic: 't', file, symbol });
  const files = new Map<string, string>([
    ['src/pkg/a.py', 'class Report:\n    def render(self) -> str:\n        return ""\n\n\ndef register() -> None:\n    pass\n'],
    ['ci.yml', 'jobs:\n  test:\n    services:\n      postgres: {}\n'],
    ['pyproject.toml', '[tool.coverage.run]\nbranch = true\n'],
    ['Makefile', 'RUN ?= uv run\ninstall: ## x\n\tuv sync\n'],
    ['Dockerfile', 'FROM python AS build\nFROM python AS runtime\n'],
    ['README.md', '# x\n\n## Authentication and authorization\n'],
    ['nginx/default.conf', '# upstream other {\nupstream app {\n    server app-1:8000;\n}\nserver {\n    proxy_next_upstream error;\n}\n'],
  ]);

  it('finds what is there', () => {
    const present = [
      item('src/pkg/a.py', 'Report.render'),
      item('src/pkg/a.py', 'register'),
      item('ci.yml', 'jobs.test.services.postgres'),
      item('pyproject.toml', 'tool.coverage.run'),
      item('Makefile', 'install'),
      item('Dockerfile', 'runtime'),
      item('README.md', 'Authentication and authorization'),
      item('nginx/default.conf', 'upstream app'),
      item('nginx/default.conf', 'proxy_next_upstream'),
    ];
    expect(structuralProblems(files, present)).toEqual([]);
  });

  it.each([
    [item('src/pkg/b.py', 'register'), 'the project has no src/pkg/b.py'],
    [item('src/pkg/a.py', 'Report.publish'), 'has no Report.publish'],
    [item('src/pkg/a.py', 'RUN'), 'has no RUN'],
    [item('ci.yml', 'jobs.test.services.redis'), 'has no jobs.test.services.redis'],
    [item('pyproject.toml', 'tool.coverage'), 'has no tool.coverage'],
    [item('Makefile', 'RUN'), 'has no RUN'],
    [item('Dockerfile', 'test'), 'has no test'],
    [item('README.md', 'Authentication'), 'has no Authentication'],
    [item('nginx/default.conf', 'upstream other'), 'has no upstream other'],
    [item('nginx/default.conf', 'proxy_next_upstream_tries'), 'has no proxy_next_upstream_tries'],
  ])('%o is missing', (missing, message) => {
    expect(structuralProblems(files, [missing])).toEqual([expect.stringContaining(message)]);
  });

  const coverage = {
    files: {
      'src/pkg/a.py': {
        functions: { 'Report.render': { executed_lines: [] }, register: { executed_lines: [7] } },
        classes: { Report: { executed_lines: [] } },
      },
    },
  };
  const junit = `<testsuites><testsuite>
    <testcase classname="tests.test_a" name="test_one[x-1]" time="0.1" />
    <testcase classname="tests.test_a.WriteTest" name="test_two" time="0.1" />
    <testcase classname="tests.test_a" name="test_skipped" time="0"><skipped message="no redis" /></testcase>
    <testcase classname="tests.test_a" name="test_failed" time="0"><failure message="boom">x &lt; y</failure></testcase>
  </testsuite></testsuites>`;

  it('reads which tests ran and passed from a JUnit report', () => {
    expect(junitTestCases(junit)).toEqual([
      { classname: 'tests.test_a', name: 'test_one[x-1]', passed: true },
      { classname: 'tests.test_a.WriteTest', name: 'test_two', passed: true },
      { classname: 'tests.test_a', name: 'test_skipped', passed: false },
      { classname: 'tests.test_a', name: 'test_failed', passed: false },
    ]);
  });

  it('accepts executed code and passed tests', () => {
    const executed = [
      item('src/pkg/a.py', 'register'),
      item('tests/test_a.py', 'test_one'),
      item('tests/test_a.py', 'WriteTest'),
      item('tests/test_a.py', 'WriteTest.test_two'),
      item('Makefile', 'install'),
    ];
    expect(executionProblems(executed, coverage, junit)).toEqual([]);
  });

  it.each([
    [item('src/pkg/a.py', 'Report.render'), 'the tests never execute it'],
    [item('src/pkg/a.py', 'Report'), 'the tests never execute it'],
    [item('src/pkg/a.py', 'unknown'), 'no function or class unknown'],
    [item('src/pkg/c.py', 'register'), 'coverage measured no src/pkg/c.py'],
    [item('tests/test_a.py', 'test_skipped'), 'that test did not pass'],
    [item('tests/test_a.py', 'test_failed'), 'that test did not pass'],
    [item('tests/test_a.py', 'test_two'), 'pytest ran no such test'],
    [item('tests/test_b.py', 'test_one'), 'pytest ran no such test'],
  ])('%o is not executed', (evidence, message) => {
    expect(executionProblems([evidence], coverage, junit)).toEqual([expect.stringContaining(message)]);
  });
});
