import { describe, expect, it } from 'vitest';
import { importsOf, revisionOf, routeSegmentsOf, tablesOf } from '../../src/steps/project-inventory.ts';

describe('reading what a project already has', () => {
  it('finds the imported names, on one line or in parentheses', () => {
    expect(importsOf('from shop.db.base import Base\nfrom shop.a.models import (\n    A,\n    B as C,\n)\nimport os\n')).toEqual([
      { module: 'shop.db.base', names: ['Base'] },
      { module: 'shop.a.models', names: ['A', 'B'] },
    ]);
  });

  it('finds each model class\'s table', () => {
    const source = 'class Status(StrEnum):\n    A = "a"\n\n\nclass Task(Base):\n    """x."""\n\n    __tablename__ = "tasks"\n\n\nclass Note(Base):\n    __tablename__: str = \'notes\'\n';
    expect([...tablesOf(source)]).toEqual([
      ['Task', 'tasks'],
      ['Note', 'notes'],
    ]);
  });

  it('finds the first path segment of every route, with and without a router prefix', () => {
    expect(routeSegmentsOf('router = APIRouter(prefix="/projects", tags=["projects"])\n@router.get("")\n@router.get("/{id}")\n')).toEqual(['projects']);
    expect(routeSegmentsOf('router = APIRouter(tags=["tasks"])\n@router.post(\n    "/projects/{project_id}/tasks",\n)\n@router.get("/tasks")\n')).toEqual([
      'projects',
      'tasks',
    ]);
  });

  it('reads revision and down_revision in both Alembic spellings', () => {
    expect(revisionOf('revision: str = "0001"\ndown_revision: str | Sequence[str] | None = None\n')).toEqual({ revision: '0001', downRevisions: [] });
    expect(revisionOf("revision = 'abc'\ndown_revision = 'def'\n")).toEqual({ revision: 'abc', downRevisions: ['def'] });
    expect(revisionOf('revision: str = "m"\ndown_revision: str | Sequence[str] | None = (\n    "a",\n    "b",\n)\n')).toEqual({
      revision: 'm',
      downRevisions: ['a', 'b'],
    });
    expect(revisionOf('"""no revision here."""\n')).toBeUndefined();
  });
});
