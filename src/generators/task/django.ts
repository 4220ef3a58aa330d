import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TemplateFile } from '../../catalog/templates.ts';
import { usageError } from '../../errors.ts';
import { compileTemplate, createRenderer } from '../../render/handlebars.ts';
import type { Insertion } from '../markers.ts';
import { call, format, importBlock, pyString } from '../python-format.ts';
import { parseTaskName, type TaskNames, type TaskPlan } from './plan.ts';

/**
 * `generate task <name>` in a Django project: a Django app `<package>.<name>` whose
 * `tasks.py` holds a `@shared_task` run through the job ledger (`jobs/execution.py`),
 * installed at the settings' marker so Celery's autodiscovery finds it, and its test
 * through the real worker. The templates are in templates/generators/task-django/.
 * `--trigger` (a DRF view queueing it) is not written on Django yet.
 */

export const DJANGO_TASK_TEMPLATES = 'generators/task-django';

/** The marker the api feature's Django `settings.py` places in `INSTALLED_APPS` when the project has a worker. */
export const INSTALLED_APPS_MARKER = '# generate-task: installed apps';

/** Labels Django and the project's libraries already use: an app may not take one. */
const TAKEN_LABELS = new Set(['admin', 'auth', 'contenttypes', 'sessions', 'messages', 'staticfiles', 'rest_framework', 'drf_spectacular']);

/** Django's names for the task, beside the shared ones: the app's config class. */
export interface DjangoTaskNames extends TaskNames {
  /** `SendRemindersConfig`: the AppConfig. */
  readonly config: string;
}

/** The task's names, checked against the Django project: a new app and test file, the settings marker. */
export function validateDjangoTask(input: { root: string; packageName: string; name: string; trigger: boolean }): DjangoTaskNames {
  const parsed = parseTaskName(input.name);
  const problems = [...parsed.problems];
  if (input.trigger) problems.push('--trigger is not written on Django yet: run it with --no-trigger and queue the task from your view.');
  if (parsed.value) {
    const { task } = parsed.value;
    if (TAKEN_LABELS.has(task)) problems.push(`"${task}" is the label of an app Django projects install already.`);
    const taken = [`src/${input.packageName}/${task}`, `src/${input.packageName}/${task}.py`, `tests/jobs/test_${task}_task.py`];
    for (const relative of taken) {
      if (existsSync(path.join(input.root, ...relative.split('/')))) problems.push(`${relative} already exists.`);
    }
    const settingsPath = `src/${input.packageName}/settings.py`;
    let settings = '';
    try {
      settings = readFileSync(path.join(input.root, ...settingsPath.split('/')), 'utf8');
    } catch {
      problems.push(`${settingsPath} is missing.`);
    }
    if (settings.includes(`"${input.packageName}.${task}"`)) problems.push(`INSTALLED_APPS already lists ${input.packageName}.${task}.`);
    if (settings !== '' && !settings.split('\n').some((line) => line.trim() === INSTALLED_APPS_MARKER)) {
      problems.push(`${settingsPath} has no "${INSTALLED_APPS_MARKER}" line in INSTALLED_APPS; put it back (see \`update --dry-run\`).`);
    }
  }
  if (problems.length > 0 || !parsed.value) {
    throw usageError(`Cannot generate the task ${input.name}; nothing was written.`, [...new Set(problems)]);
  }
  return { ...parsed.value, config: parsed.value.params.replace(/Params$/, 'Config') };
}

function buildContext(packageName: string, names: DjangoTaskNames) {
  const pkg = packageName;
  const own = `${pkg}.${names.task}`;
  return {
    project: { packageName },
    names,
    tasks: {
      imports: importBlock([
        [{ module: 'typing', names: ['Any'] }],
        [{ module: 'celery', names: ['Task', 'shared_task'] }],
        [
          { module: `${pkg}.jobs.execution`, names: ['JobError', 'JobResult', 'RetryPolicy', 'run_job'] },
          { module: `${pkg}.jobs.models`, names: ['Job'] },
          { module: `${pkg}.validation`, names: ['StrictSerializer'] },
        ],
      ]),
      workSignature: format(call(`def ${names.task}`, ['job: Job'], ' -> JobResult'), { suffix: ':' }),
      taskSignature: format(call(`def run_${names.task}`, ['self: Task[Any, Any]', 'job_id: str'], ' -> JobResult | None'), {
        suffix: ':',
      }),
    },
    tests: {
      imports: importBlock([
        [],
        [{ module: 'pytest' }],
        [
          { module: `${pkg}.jobs`, names: ['services'] },
          { module: `${pkg}.jobs.execution`, names: ['JobError'] },
          { module: `${pkg}.jobs.models`, names: ['Job', 'JobStatus'] },
          { module: `${own}.tasks`, names: [names.constant, names.task] },
        ],
      ]),
    },
  };
}

/** `generate task` on Django, planned: pure, like planTask. */
export function planDjangoTask(input: {
  readonly packageName: string;
  readonly names: DjangoTaskNames;
  readonly generatorVersion: string;
  readonly templates: readonly TemplateFile[];
  readonly commandName: string;
}): TaskPlan {
  const { packageName, names } = input;
  const context = buildContext(packageName, names);
  const renderer = createRenderer();
  const files = input.templates
    .map((template) => ({
      path: template.path.replaceAll('__package__', packageName).replaceAll('__task__', names.task).replace(/\.hbs$/, ''),
      content: template.path.endsWith('.hbs') ? compileTemplate(renderer, template.content.toString('utf8'))(context) : template.content.toString('utf8'),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const insertions: Insertion[] = [
    { path: `src/${packageName}/settings.py`, marker: INSTALLED_APPS_MARKER, placement: 'above', text: `${pyString(`${packageName}.${names.task}`)},` },
  ];
  return {
    files,
    insertions,
    record: {
      generator: 'task',
      name: names.task,
      version: input.generatorVersion,
      command: [input.commandName, 'generate task', names.task, '--no-trigger'].join(' '),
      files: files.map((file) => file.path),
      insertions,
      task: { kind: names.kind, module: `${names.task}.tasks`, trigger: false },
    },
  };
}
