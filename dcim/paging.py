"""Paging a list that the database counts: how many pages a number of rows fills."""

from __future__ import annotations


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` rows fill at ``per_page`` a page; at least one, even when empty."""
    return max(1, -(-total // per_page))
