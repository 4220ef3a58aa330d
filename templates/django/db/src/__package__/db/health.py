"""The database's readiness checks for `GET /health`.

`check_database` answers "can we reach it?"; `check_migrations` answers "is its
schema the one this code expects?". An instance whose migrations have not run
would fail on the first query that touches a new column, so it reports itself
unavailable until the release step (`python manage.py migrate`) has run.
"""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class PendingMigrationsError(RuntimeError):
    """The database lacks migrations this code ships."""


def check_database() -> None:
    """Raise when the database does not answer a trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def pending_migrations() -> list[str]:
    """The migrations not yet applied, as `app.name`."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def check_migrations() -> None:
    """Raise when a migration is pending."""
    pending = pending_migrations()
    if pending:
        message = f"{len(pending)} migration(s) pending, such as {pending[0]}"
        raise PendingMigrationsError(message)
