"""Database access: the declarative base, engine and sessions, and the FastAPI glue.

- `base.py`: the `Base` every model inherits, the constraint naming convention, timestamps.
- `database.py`: `Database`, the engine and session factory for one URL.
- `dependencies.py`: `SessionDep`, one session per request.
- `models.py`: every model, imported in one place so Alembic sees the whole schema.
"""
