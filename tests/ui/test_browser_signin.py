"""A fresh install in a real Chromium: an anonymous visitor finds nothing that creates a user."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import VIEWPORT, _settled, _shot, start_app, stop_app

from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.db import ensure_schema, get_engine

pytestmark = pytest.mark.browser


def test_a_fresh_install_offers_an_anonymous_visitor_nothing_to_create(
    browser: object, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'baru.db'}"
    engine = get_engine(url)  # as plain `dcim init` leaves it: schema and catalog, no user
    ensure_schema(engine)
    import_builtin_catalog(engine, operator())
    engine.dispose()
    process, server = start_app(url, tmp_path)
    try:
        context = browser.new_context(viewport=VIEWPORT, locale="id-ID")  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(server)
        page.get_by_text("Basis data ini belum memiliki pengguna.").wait_for(timeout=30_000)
        _settled(page)
        _shot(page, "00-fresh-install")
        assert page.get_by_text("dcim init --demo").first.is_visible()
        assert page.get_by_role("button", name="Muat data demo").count() == 0
        assert page.get_by_text("sumbawa2026").count() == 0
        context.close()
    finally:
        stop_app(process)
