"""An API worker, once its app is built, sets aside what it holds from the garbage collector.

uvicorn's workers build the app with :func:`dcim_api.app.app_from_environment`;
a worker lives as long as the server, so what it imported and built is frozen
out of the collector's walks (:mod:`dcim.process`) after one collection.
"""

from __future__ import annotations

import pytest

from dcim_api import app as api_app


def test_the_worker_factory_collects_once_and_freezes_after_building_the_app(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, bool]] = []
    monkeypatch.setattr(api_app, "settle_after_start", lambda **kwargs: calls.append(kwargs))
    monkeypatch.setenv("DCIM_DATABASE_URL", sqlite_url)
    built = api_app.app_from_environment()
    assert built.title == "dcim-lite API"
    assert calls == [{"collect": True}]
