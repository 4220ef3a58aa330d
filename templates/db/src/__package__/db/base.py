"""The declarative base every model inherits, and the columns most models share.

Constraint and index names follow one naming convention. Unnamed constraints
get names the database makes up (different on SQLite and PostgreSQL), and a
migration can only drop or alter a constraint it can name.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Primary keys are INTEGER columns: the largest value PostgreSQL's 4-byte
# integer holds. Path parameters are bounded by it, so a huge id is a 422
# from validation, not a 500 from the database.
MAX_ROW_ID = 2_147_483_647


class Base(DeclarativeBase):
    """Base class of every model; `Base.metadata` is the schema Alembic compares against."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    PostgreSQL keeps the offset (`timestamptz`); SQLite has no timestamp type
    and returns naive values. Converting on the way in and out makes both
    behave the same, so no naive datetime ever reaches the API.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes, and store aware ones in UTC."""
        del dialect
        if value is None:
            return None
        if value.tzinfo is None:
            message = "naive datetime: pass a timezone-aware value (datetime.now(UTC))"
            raise ValueError(message)
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Attach UTC to what SQLite returns without an offset."""
        del dialect
        if value is None:
            return None
        if not isinstance(value, datetime):  # pragma: no cover - drivers return datetimes
            raise TypeError(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class TimestampMixin:
    """`created_at` and `updated_at`, set by the application on insert and update."""

    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
