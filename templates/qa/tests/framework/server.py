"""The app under test on a real socket, in a background thread.

The socket is bound before the server starts, to port 0: the operating system
picks a free port and nothing can take it between choosing and listening, so
parallel test workers never collide.
"""

import socket
import threading
import time
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp

STARTUP_TIMEOUT = 10.0


class ServerStartError(Exception):
    """The server did not start listening in time."""


class LiveServer:
    """``with LiveServer(app) as server:`` serves ``app`` at ``server.url``."""

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1") -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind((host, 0))
        self.url = f"http://{host}:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def __enter__(self) -> "LiveServer":
        self._thread.start()
        # Wait on the condition (uvicorn says it started), checked often, with a deadline.
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                self._stop()
                raise ServerStartError(f"the app did not start at {self.url}")
            time.sleep(0.01)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop()

    def _stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(STARTUP_TIMEOUT)
        self._socket.close()
