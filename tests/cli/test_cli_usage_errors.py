"""A wrong command line is told in the language of the messages: click words it in English only."""

from __future__ import annotations

from pathlib import Path

import pytest

from dcim_cli.main import invoke


def _refusal(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert invoke(list(args)) == 2  # the contract's exit code for bad usage
    return capsys.readouterr().err


@pytest.fixture(autouse=True)
def _indonesian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DCIM_LANG", raising=False)


def test_a_missing_argument_is_named_in_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _refusal(capsys, "check")
    assert "Kesalahan: argumen 'request' belum diisi." in shown
    assert "Penggunaan: dcim check" in shown and "Coba 'dcim check -h' untuk bantuan." in shown
    assert "Missing" not in shown and "Usage:" not in shown and "Try " not in shown


def test_an_unknown_option_and_an_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert "Kesalahan: opsi --bogus tidak dikenal." in _refusal(capsys, "check", "--bogus", "x")
    assert "Kesalahan: perintah 'nosuch' tidak dikenal." in _refusal(capsys, "nosuch")


def test_an_option_without_its_value_and_a_flag_with_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert "opsi --on perlu nilai." in _refusal(capsys, "reserve", "x.yaml", "--on")
    assert "opsi --json tidak menerima nilai." in _refusal(capsys, "check", "x.yaml", "--json=3")


def test_english_keeps_clicks_own_words(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _refusal(capsys, "--lang", "en", "request", "act")
    assert "Error: Missing argument 'ID'." in shown and "Usage: dcim request act" in shown


def test_a_file_the_system_refuses_is_named_with_its_reason_not_as_an_internal_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # `dcim export -o` into a folder that does not exist, then onto a folder itself.
    url = f"sqlite:///{tmp_path}/dcim.db"
    missing = f"{tmp_path}/no-such-folder/inventory.yaml"
    shown = _refusal(capsys, "--db", url, "export", "-o", missing)
    assert f"{missing}: tidak dapat dibaca atau ditulis: folder atau berkas itu tidak ada." in shown
    assert "kesalahan internal" not in shown
    shown = _refusal(capsys, "--db", url, "--lang", "en", "export", "-o", str(tmp_path))
    assert f"{tmp_path}: cannot be read or written: it is a folder, not a file." in shown


def test_a_control_character_in_a_refused_path_is_shown_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # An escape sequence in a path must not reach the terminal and recolour it.
    url = f"sqlite:///{tmp_path}/dcim.db"
    missing = f"{tmp_path}/no\x1b[31m-such/inventory.yaml"
    shown = _refusal(capsys, "--db", url, "export", "-o", missing)
    assert "\x1b" not in shown
    assert f"{tmp_path}/no\\x1b[31m-such/inventory.yaml: tidak dapat dibaca" in shown
