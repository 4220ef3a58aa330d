"""The OpenAPI document says exactly what the API validates and answers.

drf-spectacular builds the document from serializers and views; this hook adds
what it cannot see, so a client (or schemathesis, `make fuzz`) can trust it:

- the one error body, documented on every status an operation can answer with it
  (400 for a malformed body, 401 where a login is required, 404 on paths with an
  id, 409 where a write can break a unique rule, 422 for invalid input), and on
  every error status a view declares itself (`extend_schema(responses=...)`);
- request bodies refuse unknown fields (`additionalProperties: false`), as
  `validation.StrictSerializer` does;
- text never contains the NUL character, which PostgreSQL cannot store and DRF
  refuses;
- a list answers one page (`{"items", "total", ...}`), not the array drf-spectacular
  assumes for a viewset's `list` action.
"""

from typing import Any

NO_NUL = r"^[^\x00]*$"
ERROR_SCHEMA = "ErrorResponse"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _error_schema() -> dict[str, Any]:
    detail = {
        "type": "object",
        "properties": {
            "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            "message": {"type": "string"},
            "type": {"type": "string"},
        },
        "required": ["loc", "message", "type"],
    }
    body = {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "details": {"type": "array", "items": detail},
        },
        "required": ["code", "message", "details"],
    }
    return {"type": "object", "properties": {"error": body}, "required": ["error"]}


def _error_statuses(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    statuses = ["422"]
    if any(operation.get("security", [])):
        statuses.append("401")
    if "requestBody" in operation:
        statuses.append("400")
    if "{" in path:
        statuses.append("404")
    if method in {"post", "patch"}:
        statuses.append("409")
    return statuses


def _refs(schema: Any) -> list[str]:
    """Component names a schema points at, directly or through arrays and properties."""
    if not isinstance(schema, dict):
        return []
    found = [schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else []
    found += _refs(schema.get("items"))
    for value in schema.get("properties", {}).values():
        found += _refs(value)
    return found


def _strict_text(schema: dict[str, Any]) -> None:
    """NUL-free text for every plain string property or parameter."""
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        schema.setdefault("pattern", NO_NUL)


def _page_not_array(media: dict[str, Any]) -> None:
    """`{"type": "array", "items": <a Page>}` → the Page itself."""
    schema = media.get("schema", {})
    item = schema.get("items", {}).get("$ref", "")
    if schema.get("type") == "array" and item.endswith("Page"):
        media["schema"] = schema["items"]


def document_errors(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular's postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_SCHEMA] = _error_schema()
    reference = {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
    requests: list[str] = []
    for path, item in result.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            for status in _error_statuses(path, method, operation):
                operation["responses"].setdefault(status, {"description": "An error"})
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    response["content"] = {"application/json": {"schema": reference}}
            for media in operation["responses"].get("200", {}).get("content", {}).values():
                _page_not_array(media)
            for parameter in operation.get("parameters", []):
                _strict_text(parameter.get("schema", {}))
            for media in operation.get("requestBody", {}).get("content", {}).values():
                requests += _refs(media.get("schema"))
    seen: set[str] = set()
    while requests:
        name = requests.pop()
        if name in seen or name not in components:
            continue
        seen.add(name)
        component = components[name]
        component["additionalProperties"] = False
        for value in component.get("properties", {}).values():
            _strict_text(value)
            requests += _refs(value)
    return result
