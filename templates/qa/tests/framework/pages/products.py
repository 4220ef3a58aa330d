"""The product list and its filters."""

from playwright.sync_api import Locator

from .base import BasePage


class ProductsPage(BasePage):
    """``/products``."""

    path = "/products"

    def filter(self, *, text: str = "", category: str = "All", in_stock_only: bool = False) -> None:
        """Set every filter, then submit (the page reloads with the filters in its URL)."""
        form = self.page.get_by_role("search", name="Filter products")
        form.get_by_label("Search").fill(text)
        form.get_by_label("Category").select_option(label=category)
        form.get_by_label("In stock only").set_checked(in_stock_only)
        form.get_by_role("button", name="Filter").click()

    def rows(self) -> Locator:
        """The rows of the table's body."""
        return self.page.get_by_role("table", name="Products").locator("tbody").get_by_role("row")

    def names(self) -> list[str]:
        """The product names shown, in order."""
        return [name.strip() for name in self.rows().locator("td:first-child").all_inner_texts()]

    def count(self) -> Locator:
        """The "N products" line."""
        return self.page.get_by_test_id("result-count")

    def product(self, sku: str) -> Locator:
        """The row of one product, by its test id."""
        return self.page.get_by_test_id(f"product-{sku}")

    def empty_message(self) -> Locator:
        """The message shown when nothing matches."""
        return self.page.get_by_role("status")
