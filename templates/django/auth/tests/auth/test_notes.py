import pytest
from rest_framework.test import APIClient

from .helpers import Account

pytestmark = pytest.mark.django_db

NOTES = "/api/v1/notes"


def create(api: APIClient, account: Account, title: str, body: str = "") -> dict[str, object]:
    response = api.post(
        NOTES, {"title": title, "body": body}, format="json", headers=account.headers
    )
    assert response.status_code == 201, response.content
    note: dict[str, object] = response.json()
    assert response["Location"].endswith(f"{NOTES}/{note['id']}")
    return note


def test_a_note_lives_and_dies(api: APIClient, alice: Account) -> None:
    note = create(api, alice, "  First  ", "Hello")
    assert note["title"] == "First"
    url = f"{NOTES}/{note['id']}"
    changed = api.patch(url, {"body": "Changed"}, format="json", headers=alice.headers)
    assert changed.status_code == 200
    assert changed.json()["body"] == "Changed"
    assert api.get(url, headers=alice.headers).json()["title"] == "First"
    assert api.delete(url, headers=alice.headers).status_code == 204
    assert api.get(url, headers=alice.headers).status_code == 404


def test_the_list_is_the_callers_newest_first_filtered_and_paged(
    api: APIClient, alice: Account, bob: Account
) -> None:
    for title in ("Groceries", "Ideas", "grocery run"):
        create(api, alice, title)
    create(api, bob, "Groceries of bob")
    page = api.get(NOTES, {"q": "GROCER", "page_size": "1"}, headers=alice.headers).json()
    assert (page["total"], page["pages"], page["page_size"]) == (2, 2, 1)
    assert [note["title"] for note in page["items"]] == ["grocery run"]
    assert api.get(NOTES, {"page_size": "101"}, headers=alice.headers).status_code == 422
    assert api.get(NOTES, {"owner": "1"}, headers=alice.headers).status_code == 422


def test_another_users_note_is_404_exactly_like_a_missing_one(
    api: APIClient, alice: Account, bob: Account, admin: Account
) -> None:
    note = create(api, alice, "Private")
    for caller in (bob, admin):
        for method in ("get", "patch", "delete"):
            theirs = getattr(api, method)(
                f"{NOTES}/{note['id']}", {"title": "x"}, format="json", headers=caller.headers
            )
            nowhere = getattr(api, method)(
                f"{NOTES}/999999", {"title": "x"}, format="json", headers=caller.headers
            )
            assert theirs.status_code == nowhere.status_code == 404
            assert theirs.json() == nowhere.json()
    assert api.get(f"{NOTES}/{note['id']}", headers=alice.headers).json()["title"] == "Private"


def test_the_owner_cannot_be_chosen_and_input_is_validated(
    api: APIClient, alice: Account, bob: Account
) -> None:
    response = api.post(
        NOTES, {"title": "x", "owner_id": bob.user.pk}, format="json", headers=alice.headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "owner_id"]
    for body in ({"title": ""}, {"title": "x" * 201}, {"title": "a\x00b"}, {"title": None}):
        response = api.post(NOTES, body, format="json", headers=alice.headers)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "validation_error"
    for invalid_id in ("0", "2147483648", "abc"):
        response = api.get(f"{NOTES}/{invalid_id}", headers=alice.headers)
        assert response.status_code == 422, invalid_id
        assert response.json()["error"]["details"][0]["loc"] == ["path", "id"]


def test_notes_need_a_login(api: APIClient) -> None:
    response = api.get(NOTES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
