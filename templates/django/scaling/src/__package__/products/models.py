"""The `products` table: the read-heavy catalog the cache and the indexes serve."""

from django.db import models

SKU_MAX_LENGTH = 32
PRODUCT_NAME_MAX_LENGTH = 200
CATEGORY_MAX_LENGTH = 50


class Product(models.Model):
    """An item of the catalog: read many times for each time it is written."""

    # The stock-keeping unit: the business key, unique (its index serves lookups by SKU).
    sku = models.CharField(max_length=SKU_MAX_LENGTH, unique=True)
    name = models.CharField(max_length=PRODUCT_NAME_MAX_LENGTH)
    category = models.CharField(max_length=CATEGORY_MAX_LENGTH)
    # Money in integer cents: floats cannot hold 0.10 exactly.
    price_cents = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        """Table name, order, the listing's index and the price rule."""

        db_table = "products"
        ordering = ("id",)
        indexes = (
            # The listing's query is "one category, in id order": an index on exactly
            # (category, id) answers it without reading the rest of the table.
            models.Index(fields=("category", "id"), name="ix_products_category_id"),
        )
        constraints = (
            models.CheckConstraint(
                condition=models.Q(price_cents__gte=0), name="price_not_negative"
            ),
        )

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"
