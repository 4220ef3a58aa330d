import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TemplateFile } from '../../catalog/templates.ts';
import { usageError } from '../../errors.ts';
import { readProjectInventory } from '../../steps/project-inventory.ts';
import type { Insertion } from '../markers.ts';
import { call, format, fromImport, importBlock, pyString } from '../python-format.ts';
import { RESOURCE_MARKERS } from '../resource/plan.ts';
import { assembleTaskPlan, parseTaskName, type TaskNames, type TaskPlan } from './plan.ts';

/**
 * `generate task <name>` in a Django project: a Django app `<package>.<name>` whose
 * `tasks.py` holds a `@shared_task` run through the job ledger (`jobs/execution.py`),
 * installed at the settings' marker so Celery's autodiscovery finds it, and its test
 * through the real worker. With `--trigger`, the app also serves a DRF view that
 * queues the job (202 + `Location`, idempotency keys, 503 when the broker is
 * down, as the reports view does), mounted at the project's `urls.py` markers.
 * The templates are in templates/generators/task-django/.
 */

export const DJANGO_TASK_TEMPLATES = 'generators/task-django';

/** The marker the api feature's Django `settings.py` places in `INSTALLED_APPS` when the project has a worker. */
export const INSTALLED_APPS_MARKER = '# generate-task: installed apps';

/** Labels Django and the project's libraries already use: an app may not take one. */
const TAKEN_LABELS = new Set(['admin', 'auth', 'contenttypes', 'sessions', 'messages', 'staticfiles', 'rest_framework', 'drf_spectacular']);

/** Django's names for the task, beside the shared ones: the app's config and trigger view classes. */
export interface DjangoTaskNames extends TaskNames {
  /** `SendRemindersConfig`: the AppConfig. */
  readonly config: string;
  /** `SendRemindersView`: the trigger's APIView. */
  readonly view: string;
}

/** The task's names, checked against the Django project: a new app and test file, the settings marker, a free route. */
export function validateDjangoTask(input: { root: string; packageName: string; name: string; trigger: boolean }): DjangoTaskNames {
  const parsed = parseTaskName(input.name);
  const problems = [...parsed.problems];
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
    if (input.trigger && readProjectInventory(input.root, input.packageName).routeSegments.has(parsed.value.route.slice(1))) {
      problems.push(`The route /api/v1${parsed.value.route} is already served by another app.`);
    }
  }
  if (problems.length > 0 || !parsed.value) {
    throw usageError(`Cannot generate the task ${input.name}; nothing was written.`, [...new Set(problems)]);
  }
  return djangoTaskNames(parsed.value);
}

/** The shared names, with Django's class names added. */
export function djangoTaskNames(names: TaskNames): DjangoTaskNames {
  const pascal = names.params.replace(/Params$/, '');
  return { ...names, config: `${pascal}Config`, view: `${pascal}View` };
}

function buildContext(packageName: string, names: DjangoTaskNames, trigger: boolean) {
  const pkg = packageName;
  const own = `${pkg}.${names.task}`;
  return {
    project: { packageName },
    names,
    trigger,
    tasks: {
      imports: importBlock([
        [],
        [{ module: 'celery', names: ['shared_task'] }],
        [
          { module: `${pkg}.jobs.execution`, names: ['JobError', 'JobResult', 'RetryPolicy', 'run_job'] },
          { module: `${pkg}.jobs.models`, names: ['Job'] },
          { module: `${pkg}.jobs.supervision`, names: ['JobTask'] },
          { module: `${pkg}.validation`, names: ['StrictSerializer'] },
        ],
      ]),
      workSignature: format(call(`def ${names.task}`, ['job: Job'], ' -> JobResult'), { suffix: ':' }),
      taskSignature: format(call(`def run_${names.task}`, ['self: JobTask', 'job_id: str'], ' -> JobResult | None'), { suffix: ':' }),
    },
    views: {
      imports: importBlock([
        [{ module: 'http', names: ['HTTPStatus'] }],
        [
          { module: 'django.urls', names: ['reverse'] },
          { module: 'drf_spectacular.types', names: ['OpenApiTypes'] },
          { module: 'drf_spectacular.utils', names: ['OpenApiParameter', 'OpenApiResponse', 'extend_schema'] },
          { module: 'rest_framework.request', names: ['Request'] },
          { module: 'rest_framework.response', names: ['Response'] },
          { module: 'rest_framework.views', names: ['APIView'] },
        ],
        [
          { module: `${pkg}.errors`, names: ['error_body'] },
          { module: `${pkg}.jobs`, names: ['services'] },
          { module: `${pkg}.jobs.serializers`, names: ['IdempotencyKeySerializer', 'JobReadSerializer'], explode: true },
          { module: `${own}.tasks`, names: [names.constant, names.params], explode: true },
        ],
      ]),
      operationId: pyString(`request_${names.task}`),
      submit: format(call('services.submit', [names.constant, 'dict(body.validated_data)', 'key']), {
        indent: '            ',
        prefix: 'submission = ',
      }),
    },
    urls: {
      route: format(call('path', [pyString(names.route.slice(1)), `${names.view}.as_view()`, `name=${pyString(names.route.slice(1))}`]), {
        indent: '    ',
        suffix: ',',
      }),
    },
    tests: {
      imports: importBlock([
        [],
        [
          { module: 'pytest' },
          ...(trigger
            ? [
                { module: 'celery', names: ['Celery'] },
                { module: 'rest_framework.test', names: ['APIClient'] },
              ]
            : []),
        ],
        [
          { module: `${pkg}.jobs`, names: ['services'] },
          { module: `${pkg}.jobs.execution`, names: ['JobError'] },
          { module: `${pkg}.jobs.models`, names: ['Job', 'JobStatus'], explode: true },
          { module: `${own}.tasks`, names: [names.constant, names.task], explode: true },
        ],
      ]),
      url: `${names.urlConstant} = ${pyString(`/api/v1${names.route}`)}`,
    },
  };
}

/** `generate task` on Django, planned: pure, like planTask. */
export function planDjangoTask(input: {
  readonly packageName: string;
  readonly names: DjangoTaskNames;
  readonly trigger: boolean;
  readonly generatorVersion: string;
  readonly templates: readonly TemplateFile[];
  readonly commandName: string;
}): TaskPlan {
  const { packageName, names, trigger } = input;
  const urls = `src/${packageName}/urls.py`;
  const insertions: Insertion[] = [
    { path: `src/${packageName}/settings.py`, marker: INSTALLED_APPS_MARKER, placement: 'above', text: `${pyString(`${packageName}.${names.task}`)},` },
    ...(trigger
      ? [
          {
            path: urls,
            marker: RESOURCE_MARKERS.routerImports,
            placement: 'sorted-import' as const,
            text: fromImport(`${packageName}.${names.task}.urls`, [`urlpatterns as ${names.task}_urls`]),
          },
          { path: urls, marker: RESOURCE_MARKERS.includeRouters, placement: 'above' as const, text: `*${names.task}_urls,` },
        ]
      : []),
  ];
  const context = buildContext(packageName, names, trigger);
  return assembleTaskPlan({ ...input, triggerOnly: ['views.py', 'urls.py'], context, insertions });
}
