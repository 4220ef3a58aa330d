"""Leaving nothing behind in a Redis server that others use too."""

from redis import Redis


def delete_keys(redis_url: str, prefix: str) -> None:
    """Delete every key that starts with `prefix` (a run's keys start with its prefix)."""
    client = Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
