"""Fixtures of the app's tests: the demo data center in a database of its own, and a signed-in app.

The demo database is built once per session (the inventory, holds, users
and requests of ``dcim init --demo``) and copied for each test, so that a
test that holds or edits leaves the others alone.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from apptest_support import APP, ARTIFACTS, TIMEOUT_S, sign_in
from streamlit.testing.v1 import AppTest

from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.db import ensure_schema, get_engine
from dcim_demo import load_demo

RENDER_TIMES: dict[str, float] = {}


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo data center, built once."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = get_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    import_builtin_catalog(engine, operator())
    load_demo(engine, operator())
    engine.dispose()
    return path


@pytest.fixture
def demo_url(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A copy of the demo database for this test, named in ``DCIM_DATABASE_URL`` for the app."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DCIM_DATABASE_URL", url)
    yield url
    get_engine(url).dispose()


@pytest.fixture
def app(demo_url: str) -> Callable[..., AppTest]:
    """An app signed in as a demo user (``app("timdc")``), optionally opened on a page."""

    def open_app(username: str, page: str | None = None, lang: str = "id") -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
        at.session_state["lang"] = lang
        at.run()
        sign_in(at, username)
        assert not at.exception, at.exception
        if page is not None:
            at.switch_page(f"dcim_ui/pages/{page}.py")
            started = time.process_time()
            at.run()
            RENDER_TIMES[f"{page} ({username})"] = time.process_time() - started
        return at

    return open_app


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[object]:
    """Debian's Chromium driven by Playwright (Playwright's own browsers are never downloaded)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Keep the measured render times with the other test artifacts."""
    if RENDER_TIMES:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "apptest-render-times.json").write_text(
            json.dumps({k: round(v, 3) for k, v in sorted(RENDER_TIMES.items())}, indent=2)
        )
