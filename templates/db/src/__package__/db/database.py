"""The engine and the session factory for one database, SQLite or PostgreSQL.

A class instead of module-level globals: the app builds one `Database` from its
settings in `create_app()`, tests build another on a throwaway database, and
nothing global has to be patched in between.
"""

from sqlalchemy import URL, Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

# Hosting providers often hand out `postgres://` URLs; SQLAlchemy needs to be
# told which driver to use, and this project uses psycopg 3.
_POSTGRES_SCHEMES = frozenset({"postgres", "postgresql", "postgresql+psycopg2"})


def normalize_database_url(url: str | URL) -> URL:
    """Parse a database URL, pointing every PostgreSQL URL at the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in _POSTGRES_SCHEMES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _enable_sqlite_foreign_keys(dbapi_connection: object, _record: ConnectionPoolEntry) -> None:
    """SQLite ignores foreign keys unless each connection asks for them."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_database_engine(
    url: str | URL,
    *,
    pool_size: int = 5,
    max_overflow: int = 10,
    pool_timeout: float = 30.0,
) -> Engine:
    """An engine with the settings this project wants on each backend.

    The pool keeps `pool_size` connections open and opens up to `max_overflow`
    more under load; a request that finds all of them busy waits `pool_timeout`
    seconds, then SQLAlchemy raises `TimeoutError` (answered with a 503).
    """
    parsed = normalize_database_url(url)
    pool = {"pool_size": pool_size, "max_overflow": max_overflow, "pool_timeout": pool_timeout}
    if parsed.get_backend_name() == "sqlite" and parsed.database in {None, "", ":memory:"}:
        # An in-memory database lives in its one connection: there is no pool to size.
        return create_engine(parsed, connect_args={"check_same_thread": False})
    if parsed.get_backend_name() == "sqlite":
        # FastAPI runs sync endpoints in a thread pool, so a connection may be
        # used by another thread than the one that opened it.
        engine = create_engine(parsed, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    # pool_pre_ping replaces connections the server closed (a restart, an idle
    # timeout) instead of failing the next request with them.
    return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5}, **pool)


class Database:
    """One database: its engine (a connection pool) and a factory for sessions on it."""

    def __init__(
        self,
        url: str | URL,
        *,
        pool_size: int = 5,
        max_overflow: int = 10,
        pool_timeout: float = 30.0,
    ) -> None:
        self.engine = create_database_engine(
            url, pool_size=pool_size, max_overflow=max_overflow, pool_timeout=pool_timeout
        )
        # expire_on_commit=False: objects stay readable after commit, so a
        # route can return what it just saved without another round trip.
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        """A new session; use it as a context manager so it is always closed."""
        return self.session_factory()

    def ping(self) -> None:
        """Open a connection and run `SELECT 1`; raises when the database is unreachable."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
