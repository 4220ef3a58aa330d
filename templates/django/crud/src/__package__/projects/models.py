"""The `projects` table, described once as a Django model.

The model is the source of truth: `python manage.py makemigrations` compares it
with the migrations in `migrations/` and writes the difference as a new one, and
a test fails when they disagree.
"""

from django.db import models

PROJECT_NAME_MAX_LENGTH = 100


class Project(models.Model):
    """A named group of tasks. Names are unique: the database enforces it."""

    name = models.CharField(max_length=PROJECT_NAME_MAX_LENGTH, unique=True)
    description = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        """Table name and default order."""

        db_table = "projects"
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name
