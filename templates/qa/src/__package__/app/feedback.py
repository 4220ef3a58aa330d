"""The feedback form's rules, written once for the page and the API.

The HTML form and ``POST /api/v1/feedback`` validate with the same model, so a
rule cannot hold on one and not the other; tests exercise it through both.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class FeedbackIn(BaseModel):
    """A feedback message."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    email: Annotated[str, StringConstraints(strip_whitespace=True, pattern=EMAIL_PATTERN)]
    rating: Annotated[int, Field(ge=1, le=5)]
    message: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=500)]


MESSAGES = {
    "name": "Enter your name.",
    "email": "Enter an email address like name@example.com.",
    "rating": "Choose a rating from 1 to 5.",
    "message": "Write between 10 and 500 characters.",
}


def field_errors(error: ValidationError) -> dict[str, str]:
    """One human message per invalid field, for the form to show beside it."""
    return {
        str(item["loc"][0]): MESSAGES[str(item["loc"][0])]
        for item in error.errors()
        if item["loc"] and str(item["loc"][0]) in MESSAGES
    }
