"""Support of the API tests: ``dcim serve`` on a free loopback port, clients with tokens, databases.

The ``api`` fixture gives, once per test module and backend (SQLite, and
PostgreSQL when available), a database holding the demo data center and
its users, a token for each of them, and the real ``dcim serve`` (uvicorn)
listening on 127.0.0.1. Every call a test makes through :class:`Api` is
recorded with the documented operation it hit, so that a test can show
that every endpoint of the OpenAPI document was exercised.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from workflow_support import SIMPEG, SUBMITTED_ON

from dcim.accounts import operator
from dcim.db import ensure_schema, get_engine, write_session
from dcim.inventory.yamlio import read_yaml_file
from dcim.tokens import create_token

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 60
CALL_TIMEOUT_S = 120
#: Every demo user (one per role, and a second office's OPD) gets a token.
USERS = ("kadis", "kabid", "kasi", "timdc", "opd.bkpsdm", "opd.dishub", "admin", "pemantau")


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env() -> dict[str, str]:
    """The environment of a server the tests start: this checkout first on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("DCIM_DEBUG", "DCIM_DATABASE_URL")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


@dataclass
class Server:
    """A running ``dcim serve``: its base URL and its process."""

    base: str
    process: subprocess.Popen[str]
    log: Path

    def stop(self) -> None:
        """Stop it (and its workers) and wait."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


def start_server(db_url: str, log: Path, workers: int = 1) -> Server:
    """Start ``dcim --db URL serve`` on a free loopback port; returns once it answers."""
    port = free_port()
    handle = log.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dcim_cli",
            "--db",
            db_url,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        stdout=handle,
        stderr=subprocess.STDOUT,
        text=True,
        env=server_env(),
    )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dcim serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{server.base}/api/v1/status", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    pytest.fail(f"dcim serve did not answer within {STARTUP_TIMEOUT_S} s:\n{log.read_text()}")


#: The operations called in this test process, as (METHOD, documented path).
CALLED: set[tuple[str, str]] = set()
_ROUTES: list[tuple[str, re.Pattern[str]]] = []


def _documented(method: str, path: str) -> tuple[str, str] | None:
    if not _ROUTES:
        from dcim_api import create_app

        schema = create_app("sqlite://").openapi()
        for template, operations in schema["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$")
            for op in operations:
                _ROUTES.append((f"{op.upper()} {template}", pattern))
    for key, pattern in _ROUTES:
        verb, template = key.split(" ", 1)
        if verb == method.upper() and pattern.match(path):
            return verb, template
    return None


@dataclass
class Api:
    """A client of the running API: the base URL, the database, and a token per user."""

    base: str
    db_url: str
    tokens: dict[str, str] = field(default_factory=dict)

    def call(
        self,
        method: str,
        path: str,
        *,
        user: str | None = None,
        lang: str | None = None,
        token: str | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """One HTTP call as the user (their token), recorded against the documented operations."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if user is not None:
            headers["Authorization"] = f"Token {self.tokens[user]}"
        if token is not None:
            headers["Authorization"] = token
        if lang is not None:
            headers["Accept-Language"] = lang
        response = httpx.request(
            method, self.base + path, headers=headers, timeout=CALL_TIMEOUT_S, **kwargs
        )
        found = _documented(method, httpx.URL(self.base + path).path)
        if found is not None:
            CALLED.add(found)
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """GET the path."""
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        """POST to the path."""
        return self.call("POST", path, **kwargs)


def _schema_url(server_url: str, stack: ExitStack) -> str:
    schema = f"t_{uuid.uuid4().hex[:16]}"
    parsed = make_url(server_url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    admin = create_engine(parsed, poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()

    stack.callback(drop)
    return parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def fresh_database(
    request: pytest.FixtureRequest, backend: str, folder: Path, stack: ExitStack
) -> str:
    """The URL of a new, migrated database on the backend, removed when the stack closes."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / f'api-{uuid.uuid4().hex[:8]}.db'}"
    else:
        url = _schema_url(request.getfixturevalue("postgres_server_url"), stack)
    stack.callback(lambda: get_engine(url).dispose())
    ensure_schema(get_engine(url))
    return url


def make_tokens(db_url: str, users: tuple[str, ...] = USERS) -> dict[str, str]:
    """A personal access token for each user, made by the operator."""
    with write_session(get_engine(db_url)) as session:
        return {name: create_token(session, operator(), name).text for name in users}


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


ON = SUBMITTED_ON.isoformat()
SIMPEG_DATA: dict[str, Any] = read_yaml_file(SIMPEG)
SIMPEG_JSON = json.dumps(SIMPEG_DATA, default=str)
_LETTERS = itertools.count(500)


def submitted(api: Any, user: str, data: dict[str, Any] | None = None) -> str:
    """Submit the SIMPEG request (for the user's own office) through the API; its code."""
    body = dict(data or SIMPEG_DATA)
    # Each letter its own number: the same letter twice may be refused as a duplicate.
    body["number"] = f"800/{next(_LETTERS)}/{uuid.uuid4().hex[:6].upper()}/2026"
    if user.startswith("opd."):
        body["tenant"] = user.removeprefix("opd.")
    response = api.post(
        f"/api/v1/requests?on={ON}", user=user, content=json.dumps(body, default=str).encode()
    )
    assert response.status_code == 201, response.text
    return str(response.json()["code"])
