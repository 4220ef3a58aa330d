"""The products the shop lists, and the filters over them.

The data is a constant, so a test knows exactly what each filter must return:
tests of a list are only as good as the control they have over its data.
"""

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """The product categories, which both the page's select and the API accept."""

    BOOKS = "books"
    GAMES = "games"
    TOOLS = "tools"


@dataclass(frozen=True)
class Product:
    """One product of the list."""

    sku: str
    name: str
    category: Category
    price_cents: int
    in_stock: bool


PRODUCTS: tuple[Product, ...] = (
    Product("BK-001", "Fluent Testing", Category.BOOKS, 3900, in_stock=True),
    Product("BK-002", "The Flaky Test Handbook", Category.BOOKS, 2500, in_stock=False),
    Product("BK-003", "Property-Based Thinking", Category.BOOKS, 3100, in_stock=True),
    Product("GM-001", "Bug Hunt", Category.GAMES, 1999, in_stock=True),
    Product("GM-002", "Race Condition", Category.GAMES, 2999, in_stock=False),
    Product("TL-001", "Locator Magnifier", Category.TOOLS, 1250, in_stock=True),
    Product("TL-002", "Trace Viewer Lamp", Category.TOOLS, 4500, in_stock=True),
)


@dataclass(frozen=True)
class ProductFilter:
    """What the user asked for; an empty field does not filter.

    Attributes:
        category: Only this category.
        text: Only names containing this text, case-insensitively.
        in_stock_only: Only products in stock.
    """

    category: Category | None = None
    text: str = ""
    in_stock_only: bool = False

    def matches(self, product: Product) -> bool:
        """Whether ``product`` passes every filter set."""
        if self.category is not None and product.category is not self.category:
            return False
        if self.in_stock_only and not product.in_stock:
            return False
        return self.text.casefold() in product.name.casefold()


def filter_products(
    wanted: ProductFilter, products: tuple[Product, ...] = PRODUCTS
) -> list[Product]:
    """The products ``wanted`` matches, sorted by name."""
    return sorted((p for p in products if wanted.matches(p)), key=lambda p: p.name)
