"""Database access: the declarative base, engine and sessions, and the web framework's glue.

- `base.py`: the `Base` every model inherits, the constraint naming convention, timestamps.
- `database.py`: `Database`, the engine and session factory for one URL.
- `dependencies.py`: `SessionDep`, one session per request.
- `errors.py`: a database that cannot be reached answers 503, not 500.
- `health.py`: the readiness checks of `GET /health`: the database answers, no migration pending.
- `models.py`: every model, imported in one place so Alembic sees the whole schema.
- `schema.py`: which migrations are pending; `make run` applies them in development.
"""

import logging

# Alembic logs every plugin it loads, at INFO, when first imported (health.py imports it):
# eight lines of noise at each server start. Its warnings still show.
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
