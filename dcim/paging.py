"""Paging a list that the database counts: one page of rows, and how many pages they fill."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` rows fill at ``per_page`` a page; at least one, even when empty."""
    return max(1, -(-total // per_page))


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of the rows that match the filters, and how many match in all."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the matching rows fill (at least one)."""
        return page_count(self.total, self.per_page)
