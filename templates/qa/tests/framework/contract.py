"""Responses checked against the app's own OpenAPI document.

A contract test asks two questions of every response: does the document
promise this status for this operation, and does the body match the schema it
promises? FastAPI writes OpenAPI 3.1, whose schemas are JSON Schema 2020-12,
so ``jsonschema`` validates them directly.
"""

from typing import Any

import httpx
from jsonschema import Draft202012Validator


class ContractError(AssertionError):
    """A response the document does not allow."""


class OpenApiContract:
    """The operations of one OpenAPI document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def operations(self) -> set[tuple[str, str]]:
        """Every documented ``(METHOD, path)``."""
        return {
            (method.upper(), path)
            for path, item in self.document["paths"].items()
            for method in item
        }

    def check(self, path: str, response: httpx.Response) -> None:
        """Raise ``ContractError`` unless ``response`` is what ``path`` documents."""
        method = response.request.method.lower()
        operation = self.document["paths"].get(path, {}).get(method)
        if operation is None:
            raise ContractError(f"{method.upper()} {path} is not in the document")
        documented = operation["responses"].get(str(response.status_code))
        if documented is None:
            raise ContractError(
                f"{method.upper()} {path} answered {response.status_code}, "
                f"documented: {', '.join(sorted(operation['responses']))}"
            )
        schema = documented.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return
        # The document's components travel with the schema, so its "#/components/..." refs resolve.
        validator = Draft202012Validator({**schema, "components": self.document["components"]})
        problems = [error.message for error in validator.iter_errors(response.json())]
        if problems:
            raise ContractError(f"{method.upper()} {path} {response.status_code}: {problems}")
