import { describe, expect, it } from 'vitest';
import { pythonImportLines, resolvePythonObjects } from '../../src/render/python-imports.ts';

describe('resolvePythonObjects', () => {
  it('qualifies modules with the package and sorts by module, then name', () => {
    const resolved = resolvePythonObjects('my_api', [
      { module: 'tasks.models', name: 'Task' },
      { module: 'db.base', name: 'Base' },
      { module: 'projects.models', name: 'Project' },
    ]);

    expect(resolved.map((object) => `${object.module}.${object.name}`)).toEqual([
      'my_api.db.base.Base',
      'my_api.projects.models.Project',
      'my_api.tasks.models.Task',
    ]);
  });

  it('sorts module paths segment by segment, case-insensitively', () => {
    const resolved = resolvePythonObjects('pkg', [
      { module: 'db_x.health', name: 'b' },
      { module: 'Db.health', name: 'a' },
      { module: 'db', name: 'c' },
    ]);

    expect(resolved.map((object) => object.module)).toEqual(['pkg.db', 'pkg.Db.health', 'pkg.db_x.health']);
  });

  it('uses the alias as the local name', () => {
    const [router] = resolvePythonObjects('pkg', [{ module: 'projects.router', name: 'router', alias: 'projects_router' }]);

    expect(router).toEqual({ module: 'pkg.projects.router', name: 'router', local: 'projects_router' });
  });

  it('refuses two objects imported under one local name', () => {
    expect(() =>
      resolvePythonObjects('pkg', [
        { module: 'projects.router', name: 'router' },
        { module: 'tasks.router', name: 'router' },
      ]),
    ).toThrow(/imported as "router"/);
  });

  it.each([
    [{ module: 'projects-router', name: 'router' }, /Module segment/],
    [{ module: 'projects.router', name: 'router()' }, /Name/],
    [{ module: 'projects.router', name: 'router', alias: '1router' }, /Alias/],
  ])('refuses what is not a Python identifier: %j', (object, message) => {
    expect(() => resolvePythonObjects('pkg', [object])).toThrow(message);
  });
});

describe('pythonImportLines', () => {
  it('groups plain names of one module in ruff order: CONSTANTS, Classes, functions', () => {
    const lines = pythonImportLines(
      resolvePythonObjects('pkg', [
        { module: 'db.base', name: 'utc_now' },
        { module: 'db.base', name: 'Base' },
        { module: 'db.base', name: 'MAX_ROW_ID' },
        { module: 'db.base', name: 'TimestampMixin' },
      ]),
    );

    expect(lines).toEqual([{ module: 'pkg.db.base', names: 'MAX_ROW_ID, Base, TimestampMixin, utc_now' }]);
  });

  it('gives each aliased import a line of its own', () => {
    const lines = pythonImportLines(
      resolvePythonObjects('pkg', [
        { module: 'tasks.router', name: 'router', alias: 'tasks_router' },
        { module: 'projects.router', name: 'router', alias: 'projects_router' },
      ]),
    );

    expect(lines).toEqual([
      { module: 'pkg.projects.router', names: 'router as projects_router' },
      { module: 'pkg.tasks.router', names: 'router as tasks_router' },
    ]);
  });

  it('returns nothing for nothing', () => {
    expect(pythonImportLines([])).toEqual([]);
  });
});
