import { expect } from 'vitest';
import { callJson } from './http.ts';
import { psqlRows } from './python-project.ts';

/**
 * The crud feature's main flow over HTTP (a project with tasks: create, list,
 * filter, update, delete), checked in the database the server writes to.
 */
export async function projectsAndTasksFlow(
  base: string,
  database: { readonly name: string },
  /** The health checks other features of the project add (background-jobs: `broker`). */
  moreChecks: Record<string, string> = {},
): Promise<void> {
  expect((await callJson(base, 'GET', '/health')).body).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok', ...moreChecks } });

  const created = await callJson(base, 'POST', '/api/v1/projects', {
    name: 'Container launch',
    tasks: [{ title: 'Build the image', due_date: '2030-01-15' }, { title: 'Run the stack' }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body.task_count).toBe(2);
  const projectPath = new URL(created.headers.get('location') ?? '').pathname;
  expect(projectPath).toBe(`/api/v1/projects/${created.body.id}`);

  expect((await callJson(base, 'POST', '/api/v1/projects', { name: 'Container launch' })).status).toBe(409);

  const task = await callJson(base, 'POST', `${projectPath}/tasks`, { title: 'Tag a release', status: 'in_progress' });
  expect(task.status).toBe(201);
  const listed = await callJson(base, 'GET', `/api/v1/tasks?project_id=${created.body.id}&sort=due_date&page_size=2`);
  expect(listed.body.total).toBe(3);
  expect(listed.body.items.map((item: { title: string }) => item.title)).toEqual(['Build the image', 'Run the stack']);

  const done = await callJson(base, 'PATCH', `/api/v1/tasks/${task.body.id}`, { status: 'done' });
  expect(done.body.status).toBe('done');
  const rows = await psqlRows(database.name, "SELECT title || ':' || status FROM tasks ORDER BY id");
  expect(rows).toEqual(['Build the image:todo', 'Run the stack:todo', 'Tag a release:done']);

  expect((await callJson(base, 'DELETE', projectPath)).status).toBe(204);
  expect((await callJson(base, 'GET', `/api/v1/tasks/${task.body.id}`)).body.error.code).toBe('not_found');
}
