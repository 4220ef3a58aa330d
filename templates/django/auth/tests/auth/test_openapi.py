import pytest
from django.test import Client


@pytest.fixture
def paths(client: Client) -> dict[str, dict[str, dict[str, object]]]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    result: dict[str, dict[str, dict[str, object]]] = document["paths"]
    return result


def test_protected_operations_name_the_bearer_scheme_and_document_401(
    paths: dict[str, dict[str, dict[str, object]]],
) -> None:
    for path in ("/api/v1/notes", "/api/v1/notes/{id}", "/api/v1/users", "/api/v1/users/me"):
        for method, operation in paths[path].items():
            assert operation["security"] == [{"bearerAuth": []}], (method, path)
            assert "401" in operation["responses"], (method, path)  # type: ignore[operator]


def test_every_error_a_view_declares_has_the_error_body(
    paths: dict[str, dict[str, dict[str, object]]],
) -> None:
    responses = paths["/api/v1/auth/token"]["post"]["responses"]
    assert isinstance(responses, dict)
    assert sorted(responses) == ["200", "400", "401", "409", "422", "429"]
    for status in ("401", "429"):
        schema = responses[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorResponse"}
    assert "403" in paths["/api/v1/users"]["get"]["responses"]  # type: ignore[operator]
    # The token endpoint takes the OAuth2 form, as OAuth2 clients send it.
    body = paths["/api/v1/auth/token"]["post"]["requestBody"]
    assert list(body["content"]) == ["application/x-www-form-urlencoded"]  # type: ignore[index]
