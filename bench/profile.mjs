// Says why a command is slow: runs it under `node --cpu-prof` on a copy of the
// CLI built with source maps, and charges every sample to the first frame of
// our bundle up its stack, mapped back to the source file or npm package.
// Used by the other scripts when a budget is missed; alone it prints, writing
// nothing to RESULTS.md:
//   node bench/profile.mjs [CLI arguments...]   (default: scaffold of the largest set)
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ensureBuilt,
  largestMilestones,
  machineFacts,
  NODE,
  ROOT,
  run,
  scaffoldArgs,
  tempDir,
} from './lib.mjs';
import { formatMs, markdownTable } from './stats.mjs';

const PROFILE_BUILD = path.join(ROOT, 'bench', '.work', 'profile-build');
let built = false;

/** Builds dist/ with source maps under bench/.work/profile-build (inside the package, so it finds roadmap.json). */
function buildWithSourceMaps() {
  if (built) return;
  rmSync(PROFILE_BUILD, { recursive: true, force: true });
  mkdirSync(PROFILE_BUILD, { recursive: true });
  const hooks = pathToFileURL(path.join(ROOT, 'bench', 'profile-hooks.mjs')).href;
  const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(hooks)});`;
  run(NODE, ['--import', register, path.join(ROOT, 'scripts', 'build.mjs')], { cwd: PROFILE_BUILD });
  built = true;
}

const sourceMaps = new Map();
function sourceMapFor(url) {
  if (!sourceMaps.has(url)) {
    const file = fileURLToPath(url);
    let map = null;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      // A file without a map (none is expected): its samples stay unmapped.
    }
    sourceMaps.set(url, map);
  }
  return sourceMaps.get(url);
}

/** `handlebars`, `@scope/pkg`, `src/render`: who a bundled source file belongs to. */
function ownerOfSource(source) {
  const normalized = source.replaceAll('\\', '/');
  const modules = normalized.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const parts = normalized.slice(modules + 'node_modules/'.length).split('/');
    return `npm: ${parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  const src = normalized.lastIndexOf('src/');
  if (src !== -1) {
    const parts = normalized.slice(src).split('/');
    return parts.length > 2 ? `${parts[0]}/${parts[1]}/` : parts.join('/');
  }
  return normalized.replace(/^(\.\.\/)+/, '');
}

function isBundleUrl(url) {
  return url.startsWith(pathToFileURL(PROFILE_BUILD).href);
}

function ownerOfFrame(frame) {
  const map = sourceMapFor(frame.url);
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
  return entry?.originalSource ? ownerOfSource(entry.originalSource) : 'bundle code with no source mapping (esbuild module wrappers)';
}

/** Where a sample with no bundled frame on its stack went. */
function ownerOutsideBundle(frame) {
  if (frame.functionName === '(garbage collector)') return 'garbage collection';
  if (frame.functionName === '(program)') return 'V8 and native code (parsing, compiling, startup)';
  if (frame.functionName === '(idle)') return 'idle (waiting for I/O or a child process)';
  return 'Node.js itself before or around our code (bootstrap, ES module loader)';
}

/** Milliseconds per owner, summed over the given .cpuprofile files. */
function attribute(profileFiles) {
  const totals = new Map();
  let wallMs = 0;
  for (const file of profileFiles) {
    const profile = JSON.parse(readFileSync(file, 'utf8'));
    wallMs += (profile.endTime - profile.startTime) / 1000;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const ownerCache = new Map();
    const ownerOf = (id) => {
      if (ownerCache.has(id)) return ownerCache.get(id);
      let owner;
      for (let current = id; current !== undefined; current = parent.get(current)) {
        const frame = byId.get(current).callFrame;
        if (isBundleUrl(frame.url)) {
          owner = ownerOfFrame(frame);
          break;
        }
      }
      owner ??= ownerOutsideBundle(byId.get(id).callFrame);
      ownerCache.set(id, owner);
      return owner;
    };
    profile.samples.forEach((id, index) => {
      const micros = profile.timeDeltas[index + 1] ?? 0;
      const owner = ownerOf(id);
      totals.set(owner, (totals.get(owner) ?? 0) + micros / 1000);
    });
  }
  return { totals, wallMs };
}

/**
 * Profiles `node dist/cli.js <cliArgs>` `runs` times (each after `prepare()`,
 * in `cwd`) and returns a Markdown summary: mean milliseconds per owner.
 */
export function profileCommand({ cliArgs, cwd, prepare, runs = 5, title }) {
  buildWithSourceMaps();
  const profileDir = tempDir('cpuprof');
  const cli = path.join(PROFILE_BUILD, 'dist', 'cli.js');
  for (let round = 0; round < runs; round++) {
    prepare?.(round);
    run(NODE, ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-interval', '250', cli, ...cliArgs], { cwd });
  }
  const files = readdirSync(profileDir).map((name) => path.join(profileDir, name));
  const { totals, wallMs } = attribute(files);
  const sampled = [...totals.values()].reduce((sum, ms) => sum + ms, 0);
  const rows = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .filter(([, ms]) => ms / files.length >= 1)
    .map(([owner, ms]) => [owner, formatMs(ms / files.length), `${Math.round((ms / sampled) * 100)} %`]);
  return [
    `${title} — \`node --cpu-prof\` (250 µs sampling), mean of ${files.length} runs, ` +
      `${formatMs(wallMs / files.length)} profiled per run (profiling slows it down). ` +
      'Each sample is charged to the first frame of our bundle up its stack, mapped back through a ' +
      'source map to the npm package or src/ folder it came from; samples with no bundled frame are ' +
      'Node.js and V8 themselves. Owners under 1 ms are left out.',
    '',
    markdownTable(['owner', 'mean per run', 'share'], rows),
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureBuilt();
  const facts = machineFacts();
  let cliArgs = process.argv.slice(2);
  // Given arguments run where you are (say, inside a project); the default scaffold in a temp folder.
  const cwd = cliArgs.length === 0 ? tempDir('profile') : process.cwd();
  let title = `\`${cliArgs.join(' ')}\``;
  if (cliArgs.length === 0) {
    const milestones = largestMilestones();
    cliArgs = scaffoldArgs('bench-project', milestones).slice(1);
    title = `Scaffold of ${milestones.join(', ')}`;
  }
  const summary = profileCommand({
    cliArgs,
    cwd,
    prepare: () => {
      if (process.argv.length === 2) rmSync(path.join(cwd, 'bench-project'), { recursive: true, force: true });
    },
    title,
  });
  process.stdout.write(`${facts}\n\n${summary}\n`);
}
