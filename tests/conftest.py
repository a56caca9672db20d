"""Shared test fixtures: a fresh, migrated database per test on every backend, and the CLI.

Database tests take ``db_url`` or ``engine`` and run once per backend:
``sqlite`` always, ``postgres`` when ``DCIM_TEST_POSTGRES_URL`` names a
reachable server. On PostgreSQL each test gets a schema of its own, named in
the URL (``?options=-csearch_path%3Dt_...``), so that any process given the
URL alone — a second ``dcim`` racing the first — works in the same schema.

Tests that need something the machine may lack (PostgreSQL, a browser) carry
a marker of that name and skip when it is missing. Setting
``DCIM_REQUIRE_<MARKER>=1`` (``DCIM_REQUIRE_POSTGRES``, ``DCIM_REQUIRE_BROWSER``)
turns such a skip into a failure, so that CI cannot pass by running less.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

import colocation  # noqa: F401  (the tests run every layer: it registers its migrations and words)
from dcim.db import ensure_schema, get_engine

# The workflow tests' shared ground, with its ``demo`` fixture, for every test that walks requests.
pytest_plugins = ["pytester", "workflow_support"]

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTGRES_URL_ENV = "DCIM_TEST_POSTGRES_URL"
REQUIRE_ENV_PREFIX = "DCIM_REQUIRE_"
CLI_TIMEOUT_S = 120


# --- requirements: a skipped test of a required kind fails ------------------------------------


def required_markers() -> set[str]:
    """Markers whose tests must run: those named by ``DCIM_REQUIRE_<MARKER>=1``."""
    return {
        name[len(REQUIRE_ENV_PREFIX) :].lower()
        for name, value in os.environ.items()
        if name.startswith(REQUIRE_ENV_PREFIX) and value.strip() not in ("", "0")
    }


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Report a skip as a failure when the test carries a marker that is required to run."""
    report = yield
    if not report.skipped or hasattr(report, "wasxfail"):
        return report
    missing = sorted(
        marker for marker in required_markers() if item.get_closest_marker(marker) is not None
    )
    if not missing:
        return report
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    variables = ", ".join(f"{REQUIRE_ENV_PREFIX}{marker.upper()}=1" for marker in missing)
    report.outcome = "failed"
    report.longrepr = f"{variables} is set, but this test could not run: {reason}"
    return report


# --- isolation from the machine's own settings ------------------------------------------------


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test away from the operator's database, language and debug settings."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg")))
    for name in ("DCIM_DATABASE_URL", "DCIM_DEBUG", "DCIM_LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True, scope="session")
def _test_clock() -> Iterator[dt.datetime]:
    """Set the program's clock to ``workflow_support.TEST_NOW`` in the data center's zone.

    Session-wide, so that data that session fixtures prepare (the app tests' demo) is dated by
    the same clock as the tests.
    """
    with pytest.MonkeyPatch.context() as patch:
        from workflow_support import TEST_NOW

        patch.setattr("dcim.workdays._wall_clock", lambda zone: TEST_NOW.astimezone(zone))
        yield TEST_NOW


# --- databases --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The PostgreSQL server of ``DCIM_TEST_POSTGRES_URL``; skips when unset or unreachable."""
    url = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if not url:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set")
    admin = _admin_engine(url)
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        pytest.skip(f"PostgreSQL at {make_url(url).render_as_string()} is unreachable: {exc}")
    finally:
        admin.dispose()
    return url


def _admin_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, poolclass=NullPool, connect_args={"connect_timeout": 5})


@contextmanager
def _postgres_schema(server_url: str) -> Iterator[str]:
    """Create a schema of its own on the server, give its URL, and drop it afterwards."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = _admin_engine(server_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = (
        make_url(server_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A URL of an empty schema of its own on the test server, dropped after the test."""
    with _postgres_schema(postgres_server_url) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """A URL of a new SQLite file in the test's own folder."""
    url = f"sqlite:///{tmp_path / 'dcim.db'}"
    yield url
    get_engine(url).dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty database of its own, once per backend."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the current schema and nothing in it, migrated once per test process."""
    path = tmp_path_factory.mktemp("template") / "dcim.db"
    template = get_engine(f"sqlite:///{path}")
    ensure_schema(template)
    with template.connect() as conn:
        # Everything into the main file, so that copying that file alone copies the database.
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    template.dispose()
    return path


def _migrated_sqlite(request: pytest.FixtureRequest, url: str) -> None:
    """Give the SQLite file of ``url`` the current schema by copying the session's template."""
    # A file copy takes about a millisecond; migrating a new file takes about half a second.
    shutil.copyfile(request.getfixturevalue("_sqlite_template"), make_url(url).database or "")


@pytest.fixture
def engine(request: pytest.FixtureRequest, db_url: str) -> Engine:
    """The engine of a fresh database with the current schema, once per backend."""
    if make_url(db_url).get_backend_name() == "sqlite":
        _migrated_sqlite(request, db_url)
    eng = get_engine(db_url)
    ensure_schema(eng)
    return eng


@pytest.fixture
def make_database(
    request: pytest.FixtureRequest, db_url: str, tmp_path: Path
) -> Iterator[Callable[[], str]]:
    """Make another fresh, migrated database on the backend of ``db_url``; gives its URL."""
    with ExitStack() as stack:

        def make() -> str:
            if make_url(db_url).get_backend_name() == "sqlite":
                url = f"sqlite:///{tmp_path / f'dcim-{uuid.uuid4().hex[:8]}.db'}"
                _migrated_sqlite(request, url)
                stack.callback(lambda: get_engine(url).dispose())
            else:
                url = stack.enter_context(
                    _postgres_schema(request.getfixturevalue("postgres_server_url"))
                )
            ensure_schema(get_engine(url))
            return url

        yield make


# --- the command line -------------------------------------------------------------------------


class CliResult(NamedTuple):
    """What one run of ``dcim`` did: its exit code and everything it printed."""

    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``dcim ARGS...`` in this process; fast, for most command-line tests."""
    from dcim_cli.main import invoke

    def run(*args: str | Path) -> CliResult:
        capsys.readouterr()
        code = invoke([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@pytest.fixture
def run_dcim(tmp_path: Path) -> Callable[..., CliResult]:
    """Run the real ``dcim`` console script in a subprocess, as an operator would."""
    # Imported here, not at the top: the support module is a plugin of the suite, and importing
    # it before pytest loads it as one would keep its asserts from being rewritten.
    from workflow_support import dcim_executable

    executable = dcim_executable()

    def run(*args: str | Path, stdin: str | None = None) -> CliResult:
        env = dict(os.environ)
        env.pop("DCIM_DEBUG", None)
        done = subprocess.run(
            [executable, *(str(arg) for arg in args)],
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=CLI_TIMEOUT_S,
            check=False,
        )
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run


# --- a browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """A Chromium to drive (``$DCIM_CHROMIUM``, else Debian's); skips when there is none."""
    candidates = [os.environ.get("DCIM_CHROMIUM", ""), "/usr/bin/chromium"]
    candidates += [shutil.which(name) or "" for name in ("chromium", "chromium-browser")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("no Chromium found (apt-get install chromium, or set DCIM_CHROMIUM)")
