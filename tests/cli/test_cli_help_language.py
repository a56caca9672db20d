"""`dcim --help` speaks the language the messages do: Bahasa Indonesia by default, English with
``--lang en``; and no command or option is left without its help in either language."""

from __future__ import annotations

import pytest
import typer

from dcim.i18n import LANGUAGES, catalog
from dcim_cli.main import app, invoke


def _help(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert invoke([*args, "--help"]) == 0
    return " ".join(capsys.readouterr().out.split())  # the help box wraps lines


def test_dcim_help_is_indonesian_by_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DCIM_LANG", raising=False)
    shown = _help(capsys)
    assert "Cek kapasitas langkah 5 SOP; tidak mengubah apa pun." in shown
    assert "The step-5 capacity check" not in shown


def test_lang_en_gives_the_english_help(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _help(capsys, "--lang", "en", "request", "act")
    assert "Perform the SOP action of the request's current step" in shown
    assert "Request code or number." in shown


def test_an_options_help_follows_the_language_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DCIM_LANG", raising=False)
    shown = _help(capsys, "request", "act")
    assert "Kode atau nomor permohonan." in shown
    assert "Catatan (untuk disposisi: isi arahannya)." in shown


def _helps(command: object, path: list[str]) -> list[tuple[str, str]]:
    key = "_".join(path) or "root"
    found = [("commands", key)] if getattr(command, "help", None) else []
    found += [("options", f"{key}__{p.name}") for p in command.params if getattr(p, "help", None)]  # type: ignore[attr-defined]
    for name, sub in getattr(command, "commands", {}).items():
        found += _helps(sub, [*path, name])
    return found


# Examples of the letter-number pattern: placeholders the catalog would try to fill in.
UNTRANSLATED = {
    ("options", "request_numbering__pattern"),
    ("options", "request_numbering__agenda_pattern"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_command_and_option_has_its_help_in_the_catalog(lang: str) -> None:
    known = catalog(lang)
    helps = _helps(typer.main.get_command(app), [])
    assert len(helps) > 150
    missing = [
        f"clihelp.{kind}.{key}"
        for kind, key in helps
        if (kind, key) not in UNTRANSLATED and f"clihelp.{kind}.{key}" not in known
    ]
    assert not missing, missing


def test_the_help_pages_frame_is_indonesian_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """click writes "Usage:", "Options:" and its help option in English; an Indonesian page
    should not switch language at its headings."""
    monkeypatch.delenv("DCIM_LANG", raising=False)
    shown = _help(capsys, "user", "add")
    for english in ("Usage:", "Options:", "Show this message and exit.", "[required]"):
        assert english not in shown
    for indonesian in ("Penggunaan:", "Opsi:", "Menampilkan bantuan ini lalu keluar.", "[wajib]"):
        assert indonesian in shown


def test_the_english_help_keeps_clicks_own_frame(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _help(capsys, "--lang", "en", "check")
    assert "Usage: dcim check" in shown
    assert "Arguments:" in shown and "[required]" in shown


def test_a_command_line_builds_only_the_command_it_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """Building every command's parameters cost a fifth of a `dcim check`; the help of the
    whole program still lists them all."""
    from dcim_cli.main import _command_name, _only

    assert _command_name(["--db", "sqlite://", "--lang=en", "check", "x.yaml"]) == "check"
    assert _command_name(["--help"]) is None
    only = typer.main.get_command(_only(app, "request"))
    assert list(only.commands) == ["request"]  # type: ignore[attr-defined]
    assert _only(app, "no-such-command") is app
    listing = _help(capsys)
    assert "request" in listing and "check" in listing and "user" in listing
