"""The daily fixes of issue 9, item 8, in the app: Pengguna, the audit log, the working calendar.

A new account starts at the least-privileged role; a forgotten password is
reset by the administrator, which ends that person's sessions; the audit log
names what was done in words and shows a change as a table; a local holiday
added by Tim Data Center moves the deadline it falls on, and says so.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from colocation.models import ColocationRequest
from dcim.accounts import verify_password
from dcim.db import get_engine, read_session
from dcim.models import LocalHoliday, Reservation, User
from dcim.sessions import check_session, start_session

TEMPORARY = "sementara-2026"


def test_the_add_user_form_starts_at_the_least_privileged_role(app) -> None:
    at = app("admin", "pengguna")
    role = next(s for s in at.selectbox if s.label == "Peran")
    assert role.value == "viewer", "a hurried click must not make another administrator"


def test_an_administrator_resets_a_password_and_that_persons_sessions_end(
    app, demo_url: str
) -> None:
    engine = get_engine(demo_url)
    with read_session(engine) as session:
        timdc = session.scalar(select(User).where(User.username == "timdc"))
    assert timdc is not None
    elsewhere = start_session(engine, timdc.id).id  # timdc, signed in at another desk
    at = app("admin", "pengguna")
    at.selectbox(key="people_reset_user").set_value("timdc")
    next(i for i in at.text_input if i.label == "Kata sandi sementara").input(TEMPORARY)
    next(i for i in at.text_input if i.label == "Ulangi kata sandi sementara").input(TEMPORARY)
    next(b for b in at.button if b.label == "Reset kata sandi").click().run()
    assert not at.exception
    assert any("timdc" in s.value and "sudah di-reset" in s.value for s in at.success)
    with read_session(engine) as session:
        stored = session.scalar(select(User).where(User.username == "timdc"))
    assert stored is not None and verify_password(stored.password_hash, TEMPORARY)
    assert stored.must_change_password, "a password someone else chose is changed at sign-in"
    assert check_session(engine, elsewhere) is None, "the desk left signed in is signed out"


def test_a_reset_with_two_different_passwords_changes_nothing(app, demo_url: str) -> None:
    at = app("admin", "pengguna")
    at.selectbox(key="people_reset_user").set_value("timdc")
    next(i for i in at.text_input if i.label == "Kata sandi sementara").input(TEMPORARY)
    next(i for i in at.text_input if i.label == "Ulangi kata sandi sementara").input(
        "lain-sekali-2026"
    )
    next(b for b in at.button if b.label == "Reset kata sandi").click().run()
    assert [e.value for e in at.error] == ["Kedua kata sandi baru tidak sama."]
    with read_session(get_engine(demo_url)) as session:
        stored = session.scalar(select(User).where(User.username == "timdc"))
    assert stored is not None and not verify_password(stored.password_hash, TEMPORARY)


def test_the_audit_log_names_actions_in_words_and_shows_a_change_as_a_table(app) -> None:
    at = app("admin", "audit")
    log = at.dataframe[0].value
    assert "Mendaftarkan surat permohonan" in set(log["Tindakan"])
    assert not any(action.startswith("request.") for action in log["Tindakan"])
    assert "Permohonan colocation" in set(log["Objek"])
    details = next(s for s in at.selectbox if s.label == "Rincian perubahan")
    step = next(o for o in details.options if "Mencatat surat masuk" in o)
    at.session_state["audit_pick"] = int(step.split(" ")[0].removeprefix("#"))  # "#<id> · ..."
    at.run()
    table = at.dataframe[1].value
    assert list(table.columns) == ["Isian", "Sebelum", "Sesudah"]
    steps = table[table["Isian"] == "Langkah SOP"]
    assert list(steps["Sebelum"]) == ["1"]
    assert list(steps["Sesudah"]) == ["2 · Kepala Dinas mendisposisikan surat ke Kepala Bidang TI"]


def test_tim_dc_adds_a_local_holiday_and_is_told_which_deadline_moved(app, demo_url: str) -> None:
    engine = get_engine(demo_url)
    with read_session(engine) as session:
        due = session.scalar(
            select(ColocationRequest.due_on).where(ColocationRequest.code == "REQ-2026-0004")
        )
    assert due is not None, "the demo's request at step 1 has an SOP deadline"
    at = app("timdc", "kalender")
    at.date_input[0].set_value(due)
    next(i for i in at.text_input if i.label == "Nama hari libur").input(
        "Hari Jadi Kabupaten Sumbawa"
    )
    next(b for b in at.button if b.label == "Tambah").click().run()
    assert not at.exception
    moved = [w.value for w in at.warning]
    assert any(m.startswith("Tenggat REQ-2026-0004 bergeser dari") for m in moved), moved
    with read_session(engine) as session:
        assert session.get(LocalHoliday, due) is not None
        later = session.scalar(
            select(ColocationRequest.due_on).where(ColocationRequest.code == "REQ-2026-0004")
        )
    assert later is not None and later > due


def test_a_local_holiday_also_moves_the_live_holds_and_the_page_names_them(
    app, demo_url: str
) -> None:
    # The demo's holds count their working days from the day it was loaded (the test's today,
    # Thursday 2026-12-31); Monday 2027-01-04, their first working day, is among them.
    monday = dt.date(2027, 1, 4)
    engine = get_engine(demo_url)
    with read_session(engine) as session:
        ends = dict(
            session.execute(
                select(Reservation.code, Reservation.expires_at).where(
                    Reservation.status == "held", Reservation.expires_at >= monday
                )
            ).all()
        )
    assert ends, "the demo keeps live holds"
    at = app("timdc", "kalender")
    at.date_input[0].set_value(monday)
    next(i for i in at.text_input if i.label == "Nama hari libur").input("Cuti bersama daerah")
    next(b for b in at.button if b.label == "Tambah").click().run()
    assert not at.exception
    shown = [w.value for w in at.warning]
    with read_session(engine) as session:
        for code, before in ends.items():
            after = session.scalar(select(Reservation.expires_at).where(Reservation.code == code))
            assert after is not None and after > before, code
            assert any(m.startswith(f"Hold {code} kini berakhir") for m in shown), shown
