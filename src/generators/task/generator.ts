import { frameworkOf } from '../../catalog/frameworks.ts';
import { loadTemplateTree } from '../../catalog/templates.ts';
import { PACKAGE_NAME, generatorVersion } from '../../paths.ts';
import { buildProjectNames } from '../../render/project-names.ts';
import type { Generator } from '../generator.ts';
import { chooseTaskAnswers, validateTask } from './answers.ts';
import { DJANGO_TASK_TEMPLATES, planDjangoTask, validateDjangoTask } from './django.ts';
import { TASK_FLAGS } from './flags.ts';
import { TASK_FRAMEWORK_IDS, planTask, taskTemplates, type TaskFramework } from './plan.ts';

/** `generate task <name> [--trigger]`: a Celery task run through the job ledger, and optionally its endpoint. */
export const taskGenerator: Generator<{ readonly name: string; readonly trigger: boolean }> = {
  id: 'task',
  // The task is framework-free on FastAPI and Flask (the trigger and its HTTP tests are written
  // per framework); Django's tasks use its jobs ledger and tests (django.ts).
  frameworks: [...TASK_FRAMEWORK_IDS, 'django'],
  requires: {
    feature: 'jobs',
    why: 'Celery workers and the job ledger',
    hint: `Add the milestone that brings it first: \`${PACKAGE_NAME} add background-jobs\`.`,
  },
  flags: TASK_FLAGS,
  ask: ({ io, flags, interactive }) => chooseTaskAnswers(io, interactive, flags),
  plan({ project }, answers) {
    const packageName = buildProjectNames(project.answers.name).packageName;
    const task = { root: project.root, packageName, name: answers.name, trigger: answers.trigger };
    const shared = { packageName, generatorVersion: generatorVersion(), commandName: PACKAGE_NAME };
    // `generate` refuses a project on a framework outside `frameworks` before planning.
    const framework = frameworkOf(project.answers.options);
    const { names, plan } = framework === 'django' ? planOnDjango(task, shared) : planOn(framework as TaskFramework, task, shared);
    return {
      name: names.task,
      files: plan.files,
      insertions: plan.insertions,
      record: plan.record,
      next: [
        `make worker     # a worker that runs ${names.kind} (restart a running one: it imports tasks at start)`,
        `make check      # the new tests in tests/jobs/test_${names.task}_task.py run with the others`,
        ...(answers.trigger ? [`make run        # then POST /api/v1${names.route} and poll the Location it answers`] : []),
      ],
    };
  },
};

type TaskInput = Parameters<typeof validateTask>[0];
type SharedInput = { readonly packageName: string; readonly generatorVersion: string; readonly commandName: string };

/** A Django project's task: a Django app of its own (django.ts). */
function planOnDjango(task: TaskInput, shared: SharedInput) {
  const names = validateDjangoTask(task);
  const templates = loadTemplateTree([DJANGO_TASK_TEMPLATES]).get(DJANGO_TASK_TEMPLATES) ?? [];
  return { names, plan: planDjangoTask({ ...shared, names, trigger: task.trigger, templates }) };
}

/** A FastAPI or Flask project's task: the shared task, with the framework's trigger. */
function planOn(framework: TaskFramework, task: TaskInput, shared: SharedInput) {
  const names = validateTask(task);
  return { names, plan: planTask({ ...shared, framework, names, trigger: task.trigger, templates: taskTemplates(framework) }) };
}
