"""A thin client of the JSON API: the API tests speak in its methods, not in URLs."""

from types import TracebackType
from typing import Any

import httpx

from .environments import Credentials


class ApiClient:
    """An ``httpx.Client`` on the app's base URL that can sign in.

    Requests return the ``httpx.Response`` as is: a negative test must be able
    to see a 401 or a 422, so the client never raises on a status.
    """

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10.0)

    def sign_in(self, credentials: Credentials) -> str:
        """Open a session; later requests carry its token. Returns the token."""
        response = self.http.post(
            "/api/v1/sessions",
            json={"email": credentials.email, "password": credentials.password},
        )
        response.raise_for_status()
        token = str(response.json()["token"])
        self.http.headers["Authorization"] = f"Bearer {token}"
        return token

    def products(self, **filters: str) -> httpx.Response:
        """``GET /api/v1/products`` with the filters as query parameters."""
        return self.http.get("/api/v1/products", params=filters)

    def send_feedback(self, feedback: dict[str, Any]) -> httpx.Response:
        """``POST /api/v1/feedback``."""
        return self.http.post("/api/v1/feedback", json=feedback)

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document the app serves."""
        response = self.http.get("/openapi.json")
        response.raise_for_status()
        document: dict[str, Any] = response.json()
        return document

    def __enter__(self) -> "ApiClient":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.http.close()
