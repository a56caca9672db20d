"""Times in the app follow the data center's time zone (``dcim config timezone``), as "today" does."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from workflow_support import TEST_NOW

from dcim.accounts import operator
from dcim.calendar_settings import set_timezone
from dcim.db import get_engine, write_session


def _audit_times(at) -> list[str]:
    table = at.dataframe[0].value
    return list(table["Waktu"])


def _html(at) -> str:
    return "".join(str(h.proto.body) for h in at.get("html"))


def test_the_audit_log_shows_times_in_wita_by_default(app) -> None:
    at = app("admin", "audit")
    times = _audit_times(at)
    assert times and all(text.endswith(" WITA") for text in times)
    assert "kapan (WITA)" in _html(at)


def test_a_data_center_in_papua_sees_its_times_in_wit(app, demo_url: str) -> None:
    with write_session(get_engine(demo_url)) as session:
        set_timezone(session, operator(), "Asia/Jayapura")
    at = app("admin", "audit")
    times = _audit_times(at)
    assert times and all(text.endswith(" WIT") for text in times)
    assert "kapan (WIT)" in _html(at)
    context = at.session_state["_dcim_context"]
    assert context.zone == ZoneInfo("Asia/Jayapura")
    assert context.today == TEST_NOW.astimezone(ZoneInfo("Asia/Jayapura")).date()
