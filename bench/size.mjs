// Installed size: `npm pack` the package, install the tarball into a temporary
// prefix, and measure the installed package folder. Budget: ≤ 2 MB (2,000,000
// bytes of files) and no runtime dependency.   node bench/size.mjs
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureBuilt, folderSize, log, machineFacts, NODE, ROOT, run, tempDir, writeSection } from './lib.mjs';
import { markdownTable, verdict } from './stats.mjs';

export const SIZE_BUDGET_BYTES = 2_000_000;
const PACKAGE = 'create-python-roadmap-project';

ensureBuilt();
const facts = machineFacts();
const work = tempDir('size');
const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT }).stdout)[0];
const leaked = packed.files.filter((file) => file.path.startsWith('bench/'));
if (leaked.length > 0) throw new Error(`bench/ must not be published, but the tarball has ${leaked[0].path}`);
const tarball = path.join(work, packed.filename);
const prefix = path.join(work, 'prefix');
log(`size: installing ${packed.filename} into a temporary prefix`);
run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--omit=dev', tarball], { cwd: work });

const installed = path.join(prefix, 'node_modules', PACKAGE);
const others = readdirSync(path.join(prefix, 'node_modules')).filter((name) => !name.startsWith('.') && name !== PACKAGE);
if (others.length > 0) throw new Error(`installing the package brought runtime dependencies: ${others.join(', ')}`);
// It must run from where it was installed, with only what was published.
const version = run(NODE, [path.join(installed, 'dist', 'cli.js'), '--version'], { cwd: work }).stdout.trim();

const total = folderSize(installed);
const parts = readdirSync(installed)
  .map((name) => {
    const full = path.join(installed, name);
    return { name: statSync(full).isDirectory() ? `${name}/` : name, ...(statSync(full).isDirectory() ? folderSize(full) : { bytes: statSync(full).size, files: 1 }) };
  })
  .sort((a, b) => b.bytes - a.bytes);

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const summary = markdownTable(
  ['what', 'bytes', 'files', 'budget', 'verdict'],
  [
    ['installed package folder', `${total.bytes.toLocaleString('en')} (${(total.bytes / 1e6).toFixed(2)} MB)`, String(total.files), '≤ 2 MB', verdict(total.bytes, SIZE_BUDGET_BYTES)],
    ['runtime dependencies installed', String(others.length), '', '0', others.length === 0 ? 'ok' : 'missed'],
    ['tarball (`npm pack`)', `${packed.size.toLocaleString('en')} (${kb(packed.size)})`, String(packed.entryCount), '', ''],
  ],
);
const breakdown = markdownTable(
  ['part of the installed folder', 'size', 'files'],
  parts.map((part) => [part.name, kb(part.bytes), String(part.files)]),
);
writeSection(
  'size',
  [
    '## Installed size (bench/size.mjs)',
    '',
    facts,
    '',
    `\`npm pack\`, then \`npm install --prefix <temp> --omit=dev <tarball>\`; sizes are the sum of the files' bytes in ` +
      `\`node_modules/${PACKAGE}\` (1 MB = 1,000,000 bytes; disk blocks would add a little). The installed CLI answered \`--version\` with ${version}.`,
    '',
    summary,
    '',
    breakdown,
  ].join('\n'),
);
process.stdout.write(`${summary}\n\n${breakdown}\n`);
