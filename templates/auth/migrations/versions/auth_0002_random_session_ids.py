"""Name login sessions by a random public id instead of their row id.

Revision ID: auth_0002
Revises: auth_0001
Create Date: 2026-03-01 00:00:00+00:00

Access tokens carry their session's name in the `sid` claim. Row ids count up
from 1, so the name of one session told whoever held a token the names of all
the others; `public_id` is 192 random bits instead.

- `public_id`: unique, not null; sessions open during the upgrade get a random one
  (their access tokens, which named the row id, end: their users refresh or log in again);
- `uq_auth_sessions_public_id`: access tokens find their session by it.
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "auth_0002"
down_revision: str | Sequence[str] | None = "auth_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in auth/models.py, copied: a migration never imports application code.
PUBLIC_ID_BYTES = 24
PUBLIC_ID_LENGTH = 32

auth_sessions = sa.table(
    "auth_sessions", sa.column("id", sa.Integer()), sa.column("public_id", sa.String())
)


def upgrade() -> None:
    """Add the column, give every existing session a random id, then require it."""
    with op.batch_alter_table("auth_sessions") as batch:
        batch.add_column(sa.Column("public_id", sa.String(length=PUBLIC_ID_LENGTH), nullable=True))
    connection = op.get_bind()
    for (session_id,) in connection.execute(sa.select(auth_sessions.c.id)).all():
        connection.execute(
            auth_sessions.update()
            .where(auth_sessions.c.id == session_id)
            .values(public_id=secrets.token_urlsafe(PUBLIC_ID_BYTES))
        )
    with op.batch_alter_table("auth_sessions") as batch:
        batch.alter_column(
            "public_id", existing_type=sa.String(length=PUBLIC_ID_LENGTH), nullable=False
        )
        batch.create_unique_constraint(op.f("uq_auth_sessions_public_id"), ["public_id"])


def downgrade() -> None:
    """Drop the column and its constraint: tokens name sessions by row id again."""
    with op.batch_alter_table("auth_sessions") as batch:
        batch.drop_constraint(op.f("uq_auth_sessions_public_id"), type_="unique")
        batch.drop_column("public_id")
