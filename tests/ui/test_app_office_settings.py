"""The administrator's mail and letterhead pages, and one's own address, in the app (AppTest).

Bad settings are answered in Indonesian naming the field as the form names
it, and change nothing; good ones are stored and a test message reaches a
real SMTP server (aiosmtpd) on loopback.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from dcim.db import get_engine, read_session
from dcim.letterhead import read_letterhead_settings
from dcim.mail import read_mail_settings
from dcim.models import User


class _Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        subject = message_from_bytes(envelope.content)["Subject"]
        self.received.append((list(envelope.rcpt_tos), subject))
        return "250 OK"


@pytest.fixture
def smtp_port() -> Iterator[tuple[_Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _fill(at: AppTest, port: int, base_url: str) -> AppTest:
    at.text_input(key="mail_host").input("127.0.0.1")
    at.number_input(key="mail_port").set_value(port)
    at.text_input(key="mail_sender").input("dcim@sumbawakab.example")
    at.text_input(key="mail_base_url").input(base_url)
    return at


def _save(at: AppTest) -> AppTest:
    (button,) = [b for b in at.button if b.label == "Simpan pengaturan surel"]
    button.click()
    return at.run()


def test_a_bad_app_address_is_refused_in_indonesian_and_nothing_is_stored(
    app: Callable[..., AppTest], demo_url: str
) -> None:
    at = _fill(app("admin", "surel"), 2525, "dc.sumbawakab.example")
    at = _save(at)
    shown = " ".join(block.value for block in at.error) + " ".join(
        str(markdown.value) for markdown in at.markdown
    )
    assert "Alamat aplikasi" in shown
    assert "http://" in shown  # the rule the address breaks
    assert "base_url" not in shown  # never the internal name
    with read_session(get_engine(demo_url)) as session:
        assert read_mail_settings(session) is None


def test_every_bad_mail_field_is_named_at_once_the_sender_too(
    app: Callable[..., AppTest], demo_url: str
) -> None:
    at = app("admin", "surel")
    at.text_input(key="mail_host").input("server surel")
    at.text_input(key="mail_sender").input("dcim di kantor")
    at.text_input(key="mail_base_url").input("dc.sumbawakab.example")
    at = _save(at)
    (error,) = [block.value for block in at.error]
    lines = [line for line in error.splitlines() if line.startswith("- ")]
    assert [line.split(":")[0] for line in lines] == [
        "- `Server SMTP",
        "- `Alamat pengirim",
        "- `Alamat aplikasi",
    ], "one save names every problem, the sender's address with the others"
    assert "'dcim di kantor' bukan alamat surel yang benar" in error
    with read_session(get_engine(demo_url)) as session:
        assert read_mail_settings(session) is None


def test_the_administrator_sets_mail_up_and_sends_a_test_message(
    app: Callable[..., AppTest], demo_url: str, smtp_port: tuple[_Inbox, int]
) -> None:
    inbox, port = smtp_port
    at = _save(_fill(app("admin", "surel"), port, "https://dc.sumbawakab.example"))
    assert not at.exception, at.exception
    assert any("Pengaturan surel disimpan" in block.value for block in at.success)
    at.text_input(key="mail_test_to").input("admin@sumbawakab.example")
    (send,) = [b for b in at.button if b.label == "Kirim surel uji"]
    send.click()
    at.run()
    assert inbox.received == [(["admin@sumbawakab.example"], "Uji surel dcim-lite")]


def test_a_person_sets_where_their_notices_go(app: Callable[..., AppTest], demo_url: str) -> None:
    at = app("timdc", "akun")
    at.text_input(key="own_email").input("timdc@sumbawakab.example")
    (save,) = [b for b in at.button if b.label == "Simpan alamat surel"]
    save.click()
    at.run()
    assert any("Alamat surel disimpan" in block.value for block in at.success)
    with read_session(get_engine(demo_url)) as session:
        stored = session.scalar(select(User.email).where(User.username == "timdc"))
    assert stored == "timdc@sumbawakab.example"


def test_the_administrator_sets_the_letterhead_and_a_bad_postal_code_is_named(
    app: Callable[..., AppTest], demo_url: str
) -> None:
    at = app("admin", "kop_surat")
    at.text_input(key="letterhead_address").input("Jalan Garuda Nomor 1")
    at.text_input(key="letterhead_postal_code").input("843")
    (save,) = [b for b in at.button if b.label == "Simpan kop surat"]
    save.click()
    at.run()
    shown = " ".join(str(block.value) for block in [*at.error, *at.markdown])
    assert "Kode pos" in shown and "lima angka" in shown
    at.text_input(key="letterhead_postal_code").input("84311")
    (save,) = [b for b in at.button if b.label == "Simpan kop surat"]
    save.click()
    at.run()
    assert any("Kop surat disimpan" in block.value for block in at.success)
    with read_session(get_engine(demo_url)) as session:
        stored = read_letterhead_settings(session)
    assert (stored.address, stored.postal_code) == ("Jalan Garuda Nomor 1", "84311")
