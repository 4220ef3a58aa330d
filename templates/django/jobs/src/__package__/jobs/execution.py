"""How a `@shared_task` runs a job: start it, do the work, then succeed, retry or fail.

Every job task goes through the same steps, so they are written once, here:

1. The ledger marks the job running, or says there is nothing to do: the job is
   finished, or another delivery of its message runs it right now.
2. The work runs inside `transaction.atomic()`, and the job's success is recorded
   in that same transaction: the report and `succeeded` are committed together,
   or neither is.
3. A transient error (a dropped connection, a locked database) schedules a retry
   with Celery's `self.retry`, after a delay that grows exponentially, with jitter,
   until the retries run out.
4. Any other error fails the job at once: running it again would fail again.

The error recorded on a job is shown to API clients, so it is never an
exception's raw text, which can hold host names, user names or data: it is a
message written for clients (`JobError`) or the error's type. The traceback
goes to the worker log, next to the job's id.
"""

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery import Task
from django.db import InterfaceError, OperationalError, transaction

from . import ledger
from .models import Job
from .supervision import process_name

logger = logging.getLogger(__name__)

JobResult = dict[str, Any]
JobWork = Callable[[Job], JobResult]

# Errors that the next attempt may not meet: the database or the network blinked.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
)


class JobError(Exception):
    """A failure the client can act on and that retrying will not fix (invalid parameters).

    Its message becomes the job's error, so write it for the person reading the API.
    """


@dataclass(frozen=True)
class RetryPolicy:
    """How many times a transient failure is retried, and how long to wait before each retry."""

    max_retries: int = 5
    base_delay: float = 2.0
    max_delay: float = 60.0

    def delay(self, retries: int) -> float:
        """Seconds to wait before retry number `retries + 1`: backoff with full jitter.

        The ceiling doubles with each retry (2, 4, 8... seconds, up to `max_delay`), which
        gives a failing dependency time to recover. The delay is random below it, so jobs
        that failed together do not all come back at the same instant and fail again.
        """
        ceiling = min(self.max_delay, self.base_delay * 2**retries)
        return random.uniform(0, ceiling)  # noqa: S311 - spreads retries out, needs no secrecy


def lease_seconds(time_limit: float) -> float:
    """How long a started job belongs to its worker: the hard time limit, and a tenth more.

    The worker kills a job at its hard limit, so a job still `running` after its lease
    has no live worker, and a redelivered message may run it again. The margin (at least
    a second) covers the time the kill takes and clocks that disagree a little.
    """
    return time_limit + max(1.0, time_limit / 10)


def run_job(
    task: Task[Any, Any], job_id: str, work: JobWork, policy: RetryPolicy
) -> JobResult | None:
    """Run job `job_id` with `work` inside `task`; the job's result, or None if nothing ran."""
    time_limit = task.time_limit or task.app.conf.task_time_limit
    lease = timedelta(seconds=lease_seconds(time_limit))
    job = ledger.start(job_id, lease=lease, owner=process_name())
    if job is None:
        logger.info("Job %s is not pending: nothing to do", job_id)
        return None
    logger.info("Job %s (%s): attempt %d started", job_id, job.kind, job.attempts)
    try:
        with transaction.atomic():
            result = work(job)
            if not ledger.succeed(job, result):
                # Another attempt owns the job now: roll this one's writes back.
                transaction.set_rollback(True)
                return None
    except JobError as error:
        ledger.fail(job, str(error))
        raise
    except TRANSIENT_ERRORS as error:
        retries = task.request.retries
        name = type(error).__name__
        if retries >= policy.max_retries:
            ledger.fail(job, f"Gave up after {job.attempts} attempts ({name}).")
            raise
        if not ledger.retry_later(job, f"Attempt {job.attempts} failed ({name}); retrying."):
            return None
        logger.warning("Job %s failed with %s; retrying", job_id, name, exc_info=True)
        raise task.retry(
            exc=error, countdown=policy.delay(retries), max_retries=policy.max_retries
        ) from error
    except Exception as error:
        ledger.fail(job, f"Unexpected error ({type(error).__name__}); see the worker log.")
        raise
    logger.info("Job %s succeeded", job_id)
    return result
