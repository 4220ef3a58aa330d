"""Page parameters and the page envelope every list endpoint shares.

The page size has an upper bound so that no request, careless or hostile, can
ask the database for a whole table at once.
"""

from math import ceil
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
# Deep offsets are slow (the database still walks every skipped row); a bound
# keeps them finite. Keyset pagination is the fix for really deep paging.
MAX_PAGE = 10_000

ItemT = TypeVar("ItemT")


class PageParams(BaseModel):
    """`?page=2&page_size=50`: which slice of the results to return."""

    page: int = Field(default=1, ge=1, le=MAX_PAGE, description="1-based page number.")
    page_size: int = Field(
        default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page."
    )

    @property
    def offset(self) -> int:
        """How many rows come before this page."""
        return (self.page - 1) * self.page_size


class Page(BaseModel, Generic[ItemT]):
    """One page of results, with what a client needs to fetch the others."""

    items: list[ItemT]
    total: int = Field(description="Items matching the filters, on every page.")
    page: int
    page_size: int
    pages: int = Field(description="Number of pages at this page size.")

    @classmethod
    def build(cls, items: list[ItemT], total: int, params: PageParams) -> "Page[ItemT]":
        """Wrap one page of items with the totals."""
        return cls(
            items=items,
            total=total,
            page=params.page,
            page_size=params.page_size,
            pages=ceil(total / params.page_size),
        )
