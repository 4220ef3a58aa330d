"""One error body for every failure, and the exceptions the application raises.

Clients parse a single shape, whether the problem was a missing row, a
duplicate, invalid input or a crash:

    {"error": {"code": "not_found", "message": "Not Found", "details": []}}

`code` is stable and meant for programs; `message` is for people; `details`
lists the individual problems of a validation error.
"""

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

logger = logging.getLogger(__name__)


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


class AppError(Exception):
    """An expected failure the client can act on. Subclasses pick the HTTP status and code.

    Services raise these instead of `HTTPException`, so they stay usable outside
    a request (a CLI, a background job) and the HTTP mapping lives in one place.
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


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries that document the error body for these status codes."""
    return {
        status: {"model": ErrorResponse, "description": HTTPStatus(status).phrase}
        for status in statuses
    }


def error_response(
    status_code: int,
    code: str,
    message: str,
    details: list[ErrorDetail] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Build an error response in the one shape every error uses."""
    body = ErrorResponse(error=ErrorBody(code=code, message=message, details=details or []))
    return JSONResponse(body.model_dump(), status_code=status_code, headers=headers)


def _phrase_for(status_code: int) -> str:
    """The standard reason phrase ("Not Found"), or a generic one for non-standard codes."""
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


# Python 3.13 renamed some reason phrases after RFC 9110; the codes stay the same everywhere.
_RENAMED_CODES = {413: "content_too_large"}


def code_for(status_code: int) -> str:
    """`404` → `not_found`, `405` → `method_not_allowed`: readable, stable codes."""
    if status_code in _RENAMED_CODES:
        return _RENAMED_CODES[status_code]
    return _phrase_for(status_code).lower().replace(" ", "_").replace("-", "_")


def _allowed_methods(request: Request) -> str:
    """Every method the OpenAPI document lists for this path, for a 405's `Allow` header.

    Starlette names only the methods of the first route whose path matched, but
    one path often has several routes (GET and POST on `/notes`, say): a client
    told `Allow: POST` would never learn that GET works too. The most specific
    paths win: `/users/me` is not also `/users/{user_id}`.
    """
    app: FastAPI = request.app
    matching = [
        (path.count("{"), operations)
        for path, operations in app.openapi().get("paths", {}).items()
        if compile_path(path)[0].match(request.url.path)
    ]
    if not matching:
        return ""
    fewest = min(parameters for parameters, _ in matching)
    methods = {
        method.upper()
        for parameters, operations in matching
        if parameters == fewest
        for method in operations
    }
    return ", ".join(sorted(methods))


def install_error_handlers(app: FastAPI) -> None:
    """Route every kind of failure through the one error body."""

    @app.exception_handler(AppError)
    async def handle_app_error(_request: Request, exc: AppError) -> JSONResponse:
        return error_response(exc.status_code, exc.code, exc.message, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def handle_http_exception(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else _phrase_for(exc.status_code)
        # Headers carry meaning: Allow on a 405, WWW-Authenticate on a 401.
        headers = dict(exc.headers or {})
        if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            headers["Allow"] = _allowed_methods(request) or headers.get("Allow", "")
        return error_response(
            exc.status_code, code_for(exc.status_code), message, headers=headers or None
        )

    @app.exception_handler(RequestValidationError)
    async def handle_validation_error(
        _request: Request, exc: RequestValidationError
    ) -> JSONResponse:
        # The rejected input is left out on purpose: echoing it back could reflect
        # secrets (a password field) or attacker-supplied markup into logs and UIs.
        details = [
            ErrorDetail(loc=list(error["loc"]), message=error["msg"], type=error["type"])
            for error in exc.errors()
        ]
        return error_response(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "validation_error",
            "The request is not valid; see details.",
            details,
        )

    @app.exception_handler(Exception)
    async def handle_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        # The traceback goes to the log for whoever operates the service; the
        # client gets a generic message, because internals help attackers, not users.
        logger.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(
            HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong on our side."
        )
