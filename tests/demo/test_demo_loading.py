"""The demo goes only into an empty inventory, from either interface."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.db import read_session
from dcim.inventory.load import load_file
from dcim.letterhead import read_letterhead_settings, read_logo
from dcim.models import Rack, Reservation, User
from dcim_cli.main import invoke
from dcim_demo import inventory_is_empty, load_demo

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example" / "inventory.yaml"


def _counts(engine: Engine) -> tuple[int, int, int]:
    with read_session(engine) as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Rack, Reservation, User)
        )


def test_a_database_with_real_racks_gets_no_demo(engine: Engine) -> None:
    load_file(engine, EXAMPLE, actor=operator())
    before = _counts(engine)
    assert load_demo(engine, operator()) is None
    assert _counts(engine) == before


def test_the_demo_is_loaded_once(engine: Engine) -> None:
    import_builtin_catalog(engine, operator())
    with read_session(engine) as session:
        assert inventory_is_empty(session)
    assert load_demo(engine, operator()) is not None
    with read_session(engine) as session:
        # The demo office's letters carry a full kop surat, not the bare name of the office.
        assert read_letterhead_settings(session).address is not None
        assert read_logo(session) is not None
    loaded = _counts(engine)
    assert load_demo(engine, operator()) is None
    assert _counts(engine) == loaded


def test_init_demo_on_a_loaded_database_says_so_and_exits_0(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert invoke(["--db", db_url, "init", "--demo"]) == 0
    capsys.readouterr()
    assert invoke(["--db", db_url, "init", "--demo"]) == 0
    assert "Data demo sudah ada di basis data" in capsys.readouterr().out
