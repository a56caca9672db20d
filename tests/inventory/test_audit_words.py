"""The audit log read by an auditor (issue 9, item 8): actions and objects in words, changes as a table.

The Inspektorat's viewer does not read ``request.submit`` or JSON: every
action the program records has words in both languages, and an entry's data
comes out as rows of field, before and after.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from colocation.sop import WITHDRAW_ACTION, current_sop
from dcim.accounts import operator
from dcim.audit import action_label, change_rows, entity_label, field_label
from dcim.catalog import import_builtin_catalog
from dcim.db import ensure_schema, get_engine, read_session
from dcim.models import AuditEntry
from dcim_demo import load_demo


@pytest.fixture
def demo(sqlite_url: str) -> Engine:
    """The demo data center with its requests walked through the SOP, as ``dcim init --demo``."""
    engine = get_engine(sqlite_url)
    ensure_schema(engine)
    import_builtin_catalog(engine, operator())
    load_demo(engine, operator())
    return engine


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_action_and_object_the_demo_records_has_words(demo: Engine, lang: str) -> None:
    with read_session(demo) as session:
        recorded = {
            (a, e) for a, e in session.execute(select(AuditEntry.action, AuditEntry.entity))
        }
    assert len(recorded) > 10, "the demo walks requests through the SOP, holds and users"
    missing = sorted(
        f"{action} / {entity}"
        for action, entity in recorded
        if action_label(action, lang) == action or entity_label(entity, lang) == entity
    )
    assert missing == [], f"shown to the auditor as recorded, not in words: {missing}"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_action_of_the_sop_has_words(lang: str) -> None:
    names = {action.name for _, action in current_sop().iter_actions()} | {WITHDRAW_ACTION}
    missing = sorted(
        name for name in names if action_label(f"request.{name}", lang) == f"request.{name}"
    )
    assert missing == []


def test_the_words_are_indonesian_by_default_and_english_on_request() -> None:
    assert action_label("request.submit") == "Mendaftarkan surat permohonan"
    assert action_label("request.submit", "en") == "Registered a request letter"
    assert entity_label("colocation_request") == "Permohonan colocation"


def test_an_action_without_words_yet_is_shown_as_recorded_rather_than_hidden() -> None:
    assert action_label("something.new") == "something.new"


def test_a_recorded_change_shows_its_value_before_and_after_as_local_dates() -> None:
    rows = change_rows(
        "reservation", "…", {"expires_at": {"from": "2026-12-02", "to": "2026-12-03"}}
    )
    assert [(r.field, r.before, r.after) for r in rows] == [
        ("Berlaku sampai", "2 Desember 2026", "3 Desember 2026")
    ]


def test_a_workflow_step_shows_the_step_it_left_and_the_one_it_reached_by_its_sop_title() -> None:
    titles = {"disposition_kadis": "Kepala Dinas mendisposisikan surat"}
    rows = change_rows(
        "colocation_request",
        "1 -> 2 disposition_kadis",
        {"note": None, "outcome": None, "data": {"agenda_number": "001/2026"}},
        state_title=titles.__getitem__,
    )
    table = [(r.field, r.before, r.after) for r in rows]
    assert table == [
        ("Langkah SOP", "1", "2 · Kepala Dinas mendisposisikan surat"),
        ("Nomor agenda", "", "001/2026"),
    ], "empty note and outcome say nothing; the workflow's 'data' wrapper is not a field"


def test_codes_with_words_of_their_own_are_shown_in_words() -> None:
    rows = change_rows("user", "budi (tim_dc)", {"role": "tim_dc", "tenant": None})
    assert [(r.field, r.after) for r in rows] == [("Peran", "Tim Data Center")]


def test_nested_fields_are_named_by_their_path_and_long_lists_are_counted() -> None:
    rows = change_rows(
        "reservation", None, {"proposal": {"rack": "R05", "feeds": [f"F{i}" for i in range(15)]}}
    )
    assert rows[0].field == "Usulan › Rak"
    assert rows[1].field == "Usulan › Jalur daya"
    assert rows[1].after.endswith("… dan 3 lainnya")
    assert field_label("proposal.rack", "en") == "Proposal › Rack"
