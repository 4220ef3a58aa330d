"""One error body for every failure, and the exceptions the application raises.

Clients parse a single shape, whether the problem was a missing row, a
duplicate, invalid input or a crash:

    {"error": {"code": "not_found", "message": "Not Found", "details": []}}

`code` is stable and meant for programs; `message` is for people; `details`
lists the individual problems of a validation error.

Flask answers its own errors with HTML pages and APIFlask with a body of its
own; both are routed through `error_response` here, so the shape is the same
as on every other path of this API.
"""

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from apiflask import APIFlask, HTTPError
from flask import Response, current_app, jsonify
from pydantic import BaseModel, Field, ValidationError
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException

logger = logging.getLogger(__name__)

# Where a validation error was found, named as the OpenAPI document names it.
_LOCATIONS = {"json": "body", "query": "query", "path": "path", "headers": "header"}


class ErrorDetail(BaseModel):
    """One problem with the request: where it is, what is wrong, and its machine-readable type."""

    loc: list[str | int]
    message: str
    type: str


class ErrorBody(BaseModel):
    """What went wrong."""

    code: str
    message: str
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody


def error_schema() -> dict[str, Any]:
    """`ErrorResponse` as one self-contained JSON Schema, for the OpenAPI document."""
    schema = ErrorResponse.model_json_schema(ref_template="#/$defs/{model}")
    definitions: dict[str, Any] = schema.pop("$defs")

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    inlined: dict[str, Any] = inline(schema)
    return inlined


class AppError(Exception):
    """An expected failure the client can act on. Subclasses pick the HTTP status and code.

    Services raise these instead of `abort()`, so they stay usable outside a
    request (a CLI, a background job) and the HTTP mapping lives in one place.
    """

    status_code: int = HTTPStatus.INTERNAL_SERVER_ERROR
    code: str = "internal_error"
    # Headers the status needs to mean what it says: WWW-Authenticate on a 401,
    # Retry-After on a 429.
    headers: Mapping[str, str] | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(AppError):
    """The requested row does not exist (404)."""

    status_code = HTTPStatus.NOT_FOUND
    code = "not_found"


class ConflictError(AppError):
    """The change would break a rule the data must keep, such as a unique name (409)."""

    status_code = HTTPStatus.CONFLICT
    code = "conflict"


def error_responses(*statuses: int) -> dict[int, str]:
    """`@doc(responses=...)` entries: each status documented with its reason phrase."""
    return {status: HTTPStatus(status).phrase for status in statuses}


def error_response(
    status_code: int,
    code: str,
    message: str,
    details: list[ErrorDetail] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Build an error response in the one shape every error uses."""
    body = ErrorResponse(error=ErrorBody(code=code, message=message, details=details or []))
    response = jsonify(body.model_dump())
    response.status_code = status_code
    response.headers.update(dict(headers or {}))
    return response


# Python 3.13 renamed some reason phrases after RFC 9110; the codes stay the same everywhere.
_RENAMED_CODES = {413: "content_too_large", 422: "validation_error"}


def code_for(status_code: int) -> str:
    """`404` → `not_found`, `405` → `method_not_allowed`: readable, stable codes."""
    if status_code in _RENAMED_CODES:
        return _RENAMED_CODES[status_code]
    return HTTPStatus(status_code).phrase.lower().replace(" ", "_").replace("-", "_")


def validation_details(error: HTTPError) -> list[ErrorDetail]:
    """Each problem of a refused request, from pydantic's own report when there is one.

    APIFlask flattens pydantic's errors into messages per field; the original
    `ValidationError` is the exception's cause and keeps each problem's type.
    The rejected input is left out on purpose: echoing it back could reflect
    secrets (a password field) or attacker-supplied markup into logs and UIs.
    """
    cause = error.__cause__
    detail: Mapping[str, Any] = error.detail if isinstance(error.detail, Mapping) else {}
    location = _LOCATIONS.get(next(iter(detail), "json"), "body")
    if isinstance(cause, ValidationError):
        return [
            ErrorDetail(loc=[location, *item["loc"]], message=item["msg"], type=item["type"])
            for item in cause.errors()
        ]
    return [ErrorDetail(loc=[location], message=str(error.message), type="value_error")]


def _handle_http_error(error: HTTPError) -> Response:
    """APIFlask's errors (validation, `abort()`, Werkzeug's 404/405/413...) in the one body."""
    headers = {key: str(value) for key, value in Headers(error.headers or {}).items()}
    if error.status_code == HTTPStatus.UNPROCESSABLE_ENTITY:
        return error_response(
            error.status_code,
            "validation_error",
            "The request is not valid; see details.",
            validation_details(error),
        )
    if error.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
        return error_response(
            error.status_code,
            code_for(error.status_code),
            f"The request body is larger than {current_app.config['MAX_CONTENT_LENGTH']} bytes.",
            headers=headers or None,
        )
    message = str(error.message or HTTPStatus(error.status_code).phrase)
    return error_response(
        error.status_code, code_for(error.status_code), message, headers=headers or None
    )


def install_error_handlers(app: APIFlask) -> None:
    """Route every kind of failure through the one error body."""
    app.error_processor(_handle_http_error)

    @app.errorhandler(AppError)
    def handle_app_error(exc: AppError) -> Response:
        return error_response(exc.status_code, exc.code, exc.message, headers=exc.headers)

    @app.errorhandler(HTTPException)
    def handle_http_exception(exc: HTTPException) -> Response:
        # Werkzeug's own errors (413 while reading a body, 405 with its Allow header).
        status_code = exc.code or HTTPStatus.INTERNAL_SERVER_ERROR
        headers = {key: value for key, value in exc.get_headers() if key != "Content-Type"}
        phrase = HTTPStatus(status_code).phrase
        return _handle_http_error(HTTPError(status_code, phrase, headers=headers))

    @app.errorhandler(Exception)
    def handle_unexpected_error(exc: Exception) -> Response:
        # The traceback goes to the log for whoever operates the service; the
        # client gets a generic message, because internals help attackers, not users.
        logger.error("Unhandled error", exc_info=exc)
        return error_response(
            HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong on our side."
        )
