// The same scaffold done by cookiecutter and by copier, on templates built at
// bench time from OUR output of the largest milestone set (same files, same
// bytes, copied verbatim), each tool installed from PyPI into a throwaway venv
// (setup, untimed). Every run's output is checked byte-identical to ours, apart
// from each tool's own record (our manifest, copier's answers file).
//   node bench/other-generators.mjs   (BENCH_RUNS=n, default 7)
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  assertSameTree,
  log,
  NODE,
  run,
  scaffoldArgs,
  timeInterleaved,
  timingTable,
  treeDigest,
  startTimingBench,
  writeSection,
} from './lib.mjs';
import { formatRatio, markdownTable } from './stats.mjs';

const TOOLS = { cookiecutter: '2.7.1', copier: '9.19.1' };
const MANIFEST = '.roadmap-project.json';
const COPIER_ANSWERS = '.copier-answers.yml';

const { facts, milestones, cwd: work, runs } = startTimingBench('others', 7);
const env = { ...process.env, UV_PYTHON_DOWNLOADS: 'never' };
delete env.VIRTUAL_ENV;

// Setup, untimed: one venv per tool, the pinned version from PyPI.
const bin = {};
for (const [tool, version] of Object.entries(TOOLS)) {
  const venv = path.join(work, `venv-${tool}`);
  log(`installing ${tool}==${version} into a throwaway venv`);
  run('uv', ['venv', '--quiet', venv], { env });
  run('uv', ['pip', 'install', '--quiet', '--python', path.join(venv, 'bin', 'python'), `${tool}==${version}`], { env });
  bin[tool] = path.join(venv, 'bin', tool);
}
const python = run(path.join(work, 'venv-copier', 'bin', 'python'), ['--version']).stdout.trim();

// Our output once: the reference tree and the content of both templates.
const reference = path.join(work, 'reference');
mkdirSync(reference);
run(NODE, scaffoldArgs('bench-project', milestones), { cwd: reference });
const referenceTree = path.join(reference, 'bench-project');
const expected = treeDigest(referenceTree, { ignore: [MANIFEST] });
const copyTree = (destination) =>
  cpSync(referenceTree, destination, { recursive: true, filter: (source) => path.basename(source) !== MANIFEST || path.dirname(source) !== referenceTree });

// cookiecutter: the tree under {{cookiecutter.project_slug}}/, every file copied without rendering.
const cookiecutterTemplate = path.join(work, 'cookiecutter-template');
mkdirSync(cookiecutterTemplate);
writeFileSync(
  path.join(cookiecutterTemplate, 'cookiecutter.json'),
  `${JSON.stringify({ project_slug: 'bench-project', _copy_without_render: ['*'] }, null, 2)}\n`,
);
copyTree(path.join(cookiecutterTemplate, '{{cookiecutter.project_slug}}'));
const cookiecutterConfig = path.join(work, 'cookiecutter-config.yaml');
writeFileSync(cookiecutterConfig, `cookiecutters_dir: ${path.join(work, 'cc-cache')}\nreplay_dir: ${path.join(work, 'cc-replay')}\n`);

// copier: the tree in a _subdirectory; only *.jinja files are rendered, and none of ours ends so.
// Like our manifest, copier's answers file (what `copier update` needs) is written too.
const copierTemplate = path.join(work, 'copier-template');
mkdirSync(copierTemplate);
writeFileSync(path.join(copierTemplate, 'copier.yml'), '_subdirectory: template\n_templates_suffix: .jinja\n');
copyTree(path.join(copierTemplate, 'template'));
writeFileSync(path.join(copierTemplate, 'template', '{{ _copier_conf.answers_file }}.jinja'), '{{ _copier_answers|to_nice_yaml -}}\n');

const outputs = {
  ours: path.join(work, 'out-ours'),
  cookiecutter: path.join(work, 'out-cookiecutter'),
  copier: path.join(work, 'out-copier'),
};
for (const dir of Object.values(outputs)) mkdirSync(dir);
const fresh = (dir) => () => rmSync(path.join(dir, 'bench-project'), { recursive: true, force: true });
const identical = (dir, what, ignore) => () => {
  const actual = treeDigest(path.join(dir, 'bench-project'), { ignore });
  assertSameTree(expected, actual, what);
};
const labels = {
  ours: 'ours (`node dist/cli.js`)',
  cookiecutter: `cookiecutter ${TOOLS.cookiecutter}`,
  copier: `copier ${TOOLS.copier}`,
};

log(`other generators: ${runs} rounds of node -e 0 / ours / cookiecutter / copier, interleaved`);
const results = timeInterleaved(
  [
    {
      label: labels.ours,
      cmd: NODE,
      args: scaffoldArgs('bench-project', milestones),
      cwd: outputs.ours,
      env,
      prepare: fresh(outputs.ours),
      verify: identical(outputs.ours, 'our own scaffold', [MANIFEST]),
    },
    {
      label: labels.cookiecutter,
      cmd: bin.cookiecutter,
      args: ['--no-input', '--output-dir', outputs.cookiecutter, cookiecutterTemplate],
      cwd: work,
      env: { ...env, COOKIECUTTER_CONFIG: cookiecutterConfig },
      prepare: fresh(outputs.cookiecutter),
      verify: identical(outputs.cookiecutter, 'cookiecutter output', []),
    },
    {
      label: labels.copier,
      cmd: bin.copier,
      args: ['copy', '--defaults', '--quiet', copierTemplate, path.join(outputs.copier, 'bench-project')],
      cwd: work,
      env,
      prepare: fresh(outputs.copier),
      verify: identical(outputs.copier, 'copier output', [COPIER_ANSWERS]),
    },
  ],
  { runs },
);
const ours = results.find((result) => result.label === labels.ours);
const comparison = markdownTable(
  ['generator', '× `node -e 0`', '× ours'],
  results
    .filter((result) => result.label !== labels.ours && result !== results[0])
    .map((result) => [result.label, formatRatio(result.ratio), formatRatio(result.ms / ours.ms)]),
);

writeSection(
  'other-generators',
  [
    '## The same scaffold by cookiecutter and copier (bench/other-generators.mjs)',
    '',
    facts,
    '',
    `Templates built at bench time from our output of ${milestones.join(', ')} (${expected.size} files besides our manifest): ` +
      'cookiecutter\'s under `{{cookiecutter.project_slug}}/` with `_copy_without_render: ["*"]`, copier\'s in a ' +
      '`_subdirectory` with `_templates_suffix: .jinja` (none of our files ends so), plus its standard answers file. ' +
      `So both only copy files, while we render ours from Handlebars templates. Each tool was installed from PyPI into its own ` +
      `throwaway venv (\`uv venv\`, ${python}, \`UV_PYTHON_DOWNLOADS=never\`) before timing. After every run the output is ` +
      `compared file by file (sha256 and executable bit) with ours, apart from \`${MANIFEST}\` and \`${COPIER_ANSWERS}\`; a ` +
      `difference stops the bench. ${runs} rounds after one warm-up, interleaved; medians.`,
    '',
    timingTable(results),
    '',
    comparison,
  ].join('\n'),
);
process.stdout.write(`${timingTable(results)}\n\n${comparison}\n`);
