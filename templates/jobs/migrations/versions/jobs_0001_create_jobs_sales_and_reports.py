"""Create the jobs ledger, the sales and the sales reports.

Revision ID: jobs_0001
Revises:
Create Date: 2026-01-01 00:00:00+00:00

A branch of its own, labelled `jobs` (no down_revision): `alembic upgrade heads`
applies it next to the other features' migrations, and a new migration of these
tables grows this branch: `make migration m="..." head=jobs@head`.

- `uq_jobs_idempotency_key`: a key creates one job, however often it is sent;
- `ck_jobs_job_status`: a status is one of the known values;
- `ix_jobs_status_started_at`: the stalled-job sweep reads only running jobs;
- `ix_sales_sold_at`: a report reads only its period's sales;
- `uq_sales_reports_job_id`: one report per job, so a redelivered message stores none twice.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "jobs_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("jobs",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the three tables, their constraints and indexes."""
    op.create_table(
        "jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "running",
                "succeeded",
                "failed",
                name="job_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("result", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_jobs_idempotency_key")),
    )
    op.create_index("ix_jobs_status_started_at", "jobs", ["status", "started_at"])
    op.create_table(
        "sales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("sold_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_sales_quantity_positive")),
        sa.CheckConstraint("unit_price_cents >= 0", name=op.f("ck_sales_unit_price_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales")),
    )
    op.create_index(op.f("ix_sales_sold_at"), "sales", ["sold_at"])
    op.create_table(
        "sales_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("sale_count", sa.Integer(), nullable=False),
        sa.Column("units_sold", sa.BigInteger(), nullable=False),
        sa.Column("revenue_cents", sa.BigInteger(), nullable=False),
        sa.Column("top_products", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_sales_reports_job_id_jobs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_reports")),
        sa.UniqueConstraint("job_id", name=op.f("uq_sales_reports_job_id")),
    )


def downgrade() -> None:
    """Drop everything `upgrade` created, children first."""
    op.drop_table("sales_reports")
    op.drop_index(op.f("ix_sales_sold_at"), table_name="sales")
    op.drop_table("sales")
    op.drop_index("ix_jobs_status_started_at", table_name="jobs")
    op.drop_table("jobs")
