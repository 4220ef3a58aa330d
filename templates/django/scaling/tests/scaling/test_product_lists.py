from typing import Any

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products"


def add_products(api: APIClient, count: int, category: str) -> list[int]:
    ids = []
    for number in range(count):
        body = {"sku": f"{category.upper()}-{number}", "name": f"Item {number}"}
        response = api.post(PRODUCTS, {**body, "category": category, "price_cents": 100}, "json")
        ids.append(response.json()["id"])
    return ids


def get(api: APIClient, url: str, params: dict[str, str | int]) -> Any:
    """The JSON body of a GET with these query parameters."""
    return api.get(url, params).json()


def test_numbered_pages_of_one_category(api: APIClient) -> None:
    garden = add_products(api, 5, "garden")
    add_products(api, 2, "kitchen")

    page = get(api, PRODUCTS, {"category": "garden", "page": 2, "page_size": 2})

    assert [item["id"] for item in page["items"]] == garden[2:4]
    assert (page["total"], page["pages"]) == (5, 3)
    assert get(api, PRODUCTS, {})["total"] == 7


def test_scrolling_visits_every_product_once_in_id_order(api: APIClient) -> None:
    garden = add_products(api, 5, "garden")
    add_products(api, 2, "kitchen")
    seen: list[int] = []
    params: dict[str, str | int] = {"category": "garden", "limit": 2}

    while True:
        page = get(api, f"{PRODUCTS}/scroll", params)
        seen += [item["id"] for item in page["items"]]
        if page["next_after"] is None:
            break
        params["after"] = page["next_after"]

    assert seen == garden
    everything = get(api, f"{PRODUCTS}/scroll", {"limit": 100})
    assert len(everything["items"]) == 7
    assert everything["next_after"] is None


def test_list_parameters_are_validated(api: APIClient) -> None:
    cases: tuple[tuple[str, dict[str, str | int]], ...] = (
        (f"{PRODUCTS}/scroll", {"limit": 0}),
        (f"{PRODUCTS}/scroll", {"after": -1}),
        (f"{PRODUCTS}/scroll", {"sort": "id"}),
        (PRODUCTS, {"category": "Not valid"}),
        (PRODUCTS, {"page_size": 101}),
    )
    for url, params in cases:
        response = api.get(url, params)
        assert response.status_code == 422, params
        assert response.json()["error"]["details"][0]["loc"][0] == "query"
