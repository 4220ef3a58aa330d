import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def create(api: APIClient, **body: object) -> dict[str, object]:
    response = api.post("/api/v1/projects", body, format="json")
    assert response.status_code == 201, response.content
    result: dict[str, object] = response.json()
    return result


def test_create_with_tasks_returns_201_location_and_count(api: APIClient) -> None:
    response = api.post(
        "/api/v1/projects",
        {
            "name": "Launch",
            "tasks": [{"title": "Copy", "due_date": "2030-01-15"}, {"title": "Ship"}],
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["task_count"] == 2
    assert response["Location"].endswith(f"/api/v1/projects/{body['id']}")
    assert api.get(f"/api/v1/projects/{body['id']}").json() == body


def test_duplicate_name_is_409_and_nothing_half_made(api: APIClient) -> None:
    create(api, name="Launch")
    response = api.post("/api/v1/projects", {"name": "Launch"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert api.get("/api/v1/projects").json()["total"] == 1


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"name": ""}, ["body", "name"]),
        ({}, ["body", "name"]),
        ({"name": "x", "nmae": "y"}, ["body", "nmae"]),
        ({"name": "x", "tasks": [{"title": "A"}, {"title": "A"}]}, ["body", "tasks"]),
        ({"name": "x", "tasks": [{"title": "A"}, {"title": ""}]}, ["body", "tasks", 1, "title"]),
    ],
)
def test_invalid_bodies_are_422_with_their_location(
    api: APIClient, body: dict[str, object], loc: list[object]
) -> None:
    response = api.post("/api/v1/projects", body, format="json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert loc in [detail["loc"] for detail in error["details"]]


def test_list_filters_sorts_and_pages(api: APIClient) -> None:
    for name in ("Beta", "Alpha", "Gamma"):
        create(api, name=name)
    page = api.get("/api/v1/projects?sort=-name&page_size=2").json()
    assert [item["name"] for item in page["items"]] == ["Gamma", "Beta"]
    assert (page["total"], page["pages"], page["page"], page["page_size"]) == (3, 2, 1, 2)
    assert api.get("/api/v1/projects?q=ALP").json()["total"] == 1
    bad = api.get("/api/v1/projects?sort=size")
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["loc"] == ["query", "sort"]


def test_update_and_delete(api: APIClient) -> None:
    project = create(api, name="Launch", tasks=[{"title": "Ship"}])
    other = create(api, name="Other")
    url = f"/api/v1/projects/{project['id']}"
    renamed = api.patch(url, {"name": "Launch v2"}, format="json")
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Launch v2"
    assert renamed.json()["task_count"] == 1
    assert api.patch(url, {"name": None}, format="json").status_code == 422
    assert api.patch(url, {"name": other["name"]}, format="json").status_code == 409
    assert api.patch("/api/v1/projects/999999", {"name": "N"}, format="json").status_code == 404
    assert api.delete(url).status_code == 204
    assert api.get(url).json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/tasks").json()["total"] == 0


def test_put_is_405_with_allow(api: APIClient) -> None:
    response = api.put("/api/v1/projects", {"name": "x"}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "POST" in response["Allow"]


def test_text_fields_take_only_text(api: APIClient) -> None:
    response = api.post("/api/v1/projects", {"name": 0}, format="json")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["type"] == "string_type"


@pytest.mark.parametrize("invalid_id", ["0", "-1", "2147483648", "99999999999", "abc"])
@pytest.mark.parametrize(
    ("method", "url", "name"),
    [
        ("get", "/api/v1/projects/{}", "id"),
        ("patch", "/api/v1/projects/{}", "id"),
        ("delete", "/api/v1/projects/{}", "id"),
        ("post", "/api/v1/projects/{}/tasks", "project_id"),
        ("get", "/api/v1/tasks/{}", "id"),
        ("patch", "/api/v1/tasks/{}", "id"),
        ("delete", "/api/v1/tasks/{}", "id"),
    ],
)
def test_an_id_out_of_range_is_422_naming_it(
    api: APIClient, method: str, url: str, name: str, invalid_id: str
) -> None:
    response = getattr(api, method)(url.format(invalid_id), {"title": "x"}, format="json")

    assert response.status_code == 422
    detail = response.json()["error"]["details"][0]
    assert (detail["loc"], detail["type"]) == (["path", name], "invalid")
