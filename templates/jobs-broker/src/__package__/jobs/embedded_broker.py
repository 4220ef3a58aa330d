"""The embedded broker: kombu's SQLAlchemy transport on a SQLite file, polled often.

Without REDIS_URL, messages wait in a SQLite file (`JOBS_DATA_DIR/broker.sqlite`,
table `kombu_message`; open it with `sqlite3` to see what a message looks like).
A worker takes a message inside a write transaction (`BEGIN IMMEDIATE`), so each
message goes to exactly one worker, however many run, and nobody ever reads a
message that is half written.

kombu's filesystem transport needs no database either, but it writes each message
file in place: a worker polling at the wrong moment reads an empty file and its
consumer crashes (kombu issue #1551). A transaction cannot be seen half done.

Consumed messages stay in the table, marked invisible. Delete `JOBS_DATA_DIR` (with
no worker running) to start from an empty queue.
"""

from pathlib import Path

from kombu.transport import sqlalchemy
from sqlalchemy import Engine, make_url


class Channel(sqlalchemy.Channel):
    """kombu's SQLAlchemy channel, making the folder of its SQLite file before it opens it.

    Whichever process uses the broker first (the API sending a job, a worker or beat
    starting) makes `JOBS_DATA_DIR`: the API prepares nothing at startup, and an app
    that never sends a job (in the tests of other features, say) writes nothing.
    """

    def _engine_from_config(self) -> Engine:
        client = self.connection.client
        database = make_url(client.hostname).database if client and client.hostname else None
        if database:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        return super()._engine_from_config()


class Transport(sqlalchemy.Transport):
    """kombu's SQLAlchemy transport, looking for new messages ten times a second.

    Its transport options are all passed on to SQLAlchemy's `create_engine`, so the
    usual `polling_interval` option cannot be given to it; the default (once a
    second) is overridden here instead.
    """

    Channel = Channel
    polling_interval = 0.1
