"""The only code that changes a job's status: every change a compare-and-set.

Brokers deliver at least once, so two workers may hold the same job's message.
Each change here is one `UPDATE ... WHERE status = <expected> AND attempts = <n>`:
whichever worker's update matches first wins, and the other one learns (0 rows)
that the job is no longer its to change. The attempt number is the fencing
token: a worker whose attempt is over cannot overwrite a newer attempt's outcome.

The sweeper's changes (`requeue`, `fail`, `resend`) follow the same rule: a
worker that finishes the job meanwhile wins, and the sweeper leaves it alone.
"""

from datetime import timedelta
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from .models import Job, JobStatus


def start(job_id: str, lease: timedelta) -> Job | None:
    """Mark a job running, one attempt more; None when there is nothing to do.

    A job may start when it is pending, or when it has been running for longer than
    `lease` (its hard time limit and a margin): the worker that ran it must have died,
    and the broker delivered its message again (the report task acknowledges late).
    None means the job finished already, another delivery is running it right now,
    or it does not exist.
    """
    now = timezone.now()
    startable = Q(status=JobStatus.PENDING) | Q(
        status=JobStatus.RUNNING, started_at__lt=now - lease
    )
    started = Job.objects.filter(startable, pk=job_id).update(
        status=JobStatus.RUNNING, attempts=F("attempts") + 1, started_at=now
    )
    if started == 0:
        return None
    return Job.objects.get(pk=job_id)


def _finish(job: Job, status: JobStatus, **fields: Any) -> bool:
    """Move `job` from running (this attempt) to `status`; False when it is not this attempt's."""
    changed = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        status=status, **fields
    )
    return changed == 1


def succeed(job: Job, result: dict[str, Any]) -> bool:
    """Record the result; False when the job was no longer this attempt's."""
    return _finish(job, JobStatus.SUCCEEDED, result=result, error=None, finished_at=timezone.now())


def fail(job: Job, error: str) -> bool:
    """Record the failure, in words a client may read; False when it was not this attempt's."""
    return _finish(job, JobStatus.FAILED, error=error, finished_at=timezone.now())


def retry_later(job: Job, error: str) -> bool:
    """Put the job back to pending, with why this attempt failed, until its retry starts.

    The retry's message is sent next; `queued_at` records when, for the sweeper.
    """
    return _finish(job, JobStatus.PENDING, error=error, queued_at=timezone.now())


def requeue(job: Job, error: str) -> bool:
    """Put a running job whose worker died back to pending, to be sent again (by the caller)."""
    return _finish(job, JobStatus.PENDING, error=error, queued_at=timezone.now())


def resend(job: Job) -> bool:
    """Record that a pending job's message is sent again now; False when it is pending no more."""
    changed = Job.objects.filter(pk=job.pk, status=JobStatus.PENDING, attempts=job.attempts).update(
        queued_at=timezone.now()
    )
    return changed == 1
