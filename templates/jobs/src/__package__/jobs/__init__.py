"""Background jobs: slow work leaves the request, a Celery worker does it, the ledger remembers.

- `celery_app.py`: the Celery app factory and every rule jobs run by (serialization,
  time limits, prefetch, brokers, the beat schedule).
- `worker.py`: the app the `celery worker` and `celery beat` commands load.
- `embedded_broker.py`: the broker that needs no server (a SQLite file).
- `models.py` and `ledger.py`: the `jobs` table and the only code that changes a job's status.
- `execution.py`: how a task runs a job: start, work, retry with backoff, fail, succeed.
- `service.py` and `queue.py`: submitting a job (idempotency keys) and publishing its message.
- `router.py`: `GET /api/v1/jobs/{id}`, the status endpoint clients poll.
- `tasks.py`: the periodic task that fails jobs whose worker died.
- `health.py`: the broker check `GET /health` runs.
"""
