"""One sign-in, two app processes on one PostgreSQL (issue 9, item 1), in a real Chromium.

Behind a load balancer the next request may reach another process: the
session and the key its cookie is signed with are in the database, so the
second process knows the person, and a sign-out in one ends it in the other.
(A cookie belongs to the host, not the port: both processes here get it.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_support import DEMO_PASSWORD
from test_browser import VIEWPORT, _settled, start_app, stop_app, wait_for_session_cookie

from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.db import ensure_schema, get_engine
from dcim_demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
DEEP_LINK = "/permohonan?kode=REQ-2026-0003"
TIMEOUT_MS = 30_000


def test_a_sign_in_in_one_process_holds_in_the_other_and_a_sign_out_ends_it_in_both(
    browser: object, postgres_url: str, tmp_path: Path
) -> None:
    engine = get_engine(postgres_url)
    ensure_schema(engine)
    import_builtin_catalog(engine, operator())
    load_demo(engine, operator())
    first, first_url = start_app(postgres_url, tmp_path)
    second, second_url = start_app(postgres_url, tmp_path)
    try:
        context = browser.new_context(viewport=VIEWPORT, locale="id-ID")  # type: ignore[attr-defined]
        here = context.new_page()
        here.goto(first_url)
        here.get_by_label("Nama pengguna").fill("kasi")
        here.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
        here.get_by_role("button", name="Masuk").click()
        wait_for_session_cookie(context)
        here.get_by_role("button", name="Keluar").wait_for(timeout=TIMEOUT_MS)
        _settled(here)

        there = context.new_page()
        there.goto(second_url + DEEP_LINK)
        there.get_by_text("REQ-2026-0003 ·").first.wait_for(timeout=TIMEOUT_MS)
        there.get_by_role("button", name="Keluar").wait_for(timeout=TIMEOUT_MS)
        assert there.get_by_label("Kata sandi").count() == 0, "the second process knows the person"

        there.get_by_role("button", name="Keluar").click()
        there.get_by_label("Kata sandi").wait_for(timeout=TIMEOUT_MS)
        here.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Rak").click()
        here.get_by_label("Kata sandi").wait_for(timeout=TIMEOUT_MS)
        context.close()
    finally:
        stop_app(first)
        stop_app(second)
        engine.dispose()
