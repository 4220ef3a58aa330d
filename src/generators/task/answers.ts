import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { usageError } from '../../errors.ts';
import type { CliIO } from '../../io.ts';
import { TASK_MODULES_MARKER, parseTaskName, type TaskNames } from './plan.ts';
import { readProjectInventory } from '../../steps/project-inventory.ts';

/**
 * The task's name (flag, else a question on a terminal, else exit 2) and
 * whether it gets an API trigger (`--trigger` / `--no-trigger`, else a yes/no
 * question on a terminal, else no trigger).
 */
export async function chooseTaskAnswers(
  io: CliIO,
  interactive: boolean,
  given: { readonly name?: string; readonly trigger?: boolean },
): Promise<{ name: string; trigger: boolean }> {
  let name = given.name;
  if (name === undefined) {
    if (!interactive) {
      throw usageError('generate task needs the task name.', ['Usage: generate task <name> [--trigger] (name in snake_case, e.g. send_reminders)']);
    }
    name = String(
      await io.prompt({
        type: 'text',
        message: 'Task name (snake_case, e.g. send_reminders)',
        validate: (value) => {
          const { problems } = parseTaskName(value.trim());
          return problems.length === 0 ? true : problems.join(' ');
        },
      }),
    ).trim();
  }
  let trigger = given.trigger;
  if (trigger === undefined) {
    const route = parseTaskName(name).value?.route ?? `/${name}`;
    trigger = interactive
      ? Boolean(await io.prompt({ type: 'confirm', message: `Add an API endpoint that queues it (POST /api/v1${route})?`, initial: false }))
      : false;
  }
  return { name, trigger };
}

/** The task's names, checked against the project: a new package, test file and route, and the marker. */
export function validateTask(input: { root: string; packageName: string; name: string; trigger: boolean }): TaskNames {
  const parsed = parseTaskName(input.name);
  const problems = [...parsed.problems];
  if (parsed.value) {
    const { task, route, kind } = parsed.value;
    const taken = [`src/${input.packageName}/${task}`, `src/${input.packageName}/${task}.py`, `tests/jobs/test_${task}_task.py`];
    for (const relative of taken) {
      if (existsSync(path.join(input.root, ...relative.split('/')))) problems.push(`${relative} already exists.`);
    }
    const celery = path.join(input.root, 'src', input.packageName, 'jobs', 'celery_app.py');
    let celerySource = '';
    try {
      celerySource = readFileSync(celery, 'utf8');
    } catch {
      problems.push(`src/${input.packageName}/jobs/celery_app.py is missing.`);
    }
    if (celerySource.includes(`"${input.packageName}.${task}.tasks"`)) problems.push(`TASK_MODULES already lists ${input.packageName}.${task}.tasks.`);
    if (celerySource.includes(`"${kind}"`)) problems.push(`A task named ${kind} already exists.`);
    if (celerySource !== '' && !celerySource.split('\n').some((line) => line.trim() === TASK_MODULES_MARKER)) {
      problems.push(`src/${input.packageName}/jobs/celery_app.py has no "${TASK_MODULES_MARKER}" line in TASK_MODULES; put it back (see \`update --dry-run\`).`);
    }
    if (input.trigger && readProjectInventory(input.root, input.packageName).routeSegments.has(route.slice(1))) {
      problems.push(`The route /api/v1${route} is already served by another router.`);
    }
  }
  if (problems.length > 0 || !parsed.value) {
    throw usageError(`Cannot generate the task ${input.name}; nothing was written.`, [...new Set(problems)]);
  }
  return parsed.value;
}
