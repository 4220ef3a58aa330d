"""Constraints shared by every text field that reaches the database.

PostgreSQL refuses strings that contain the NUL character (code point 0).
Refusing it at the edge, in validation, turns what would be a 500 from the
database into a clear 422, and the pattern is in the OpenAPI schema for
clients to see.
"""

from typing import Annotated

from pydantic import StringConstraints

STORABLE_TEXT = r"^[^\x00]*$"

# A search term for `?q=`: short, and storable like any other text.
SearchText = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=STORABLE_TEXT)]
