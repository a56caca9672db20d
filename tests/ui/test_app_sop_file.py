"""The SOP file the app runs on: a broken one is named with its problems, a revised one is followed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from apptest_support import APP, TIMEOUT_S
from streamlit.testing.v1 import AppTest

from colocation.sop import DEFAULT_SOP_FILE, SOP_FILE_ENV
from dcim.models import Role
from dcim_ui.pages import permohonan_baru


def _sop(tmp_path: Path, change: Any) -> Path:
    data = yaml.safe_load(DEFAULT_SOP_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "sop.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_broken_sop_file_is_named_with_its_field_before_anything_else(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = _sop(tmp_path, lambda data: data["states"][0].update(role="sekretaris"))
    monkeypatch.setenv(SOP_FILE_ENV, str(broken))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "Berkas SOP tidak dapat dibaca" in shown
    assert "sop.yaml: states[0].role" in shown
    assert not at.text_input  # no sign-in form under a broken SOP


def test_the_new_letter_page_follows_the_roles_the_sop_file_names_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = permohonan_baru.PAGE
    assert page.allowed(Role.OPD) and not page.allowed(Role.TIM_DC)
    revised = _sop(tmp_path, lambda data: data["submission"].update(roles=["opd", "tim_dc"]))
    monkeypatch.setenv(SOP_FILE_ENV, str(revised))
    assert page.allowed(Role.TIM_DC)
