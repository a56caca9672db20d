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
