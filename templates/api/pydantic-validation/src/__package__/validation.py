"""Constraints shared by every field that reaches the database.

PostgreSQL refuses strings that contain the NUL character (code point 0).
Refusing it at the edge, in validation, turns what would be a 500 from the
database into a clear 422, and the pattern is in the OpenAPI schema for
clients to see.

Dates and times arrive as ISO 8601 text, as the schema says (`format: date`,
`format: date-time`). Pydantic alone would also read a number as a Unix
timestamp (`?due_before=0` as 1970-01-01), which the schema never promised:
`IsoDate` and `IsoAwareDatetime` refuse anything but the documented text.
"""

import re
from datetime import date
from typing import Annotated

from pydantic import AwareDatetime, BeforeValidator, StringConstraints

STORABLE_TEXT = r"^[^\x00]*$"

# A search term for `?q=`: short, and storable like any other text.
SearchText = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=STORABLE_TEXT)]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}.*")


def _iso_text(pattern: re.Pattern[str], what: str) -> BeforeValidator:
    """A validator that lets through date objects (from Python) and ISO text only."""

    def check(value: object) -> object:
        if isinstance(value, str) and pattern.fullmatch(value):
            return value
        if isinstance(value, date):  # a datetime is a date too
            return value
        message = f"must be an ISO 8601 {what} written as text"
        raise ValueError(message)

    return BeforeValidator(check)


# `2030-01-15`, never `0` or `1700000000`.
IsoDate = Annotated[date, _iso_text(_ISO_DATE, "date (YYYY-MM-DD)")]
# `2030-01-15T09:30:00Z`: an instant with its timezone, never a number.
IsoAwareDatetime = Annotated[AwareDatetime, _iso_text(_ISO_DATE_TIME, "date-time")]
