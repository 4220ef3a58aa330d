import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ActionType } from 'node-plop';
import { applyInsertion, markerLinePattern, type Insertion } from './markers.ts';

/**
 * Runs a micro-generator's actions with node-plop ("an action is a
 * small async function with an interface check in front; failures are
 * collected, not thrown as strings").
 *
 * Plop writes where it is told, so it is pointed at a staging folder holding
 * copies of the files it modifies; the caller reads the results back and
 * writes them into the project through the update journal (atomic, undone by
 * Ctrl-C), or prints them for --dry-run. Plop's prompts (inquirer) are never
 * used: answers come from flags or the CLI's own prompter, and the build
 * replaces inquirer with a stub so it is not even bundled.
 */

export interface PlopWork {
  /** Files to create, project-relative. */
  readonly files: readonly { readonly path: string; readonly content: string }[];
  /** Lines to insert at markers, in order. */
  readonly insertions: readonly Insertion[];
  /** Current content of every file an insertion touches. */
  readonly current: ReadonlyMap<string, string>;
}

export interface PlopFailure {
  readonly type: string;
  readonly path: string;
  readonly error: string;
}

export interface PlopResult {
  /** The paths plop reports as changed, in action order. */
  readonly changes: readonly string[];
  readonly failures: readonly PlopFailure[];
  /** Final content of every created or modified file. */
  readonly output: ReadonlyMap<string, string>;
}

/** The action list: `add` per new file, then `modify` or `append` per insertion, anchored on its marker. */
export function plopActions(work: PlopWork): ActionType[] {
  const actions: ActionType[] = work.files.map((file) => ({
    type: 'add',
    path: file.path,
    // The content is rendered already (our Handlebars instance: noEscape,
    // strict); plop's own rendering would HTML-escape it.
    transform: () => file.content,
    abortOnFail: true,
  }));
  for (const insertion of work.insertions) {
    if (insertion.placement === 'above') {
      // append inserts right after its pattern; a zero-width match at the start
      // of the marker's line puts the lines right above the marker.
      const indent = /^([ \t]*)/.exec(work.current.get(insertion.path)?.split('\n').find((line) => line.trim() === insertion.marker) ?? '')?.[1] ?? '';
      actions.push({
        type: 'append',
        path: insertion.path,
        pattern: markerLinePattern(insertion.marker),
        // Literal text (identifiers and brackets): nothing for plop's Handlebars to expand.
        template: `${insertion.text
          .split('\n')
          .map((line) => `${indent}${line}`)
          .join('\n')
          .replaceAll('{{', '\\{{')}\n`,
        separator: '',
        unique: false,
        abortOnFail: true,
      });
    } else {
      actions.push({
        type: 'modify',
        path: insertion.path,
        transform: (text: string) => {
          const result = applyInsertion(text, insertion);
          if (!result.ok) throw new Error(result.error);
          return result.content;
        },
        abortOnFail: true,
      });
    }
  }
  return actions;
}

/** Runs the actions with node-plop in a staging folder; never touches the project. */
export async function runPlop(generatorName: string, description: string, work: PlopWork): Promise<PlopResult> {
  const { default: nodePlop } = await import('node-plop');
  const staging = mkdtempSync(path.join(tmpdir(), 'cprp-generate-'));
  try {
    for (const [relative, content] of work.current) {
      const file = path.join(staging, ...relative.split('/'));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    const plop = await nodePlop('', { destBasePath: staging, force: false });
    plop.setGenerator(generatorName, { description, prompts: [], actions: plopActions(work) });
    const { changes, failures } = await plop.getGenerator(generatorName).runActions({});
    const output = new Map<string, string>();
    const touched = [...work.files.map((file) => file.path), ...work.insertions.map((insertion) => insertion.path)];
    for (const relative of new Set(touched)) {
      try {
        output.set(relative, readFileSync(path.join(staging, ...relative.split('/')), 'utf8'));
      } catch {
        // not written: the failure says why
      }
    }
    return {
      changes: changes.map((change) => change.path.replace(/^[/\\]/, '').replaceAll('\\', '/')),
      failures: failures.map((failure) => ({ type: failure.type, path: failure.path, error: String(failure.error) })),
      output,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
