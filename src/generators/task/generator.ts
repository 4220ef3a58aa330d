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
    if (frameworkOf(project.answers.options) === 'django') {
      const names = validateDjangoTask({ root: project.root, packageName, name: answers.name, trigger: answers.trigger });
      const plan = planDjangoTask({
        packageName,
        names,
        generatorVersion: generatorVersion(),
        templates: loadTemplateTree([DJANGO_TASK_TEMPLATES]).get(DJANGO_TASK_TEMPLATES) ?? [],
        commandName: PACKAGE_NAME,
      });
      return {
        name: names.task,
        files: plan.files,
        insertions: plan.insertions,
        record: plan.record,
        next: [
          `make worker     # a worker that runs ${names.kind} (restart a running one: it imports tasks at start)`,
          `make check      # the new tests in tests/jobs/test_${names.task}_task.py run with the others`,
        ],
      };
    }
    const names = validateTask({ root: project.root, packageName, name: answers.name, trigger: answers.trigger });
    // `generate` refuses a project on a framework outside `frameworks` before planning.
    const framework = frameworkOf(project.answers.options) as TaskFramework;
    const plan = planTask({
      packageName,
      framework,
      names,
      trigger: answers.trigger,
      generatorVersion: generatorVersion(),
      templates: taskTemplates(framework),
      commandName: PACKAGE_NAME,
    });
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
