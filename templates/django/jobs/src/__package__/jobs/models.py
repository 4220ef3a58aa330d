"""The `jobs` table: the ledger of every background job, and the record of its outcome.

The broker forgets a message once a worker took it; this table never forgets. The
API creates a row before it publishes the job's id, the worker records each step
on it (`ledger.py`), the sweeper finds the jobs nobody is going to finish
(`sweeper.py`), and clients read it (`GET /api/v1/jobs/{id}`).
"""

import uuid

from django.db import models
from django.utils import timezone

JOB_KIND_MAX_LENGTH = 100
IDEMPOTENCY_KEY_MAX_LENGTH = 200


class JobStatus(models.TextChoices):
    """Where a job is in its life."""

    PENDING = "pending"  # queued, or waiting for its next retry
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Job(models.Model):
    """One background job: what to run (`kind`, `params`) and what became of it.

    The id is also the Celery task id, so a worker's log line names the row.
    `idempotency_key` names the request that created the job; a partial unique
    constraint keeps one job per key among those that have not failed, so a
    request whose job failed may be sent again (see `services.py`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=JOB_KIND_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    params = models.JSONField(default=dict)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    idempotency_key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX_LENGTH, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the job's latest message was sent: a job still pending long after it has lost
    # its message, and the sweeper sends another.
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        """Table name, default order, and the database's rules."""

        db_table = "jobs"
        ordering = ("-created_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("idempotency_key",),
                condition=~models.Q(status="failed"),
                name="jobs_idempotency_key_live_uniq",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=("pending", "running", "succeeded", "failed")),
                name="jobs_status_valid",
            ),
        )
        indexes = (
            models.Index(fields=("status", "created_at"), name="jobs_status_created_idx"),
            # The sweeper's query for pending jobs whose message was lost.
            models.Index(fields=("status", "queued_at"), name="jobs_status_queued_idx"),
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"
