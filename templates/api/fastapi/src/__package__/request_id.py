"""A request id for every request: taken from `X-Request-ID` when it is safe, made otherwise.

The id is returned in the response's `X-Request-ID` header and set in a context
variable for as long as the request runs, so every log line written on its behalf
names it (see `logs.py`), and a job queued by it carries it along. Someone
reporting a problem quotes the id, and one search finds every line of that request.

A client, or a proxy in front of the app, may send its own id to follow a request
across services. It is a header anyone can set, so it is accepted only when it
looks like an id: at most 64 characters from a small, log-safe alphabet. Anything
else (a newline that would forge a log line, markup, a megabyte) is replaced.
"""

import re
import uuid
from contextvars import ContextVar

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
MAX_LENGTH = 64
_SAFE_ID = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_LENGTH}}}")

# The id of the request being handled, or None outside one (start-up, a CLI, a worker
# between jobs). Each request runs in a task of its own, with its own copy of it.
current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def accepted_request_id(candidate: str | None) -> str:
    """`candidate` when it is a safe id, else a new random one (32 hex digits)."""
    if candidate is not None and _SAFE_ID.fullmatch(candidate):
        return candidate
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Pure ASGI middleware: sets the request id, and returns it on every response.

    Added last in `create_app()`, so it wraps every other middleware and route.
    The id stays set when an exception escapes, so the line that logs the
    unhandled error (written further out) names the request too.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one connection scope; only HTTP requests get an id."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        sent = headers.get(HEADER.lower().encode("latin-1"))
        request_id = accepted_request_id(sent.decode("latin-1") if sent is not None else None)
        current_request_id.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)
