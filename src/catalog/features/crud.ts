import type { Feature } from './feature.ts';

/**
 * The crud-db milestone's domain: projects and their tasks, with a repository
 * and service layer, paginated, filtered and sorted lists, and the initial
 * migration.
 */
export const crudFeature: Feature = {
  id: 'crud',
  title: 'Projects and tasks: a CRUD domain over a relational schema',
  requires: ['api', 'db', 'listing', 'transactions'],
  dependencies: [],
  devDependencies: [],
  templateDirs: () => ['crud'],
  // Models, schemas, repositories and services are shared; the routers and their HTTP tests are not.
  frameworks: {
    fastapi: { templateDirs: ['crud-http/fastapi'] },
    flask: { templateDirs: ['crud-http/flask'] },
  },
  readingPath: () => ({
    stops: [
      { file: 'src/{package}/projects/router.py', why: 'HTTP in, one service call, HTTP out' },
      { file: 'src/{package}/projects/service.py', why: 'the use cases, each one transaction' },
      { file: 'src/{package}/projects/repository.py', why: 'the SQL: a join with counts, filters, pages' },
      { file: 'src/{package}/tasks/models.py', why: 'a table with the constraints and indexes the database enforces' },
      { file: 'tests/tasks/test_constraints.py', why: 'the database refusing bad rows by itself' },
    ],
  }),
  migrationBranch: 'crud',
  routers: [
    { module: 'projects.router', name: 'router', alias: 'projects_router' },
    { module: 'tasks.router', name: 'router', alias: 'tasks_router' },
  ],
  models: [
    { module: 'projects.models', name: 'Project' },
    { module: 'tasks.models', name: 'Task' },
  ],
  referenceable: [
    {
      model: 'Project',
      module: 'projects.models',
      table: 'projects',
      collection: '/projects',
      create: { path: '/projects', fields: 'name:str(100):unique' },
    },
    {
      model: 'Task',
      module: 'tasks.models',
      table: 'tasks',
      collection: '/tasks',
      create: { path: '/projects/{project_id}/tasks', parents: { project_id: 'Project' }, fields: 'title:str(200)' },
    },
  ],
};
