"""One error body for every failure, whichever layer produced it.

Clients parse a single shape, whether the problem was a missing row, a
duplicate, invalid input, an unknown URL or a crash:

    {"error": {"code": "not_found", "message": "Not Found", "details": []}}

`code` is stable and meant for programs; `message` is for people; `details`
lists each problem of a validation error (`loc`, `message`, `type`), without
echoing the input back. DRF's views go through `exception_handler`; what never
reaches a view (an unknown URL, a crash) goes through Django's `handler404`,
`handler400` and `handler500`, set in `urls.py` to the views below (Django
calls them with these parameter names, used or not). A 401 keeps its
`WWW-Authenticate` header and a 429 its `Retry-After`.
"""

import logging
from collections.abc import Mapping
from http import HTTPStatus
from math import ceil
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)

Location = list[str | int]


class ConflictError(exceptions.APIException):
    """The change would break a rule the data must keep, such as a unique name (409)."""

    status_code = HTTPStatus.CONFLICT
    default_detail = "The change conflicts with existing data."
    default_code = "conflict"


class QueryValidationError(exceptions.ValidationError):
    """Invalid query parameters: their details are located under `query`, not `body`."""


class PathValidationError(exceptions.ValidationError):
    """An invalid path parameter (an id out of range): its details are located under `path`."""


# Python 3.13 renamed some reason phrases after RFC 9110; the codes stay the same everywhere.
_RENAMED_CODES = {413: "content_too_large", 422: "unprocessable_content"}


def code_for(status_code: int) -> str:
    """`404` → `not_found`, `405` → `method_not_allowed`: readable, stable codes."""
    if status_code in _RENAMED_CODES:
        return _RENAMED_CODES[status_code]
    return HTTPStatus(status_code).phrase.lower().replace(" ", "_").replace("-", "_")


def error_body(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The one error shape."""
    return {"error": {"code": code, "message": message, "details": details or []}}


def validation_details(detail: object, loc: Location) -> list[dict[str, Any]]:
    """DRF's nested error structure, flattened to one entry per problem with its location.

    Field errors are dicts (`{"name": [...]}`), a list field's errors are lists
    with one entry per item, and errors about the whole object sit under
    `non_field_errors`, which stays at the object's own location.
    """
    if isinstance(detail, Mapping):
        return [
            entry
            for key, value in detail.items()
            for entry in validation_details(
                value, loc if key == api_settings.NON_FIELD_ERRORS_KEY else [*loc, key]
            )
        ]
    if isinstance(detail, list):
        entries: list[dict[str, Any]] = []
        for index, item in enumerate(detail):
            nested = isinstance(item, Mapping | list)
            entries += validation_details(item, [*loc, index] if nested else loc)
        return entries
    return [{"loc": loc, "message": str(detail), "type": str(getattr(detail, "code", "invalid"))}]


def exception_handler(exc: Exception, _context: Mapping[str, Any]) -> Response | None:
    """DRF's hook: turn every exception a view raises into the one error body.

    Returning None lets the exception propagate to Django, whose `handler500`
    logs it and answers a generic 500: internals help attackers, not users.
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        where = "body"
        if isinstance(exc, QueryValidationError):
            where = "query"
        elif isinstance(exc, PathValidationError):
            where = "path"
        details = validation_details(exc.detail, [where])
        body = error_body("validation_error", "The request is not valid; see details.", details)
        return Response(body, status=HTTPStatus.UNPROCESSABLE_ENTITY)
    if isinstance(exc, exceptions.APIException):
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        body = error_body(_code_of(exc), str(message))
        return Response(body, exc.status_code, headers=_headers_of(exc))
    return None


def _code_of(exc: exceptions.APIException) -> str:
    """An exception's own `error_code` if it names one, else the status's code."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return "not_authenticated"
    code = getattr(exc, "error_code", None)
    return code if isinstance(code, str) else code_for(exc.status_code)


def _headers_of(exc: exceptions.APIException) -> dict[str, str]:
    """The headers a status needs: how to authenticate on a 401, when to retry on a 429."""
    headers: dict[str, str] = {}
    auth_header = getattr(exc, "auth_header", None)
    if isinstance(auth_header, str):
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if isinstance(exc, exceptions.Throttled) and isinstance(wait, int | float):
        headers["Retry-After"] = str(max(1, ceil(wait)))
    return headers


def bad_request(request: HttpRequest, exception: Exception) -> JsonResponse:  # noqa: ARG001
    """Django's 400 (a Host header not in ALLOWED_HOSTS, say), in the error body."""
    return JsonResponse(error_body("bad_request", "Bad Request"), status=HTTPStatus.BAD_REQUEST)


def not_found(request: HttpRequest, exception: Exception) -> JsonResponse:  # noqa: ARG001
    """An unknown URL, in the error body."""
    return JsonResponse(error_body("not_found", "Not Found"), status=HTTPStatus.NOT_FOUND)


def server_error(request: HttpRequest) -> JsonResponse:  # noqa: ARG001
    """A crash: Django has logged the traceback; the client gets a generic message."""
    body = error_body("internal_error", "Something went wrong on our side.")
    return JsonResponse(body, status=HTTPStatus.INTERNAL_SERVER_ERROR)
