"""Create the projects and tasks tables.

Revision ID: 0001
Revises:
Create Date: 2026-01-01 00:00:00+00:00

The constraints live in the database, where no code path can skip them:
- `uq_projects_name`: project names are unique;
- `uq_tasks_project_id_title`: a title appears once per project; its index
  starts with project_id, so it also serves "all tasks of a project";
- `fk_tasks_project_id_projects` with ON DELETE CASCADE: no task outlives its project;
- `ck_tasks_task_status`: a status is one of the known values;
- `ix_tasks_project_id_status`: the main query, a project's tasks by status.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("crud",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create both tables, their constraints and the index."""
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("name", name=op.f("uq_projects_name")),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "todo",
                "in_progress",
                "done",
                name="task_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_tasks_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("project_id", "title", name=op.f("uq_tasks_project_id_title")),
    )
    op.create_index("ix_tasks_project_id_status", "tasks", ["project_id", "status"])


def downgrade() -> None:
    """Drop everything `upgrade` created, children first."""
    op.drop_index("ix_tasks_project_id_status", table_name="tasks")
    op.drop_table("tasks")
    op.drop_table("projects")
