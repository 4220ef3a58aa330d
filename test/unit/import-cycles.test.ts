import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

/** Every relative import of a module: static, type-only, re-exports and dynamic `import()`. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+'(\.{1,2}\/[^']+)'/g, /\bimport\s*\(\s*'(\.{1,2}\/[^']+)'\s*\)/g, /^import\s+'(\.{1,2}\/[^']+)'/gm];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1] as string);
  return found;
}

/** The module graph of src/: file (relative to src) → the files it imports. */
function moduleGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const imports = importsOf(readFileSync(full, 'utf8')).map((spec) => path.relative(root, path.resolve(path.dirname(full), spec)));
        graph.set(path.relative(root, full), imports);
      }
    }
  };
  walk(root);
  return graph;
}

/** Every import cycle, each once, as the list of modules it passes through. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (!state.has(next) && graph.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('import cycles', () => {
  it('finds a cycle when there is one, and none in a chain', () => {
    expect(importCycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']]]))).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(importCycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', []]]))).toEqual([]);
    expect(importsOf("import type { X } from './x.ts';\nexport { y } from '../y.ts';\nconst z = await import('./z.ts');")).toEqual(['./x.ts', '../y.ts', './z.ts']);
  });

  it('src/ has no import cycle, type-only imports included', () => {
    const cycles = importCycles(moduleGraph(SRC)).map((cycle) => [...cycle, cycle[0]].join(' → '));
    expect(cycles).toEqual([]);
  });
});
