import { describe, expect, it } from 'vitest';
import { loadTemplateTree } from '../../src/catalog/templates.ts';
import { LINE_LENGTH } from '../../src/generators/python-format.ts';
import { DJANGO_TASK_TEMPLATES, djangoTaskNames, planDjangoTask } from '../../src/generators/task/django.ts';
import { MAX_TASK_NAME_LENGTH, TASK_FRAMEWORK_IDS, parseTaskName, planTask, taskTemplates, type TaskFramework } from '../../src/generators/task/plan.ts';

function plan(packageName: string, name: string, trigger: boolean, framework: TaskFramework = 'fastapi') {
  const names = parseTaskName(name);
  expect(names.problems).toEqual([]);
  return planTask({ packageName, framework, names: names.value!, trigger, generatorVersion: '9.9.9', templates: taskTemplates(framework), commandName: 'create-python-roadmap-project' });
}

describe('generate task', () => {
  it('derives the task\'s names from a snake_case name', () => {
    expect(parseTaskName('send_reminders').value).toEqual({
      task: 'send_reminders',
      constant: 'SEND_REMINDERS',
      kind: 'send_reminders.run',
      params: 'SendRemindersParams',
      service: 'SendRemindersService',
      route: '/send-reminders',
      urlConstant: 'SEND_REMINDERS_URL',
      human: 'send reminders',
    });
  });

  it.each([
    ['CamelCase', 'SendReminders', /use snake_case/],
    ['a keyword', 'import', /Python keyword/],
    ['a builtin', 'print', /Python builtin/],
    ['an SQL word', 'select', /reserved word in SQL/],
    ['a trailing underscore', 'send_', /no double or trailing underscores/],
    ['too long', 'x'.repeat(MAX_TASK_NAME_LENGTH + 1), /at most 30 characters/],
  ])('refuses %s', (_name, name, message) => {
    expect(parseTaskName(name).problems.join('\n')).toMatch(message);
  });

  it('plans the task package, its tests, the TASK_MODULES line and, with --trigger, the router', () => {
    const withTrigger = plan('shop', 'send_reminders', true);
    expect(withTrigger.files.map((file) => file.path)).toEqual([
      'src/shop/send_reminders/__init__.py',
      'src/shop/send_reminders/router.py',
      'src/shop/send_reminders/schemas.py',
      'src/shop/send_reminders/service.py',
      'src/shop/send_reminders/tasks.py',
      'tests/jobs/test_send_reminders_task.py',
    ]);
    expect(withTrigger.insertions.map((insertion) => [insertion.path, insertion.placement, insertion.text])).toEqual([
      ['src/shop/jobs/celery_app.py', 'above', '"shop.send_reminders.tasks",'],
      ['src/shop/routes.py', 'sorted-import', 'from shop.send_reminders.router import router as send_reminders_router'],
      ['src/shop/routes.py', 'above', 'api_router.include_router(send_reminders_router)'],
    ]);
    expect(withTrigger.record).toMatchObject({
      generator: 'task',
      name: 'send_reminders',
      command: 'create-python-roadmap-project generate task send_reminders --trigger',
      task: { kind: 'send_reminders.run', module: 'send_reminders.tasks', trigger: true, route: '/api/v1/send-reminders' },
    });
    const tasks = withTrigger.files.find((file) => file.path.endsWith('tasks.py'))!.content;
    expect(tasks).toContain('SEND_REMINDERS = "send_reminders.run"');
    expect(tasks).toContain('    return run_job(self, job_id, send_reminders, RETRY_POLICY)');
    // A job task: the worker's main process records a job whose pool process died.
    expect(tasks).toContain('from shop.jobs.supervision import JobTask\n');
    expect(tasks).toMatch(/^ {4}base=JobTask,$/m);
    expect(tasks).toContain('def run_send_reminders(self: JobTask, job_id: str) -> JobResult | None:');

    const without = plan('shop', 'nightly_cleanup', false);
    expect(without.files.map((file) => file.path)).not.toContain('src/shop/nightly_cleanup/router.py');
    expect(without.insertions).toHaveLength(1);
    const test = without.files.find((file) => file.path.startsWith('tests/'))!.content;
    expect(test).not.toContain('client');
    expect(test).toContain('from .waiting import wait_for_row\n');
  });

  it('on Flask, the trigger is a blueprint routes.py registers, and the tests use Flask\'s client', () => {
    const flask = plan('shop', 'send_reminders', true, 'flask');
    expect(flask.insertions.map((insertion) => insertion.text)).toContain('api_router.register_blueprint(send_reminders_router)');
    const router = flask.files.find((file) => file.path.endsWith('/router.py'))!.content;
    expect(router).toMatch(/router = APIBlueprint\(\s*"send_reminders",\s*__name__,\s*url_prefix="\/send-reminders",/);
    expect(router).toContain('@router.input(IdempotencyHeaders, location="headers", arg_name="headers")');
    expect(router).not.toMatch(/fastapi/i);
    const test = flask.files.find((file) => file.path.startsWith('tests/'))!.content;
    expect(test).toContain('from flask.testing import FlaskClient\n');
    expect(test).toContain('job = response.get_json()\n');
    expect(test).not.toMatch(/TestClient|\.json\(\)/);
    // Only the router and the test client differ: the task, its service and schemas are the same files.
    const fastapi = plan('shop', 'send_reminders', true);
    const shared = (files: typeof flask.files) => files.filter((file) => !file.path.endsWith('/router.py') && !file.path.startsWith('tests/'));
    expect(shared(flask.files)).toEqual(shared(fastapi.files));
  });

  it.for(TASK_FRAMEWORK_IDS)('keeps every line within 100 columns with the longest names (%s)', (framework) => {
    for (const trigger of [true, false]) {
      const result = plan('a'.repeat(40), `${'t'.repeat(MAX_TASK_NAME_LENGTH - 1)}x`, trigger, framework);
      const tooLong = result.files.flatMap((file) =>
        file.content.split('\n').flatMap((line, index) => (line.length > LINE_LENGTH ? [`${file.path}:${index + 1}: ${line}`] : [])),
      );
      expect(tooLong).toEqual([]);
      for (const file of result.files) expect(file.content, file.path).not.toMatch(/[ \t]$|\n\n\n\n/m);
    }
  });
});

describe('generate task on Django', () => {
  const templates = loadTemplateTree([DJANGO_TASK_TEMPLATES]).get(DJANGO_TASK_TEMPLATES) ?? [];
  function djangoPlan(packageName: string, name: string, trigger: boolean) {
    const names = parseTaskName(name);
    expect(names.problems).toEqual([]);
    return planDjangoTask({ packageName, names: djangoTaskNames(names.value!), trigger, generatorVersion: '9.9.9', templates, commandName: 'cprp' });
  }

  it('plans a Django app installed at the settings marker and, with --trigger, its view and URLs mounted at the urls.py markers', () => {
    const plain = djangoPlan('shop', 'send_digest', false);
    expect(plain.files.map((file) => file.path)).toEqual([
      'src/shop/send_digest/__init__.py',
      'src/shop/send_digest/apps.py',
      'src/shop/send_digest/tasks.py',
      'tests/jobs/test_send_digest_task.py',
    ]);
    expect(plain.insertions.map((insertion) => insertion.path)).toEqual(['src/shop/settings.py']);
    expect(plain.record).toMatchObject({ command: 'cprp generate task send_digest --no-trigger', task: { trigger: false } });
    expect(plain.files.find((file) => file.path.startsWith('tests/'))!.content).not.toMatch(/APIClient|SEND_DIGEST_URL/);

    const triggered = djangoPlan('shop', 'send_digest', true);
    expect(triggered.files.map((file) => file.path)).toEqual([
      'src/shop/send_digest/__init__.py',
      'src/shop/send_digest/apps.py',
      'src/shop/send_digest/tasks.py',
      'src/shop/send_digest/urls.py',
      'src/shop/send_digest/views.py',
      'tests/jobs/test_send_digest_task.py',
    ]);
    expect(triggered.insertions.map(({ path, text }) => [path, text])).toEqual([
      ['src/shop/settings.py', '"shop.send_digest",'],
      ['src/shop/urls.py', 'from shop.send_digest.urls import urlpatterns as send_digest_urls'],
      ['src/shop/urls.py', '*send_digest_urls,'],
    ]);
    expect(triggered.record).toMatchObject({
      command: 'cprp generate task send_digest --trigger',
      files: triggered.files.map((file) => file.path),
      task: { kind: 'send_digest.run', module: 'send_digest.tasks', trigger: true, route: '/api/v1/send-digest' },
    });
    const file = (suffix: string) => triggered.files.find((candidate) => candidate.path.endsWith(suffix))!.content;
    expect(file('/urls.py')).toContain('    path("send-digest", SendDigestView.as_view(), name="send-digest"),\n');
    expect(file('/views.py')).toContain('class SendDigestView(APIView):');
    expect(file('/views.py')).toContain('submission = services.submit(SEND_DIGEST, dict(body.validated_data), key)');
    expect(file('test_send_digest_task.py')).toContain('SEND_DIGEST_URL = "/api/v1/send-digest"');
  });

  it('keeps every line within 100 columns with the longest names', () => {
    for (const trigger of [true, false]) {
      const result = djangoPlan('a'.repeat(40), `${'t'.repeat(MAX_TASK_NAME_LENGTH - 1)}x`, trigger);
      const tooLong = result.files.flatMap((file) =>
        file.content.split('\n').flatMap((line, index) => (line.length > LINE_LENGTH ? [`${file.path}:${index + 1}: ${line}`] : [])),
      );
      expect(tooLong).toEqual([]);
      for (const file of result.files) expect(file.content, file.path).not.toMatch(/[ \t]$|\n\n\n\n/m);
    }
  });
});
