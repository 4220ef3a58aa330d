"""What the worker's main process records when the process running a job dies.

A Celery worker (prefork pool) is a main process that takes messages from the broker
and hands each one to a pool process, which runs the task. When the pool process dies
mid-job, nothing inside it can record anything: the hard time limit killed it, or it
crashed (out of memory, a segfault, `kill -9`). The main process sees it happen, and
`JobRequest` (the main process's handle on one message of a `JobTask`, the base class
of every job task) records it at once, instead of leaving the job `running` until its
lease expires:

- **Killed at the hard time limit**: the job fails, with a message saying so. Running
  it again would only hit the limit again.
- **Lost otherwise**: a task that may run twice (`acks_late` and
  `reject_on_worker_lost`) has its message put back in the queue by Celery; the job
  goes back to pending first, so that the next delivery starts it at once. Any other
  task's message was acknowledged when it started, and the job fails.

Each change names the dead process (`Job.owner`, set by `ledger.start`), so a job
that another process runs by then is left alone. If the main process dies too
(`kill -9` of the worker, a machine that goes away), nobody records anything: the
job's lease expires, and the sweeper (`sweeper.py`) or the broker (Redis puts the
unacknowledged message back) runs it again.
"""

import logging
import os
import socket
from typing import Any

from billiard.einfo import ExceptionInfo
from billiard.exceptions import WorkerLostError
from celery import Task
from celery.worker.request import Request
from django.db import connection

from . import ledger

logger = logging.getLogger(__name__)


def process_name(pid: int | None = None) -> str:
    """`host:pid` of a process on this machine (this one by default): who holds a lease."""
    return f"{socket.gethostname()}:{os.getpid() if pid is None else pid}"


class JobRequest(Request):
    """One job message in the worker's main process, which outlives the pool process running it."""

    def on_timeout(self, soft: bool, timeout: float) -> None:
        """At the hard limit the pool process is killed: record the job's failure for it."""
        super().on_timeout(soft, timeout)
        if not soft:
            error = f"Took longer than its {timeout:g} second hard limit and was killed."
            self._record(error, run_again=False)

    def on_failure(
        self, exc_info: ExceptionInfo, send_failed_event: bool = True, return_ok: bool = False
    ) -> None:
        """A pool process died mid-job: pending again if its message comes back, else failed."""
        if isinstance(_original(exc_info), WorkerLostError):
            if self.task.acks_late and self.task.reject_on_worker_lost:
                # Before Celery requeues the message: its next delivery must find the job free.
                self._record("The worker process running it died; it runs again.", run_again=True)
            else:
                error = "The worker process running it died; not run again: it is not safe to."
                self._record(error, run_again=False)
        super().on_failure(exc_info, send_failed_event, return_ok)

    def _record(self, error: str, *, run_again: bool) -> None:
        """Release or fail the job, if the dead pool process still held its lease.

        Never raises: a database that does not answer must not stop the worker. The
        lease then expires, and the sweeper records the job instead. The main process
        runs no tasks, so nothing else would close its database connection: it is closed
        at once, and the pool processes it starts later inherit none.
        """
        if self.worker_pid is None:
            return
        owner = process_name(int(self.worker_pid))
        try:
            if run_again:
                ledger.release_lost(self.id, owner=owner, error=error)
            else:
                ledger.fail_lost(self.id, owner=owner, error=error)
        except Exception:
            logger.exception("Could not record what happened to job %s", self.id)
        finally:
            connection.close()


def _original(exc_info: ExceptionInfo) -> BaseException | None:
    """The exception a task failed with, unwrapped: the pool wraps it to cross processes.

    billiard's wrapper (ExceptionWithTraceback) keeps the original in `exc`.
    """
    exception = exc_info.exception
    original = getattr(exception, "exc", None)
    return original if isinstance(original, BaseException) else exception


class JobTask(Task[Any, Any]):
    """The base of every task that runs a job: `@shared_task(bind=True, base=JobTask, ...)`.

    Its messages are handled by `JobRequest` in the worker's main process.
    """

    # Celery takes the class by name ("module:Class").
    Request = f"{__name__}:{JobRequest.__name__}"
