"""Search boxes find the text typed: a % or _ in it is a character, not a wildcard; pages are counted once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dcim import ipmap
from dcim.accounts import operator
from dcim.audit import audit_page
from dcim.db import read_session, write_session
from dcim.inventory.load import load_file
from dcim.paging import page_count
from dcim.users import add_user

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example" / "inventory.yaml"
ON = dt.date(2026, 11, 27)


@pytest.fixture
def example(engine: Engine) -> Engine:
    """The contract's example data center."""
    load_file(engine, FIXTURE, actor=operator())
    return engine


@pytest.mark.parametrize("typed", ["%", "_", "203.0.113._"])
def test_an_address_search_takes_wildcards_literally(example: Engine, typed: str) -> None:
    with read_session(example) as session:
        assert ipmap.search(session, ON, typed) == []
        assert ipmap.search(session, ON, "203.0.113.")  # the plain text still finds


def test_an_audit_search_takes_wildcards_literally(example: Engine) -> None:
    with write_session(example) as session:
        add_user(session, operator(), "ops_1", "tim_dc", "sumbawa2026")
        add_user(session, operator(), "opsx1", "tim_dc", "sumbawa2026")
    with read_session(example) as session:
        underscore = audit_page(session, text="ops_1")
        percent = audit_page(session, text="%")
    assert [row.key for row in underscore.items] == ["ops_1"]
    assert percent.total == 0


@pytest.mark.parametrize(
    ("total", "per_page", "pages"),
    [(0, 25, 1), (1, 25, 1), (25, 25, 1), (26, 25, 2), (2**64, 256, 2**56)],
)
def test_pages_are_the_rows_divided_and_rounded_up_but_never_none(
    total: int, per_page: int, pages: int
) -> None:
    assert page_count(total, per_page) == pages
