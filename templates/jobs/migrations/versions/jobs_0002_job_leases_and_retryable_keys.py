"""Give running jobs a lease, record when each job was queued, and free the keys of failed jobs.

Revision ID: jobs_0002
Revises: jobs_0001
Create Date: 2026-02-01 00:00:00+00:00

- `lease_owner`, `lease_expires_at`: which process runs a job, and until when; nobody
  else starts it before then. Jobs running during the upgrade get the lease the
  default time limits give them (300 s and a tenth), counted from their start.
- `queued_at`: when a job's latest message was sent, so the sweeper can send again
  the message of a job left pending too long. Existing jobs take `created_at`.
- `uq_jobs_idempotency_key_unless_failed` replaces `uq_jobs_idempotency_key`: a key
  belongs to one job unless that job failed, so a failed request may run again.
- `ix_jobs_status_lease_expires_at` and `ix_jobs_status_queued_at` replace
  `ix_jobs_status_started_at`: the sweeper's two queries.
"""

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "jobs_0002"
down_revision: str | Sequence[str] | None = "jobs_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The lease of a job that was running when this migration ran (the default limits').
LEASE_OF_RUNNING_JOBS = timedelta(seconds=330)

NOT_FAILED = sa.text("status != 'failed'")

jobs = sa.table(
    "jobs",
    sa.column("id", sa.Uuid()),
    sa.column("status", sa.String()),
    sa.column("idempotency_key", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("queued_at", sa.DateTime(timezone=True)),
    sa.column("lease_expires_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    """Add the columns, fill them in for existing jobs, then swap the indexes."""
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("lease_owner", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    connection.execute(jobs.update().values(queued_at=jobs.c.created_at))
    running = connection.execute(
        sa.select(jobs.c.id, jobs.c.started_at).where(
            jobs.c.status == "running", jobs.c.started_at.is_not(None)
        )
    )
    for job_id, started_at in running.all():
        connection.execute(
            jobs.update()
            .where(jobs.c.id == job_id)
            .values(lease_expires_at=started_at + LEASE_OF_RUNNING_JOBS)
        )
    with op.batch_alter_table("jobs") as batch:
        batch.alter_column("queued_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.drop_constraint("uq_jobs_idempotency_key", type_="unique")
        batch.drop_index("ix_jobs_status_started_at")
        batch.create_index(
            "uq_jobs_idempotency_key_unless_failed",
            ["idempotency_key"],
            unique=True,
            postgresql_where=NOT_FAILED,
            sqlite_where=NOT_FAILED,
        )
        batch.create_index("ix_jobs_status_lease_expires_at", ["status", "lease_expires_at"])
        batch.create_index("ix_jobs_status_queued_at", ["status", "queued_at"])


def downgrade() -> None:
    """Back to one job per key (older failed jobs let go of a key a newer job holds)."""
    newer = jobs.alias("newer")
    has_newer_job = (
        sa.select(newer.c.id)
        .where(
            newer.c.idempotency_key == jobs.c.idempotency_key,
            newer.c.created_at > jobs.c.created_at,
        )
        .exists()
    )
    op.get_bind().execute(
        jobs.update()
        .where(jobs.c.status == "failed", jobs.c.idempotency_key.is_not(None), has_newer_job)
        .values(idempotency_key=None)
    )
    with op.batch_alter_table("jobs") as batch:
        batch.drop_index("ix_jobs_status_queued_at")
        batch.drop_index("ix_jobs_status_lease_expires_at")
        batch.drop_index("uq_jobs_idempotency_key_unless_failed")
        batch.create_index("ix_jobs_status_started_at", ["status", "started_at"])
        batch.create_unique_constraint("uq_jobs_idempotency_key", ["idempotency_key"])
        batch.drop_column("lease_expires_at")
        batch.drop_column("lease_owner")
        batch.drop_column("queued_at")
