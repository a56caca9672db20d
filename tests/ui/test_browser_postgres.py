"""Two app processes over one PostgreSQL database behave as one: a hold made in one shows in the other."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import _choose, _open, _settled, _shot, _sign_in, start_app, stop_app

from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.db import ensure_schema, get_engine
from dcim_demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def test_two_app_processes_share_one_postgresql(
    browser: object, postgres_url: str, tmp_path: Path
) -> None:
    engine = get_engine(postgres_url)
    ensure_schema(engine)
    import_builtin_catalog(engine, operator())
    load_demo(engine, operator())
    first, first_url = start_app(postgres_url, tmp_path)
    second, second_url = start_app(postgres_url, tmp_path)
    try:
        watcher = _sign_in(browser, second_url, "kabid")
        _open(watcher, "IP", "Peta alamat", "40-pg-ip-before")
        search = watcher.get_by_placeholder("mis. 103.10.20.14")  # type: ignore[attr-defined]
        search.fill("simpeg-backup")
        search.press("Enter")
        watcher.get_by_text("Tidak ada alamat yang cocok.").wait_for(timeout=30_000)  # type: ignore[attr-defined]

        clerk = _sign_in(browser, first_url, "timdc")
        _open(clerk, "Cek kapasitas", "Surat permohonan", "41-pg-cek")
        _choose(clerk, "OPD pemohon", "bkpsdm")
        _choose(clerk, "Model (katalog)", "Dell PowerEdge R640")
        clerk.get_by_label("IPv4 server").fill("1")  # type: ignore[attr-defined]
        clerk.get_by_role("button", name="Periksa kapasitas").click()  # type: ignore[attr-defined]
        clerk.get_by_text("Usulan penempatan").wait_for(timeout=30_000)  # type: ignore[attr-defined]
        clerk.get_by_role("button", name="Hold kapasitas ini").click()  # type: ignore[attr-defined]
        clerk.get_by_text("Kapasitas di-hold dengan kode").wait_for(timeout=30_000)  # type: ignore[attr-defined]
        code = (
            clerk.get_by_text("Kapasitas di-hold dengan kode")
            .inner_text()
            .split("kode")[1]
            .split(",")[0]
            .strip()
        )  # type: ignore[attr-defined]

        search.fill(code)
        search.press("Enter")
        # The other process sees the new hold at once: its cached search is stale by the change stamp.
        watcher.get_by_text("Tidak ada alamat yang cocok.").wait_for(
            state="detached", timeout=30_000
        )  # type: ignore[attr-defined]
        _settled(watcher)
        _shot(watcher, "42-pg-ip-after")
        assert watcher.get_by_test_id("stDataFrame").count() == 2  # type: ignore[attr-defined]
    finally:
        stop_app(first)
        stop_app(second)
