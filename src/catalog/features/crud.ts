import type { Feature, FrameworkVariant } from './feature.ts';

/**
 * The crud-db milestone's domain: projects and their tasks, with a repository
 * and service layer, paginated, filtered and sorted lists, and the initial
 * migration.
 */
const SQLALCHEMY_CRUD = {
  routers: [
    { module: 'projects.router', name: 'router', alias: 'projects_router' },
    { module: 'tasks.router', name: 'router', alias: 'tasks_router' },
  ],
  models: [
    { module: 'projects.models', name: 'Project' },
    { module: 'tasks.models', name: 'Task' },
  ],
} as const satisfies FrameworkVariant;

export const crudFeature: Feature = {
  id: 'crud',
  title: 'Projects and tasks: a CRUD domain over a relational schema',
  requires: ['api', 'db', 'listing', 'transactions'],
  dependencies: [],
  devDependencies: [],
  templateDirs: () => [],
  readingPath: (options) =>
    options['framework'] === 'django'
      ? {
          stops: [
            { file: 'src/{package}/projects/views.py', why: 'a viewset: HTTP in, a query or a transaction, HTTP out' },
            { file: 'src/{package}/projects/serializers.py', why: 'what the API accepts and returns, one serializer per direction' },
            { file: 'src/{package}/tasks/views.py', why: 'filters and sort orders as ORM queries, one page at a time' },
            { file: 'src/{package}/tasks/models.py', why: 'a table with the constraints and indexes the database enforces' },
            { file: 'src/{package}/tasks/migrations/0001_initial.py', why: 'what `makemigrations` wrote from the models' },
          ],
        }
      : {
    stops: [
      { file: 'src/{package}/projects/router.py', why: 'HTTP in, one service call, HTTP out' },
      { file: 'src/{package}/projects/service.py', why: 'the use cases, each one transaction' },
      { file: 'src/{package}/projects/repository.py', why: 'the SQL: a join with counts, filters, pages' },
      { file: 'src/{package}/tasks/models.py', why: 'a table with the constraints and indexes the database enforces' },
      { file: 'tests/tasks/test_constraints.py', why: 'the database refusing bad rows by itself' },
    ],
        },
  migrationBranch: 'crud',
  frameworks: {
    // Models, schemas, repositories and services (`templates/crud/`) are shared; the routers
    // and their HTTP tests are each framework's (`templates/crud-http/<framework>/`).
    fastapi: { ...SQLALCHEMY_CRUD, templateDirs: ['crud', 'crud-http/fastapi'] },
    flask: { ...SQLALCHEMY_CRUD, templateDirs: ['crud', 'crud-http/flask'] },
    // Django apps (`projects`, `tasks`): models, migrations, DRF serializers and viewsets, admin.
    django: {
      templateDirs: ['django/crud'],
      djangoApps: ['projects', 'tasks'],
      routers: [
        { module: 'projects.urls', name: 'urlpatterns', alias: 'projects_urls' },
        { module: 'tasks.urls', name: 'urlpatterns', alias: 'tasks_urls' },
      ],
    },
  },
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
