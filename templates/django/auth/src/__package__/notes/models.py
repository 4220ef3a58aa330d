"""The `notes` table: every note belongs to exactly one user."""

from django.conf import settings
from django.db import models

NOTE_TITLE_MAX_LENGTH = 200
NOTE_BODY_MAX_LENGTH = 10_000


class Note(models.Model):
    """A short text owned by a user; deleting the user deletes their notes."""

    # Indexed (every foreign key is): every query filters on the owner.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    title = models.CharField(max_length=NOTE_TITLE_MAX_LENGTH)
    body = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        """Table name, and newest first."""

        db_table = "notes"
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.title
