import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { PYTHON_DEPENDENCIES } from '../../src/catalog/python-dependencies.ts';
import { SERVICES } from '../../src/catalog/services.ts';
import { loadRoadmap } from '../../src/catalog/roadmap.ts';
import { planFromAnswers } from '../../src/plan/plan-from-answers.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { combinationArgs, pairwiseCombinations, validCombinations, type Combination } from '../helpers/combinations.ts';
import { generateProject, mustRun, runIn, STANDARD_GATES, type CommandResult } from '../helpers/python-project.ts';
import { hasExecutable, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { PENDING_FINDINGS, readmeProblems, unusedModules, unusedSettings, withoutPending } from '../helpers/project-honesty.ts';
import { evidenceFor, evidenceReportArgs, executionProblems, structuralProblems } from '../helpers/topic-evidence.ts';
import { CHECK_JSONSCHEMA, KUBERNETES_VALIDATE, KUBERNETES_VERSION, runLint, SCHEMAS } from '../helpers/validators.ts';

/**
 * The combination matrix: a covering array of the valid combinations of
 * milestones × option values (every pair of settings at least once; every
 * combination with `npm run test:matrix:all`) is generated, and every one of
 * them has its gates run, without running the same gates on the same bytes twice.
 *
 * Each combination is planned with the function `create` runs (planning is pure,
 * so the plan is the project). Combinations are then grouped:
 * - by the bytes the Python gates read (everything except the files listed in
 *   NOT_READ_BY_PYTHON_GATES, which a guard below keeps honest): each group is
 *   generated once by the built CLI, checked byte for byte against its plan, and
 *   gets `uv sync` + pytest (coverage gate) + ruff + ruff format + mypy --strict;
 * - by each left-out file's own bytes: every distinct Dockerfile gets hadolint,
 *   compose file docker-compose config, GitHub workflow actionlint + its schema,
 *   GitLab pipeline / Renovate / Dependabot / render.yaml / fly.toml their
 *   schemas, Kubernetes folder kubernetes-validate --strict, Makefile `make -n`
 *   of its standard targets.
 * The pytest gate also writes a coverage JSON and a JUnit report (extra reports change
 * no gate), from which every roadmap topic the group's milestones claim is checked:
 * the code roadmap.json names as evidence ran during the project's own tests.
 * All projects share uv's cache, so after the first group `uv sync` is a local copy,
 * and a mypy cache per gate slot: mypy validates each cached module by the hash of its source,
 * so a module (ours or a library's) is re-checked exactly when its bytes differ,
 * and the libraries every group shares are analysed once per slot, not once per group.
 * (The per-milestone suites keep mypy's cold first run.)
 */

const NAME = 'matrix';
const PYTHON_GATE_CONCURRENCY = 2;

/**
 * Files no Python gate reads: pipelines, deployment and container files, docs,
 * the manifest and the Makefile (the gates are run directly; each distinct
 * Makefile gets `make -n`). Two combinations that differ only here are the
 * same project to uv, pytest, ruff and mypy.
 */
const NOT_READ_BY_PYTHON_GATES: readonly RegExp[] = [
  /^README\.md$/,
  /^\.roadmap-project\.json$/,
  /^\.env\.example$/,
  /^Makefile$/,
  /^Dockerfile$/,
  /^\.dockerignore$/,
  /^compose\.yaml$/,
  /^nginx\//,
  /^\.github\//,
  /^\.gitlab-ci\.yml$/,
  /^renovate\.json$/,
  /^render\.yaml$/,
  /^fly\.toml$/,
  /^k8s\//,
];
const NAMES_OF_LEFT_OUT_FILES =
  /README|\.env\.example|roadmap-project|Makefile|Dockerfile|dockerignore|compose\.yaml|nginx|\.github|gitlab-ci|renovate|render\.yaml|fly\.toml|k8s/g;
/**
 * Where a file the Python gates read names a left-out file, and why that cannot
 * change a gate's result. Anything else naming one fails the guard test.
 */
const REVIEWED_MENTIONS: Readonly<Record<string, readonly string[]>> = {
  // `readme = "README.md"`: hatchling copies the text into the package metadata; no gate reads it.
  'pyproject.toml': ['README'],
  // Docstrings and comments pointing the reader at .env.example.
  'settings.py': ['.env.example'],
  // A docstring: the Dockerfile's CMD names this module.
  'gunicorn_conf.py': ['Dockerfile'],
};

/** Every kind of file exists somewhere in the matrix; a MATRIX_ONLY selection may have none of a kind. */
function expectSome(variants: readonly unknown[]): void {
  if (ONLY === undefined) expect(variants.length).toBeGreaterThan(0);
}

const readByPythonGates = (file: string): boolean => !NOT_READ_BY_PYTHON_GATES.some((pattern) => pattern.test(file));

interface PlannedCombination {
  readonly combination: Combination;
  readonly files: ReadonlyMap<string, Buffer>;
}

const catalog = new Catalog(loadRoadmap());
/**
 * By default a covering array: every pair of settings (milestone in or out,
 * option value) some valid combination makes, in a few projects. MATRIX=all
 * (`npm run test:matrix:all`) runs every valid combination.
 */
const describeCombination = ({ milestones, options }: Combination): string =>
  [milestones.join('+'), ...Object.entries(options).map(([id, value]) => `${id}=${value}`)].join(' ');

const MATRIX_ALL = process.env['MATRIX'] === 'all';
/** MATRIX_ONLY=<regular expression>: only the combinations whose description matches (`db=mysql`), to try one locally. */
const ONLY = process.env['MATRIX_ONLY'] ? new RegExp(process.env['MATRIX_ONLY']) : undefined;
const combinations = (MATRIX_ALL ? validCombinations(catalog) : pairwiseCombinations(catalog)).filter(
  (combination) => ONLY === undefined || ONLY.test(describeCombination(combination)),
);
const planned: PlannedCombination[] = combinations.map((combination) => ({
  combination,
  files: new Map(
    planFromAnswers(catalog, { name: NAME, ...combination }).files.map((file) => [file.path, file.content] as const),
  ),
}));

function digest(entries: Iterable<readonly [string, Buffer]>): string {
  const hash = createHash('sha256');
  for (const [file, content] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`${file}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex').slice(0, 16);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const value = key(item);
    if (value === undefined) continue;
    groups.set(value, [...(groups.get(value) ?? []), item]);
  }
  return groups;
}


const pythonGroups = [
  ...groupBy(planned, ({ files }) => digest([...files].filter(([file]) => readByPythonGates(file)))).values(),
];

/** The files of one kind (a path, or a folder prefix) in a combination, or undefined when it has none. */
function filesOf(item: PlannedCombination, kind: string): [string, Buffer][] | undefined {
  const found = [...item.files].filter(([file]) => (kind.endsWith('/') ? file.startsWith(kind) : file === kind));
  return found.length > 0 ? found : undefined;
}

/** Distinct variants of one left-out file (or folder), each written once to its own directory. */
function variantsOf(kind: string): { readonly dir: string; readonly members: readonly PlannedCombination[] }[] {
  const groups = groupBy(planned, (item) => {
    const files = filesOf(item, kind);
    return files ? digest(files) : undefined;
  });
  const root = makeTempDir(`cprp-matrix-${kind.replace(/\W+/g, '')}`);
  return [...groups.values()].map((members, index) => {
    const dir = path.join(root, String(index));
    for (const [file, content] of filesOf(members[0] as PlannedCombination, kind) ?? []) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content);
    }
    return { dir, members };
  });
}

const MAKE = hasExecutable('make');
const COMPOSE = hasExecutable('docker-compose');
const HADOLINT = ['uvx', '--from', PYTHON_DEPENDENCIES.hadolint.requirement, 'hadolint', '--no-color'];

/**
 * One mypy cache per gate slot: mypy's cache is not safe for two processes at once, and
 * every project here has the same package name with different modules, so two runs
 * sharing one read each other's half-written entries (mypy's INTERNAL ERROR). A group
 * takes a free cache for its gates and gives it back.
 */
const freeMypyCaches = Array.from({ length: PYTHON_GATE_CONCURRENCY }, (_, slot) => path.join(makeTempDir('cprp-matrix-mypy'), `cache-${slot}`));
const PYTEST_GATE = STANDARD_GATES.find((gate) => gate.command.includes('pytest'));

/** Runs at most `limit` jobs at once, in the order they were queued. */
function limiter(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await job();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

function listTree(root: string, relative = ''): string[] {
  return readdirSync(path.join(root, relative)).flatMap((entry) => {
    const file = relative === '' ? entry : `${relative}/${entry}`;
    return statSync(path.join(root, file)).isDirectory() ? listTree(root, file) : [file];
  });
}

interface GroupOutcome {
  readonly failures: readonly string[];
  /** Claimed topics whose evidence the project's test run did not execute, per milestone. */
  readonly unbacked: ReadonlyMap<string, readonly string[]>;
  readonly seconds: number;
}

/** Generates one group's first combination with the built CLI and runs the Python gates on it. */
async function gateGroup(members: readonly PlannedCombination[]): Promise<GroupOutcome> {
  const started = Date.now();
  const first = members[0] as PlannedCombination;
  const dir = await generateProject(NAME, [...combinationArgs(first.combination), '--yes']);
  const failures: string[] = [];
  const written = listTree(dir).sort();
  // Besides the plan, a project that signs tokens gets its development secret in a
  // git-ignored .env, written at creation and never part of the manifest.
  const signsTokens = /^SECRET_KEY=/m.test(first.files.get('.env.example')?.toString() ?? '');
  const expected = [...first.files.keys(), ...(signsTokens ? ['.env'] : [])].sort();
  if (JSON.stringify(written) !== JSON.stringify(expected)) {
    failures.push(`the CLI wrote ${written.length} files, the plan has ${expected.length}`);
  }
  for (const [file, content] of first.files) {
    if (!readFileSync(path.join(dir, file)).equals(content)) failures.push(`${file} differs from the plan`);
  }
  const sync: CommandResult = await runIn(dir, ['uv', 'sync']);
  if (sync.exitCode !== 0) return { failures: [...failures, `uv sync:\n${sync.output.slice(-3000)}`], unbacked: new Map(), seconds: 0 };
  const reports = { coverage: path.join(dir, '.claims-coverage.json'), junit: path.join(dir, '.claims-junit.xml') };
  const mypyCache = freeMypyCaches.pop();
  if (mypyCache === undefined) throw new Error(`more than ${PYTHON_GATE_CONCURRENCY} groups ran their gates at once`);
  try {
    for (const gate of STANDARD_GATES) {
      const command = gate === PYTEST_GATE ? [...gate.command, ...evidenceReportArgs(reports.coverage, reports.junit)] : gate.command;
      const result = await runIn(dir, command, { MYPY_CACHE_DIR: mypyCache });
      if (result.exitCode !== 0) failures.push(`${gate.name}:\n${result.output.slice(-3000)}`);
    }
  } finally {
    freeMypyCaches.push(mypyCache);
  }
  // Members share every file the tests read, so one run's reports speak for all of them.
  const unbacked = new Map<string, string[]>();
  if (existsSync(reports.coverage) && existsSync(reports.junit)) {
    const coverage = JSON.parse(readFileSync(reports.coverage, 'utf8')) as Parameters<typeof executionProblems>[1];
    const junit = readFileSync(reports.junit, 'utf8');
    for (const member of members) {
      const items = evidenceFor(catalog, member.combination, NAME);
      for (const milestone of member.combination.milestones) {
        const problems = executionProblems(items.filter((item) => item.milestone === milestone), coverage, junit);
        unbacked.set(milestone, [...new Set([...(unbacked.get(milestone) ?? []), ...problems])]);
      }
    }
  } else {
    failures.push('pytest wrote no coverage or JUnit report, so the claimed topics could not be checked');
  }
  return { failures, unbacked, seconds: Math.round((Date.now() - started) / 1000) };
}

/** One promise per Python group, queued once, by the first `beforeAll` that needs them. */
let outcomes: Promise<GroupOutcome>[] = [];
function startGroups(): void {
  if (!UV || outcomes.length > 0) return;
  const limit = limiter(PYTHON_GATE_CONCURRENCY);
  // Queued together, awaited in order: each test waits for its own group only.
  outcomes = pythonGroups.map((members) => limit(() => gateGroup(members)));
  // Rejections are reported by the test that awaits them.
  for (const outcome of outcomes) outcome.catch(() => undefined);
}

describe(`${MATRIX_ALL ? 'every valid combination' : 'a covering array of the valid combinations'} (${planned.length}) is generated and gated`, () => {
  it('no file the Python gates read names a left-out file, except the reviewed mentions', () => {
    const unexpected = new Set<string>();
    for (const { files } of planned) {
      for (const [file, content] of files) {
        if (!readByPythonGates(file) || !/\.(py|toml|ini|cfg|txt)$/.test(file)) continue;
        // Challenge tests read the files a challenge changes (compose.yaml, a workflow, the
        // Dockerfile) only when a learner runs them: the gates deselect them (`-m "not challenge"`),
        // and ruff and mypy read their code, not the files they open.
        if (file.startsWith('tests/challenges/')) continue;
        const allowed = REVIEWED_MENTIONS[path.basename(file)] ?? [];
        for (const match of content.toString('utf8').matchAll(NAMES_OF_LEFT_OUT_FILES)) {
          if (!allowed.includes(match[0])) unexpected.add(`${file} names ${match[0]}`);
        }
      }
    }
    expect([...unexpected]).toEqual([]);
  });

  it('in every combination, the evidence of each claimed roadmap topic is in the planned files', () => {
    const problems = new Set<string>();
    for (const { combination, files } of planned) {
      for (const problem of structuralProblems(files, evidenceFor(catalog, combination, NAME))) {
        problems.add(`${describeCombination(combination)}: ${problem}`);
      }
    }
    expect([...problems]).toEqual([]);
  });

  it('no combination has a module nothing runs, a setting nothing reads, or a README line about what it lacks', () => {
    const problems = new Map<string, string[]>();
    const pending: string[] = [];
    for (const { combination, files } of planned) {
      const findings = withoutPending([
        ...unusedModules(files, NAME),
        ...unusedSettings(files, NAME),
        ...readmeProblems(files, combination, catalog, NAME),
      ]);
      pending.push(...findings.pending);
      for (const problem of findings.other) {
        problems.set(problem, [...(problems.get(problem) ?? []), describeCombination(combination)]);
      }
    }
    // One line per problem, with how many combinations have it and the first of them.
    expect([...problems].map(([problem, where]) => `${problem} (${where.length} combinations, e.g. ${where[0]})`)).toEqual([]);
    // A known finding that no longer occurs is removed from PENDING_FINDINGS.
    for (const pattern of PENDING_FINDINGS) expect(pending.some((finding) => pattern.test(finding)), String(pattern)).toBe(true);
  });

  it('each plan has the features of its milestones and records the options it was given', () => {
    for (const { combination, files } of planned) {
      const manifest = JSON.parse(files.get('.roadmap-project.json')?.toString('utf8') ?? '{}') as {
        features?: unknown;
        answers?: { milestones?: unknown; options?: unknown };
      };
      const label = describeCombination(combination);
      expect(manifest.features, label).toEqual(catalog.featuresFor(combination.milestones).map((feature) => feature.id));
      expect(manifest.answers?.milestones, label).toEqual(combination.milestones);
      expect(manifest.answers?.options, label).toEqual(combination.options);
    }
  });

  describe(`the Python gates, once per distinct set of gate inputs (${pythonGroups.length} groups)`, () => {
    beforeAll(startGroups);

    pythonGroups.forEach((members, index) => {
      const title = `${describeCombination((members[0] as PlannedCombination).combination)}${
        members.length > 1 ? ` (+${members.length - 1} more with the same gate inputs)` : ''
      }`;
      it(title, async (ctx) => {
        requireOrSkip(ctx, 'uv', UV, UV_HINT);
        const outcome = await (outcomes[index] as Promise<GroupOutcome>);
        expect(outcome.failures, members.map((member) => describeCombination(member.combination)).join('\n')).toEqual([]);
      });
    });
  });

  describe('every roadmap topic a milestone claims is backed by code its project has and its tests run', () => {
    beforeAll(startGroups);

    for (const milestone of catalog.milestones.filter((candidate) => catalog.isAvailable(candidate))) {
      const groups = pythonGroups.flatMap((members, index) =>
        members.some((member) => member.combination.milestones.includes(milestone.id)) ? [index] : [],
      );
      it(`${milestone.id}: the project's own tests execute every piece of evidence, in all ${groups.length} groups`, async (ctx) => {
        requireOrSkip(ctx, 'uv', UV, UV_HINT);
        const problems = new Set<string>();
        for (const index of groups) {
          const outcome = await (outcomes[index] as Promise<GroupOutcome>);
          for (const problem of outcome.unbacked.get(milestone.id) ?? []) problems.add(problem);
        }
        expect([...problems]).toEqual([]);
      });
    }
  });

  describe('the files the Python gates do not read, once per distinct content', () => {
    it('every Dockerfile passes hadolint', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      for (const { dir } of variantsOf('Dockerfile')) await mustRun(dir, [...HADOLINT, 'Dockerfile']);
    });

    it('every compose file renders with docker-compose config', async (ctx) => {
      requireOrSkip(ctx, 'docker-compose', COMPOSE, 'apt-get install docker-compose');
      const variants = variantsOf('compose.yaml');
      expectSome(variants);
      for (const { dir } of variants) {
        mkdirSync(path.join(dir, 'nginx'), { recursive: true });
        await mustRun(dir, ['docker-compose', '--file', 'compose.yaml', 'config', '--quiet'], {
          SECRET_KEY: 'matrix-secret',
          // Every database's password (POSTGRES_PASSWORD, MYSQL_PASSWORD), as the README tells users to set it.
          ...Object.fromEntries(SERVICES.flatMap((service) => (service.compose.secret ? [[service.compose.secret, 'matrix-password']] : []))),
        });
      }
    });

    it('every GitHub workflow passes actionlint and the workflow schema; Dependabot its schema', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const workflows = variantsOf('.github/workflows/');
      expectSome(workflows);
      const files: string[] = [];
      for (const { dir } of workflows) {
        for (const file of listTree(dir)) {
          const full = path.join(dir, file);
          files.push(full);
          const problems = await runLint(readFileSync(full, 'utf8'), full);
          expect(problems.map((problem) => `${file}:${problem.line} ${problem.kind}: ${problem.message}`)).toEqual([]);
        }
      }
      // A MATRIX_ONLY selection may have none (check-jsonschema refuses an empty file list).
      if (files.length > 0) await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--builtin-schema', 'vendor.github-workflows', ...files]);
      const dependabot = variantsOf('.github/dependabot.yml').map(({ dir }) => path.join(dir, '.github', 'dependabot.yml'));
      // A MATRIX_ONLY selection may have none: check-jsonschema refuses an empty file list.
      if (dependabot.length > 0) await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--builtin-schema', 'vendor.dependabot', ...dependabot]);
    });

    it('every GitLab pipeline and Renovate config passes its schema', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const pipelines = variantsOf('.gitlab-ci.yml').map(({ dir }) => path.join(dir, '.gitlab-ci.yml'));
      const renovate = variantsOf('renovate.json').map(({ dir }) => path.join(dir, 'renovate.json'));
      expectSome(pipelines);
      if (pipelines.length > 0) await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--builtin-schema', 'vendor.gitlab-ci', ...pipelines]);
      if (renovate.length > 0) await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--builtin-schema', 'vendor.renovate', ...renovate]);
    });

    it('every render.yaml and fly.toml passes its platform schema', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      for (const [file, schema] of [
        ['render.yaml', 'render-blueprint.schema.json'],
        ['fly.toml', 'fly-toml.schema.json'],
      ] as const) {
        const variants = variantsOf(file).map(({ dir }) => path.join(dir, file));
        expectSome(variants);
        if (variants.length > 0) await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--schemafile', path.join(SCHEMAS, schema), ...variants]);
      }
    });

    it('every Kubernetes folder passes kubernetes-validate --strict', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const variants = variantsOf('k8s/');
      expectSome(variants);
      for (const { dir } of variants) {
        const manifests = listTree(dir).filter((file) => file.endsWith('.yaml')).map((file) => path.join(dir, file));
        await mustRun(REPO_ROOT, [...KUBERNETES_VALIDATE, '--strict', '--kubernetes-version', KUBERNETES_VERSION, ...manifests]);
      }
    });

    it('every Makefile parses and has the standard targets (make -n)', async (ctx) => {
      requireOrSkip(ctx, 'make', MAKE, 'apt-get install make');
      const variants = variantsOf('Makefile');
      expectSome(variants);
      for (const { dir } of variants) {
        await mustRun(dir, ['make', '-n', 'install', 'run', 'test', 'lint', 'format', 'typecheck']);
      }
    });
  });
});
