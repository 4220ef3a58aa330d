import { loadTemplateTree, type TemplateFile } from '../../catalog/templates.ts';
import type { GeneratedRecord } from '../../manifest/manifest.ts';
import { compileTemplate, createRenderer } from '../../render/handlebars.ts';
import type { Insertion } from '../markers.ts';
import { call, format, fromImport, importBlock, pyString, subscript, type ImportStatement } from '../python-format.ts';
import { PYTHON_BUILTINS, PYTHON_KEYWORDS, SQL_RESERVED_WORDS, humanize, pascalCase } from '../python-names.ts';
import { TEST_CLIENTS } from '../resource/context.ts';
import { RESOURCE_MARKERS } from '../resource/plan.ts';
import type { Parsed } from '../resource/spec.ts';

/**
 * `generate task <name>`: a background job in the jobs feature's style (its
 * work function run by `run_job`, a shared task named `<name>.run`, a service
 * that submits it through `JobService`) and, with `--trigger`, an endpoint that
 * queues it and answers 202. The templates are in templates/generators/task/
 * (framework-free: the task, its service and tests) and
 * templates/generators/task-http/<framework>/ (the trigger's router).
 */

export const TASK_TEMPLATES = 'generators/task';
export const taskHttpTemplates = (framework: TaskFramework): string => `generators/task-http/${framework}`;

/** Every template a task on `framework` is rendered from, paths relative to their folder. */
export function taskTemplates(framework: TaskFramework): TemplateFile[] {
  const tree = loadTemplateTree([TASK_TEMPLATES, taskHttpTemplates(framework)]);
  return [...(tree.get(TASK_TEMPLATES) ?? []), ...(tree.get(taskHttpTemplates(framework)) ?? [])];
}

/** The marker the jobs feature's `celery_app.py` places in `TASK_MODULES`. */
export const TASK_MODULES_MARKER = '# generate-task: task modules';

export const MAX_TASK_NAME_LENGTH = 30;

export interface TaskNames {
  /** `send_reminders`: the package, the work function. */
  readonly task: string;
  /** `SEND_REMINDERS`: the constant holding the task's name. */
  readonly constant: string;
  /** `send_reminders.run`: the Celery task name and the jobs' `kind`. */
  readonly kind: string;
  /** `SendRemindersParams`, `SendRemindersService`. */
  readonly params: string;
  readonly service: string;
  /** `/send-reminders`: the trigger's path under /api/v1. */
  readonly route: string;
  /** `SEND_REMINDERS_URL`, in the tests. */
  readonly urlConstant: string;
  readonly human: string;
}

const TASK_NAME = /^[a-z][a-z0-9_]*$/;

/** Names the task's modules import; the task's generated names must not take one. */
const IMPORTED = new Set([
  'Annotated', 'APIRouter', 'Any', 'BaseModel', 'Celery', 'ConfigDict', 'Depends', 'Engine', 'Job', 'JobError',
  'JobQueue', 'JobQueueDep', 'JobRead', 'JobResult', 'JobService', 'JobStatus', 'JobTask', 'IdempotencyKey', 'Request',
  'Response', 'RetryPolicy', 'Session', 'SessionDep', 'Submission', 'TestClient', 'ValidationError',
]);

/** The task's names from the name the user typed (snake_case). */
export function parseTaskName(name: string): Parsed<TaskNames> {
  const problems: string[] = [];
  if (!TASK_NAME.test(name)) {
    problems.push(`"${name}" cannot be a task name: use snake_case (lowercase letters, digits, underscores), e.g. send_reminders.`);
  } else {
    if (name.length > MAX_TASK_NAME_LENGTH) problems.push(`"${name}" is too long: at most ${MAX_TASK_NAME_LENGTH} characters.`);
    if (name.includes('__') || name.endsWith('_')) problems.push(`"${name}": no double or trailing underscores.`);
    if (PYTHON_KEYWORDS.has(name)) problems.push(`"${name}" is a Python keyword.`);
    if (PYTHON_BUILTINS.has(name)) problems.push(`"${name}" would shadow a Python builtin.`);
    if (SQL_RESERVED_WORDS.has(name)) problems.push(`"${name}" is a reserved word in SQL.`);
    const pascal = pascalCase(name);
    for (const generated of [`${pascal}Params`, `${pascal}Service`, `${pascal}ServiceDep`]) {
      if (IMPORTED.has(generated)) problems.push(`"${name}": its generated name ${generated} collides with an imported name.`);
    }
  }
  if (problems.length > 0) return { problems };
  const pascal = pascalCase(name);
  return {
    value: {
      task: name,
      constant: name.toUpperCase(),
      kind: `${name}.run`,
      params: `${pascal}Params`,
      service: `${pascal}Service`,
      route: `/${name.replaceAll('_', '-')}`,
      urlConstant: `${name.toUpperCase()}_URL`,
      human: humanize(name),
    },
    problems,
  };
}

/**
 * What `generate task` writes per web framework: the trigger's router (its
 * template is in templates/generators/task-http/<framework>/), how routes.py
 * registers it, and the test client (TEST_CLIENTS). Everything else (the task,
 * its service, its tests) is the jobs feature's and framework-free.
 */
interface TaskFrameworkDialect {
  /** The method of `api_router` that mounts the trigger's router. */
  readonly register: string;
  /** Every computed line of the trigger's router.py. */
  readonly router: (packageName: string, names: TaskNames) => Record<string, string>;
}

export const TASK_FRAMEWORKS = {
  fastapi: {
    register: 'include_router',
    router: (pkg, names) => {
      const own = `${pkg}.${names.task}`;
      return {
        imports: importBlock([
          [{ module: 'typing', names: ['Annotated'] }],
          [{ module: 'fastapi', names: ['APIRouter', 'Depends', 'Request', 'Response', 'status'] }],
          [
            { module: `${pkg}.db.dependencies`, names: ['SessionDep'] },
            { module: `${pkg}.errors`, names: ['error_responses'] },
            { module: `${pkg}.jobs.queue`, names: ['JobQueueDep'] },
            { module: `${pkg}.jobs.schemas`, names: ['IdempotencyKey', 'JobRead'] },
            { module: `${own}.schemas`, names: [names.params] },
            { module: `${own}.service`, names: [names.service] },
          ],
        ]),
        routerLine: format(call('APIRouter', [`tags=[${pyString(names.route.slice(1))}]`, 'responses=error_responses(422)']), {
          prefix: 'router = ',
        }),
        getServiceSignature: format(
          call(`def get_${names.task}_service`, ['session: SessionDep', 'queue: JobQueueDep'], ` -> ${names.service}`),
          { suffix: ':' },
        ),
        serviceDep: format(subscript('Annotated', [names.service, call('Depends', [`get_${names.task}_service`])]), {
          prefix: `${names.service}Dep = `,
        }),
        decorator: format(
          call('@router.post', [pyString(names.route), 'status_code=status.HTTP_202_ACCEPTED', 'responses=error_responses(400, 409, 503)']),
        ),
        signature: format(
          call(
            `def request_${names.task}`,
            [
              `body: ${names.params}`,
              `service: ${names.service}Dep`,
              'request: Request',
              'response: Response',
              'idempotency_key: IdempotencyKey = None',
            ],
            ' -> JobRead',
          ),
          { suffix: ':' },
        ),
      };
    },
  },
  flask: {
    register: 'register_blueprint',
    router: (pkg, names) => {
      const own = `${pkg}.${names.task}`;
      return {
        imports: importBlock([
          [{ module: 'http', names: ['HTTPStatus'] }],
          [
            { module: 'apiflask', names: ['APIBlueprint'] },
            { module: 'flask', names: ['url_for'] },
          ],
          [
            { module: `${pkg}.db.dependencies`, names: ['request_session'] },
            { module: `${pkg}.errors`, names: ['error_responses'] },
            { module: `${pkg}.jobs.queue`, names: ['get_job_queue'] },
            { module: `${pkg}.jobs.schemas`, names: ['IdempotencyHeaders', 'JobRead'] },
            { module: `${own}.schemas`, names: [names.params] },
            { module: `${own}.service`, names: [names.service] },
          ],
        ]),
        // The blueprint is named after the task's package, which no other blueprint can be.
        blueprint: format(
          call('APIBlueprint', [pyString(names.task), '__name__', `url_prefix=${pyString(names.route)}`, `tag=${pyString(names.route.slice(1))}`]),
          { prefix: 'router = ' },
        ),
        input: format(call('@router.input', [names.params, 'arg_name="body"'])),
        signature: format(
          call(`def request_${names.task}`, [`body: ${names.params}`, 'headers: IdempotencyHeaders'], ' -> tuple[JobRead, int, dict[str, str]]'),
          { suffix: ':' },
        ),
        service: format(call(names.service, ['request_session()', 'get_job_queue()']), { indent: '    ', prefix: 'service = ' }),
      };
    },
  },
} as const satisfies Record<string, TaskFrameworkDialect>;

/** The frameworks `generate task` writes a trigger for: the keys of TASK_FRAMEWORKS. */
export type TaskFramework = keyof typeof TASK_FRAMEWORKS;
export const TASK_FRAMEWORK_IDS = Object.keys(TASK_FRAMEWORKS) as TaskFramework[];

function buildContext(packageName: string, names: TaskNames, trigger: boolean, framework: TaskFramework) {
  const http = TEST_CLIENTS[framework];
  const pkg = packageName;
  const own = `${pkg}.${names.task}`;
  return {
    project: { packageName },
    names,
    trigger,
    tasks: {
      imports: importBlock([
        [],
        [
          { module: 'celery', names: ['shared_task'] },
          { module: 'pydantic', names: ['ValidationError'] },
          { module: 'sqlalchemy.orm', names: ['Session'] },
        ],
        [
          { module: `${pkg}.jobs.execution`, names: ['JobError', 'JobResult', 'RetryPolicy', 'run_job'] },
          { module: `${pkg}.jobs.models`, names: ['Job'] },
          { module: `${pkg}.jobs.supervision`, names: ['JobTask'] },
          { module: `${own}.schemas`, names: [names.params] },
        ],
      ]),
      workSignature: format(call(`def ${names.task}`, ['_session: Session', 'job: Job'], ' -> JobResult'), { suffix: ':' }),
      validate: format(call(`${names.params}.model_validate`, ['job.params']), { indent: '        ', prefix: 'params = ' }),
      taskSignature: format(call(`def run_${names.task}`, ['self: JobTask', 'job_id: str'], ' -> JobResult | None'), { suffix: ':' }),
    },
    service: {
      imports: importBlock([
        [],
        [{ module: 'sqlalchemy.orm', names: ['Session'] }],
        [
          { module: `${pkg}.jobs.queue`, names: ['JobQueue'] },
          { module: `${pkg}.jobs.service`, names: ['JobService', 'Submission'] },
          { module: `${own}.schemas`, names: [names.params] },
          { module: `${own}.tasks`, names: [names.constant] },
        ],
      ]),
      requestSignature: format(
        call('def request', ['self', `params: ${names.params}`, 'idempotency_key: str | None = None'], ' -> Submission'),
        { indent: '    ', suffix: ':' },
      ),
      submit: format(call('self.jobs.submit', [names.constant, 'params.model_dump(mode="json")', 'idempotency_key']), {
        indent: '        ',
        prefix: 'return ',
      }),
    },
    router: TASK_FRAMEWORKS[framework].router(packageName, names),
    tests: {
      imports: importBlock([
        [{ module: 'typing', names: ['Any'] }],
        [
          { module: 'pytest' },
          { module: 'celery', names: ['Celery'] },
          ...(trigger ? [{ module: http.module, names: [http.client] }] : []),
          { module: 'sqlalchemy', names: ['Engine'] },
          { module: 'sqlalchemy.orm', names: ['Session'] },
        ],
        [
          { module: `${pkg}.jobs.execution`, names: ['JobError'] },
          { module: `${pkg}.jobs.models`, names: ['Job', 'JobStatus'] },
          { module: `${pkg}.jobs.queue`, names: ['JobQueue'] },
          { module: `${own}.schemas`, names: [names.params] },
          { module: `${own}.service`, names: [names.service] },
          { module: `${own}.tasks`, names: [names.constant, names.task] },
        ] satisfies ImportStatement[],
      ]),
      client: http.client,
      json: http.json,
      url: `${names.urlConstant} = ${pyString(`/api/v1${names.route}`)}`,
      submit: format(call(`${names.service}(session, JobQueue(celery_app)).request`, [`${names.params}()`]), {
        indent: '    ',
        prefix: 'submission = ',
      }),
    },
  };
}

export interface TaskPlanInput {
  readonly packageName: string;
  /** The project's web framework: the trigger's router, its registration and the test client. */
  readonly framework: TaskFramework;
  readonly names: TaskNames;
  readonly trigger: boolean;
  readonly generatorVersion: string;
  readonly templates: readonly TemplateFile[];
  readonly commandName: string;
}

export interface TaskPlan {
  readonly files: readonly { readonly path: string; readonly content: string }[];
  readonly insertions: readonly Insertion[];
  readonly record: GeneratedRecord;
}

/**
 * What every framework's plan shares: the templates rendered with `context`
 * (those only a trigger needs left out without one), sorted by path, and the
 * manifest record of the task.
 */
export function assembleTaskPlan(input: {
  readonly packageName: string;
  readonly names: TaskNames;
  readonly trigger: boolean;
  readonly templates: readonly TemplateFile[];
  /** The file names only a trigger writes (its router, views or URLs). */
  readonly triggerOnly: readonly string[];
  readonly context: object;
  readonly insertions: readonly Insertion[];
  readonly generatorVersion: string;
  readonly commandName: string;
}): TaskPlan {
  const { packageName, names, trigger } = input;
  const renderer = createRenderer();
  const files = input.templates
    .filter((template) => trigger || !input.triggerOnly.some((file) => template.path.endsWith(`/${file}.hbs`)))
    .map((template) => {
      const path = template.path
        .replaceAll('__package__', packageName)
        .replaceAll('__task__', names.task)
        .replace(/\.hbs$/, '');
      const source = template.content.toString('utf8');
      const content = template.path.endsWith('.hbs') ? compileTemplate(renderer, source)(input.context) : source;
      return { path, content };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files,
    insertions: input.insertions,
    record: {
      generator: 'task',
      name: names.task,
      version: input.generatorVersion,
      command: [input.commandName, 'generate task', names.task, trigger ? '--trigger' : '--no-trigger'].join(' '),
      files: files.map((file) => file.path),
      insertions: input.insertions,
      task: { kind: names.kind, module: `${names.task}.tasks`, trigger, ...(trigger ? { route: `/api/v1${names.route}` } : {}) },
    },
  };
}

/** `generate task`, planned: pure, like planResource. */
export function planTask(input: TaskPlanInput): TaskPlan {
  const { packageName, names, trigger, framework } = input;
  const insertions: Insertion[] = [
    {
      path: `src/${packageName}/jobs/celery_app.py`,
      marker: TASK_MODULES_MARKER,
      placement: 'above',
      text: `${pyString(`${packageName}.${names.task}.tasks`)},`,
    },
    ...(trigger
      ? [
          {
            path: `src/${packageName}/routes.py`,
            marker: RESOURCE_MARKERS.routerImports,
            placement: 'sorted-import' as const,
            text: fromImport(`${packageName}.${names.task}.router`, [`router as ${names.task}_router`]),
          },
          {
            path: `src/${packageName}/routes.py`,
            marker: RESOURCE_MARKERS.includeRouters,
            placement: 'above' as const,
            text: `api_router.${TASK_FRAMEWORKS[framework].register}(${names.task}_router)`,
          },
        ]
      : []),
  ];
  const context = buildContext(packageName, names, trigger, framework);
  return assembleTaskPlan({ ...input, triggerOnly: ['router.py'], context, insertions });
}
