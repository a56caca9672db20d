"""E-mail notices of the workflow, delivered to a real SMTP server (aiosmtpd) on loopback.

When a request reaches a step, the people of the role that acts there are
told, with a link to the request; the OPD is told when its reply letter is
issued; an overdue step is recalled once per working day. A mail server that
is down never fails an action: the notice waits in the outbox.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, select, update
from workflow_support import HAPPY_PATH, SIMPEG, SUBMITTED_ON, submit_file, user, walk

from colocation.models import ColocationRequest, Notification
from colocation.notifications import MAX_ATTEMPTS, dispatch, outbox_counts, start_from_now
from dcim.accounts import operator
from dcim.db import read_session, write_session
from dcim.errors import InputError, PermissionDenied
from dcim.mail import read_mail_settings, write_mail_settings
from dcim.models import User
from dcim.users import set_email

BASE_URL = "https://dc.sumbawakab.example"
ADDRESSES = {
    "kadis": "kadis@sumbawakab.example",
    "kabid": "kabid@sumbawakab.example",
    "kasi": "kasi@sumbawakab.example",
    "timdc": "timdc@sumbawakab.example",
    "opd.bkpsdm": "bkpsdm@sumbawakab.example",
    "opd.dishub": "dishub@sumbawakab.example",
}


@dataclass
class Mailbox:
    """What the SMTP server received: one parsed message per recipient."""

    messages: list[tuple[str, Message]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        parsed = message_from_bytes(envelope.content)  # type: ignore[attr-defined]
        with self.lock:
            for recipient in envelope.rcpt_tos:  # type: ignore[attr-defined]
                self.messages.append((recipient, parsed))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [message for recipient, message in self.messages if recipient == address]

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on a free loopback port, collecting what it is sent."""
    box = Mailbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def _configure(engine: Engine, port: int) -> None:
    """Mail on, every demo person with an address, from this moment on."""
    with write_session(engine) as session:
        write_mail_settings(
            session,
            operator(),
            {
                "host": "127.0.0.1",
                "port": port,
                "sender": "dcim@sumbawakab.example",
                "base_url": BASE_URL,
            },
        )
        for username, address in ADDRESSES.items():
            set_email(session, operator(), username, address)
        start_from_now(session)


# The actions are recorded on SUBMITTED_ON and the runs happen that day, so no step is overdue
# yet, except where a test moves the day on.


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


@pytest.fixture
def mailed(demo: Engine, smtp: tuple[Mailbox, int]) -> tuple[Engine, Mailbox]:
    """The demo data center with mail going to the test server."""
    box, port = smtp
    _configure(demo, port)
    return demo, box


def test_a_registered_letter_is_announced_to_the_kepala_dinas_with_a_link(
    mailed: tuple[Engine, Mailbox],
) -> None:
    engine, box = mailed
    code = submit_file(engine, SIMPEG)
    result = dispatch(engine, on=SUBMITTED_ON)
    assert result.sent >= 1, result
    (notice,) = box.to(ADDRESSES["kadis"])
    assert code in notice["Subject"]
    assert "langkah 1" in notice["Subject"]  # the office's language: Bahasa Indonesia
    assert f"{BASE_URL}/permohonan?kode={code}" in _body(notice)
    assert notice["From"] == "dcim@sumbawakab.example"
    # Nobody else acts at step 1, so nobody else is told.
    assert box.to(ADDRESSES["kabid"]) == []


def test_each_step_is_announced_to_the_role_that_acts_there_and_not_to_who_acted(
    mailed: tuple[Engine, Mailbox],
) -> None:
    engine, box = mailed
    code = submit_file(engine, SIMPEG)
    walk(engine, code, HAPPY_PATH[:2])  # the Kepala Dinas registers and disposes
    dispatch(engine, on=SUBMITTED_ON)
    # Registered and disposed by the Kepala Dinas himself: his own steps are not mailed back
    # to him after he acted; the Kepala Bidang is told that the request now waits for him.
    kabid = box.to(ADDRESSES["kabid"])
    assert len(kabid) == 1
    assert "langkah 3" in kabid[0]["Subject"]
    assert code in _body(kabid[0])


def test_a_run_twice_sends_nothing_twice(mailed: tuple[Engine, Mailbox]) -> None:
    engine, box = mailed
    submit_file(engine, SIMPEG)
    first = dispatch(engine, on=SUBMITTED_ON)
    second = dispatch(engine, on=SUBMITTED_ON)
    assert first.queued >= 1
    assert second.queued == 0 and second.sent == 0
    assert len(box.to(ADDRESSES["kadis"])) == 1


def test_history_before_mail_was_switched_on_is_not_mailed(
    demo: Engine, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    submit_file(demo, SIMPEG)  # before mail is on
    _configure(demo, port)
    assert dispatch(demo, on=SUBMITTED_ON).queued == 0
    assert box.messages == []


def test_without_mail_settings_nothing_is_queued(demo: Engine) -> None:
    submit_file(demo, SIMPEG)
    assert dispatch(demo, on=SUBMITTED_ON).queued == 0
    with read_session(demo) as session:
        assert session.scalar(select(Notification.id)) is None


def test_the_opd_is_told_when_its_reply_letter_is_issued(mailed: tuple[Engine, Mailbox]) -> None:
    engine, box = mailed
    code = submit_file(engine, SIMPEG)
    walk(engine, code, HAPPY_PATH[:7])  # up to the Kasi's reply
    dispatch(engine, on=SUBMITTED_ON)
    letters = [m for m in box.to(ADDRESSES["opd.bkpsdm"]) if "Surat Balasan" in m["Subject"]]
    assert len(letters) == 1, [m["Subject"] for m in box.to(ADDRESSES["opd.bkpsdm"])]
    assert "Penerimaan" in letters[0]["Subject"]
    # Another office's user hears nothing of BKPSDM's request.
    assert box.to(ADDRESSES["opd.dishub"]) == []


def test_a_mail_server_that_is_down_fails_no_action_and_the_notice_waits(
    demo: Engine, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    _configure(demo, _free_port())  # nothing listens there
    code = submit_file(demo, SIMPEG)
    result = dispatch(demo, on=SUBMITTED_ON, after_action=True)
    assert result.failed == 1 and result.sent == 0
    with read_session(demo) as session:
        waiting = session.scalars(select(Notification)).all()
        assert [row.sent_at for row in waiting] == [None]
        assert waiting[0].last_error  # the server's answer is kept for the administrator
        assert (
            session.scalar(select(ColocationRequest.state).where(ColocationRequest.code == code))
            == "registration"
        )
    # The server is back: the next run delivers what waited.
    with write_session(demo) as session:
        stored = read_mail_settings(session)
        assert stored is not None
        write_mail_settings(session, operator(), {**stored.model_dump(), "port": port})
    assert dispatch(demo, on=SUBMITTED_ON).sent == 1
    assert len(box.to(ADDRESSES["kadis"])) == 1


def test_a_notice_is_given_up_after_its_attempts(demo: Engine, smtp: tuple[Mailbox, int]) -> None:
    _configure(demo, _free_port())
    submit_file(demo, SIMPEG)
    for _ in range(MAX_ATTEMPTS + 2):
        dispatch(demo, on=SUBMITTED_ON)
    with read_session(demo) as session:
        counts = outbox_counts(session)
        attempts = session.scalar(select(Notification.attempts))
    assert (counts.sent, counts.pending, counts.failed) == (0, 0, 1)
    assert attempts == MAX_ATTEMPTS


def test_an_overdue_step_is_recalled_once_per_working_day(mailed: tuple[Engine, Mailbox]) -> None:
    engine, box = mailed
    code = submit_file(engine, SIMPEG)
    with read_session(engine) as session:
        due = session.scalar(select(ColocationRequest.due_on).where(ColocationRequest.code == code))
    assert due is not None
    dispatch(engine, on=due)  # the step notice, not yet overdue
    box.clear()
    monday = dt.date(2026, 12, 7)
    assert due < monday
    dispatch(engine, on=monday)
    dispatch(engine, on=monday)
    recalls = box.to(ADDRESSES["kadis"])
    assert len(recalls) == 1
    assert "Melewati batas waktu" in recalls[0]["Subject"]
    box.clear()
    dispatch(engine, on=dt.date(2026, 12, 12))  # a Saturday: no reminders
    assert box.messages == []
    dispatch(engine, on=dt.date(2026, 12, 8))  # the next working day: recalled again
    assert len(box.to(ADDRESSES["kadis"])) == 1


def test_a_user_without_an_address_or_switched_off_is_not_written_to(
    mailed: tuple[Engine, Mailbox],
) -> None:
    engine, box = mailed
    with write_session(engine) as session:
        session.execute(update(User).where(User.username == "kadis").values(active=False))
    submit_file(engine, SIMPEG)
    dispatch(engine, on=SUBMITTED_ON)
    assert box.to(ADDRESSES["kadis"]) == []


def test_bad_mail_settings_are_refused_naming_the_field_in_indonesian(demo: Engine) -> None:
    with write_session(demo) as session, pytest.raises(InputError) as refused:
        write_mail_settings(
            session,
            operator(),
            {
                "host": "mail server",
                "port": 70000,
                "sender": "dcim@example.org",
                "base_url": "dc.example.org",
            },
        )
    paths = {problem.path for problem in refused.value.problems}
    assert paths == {"Server SMTP", "Port SMTP", "Alamat aplikasi"}
    messages = " ".join(problem.message for problem in refused.value.problems)
    assert "65535" in messages and "https://" in messages
    with read_session(demo) as session:
        assert read_mail_settings(session) is None  # nothing was stored


def test_a_bad_sender_is_named_with_the_other_bad_fields_in_one_refusal(demo: Engine) -> None:
    # The sender's address used to be checked only once every other field was right.
    with write_session(demo) as session, pytest.raises(InputError) as refused:
        write_mail_settings(
            session,
            operator(),
            {"host": "mail server", "port": 25, "sender": "dcim di kantor", "base_url": "dc"},
        )
    assert [problem.path for problem in refused.value.problems] == [
        "Server SMTP",
        "Alamat pengirim",
        "Alamat aplikasi",
    ], "every field's problem at once, in the form's order"
    sender = next(p for p in refused.value.problems if p.path == "Alamat pengirim")
    assert sender.message == "'dcim di kantor' bukan alamat surel yang benar"
    with read_session(demo) as session:
        assert read_mail_settings(session) is None


def test_a_field_breaking_two_rules_is_named_once(demo: Engine) -> None:
    with write_session(demo) as session, pytest.raises(InputError) as refused:
        write_mail_settings(
            session,
            operator(),
            {"host": "127.0.0.1", "username": 7, "sender": "x" * 300, "base_url": BASE_URL},
        )
    assert [problem.path for problem in refused.value.problems] == [
        "Nama akun SMTP",
        "Alamat pengirim",
    ]


def test_only_an_administrator_sets_the_mail_server(demo: Engine) -> None:
    with write_session(demo) as session, pytest.raises(PermissionDenied):
        write_mail_settings(
            session,
            user(demo, "kabid"),
            {"host": "127.0.0.1", "sender": "dcim@example.org", "base_url": BASE_URL},
        )


def test_a_person_sets_their_own_address_but_not_another_s(demo: Engine) -> None:
    with write_session(demo) as session:
        set_email(session, user(demo, "kasi"), "kasi", "Kasi@Sumbawakab.example")
    with read_session(demo) as session:
        stored = session.scalar(select(User.email).where(User.username == "kasi"))
    assert stored == "Kasi@sumbawakab.example"  # the domain is normalised, the local part kept
    with write_session(demo) as session, pytest.raises(PermissionDenied):
        set_email(session, user(demo, "kasi"), "kabid", "kabid@sumbawakab.example")


def test_a_malformed_address_is_refused_in_indonesian(demo: Engine) -> None:
    with write_session(demo) as session, pytest.raises(InputError) as refused:
        set_email(session, operator(), "kasi", "kasi at sumbawakab")
    (problem,) = refused.value.problems
    assert problem.path == "Alamat surel"
    assert "bukan alamat surel yang benar" in problem.message


def test_the_command_line_sets_mail_up_and_announces_an_action(
    demo: Engine,
    smtp: tuple[Mailbox, int],
    run_cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    box, port = smtp
    monkeypatch.setenv("DCIM_DATABASE_URL", demo.url.render_as_string(hide_password=False))
    done = run_cli(
        "notify",
        "settings",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--sender",
        "dcim@sumbawakab.example",
        "--base-url",
        BASE_URL,
    )
    assert done.exit_code == 0, done.stderr
    assert run_cli("user", "email", "kadis", ADDRESSES["kadis"]).exit_code == 0
    code = submit_file(demo, SIMPEG, on=None)  # today: nothing is overdue yet
    done = run_cli("notify", "run")
    assert done.exit_code == 0, done.stderr
    assert "1 terkirim" in done.stdout
    assert [code in m["Subject"] for m in box.to(ADDRESSES["kadis"])] == [True]
    status = run_cli("notify", "status")
    assert "1 terkirim, 0 menunggu" in status.stdout


def test_notify_run_without_settings_says_how_to_set_them(
    demo: Engine, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DCIM_DATABASE_URL", demo.url.render_as_string(hide_password=False))
    done = run_cli("notify", "run")
    assert done.exit_code == 2
    assert "dcim notify settings" in done.stderr
