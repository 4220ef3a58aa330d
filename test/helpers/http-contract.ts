import { expect } from 'vitest';
import { callJson, type JsonReply } from './http.ts';
import { freePort, httpReady, mustRun, runIn, startProcess, type RunningProcess } from './python-project.ts';

/**
 * The HTTP contract every web framework of the generator keeps (FastAPI,
 * Django, Flask...), written once and run against a *served* app: one client,
 * one set of HTTP tests, whichever path the learner took. docs/ARCHITECTURE.md
 * ("The shared HTTP contract") describes it in prose.
 *
 * Every function takes the base URL of a running app (`http://127.0.0.1:PORT`)
 * and asserts with vitest's `expect`; none of them starts or stops anything.
 * The API is stable: other branches import these names.
 */

/** The keys of a project and of a task as the API returns them, exactly. */
export const PROJECT_KEYS = ['created_at', 'description', 'id', 'name', 'task_count', 'updated_at'] as const;
export const TASK_KEYS = ['created_at', 'description', 'due_date', 'id', 'project_id', 'status', 'title', 'updated_at'] as const;
/** The keys of a page envelope, exactly. */
export const PAGE_KEYS = ['items', 'page', 'page_size', 'pages', 'total'] as const;

/**
 * The one error body: `{"error": {"code", "message", "details": [...]}}`, nothing
 * else, with this status and code. Each detail has `loc` (a list), `message`, `type`.
 */
export function expectErrorBody(reply: JsonReply, status: number, code: string): void {
  const context = `${status} ${code}: got ${reply.status} ${JSON.stringify(reply.body)}`;
  expect(reply.status, context).toBe(status);
  expect(reply.headers.get('content-type') ?? '', context).toMatch(/^application\/json/);
  expect(Object.keys(reply.body ?? {}), context).toEqual(['error']);
  const error = reply.body.error;
  expect(Object.keys(error).sort(), context).toEqual(['code', 'details', 'message']);
  expect(error.code, context).toBe(code);
  expect(typeof error.message, context).toBe('string');
  expect(error.message.length, context).toBeGreaterThan(0);
  expect(Array.isArray(error.details), context).toBe(true);
  for (const detail of error.details) {
    expect(Object.keys(detail).sort(), context).toEqual(['loc', 'message', 'type']);
    expect(Array.isArray(detail.loc), context).toBe(true);
    expect(typeof detail.message, context).toBe('string');
    expect(typeof detail.type, context).toBe('string');
  }
}

/** A 422 `validation_error` whose details name `loc` (e.g. `['body', 'name']`, `['query', 'page_size']`). */
export function expectValidationError(reply: JsonReply, loc: readonly (string | number)[]): void {
  expectErrorBody(reply, 422, 'validation_error');
  const locations = reply.body.error.details.map((detail: { loc: unknown }) => detail.loc);
  expect(locations, JSON.stringify(reply.body)).toContainEqual([...loc]);
}

/** `GET /health` answers 200 `{"status": "ok", "checks": {...}}` with every check named in `checks` passing. */
export async function expectHealthy(base: string, checks: readonly string[]): Promise<void> {
  const reply = await callJson(base, 'GET', '/health');
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(reply.body).toEqual({ status: 'ok', checks: Object.fromEntries(checks.map((check) => [check, 'ok'])) });
}

/**
 * `GET /health` answers 503 `{"status": "unavailable", "checks": {...}}` with
 * `failing` marked `failed`; the body says which check failed, never why (that
 * goes to the log: the endpoint is public).
 */
export async function expectUnhealthy(base: string, failing: string): Promise<void> {
  const reply = await callJson(base, 'GET', '/health');
  expect(reply.status, JSON.stringify(reply.body)).toBe(503);
  expect(Object.keys(reply.body).sort()).toEqual(['checks', 'status']);
  expect(reply.body.status).toBe('unavailable');
  expect(reply.body.checks[failing]).toBe('failed');
  for (const outcome of Object.values(reply.body.checks)) expect(['ok', 'failed']).toContain(outcome);
}

function expectTimestamp(value: unknown): void {
  expect(typeof value).toBe('string');
  // ISO 8601 with a timezone (Z or an offset): clients never guess the zone.
  expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  expect(Number.isNaN(Date.parse(value as string))).toBe(false);
}

function expectProject(body: any): void {
  expect(Object.keys(body).sort(), JSON.stringify(body)).toEqual([...PROJECT_KEYS]);
  expect(Number.isInteger(body.id)).toBe(true);
  expectTimestamp(body.created_at);
  expectTimestamp(body.updated_at);
}

function expectTask(body: any): void {
  expect(Object.keys(body).sort(), JSON.stringify(body)).toEqual([...TASK_KEYS]);
  expect(Number.isInteger(body.id)).toBe(true);
  expect(Number.isInteger(body.project_id)).toBe(true);
  expectTimestamp(body.created_at);
  if (body.due_date !== null) expect(body.due_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
}

function expectPage(reply: JsonReply, expected: { total: number; page: number; pageSize: number }): void {
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(Object.keys(reply.body).sort()).toEqual([...PAGE_KEYS]);
  expect(reply.body.total).toBe(expected.total);
  expect(reply.body.page).toBe(expected.page);
  expect(reply.body.page_size).toBe(expected.pageSize);
  expect(reply.body.pages).toBe(Math.ceil(expected.total / expected.pageSize));
}

const titles = (reply: JsonReply): string[] => reply.body.items.map((item: { title: string }) => item.title);
const names = (reply: JsonReply): string[] => reply.body.items.map((item: { name: string }) => item.name);

/**
 * The crud-db contract: projects and their tasks under `/api/v1`, on an app
 * whose database holds no project yet (the function creates and deletes its
 * own rows, and leaves none behind). Status codes, `Location`, the resource
 * shapes, the page envelope, filters, sort orders, bounds and the error body.
 */
export async function checkCrudContract(base: string): Promise<void> {
  // Routes and methods that do not exist: the same error body as everything else.
  expectErrorBody(await callJson(base, 'GET', '/api/v1/no-such-route'), 404, 'not_found');
  const wrongMethod = await callJson(base, 'PUT', '/api/v1/projects', { name: 'x' });
  expectErrorBody(wrongMethod, 405, 'method_not_allowed');
  expect(wrongMethod.headers.get('allow') ?? '').toMatch(/GET/);
  expect(wrongMethod.headers.get('allow') ?? '').toMatch(/POST/);

  // Create: 201, Location, the full resource; a project's first tasks come with it.
  const created = await callJson(base, 'POST', '/api/v1/projects', {
    name: 'Contract launch',
    description: 'The shared HTTP contract',
    tasks: [{ title: 'Write copy', due_date: '2030-01-15' }, { title: 'Ship' }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expectProject(created.body);
  expect(created.body).toMatchObject({ name: 'Contract launch', description: 'The shared HTTP contract', task_count: 2 });
  const projectPath = new URL(created.headers.get('location') ?? '', base).pathname;
  expect(projectPath).toBe(`/api/v1/projects/${created.body.id}`);
  const projectId: number = created.body.id;

  const read = await callJson(base, 'GET', projectPath);
  expect(read.status).toBe(200);
  expect(read.body).toEqual(created.body);

  // Refusals: duplicates 409, invalid bodies 422 naming the field, unknown fields refused.
  expectErrorBody(await callJson(base, 'POST', '/api/v1/projects', { name: 'Contract launch' }), 409, 'conflict');
  expectValidationError(await callJson(base, 'POST', '/api/v1/projects', { name: '' }), ['body', 'name']);
  expectValidationError(await callJson(base, 'POST', '/api/v1/projects', {}), ['body', 'name']);
  expectValidationError(await callJson(base, 'POST', '/api/v1/projects', { name: 'Typo', nmae: 'x' }), ['body', 'nmae']);
  expectValidationError(await callJson(base, 'POST', '/api/v1/projects', { name: 'x'.repeat(101) }), ['body', 'name']);
  expectValidationError(
    await callJson(base, 'POST', '/api/v1/projects', { name: 'Twins', tasks: [{ title: 'Same' }, { title: 'Same' }] }),
    ['body', 'tasks'],
  );
  // No half-made project stayed behind from the refused ones.
  expect((await callJson(base, 'GET', '/api/v1/projects')).body.total).toBe(1);

  // Tasks of a project: 201 + Location; a missing project is 404.
  const task = await callJson(base, 'POST', `${projectPath}/tasks`, { title: 'Announce', status: 'in_progress', due_date: '2030-01-10' });
  expect(task.status, JSON.stringify(task.body)).toBe(201);
  expectTask(task.body);
  expect(task.body).toMatchObject({ project_id: projectId, title: 'Announce', status: 'in_progress', due_date: '2030-01-10', description: '' });
  expect(new URL(task.headers.get('location') ?? '', base).pathname).toBe(`/api/v1/tasks/${task.body.id}`);
  expectErrorBody(await callJson(base, 'POST', `${projectPath}/tasks`, { title: 'Announce' }), 409, 'conflict');
  expectValidationError(await callJson(base, 'POST', `${projectPath}/tasks`, { title: 'Bad', status: 'someday' }), ['body', 'status']);
  expectValidationError(await callJson(base, 'POST', `${projectPath}/tasks`, { title: 'Bad', due_date: 'soon' }), ['body', 'due_date']);
  expectErrorBody(await callJson(base, 'POST', '/api/v1/projects/999999/tasks', { title: 'Orphan' }), 404, 'not_found');

  // Lists: the page envelope, filters, sort orders (nulls last), bounds.
  const byDue = await callJson(base, 'GET', `/api/v1/tasks?project_id=${projectId}&sort=due_date&page_size=2`);
  expectPage(byDue, { total: 3, page: 1, pageSize: 2 });
  for (const item of byDue.body.items) expectTask(item);
  expect(titles(byDue)).toEqual(['Announce', 'Write copy']);
  const secondPage = await callJson(base, 'GET', `/api/v1/tasks?project_id=${projectId}&sort=due_date&page_size=2&page=2`);
  expectPage(secondPage, { total: 3, page: 2, pageSize: 2 });
  expect(titles(secondPage)).toEqual(['Ship']);
  expect(titles(await callJson(base, 'GET', '/api/v1/tasks?sort=-title'))).toEqual(['Write copy', 'Ship', 'Announce']);
  expect(titles(await callJson(base, 'GET', '/api/v1/tasks?sort=title'))).toEqual(['Announce', 'Ship', 'Write copy']);
  expect(titles(await callJson(base, 'GET', '/api/v1/tasks?status=in_progress'))).toEqual(['Announce']);
  expect(titles(await callJson(base, 'GET', '/api/v1/tasks?q=COPY'))).toEqual(['Write copy']);
  expect(titles(await callJson(base, 'GET', '/api/v1/tasks?due_before=2030-01-12'))).toEqual(['Announce']);
  expect((await callJson(base, 'GET', '/api/v1/tasks?q=%25')).body.total).toBe(0); // LIKE wildcards are plain text
  expectPage(await callJson(base, 'GET', '/api/v1/tasks'), { total: 3, page: 1, pageSize: 20 });
  expectValidationError(await callJson(base, 'GET', '/api/v1/tasks?page_size=1000'), ['query', 'page_size']);
  expectValidationError(await callJson(base, 'GET', '/api/v1/tasks?page_size=0'), ['query', 'page_size']);
  expectValidationError(await callJson(base, 'GET', '/api/v1/tasks?page=0'), ['query', 'page']);
  expectValidationError(await callJson(base, 'GET', '/api/v1/tasks?page=10001'), ['query', 'page']);
  expectValidationError(await callJson(base, 'GET', '/api/v1/tasks?sort=priority'), ['query', 'sort']);
  expectValidationError(await callJson(base, 'GET', '/api/v1/tasks?status=someday'), ['query', 'status']);
  expectValidationError(await callJson(base, 'GET', '/api/v1/tasks?due_before=0'), ['query', 'due_before']);
  expectValidationError(await callJson(base, 'GET', '/api/v1/projects?colour=red'), ['query', 'colour']);

  const projects = await callJson(base, 'GET', '/api/v1/projects?q=contract&sort=-name');
  expectPage(projects, { total: 1, page: 1, pageSize: 20 });
  expectProject(projects.body.items[0]);
  expect(projects.body.items[0].task_count).toBe(3);
  const other = await callJson(base, 'POST', '/api/v1/projects', { name: 'Another' });
  expect(other.status).toBe(201);
  expect(names(await callJson(base, 'GET', '/api/v1/projects?sort=name'))).toEqual(['Another', 'Contract launch']);
  expect(names(await callJson(base, 'GET', '/api/v1/projects?sort=-name'))).toEqual(['Contract launch', 'Another']);

  // Partial updates: fields left out keep their value; null only where the field may be empty.
  const updated = await callJson(base, 'PATCH', `/api/v1/tasks/${task.body.id}`, { status: 'done' });
  expect(updated.status, JSON.stringify(updated.body)).toBe(200);
  expect(updated.body).toMatchObject({ status: 'done', title: 'Announce', due_date: '2030-01-10' });
  const cleared = await callJson(base, 'PATCH', `/api/v1/tasks/${task.body.id}`, { due_date: null });
  expect(cleared.body.due_date).toBeNull();
  expectValidationError(await callJson(base, 'PATCH', `/api/v1/tasks/${task.body.id}`, { title: null }), ['body', 'title']);
  expectErrorBody(await callJson(base, 'PATCH', `/api/v1/tasks/${task.body.id}`, { title: 'Ship' }), 409, 'conflict');
  const renamed = await callJson(base, 'PATCH', projectPath, { name: 'Contract launch v2' });
  expect(renamed.status).toBe(200);
  expect(renamed.body).toMatchObject({ name: 'Contract launch v2', description: 'The shared HTTP contract', task_count: 3 });
  expectErrorBody(await callJson(base, 'PATCH', projectPath, { name: 'Another' }), 409, 'conflict');
  expectErrorBody(await callJson(base, 'PATCH', '/api/v1/projects/999999', { name: 'Nobody' }), 404, 'not_found');

  // Missing rows: 404 with the error body; deletes: 204 with no body, tasks go with their project.
  expectErrorBody(await callJson(base, 'GET', '/api/v1/tasks/999999'), 404, 'not_found');
  expectErrorBody(await callJson(base, 'GET', '/api/v1/projects/999999'), 404, 'not_found');
  const deletedTask = await callJson(base, 'DELETE', `/api/v1/tasks/${task.body.id}`);
  expect(deletedTask.status).toBe(204);
  expect(deletedTask.body).toBeUndefined();
  expectErrorBody(await callJson(base, 'DELETE', `/api/v1/tasks/${task.body.id}`), 404, 'not_found');
  expect((await callJson(base, 'DELETE', projectPath)).status).toBe(204);
  expect((await callJson(base, 'DELETE', `/api/v1/projects/${other.body.id}`)).status).toBe(204);
  expectErrorBody(await callJson(base, 'GET', projectPath), 404, 'not_found');
  expectPage(await callJson(base, 'GET', '/api/v1/tasks'), { total: 0, page: 1, pageSize: 20 });
  expectPage(await callJson(base, 'GET', '/api/v1/projects'), { total: 0, page: 1, pageSize: 20 });
}

/**
 * Serves a generated app (`python -m <package>`) that is expected to be
 * unhealthy (a database down, migrations pending): ready once `GET /health`
 * answers 503. `env` sets what makes it so (`DATABASE_URL`, `APP_ENV`).
 * Stop the returned process when done.
 */
export async function serveUnhealthy(
  dir: string,
  packageName: string,
  env: Record<string, string | undefined>,
): Promise<{ server: RunningProcess; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startProcess(dir, ['uv', 'run', '--locked', 'python', '-m', packageName], {
    env: { HOST: '127.0.0.1', PORT: String(port), ...env },
    ready: () => httpReady(`${base}/health`, 503),
  });
  return { server, base };
}

/**
 * The auth milestone's fuzzing, the same on every framework: an admin signs up and is promoted
 * with the project's own command, then `make fuzz` runs schemathesis with every check against
 * the served app, `operations` operations in all, authenticated as that admin. Every generated
 * case must pass, and the server must log no traceback.
 */
export async function expectFuzzCleanAsAdmin(input: {
  readonly dir: string;
  readonly base: string;
  readonly port: number;
  readonly server: RunningProcess;
  readonly databaseUrl: string;
  readonly password: string;
  /** The Makefile target that makes a user an admin (`admin` or Django's `promote`). */
  readonly promoteTarget: string;
  readonly operations: number;
}): Promise<void> {
  const { dir, base, port, server, password } = input;
  const call = (method: string, route: string, body?: unknown, token?: string): Promise<JsonReply> =>
    callJson(base, method, route, body, { timeoutMs: 20_000, ...(token ? { token } : {}) });
  const email = 'fuzz-admin@example.com';
  expect((await call('POST', '/api/v1/auth/register', { email, password })).status).toBe(202);
  await mustRun(dir, ['make', input.promoteTarget, `email=${email}`], { DATABASE_URL: input.databaseUrl });
  const login = await callJson(base, 'POST', '/api/v1/auth/token', undefined, { timeoutMs: 20_000, form: { username: email, password } });
  const token = login.body.access_token as string;
  expect((await call('GET', '/api/v1/users', undefined, token)).status).toBe(200);

  const result = await runIn(
    dir,
    ['make', 'fuzz', `FUZZ_ARGS=-H 'Authorization: Bearer ${token}' --max-examples 30 --seed 20261121`],
    { HOST: '127.0.0.1', PORT: String(port) },
  );
  expect(result.output).toContain('--checks all');
  expect(result.output).toContain(`Selected: ${input.operations}/${input.operations}`);
  expect(result.exitCode, result.output.slice(-6000)).toBe(0);
  // Every generated case passed: no 500, no status, header or body outside the schema.
  expect(result.output).toMatch(/(\d+) generated, \1 passed/);
  expect(server.output()).not.toMatch(/Traceback|Internal Server Error/);
}
