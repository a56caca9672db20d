"""The test suite cannot pass by skipping what it was told to cover.

A test marked ``postgres`` or ``browser`` skips when the machine lacks that;
with ``DCIM_REQUIRE_POSTGRES=1`` or ``DCIM_REQUIRE_BROWSER=1`` (as ``make
test`` sets them) the same skip is a failure. These tests run a small suite
with the project's own ``conftest.py`` and read its outcome.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parent / "conftest.py"

SUITE = """
import pytest


@pytest.mark.browser
def test_drives_a_browser():
    pytest.skip("no browser on this machine")


def test_plain_skip():
    pytest.skip("not today")


@pytest.mark.browser
@pytest.mark.xfail(reason="known")
def test_expected_failure():
    raise AssertionError


def test_on_every_backend(db_url):
    assert db_url
"""


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A small suite using the project's fixtures, on a machine without PostgreSQL settings."""
    for name in ("DCIM_TEST_POSTGRES_URL", "DCIM_REQUIRE_POSTGRES", "DCIM_REQUIRE_BROWSER"):
        monkeypatch.delenv(name, raising=False)
    # The conftest names the suite's plugins (the workflow ground) by module, found beside it.
    monkeypatch.setenv("PYTHONPATH", str(CONFTEST.parent), prepend=os.pathsep)
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makeini("[pytest]\nmarkers =\n    postgres: x\n    browser: x\n")
    pytester.makepyfile(test_suite=SUITE)
    return pytester


def test_without_requirements_missing_backends_and_browsers_are_skipped(
    suite: pytest.Pytester,
) -> None:
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=3, xfailed=1)


def test_a_required_browser_that_is_missing_fails_the_run(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DCIM_REQUIRE_BROWSER", "1")
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1, skipped=2, xfailed=1)
    result.stdout.fnmatch_lines(["*DCIM_REQUIRE_BROWSER=1 is set, but this test could not run*"])
    assert result.ret != 0


def test_a_required_postgresql_that_is_not_configured_fails_the_run(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DCIM_REQUIRE_POSTGRES", "1")
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=2, errors=1, xfailed=1)
    result.stdout.fnmatch_lines(["*DCIM_REQUIRE_POSTGRES=1*DCIM_TEST_POSTGRES_URL is not set*"])


def test_a_required_postgresql_that_is_unreachable_fails_the_run(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DCIM_REQUIRE_POSTGRES", "1")
    # Port 1 on the loopback address: nothing listens there.
    monkeypatch.setenv("DCIM_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:1/test")
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=2, errors=1, xfailed=1)
    result.stdout.fnmatch_lines(["*DCIM_REQUIRE_POSTGRES=1*is unreachable*"])


def test_requiring_is_switched_off_by_zero(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DCIM_REQUIRE_BROWSER", "0")
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=3, xfailed=1)
