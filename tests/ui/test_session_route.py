"""The session cookie's two addresses (issue 9, item 1), over HTTP without a browser.

The routes the launcher adds to Streamlit's server, served here by a bare
Starlette app: a ticket becomes an HttpOnly, SameSite=Lax cookie for the
whole site (Secure over https), once; the way back stays on the site.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dcim.accounts import create_user
from dcim.db import write_session
from dcim.models import Role
from dcim.sessions import (
    COOKIE_NAME,
    DEFAULT_LIFETIME,
    check_session,
    session_id_from_cookie,
    signing_key,
    start_session,
)
from dcim_ui.server import (
    MAX_FORM_BYTES,
    SECURE_ENV,
    TOKEN_FIELD,
    routes,
    safe_next,
    sign_out_address,
    sign_out_token,
    ticket_address,
)

DEEP_LINK = "/permohonan?kode=PRM-2026-0007"


@pytest.fixture
def site(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The routes over the test's database, as the launcher mounts them."""
    monkeypatch.setenv("DCIM_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv(SECURE_ENV, raising=False)
    yield engine


def _client(base_url: str = "http://testserver") -> TestClient:
    return TestClient(Starlette(routes=routes()), base_url=base_url, follow_redirects=False)


def _ticket(engine: Engine) -> tuple[str, str]:
    with write_session(engine) as session:
        user_id = create_user(session, "budi", Role.TIM_DC, None).id
    started = start_session(engine, user_id)
    return started.id, started.ticket


def _set_cookie(response: object) -> dict[str, str]:
    """The Set-Cookie header's attributes, lower-cased names; the cookie itself under its name."""
    header = response.headers["set-cookie"]  # type: ignore[attr-defined]
    parts = [part.strip() for part in header.split(";")]
    name, _, value = parts[0].partition("=")
    attributes = {name: value}
    for part in parts[1:]:
        key, _, val = part.partition("=")
        attributes[key.lower()] = val
    return attributes


def test_a_ticket_becomes_an_httponly_lax_cookie_and_the_browser_returns_to_its_deep_link(
    site: Engine,
) -> None:
    session_id, ticket = _ticket(site)
    response = _client().get(ticket_address(ticket, DEEP_LINK))
    assert response.status_code == 303
    assert response.headers["location"] == DEEP_LINK
    cookie = _set_cookie(response)
    assert {"httponly", "path", "samesite"} <= cookie.keys()
    assert (cookie["path"], cookie["samesite"].lower()) == ("/", "lax")
    assert "secure" not in cookie, "plain http: a Secure cookie would never come back"
    assert int(cookie["max-age"]) == int(DEFAULT_LIFETIME.total_seconds())
    signed = cookie[COOKIE_NAME].strip('"')
    assert session_id_from_cookie(signing_key(site), signed, DEFAULT_LIFETIME) == session_id
    assert check_session(site, session_id) is not None


def test_over_https_the_cookie_is_secure(site: Engine) -> None:
    _, ticket = _ticket(site)
    response = _client("https://dc.sumbawakab.go.id").get(ticket_address(ticket, "/"))
    assert "secure" in _set_cookie(response)


def test_behind_a_proxy_that_ends_https_the_setting_makes_the_cookie_secure(
    site: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECURE_ENV, "1")
    _, ticket = _ticket(site)
    assert "secure" in _set_cookie(_client().get(ticket_address(ticket, "/")))


def test_a_ticket_used_twice_gives_no_second_cookie(site: Engine) -> None:
    _, ticket = _ticket(site)
    client = _client()
    client.get(ticket_address(ticket, "/"))
    again = client.get(ticket_address(ticket, "/"))
    assert again.status_code == 303
    assert "set-cookie" not in again.headers


def test_the_ticket_address_is_neither_cached_nor_passed_on_as_referrer(site: Engine) -> None:
    _, ticket = _ticket(site)
    response = _client().get(ticket_address(ticket, "/"))
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/ok\r\nSet-Cookie: x=1",
        "",
        "rak",
    ],
)
def test_the_way_back_never_leaves_the_site(target: str) -> None:
    assert safe_next(target) == "/"


def _signed_in_client(engine: Engine) -> tuple[TestClient, str]:
    """A browser holding the cookie of a fresh session, and that session's id."""
    session_id, ticket = _ticket(engine)
    client = _client()
    client.get(ticket_address(ticket, "/"))
    assert client.cookies.get(COOKIE_NAME)
    return client, session_id


def test_signing_out_with_the_pages_token_removes_the_cookie_for_the_whole_site(
    site: Engine,
) -> None:
    client, session_id = _signed_in_client(site)
    token = sign_out_token(signing_key(site), session_id)
    response = client.post(sign_out_address("/"), data={TOKEN_FIELD: token})
    cookie = _set_cookie(response)
    assert cookie[COOKIE_NAME] in {"", '""'}
    assert cookie["max-age"] == "0"
    assert cookie["path"] == "/"
    assert response.headers["location"] == "/"
    assert check_session(site, session_id) is None, "the session ends with its cookie"


def test_a_get_of_the_sign_out_address_as_a_forged_image_makes_it_leaves_the_session(
    site: Engine,
) -> None:
    client, session_id = _signed_in_client(site)
    response = client.get(sign_out_address("/"))
    assert response.status_code == 405
    assert "set-cookie" not in response.headers
    assert check_session(site, session_id) is not None


@pytest.mark.parametrize("token", ["", "0" * 64, "not-a-token", "é" * 64, "\x00"])
def test_a_sign_out_posted_without_the_pages_token_changes_nothing(
    site: Engine, token: str
) -> None:
    # What another site's form could send: it cannot know the session id the token is made of.
    client, session_id = _signed_in_client(site)
    response = client.post(sign_out_address("/"), data={TOKEN_FIELD: token})
    assert response.status_code == 303
    assert "set-cookie" not in response.headers
    assert check_session(site, session_id) is not None


def test_the_token_of_another_session_does_not_sign_this_one_out(site: Engine) -> None:
    client, session_id = _signed_in_client(site)
    stolen = sign_out_token(signing_key(site), "another-session-id")
    client.post(sign_out_address("/"), data={TOKEN_FIELD: stolen})
    assert check_session(site, session_id) is not None


def test_an_oversized_sign_out_body_is_not_read_and_changes_nothing(site: Engine) -> None:
    client, session_id = _signed_in_client(site)
    token = sign_out_token(signing_key(site), session_id)
    padded = {TOKEN_FIELD: token, "padding": "x" * (MAX_FORM_BYTES * 4)}
    response = client.post(sign_out_address("/"), data=padded)
    assert "set-cookie" not in response.headers
    assert check_session(site, session_id) is not None
