"""Keeping a test run's keys apart on a Redis server that others use too."""

from celery import Celery
from redis import Redis

# How a worker process started by the tests learns the run's key prefix.
KEY_PREFIX_VARIABLE = "TEST_JOBS_KEY_PREFIX"


def use_key_prefix(app: Celery, prefix: str) -> None:
    """Start every Redis key of `app` (queues, unacknowledged messages, results) with `prefix`."""
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "global_keyprefix": prefix,
    }
    app.conf.result_backend_transport_options = {"global_keyprefix": prefix}


def delete_keys(redis_url: str, prefix: str) -> None:
    """Delete every key that starts with `prefix`: leave nothing behind in a shared Redis."""
    client = Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
