"""Sales and the reports built from them: the example domain the background jobs serve.

- `models.py`: the `sales` rows and the `sales_reports` built from them.
- `builder.py`: the report's arithmetic, done by the database in one query.
- `service.py`: recording sales, requesting a report (a job), building it (in the worker).
- `router.py`: `/api/v1/sales` and `/api/v1/reports`.
- `tasks.py`: the Celery tasks: build a report, and queue yesterday's every night.
"""
