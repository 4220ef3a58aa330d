"""The `tasks` table: constraints and an index the database enforces by itself.

Validation in serializers gives clients clear messages; the constraints here
are what holds when two requests race or someone writes through the admin or
a shell.
"""

from django.db import models

TASK_TITLE_MAX_LENGTH = 200


class TaskStatus(models.TextChoices):
    """Where a task is in its life. Stored as its value: `todo`, `in_progress`, `done`."""

    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Task(models.Model):
    """A piece of work in one project; deleting the project deletes its tasks."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=TASK_TITLE_MAX_LENGTH)
    description = models.TextField(blank=True, default="")
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.TODO)
    due_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        """Table name, constraints and indexes."""

        db_table = "tasks"
        constraints = (
            models.UniqueConstraint(fields=("project", "title"), name="uq_tasks_project_id_title"),
            models.CheckConstraint(
                condition=models.Q(status__in=TaskStatus.values), name="ck_tasks_status"
            ),
        )
        indexes = (models.Index(fields=("project", "status"), name="ix_tasks_project_id_status"),)

    def __str__(self) -> str:
        return self.title
