"""Filtering the list of requests: by step, office and text, counted the same way for paging."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from workflow_support import CCTV, SIMPEG, act, submit_file, user

from colocation.queries import count_requests, list_requests
from dcim.db import read_session

ON = dt.date(2026, 11, 27)


@pytest.fixture
def two_offices(demo: Engine) -> tuple[Engine, str, str]:
    """The demo with a BKPSDM request at step 2 and a Dishub request at step 1."""
    simpeg = submit_file(demo, SIMPEG)
    cctv = submit_file(demo, CCTV, "opd.dishub")
    act(demo, simpeg, "register", "kadis")
    return demo, simpeg, cctv


def test_the_list_keeps_the_requests_at_one_step(two_offices: tuple[Engine, str, str]) -> None:
    engine, simpeg, cctv = two_offices
    with read_session(engine) as session:
        assert [r.code for r in list_requests(session, None, step=2, on=ON)] == [simpeg]
        assert [r.code for r in list_requests(session, None, step=1, on=ON)] == [cctv]
        assert count_requests(session, None, step=2, on=ON) == 1
        assert count_requests(session, None, step=9, on=ON) == 0


def test_the_list_keeps_one_offices_requests(two_offices: tuple[Engine, str, str]) -> None:
    engine, simpeg, _ = two_offices
    with read_session(engine) as session:
        assert [r.code for r in list_requests(session, None, tenant="bkpsdm", on=ON)] == [simpeg]
        assert count_requests(session, None, tenant="bkpsdm", on=ON) == 1
        assert count_requests(session, None, tenant="no-such-office", on=ON) == 0


def test_an_opd_user_filtering_by_another_office_sees_nothing(
    two_offices: tuple[Engine, str, str],
) -> None:
    engine, _, _ = two_offices
    bkpsdm = user(engine, "opd.bkpsdm")
    with read_session(engine) as session:
        assert list_requests(session, bkpsdm, tenant="dishub", on=ON) == []
        assert count_requests(session, bkpsdm, tenant="dishub", on=ON) == 0


def test_the_list_finds_text_in_the_code_the_letter_number_and_the_purpose(
    two_offices: tuple[Engine, str, str],
) -> None:
    engine, simpeg, cctv = two_offices
    with read_session(engine) as session:

        def found(text: str) -> set[str]:
            rows = list_requests(session, None, search=text, on=ON)
            assert count_requests(session, None, search=text, on=ON) == len(rows)
            return {row.code for row in rows}

        assert found("cctv") == {cctv}
        assert found("800/131/bkpsdm") == {simpeg}
        assert found(simpeg.lower()) == {simpeg}
        assert found("SIMPEG") == {simpeg}
        # A wildcard typed in the search box is a character, not a pattern.
        assert found("%") == set()
        assert found("_") == set()
