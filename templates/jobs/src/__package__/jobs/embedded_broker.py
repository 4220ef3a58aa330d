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

from kombu.transport import sqlalchemy


class Transport(sqlalchemy.Transport):
    """kombu's SQLAlchemy transport, looking for new messages ten times a second.

    Its transport options are all passed on to SQLAlchemy's `create_engine`, so the
    usual `polling_interval` option cannot be given to it; the default (once a
    second) is overridden here instead.
    """

    polling_interval = 0.1
