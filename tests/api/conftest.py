"""Fixtures of the API tests: the demo data center behind a running ``dcim serve`` (see api_support)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from api_support import BACKENDS, Api, fresh_database, make_tokens, start_server

from dcim.db import get_engine


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of the module's server."""
    return str(request.param)


@pytest.fixture(scope="module")
def api(
    request: pytest.FixtureRequest, backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """The demo data center behind a running ``dcim serve``, with a token per demo user."""
    from workflow_support import load_demo

    folder = tmp_path_factory.mktemp("api")
    with ExitStack() as stack:
        url = fresh_database(request, backend, folder, stack)
        load_demo(get_engine(url))
        tokens = make_tokens(url)
        server = start_server(url, folder / "server.log")
        stack.callback(server.stop)
        yield Api(server.base, url, tokens)
