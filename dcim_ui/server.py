"""The two HTTP addresses of the session cookie, added to Streamlit's own (Starlette) server.

A Streamlit script runs over a WebSocket and has no HTTP response to set a
cookie on, and an HttpOnly cookie cannot be set from the page's JavaScript.
So signing in (a form in the script) starts the session and gets a one-time
ticket (:func:`dcim.sessions.start_session`), and the page sends the browser
to :data:`SESSION_PATH` with it; that response sets the cookie and sends the
browser back to where it was (a deep link keeps its page and query).
Signing out ends the session in the database first, then has the browser
POST to :data:`SIGN_OUT_PATH` with a sign-out token (:func:`sign_out_token`),
which removes the cookie (and ends its session, if still counting) only when
the token is the one for the session the cookie carries. The token is an HMAC
of the session id under the cookie's signing key: the page that signed out
knows the id, another site cannot (the cookie is HttpOnly and never sent to
it), so a forged image, link or form cannot sign anyone out. A GET of the
address is not served (405), and the cookie's ``SameSite=Lax`` keeps it off
a form posted from another site anyway.

The routes are mounted by the launcher ``dcim_ui/launch/dcim_streamlit_serve.py``
(``st.App``), which ``dcim app`` (and so ``make app``) serves. Started
without it (``streamlit run streamlit_app.py``, or in ``AppTest``), the app
still works, but a sign-in holds only until the page is reloaded.

The cookie: HttpOnly, ``SameSite=Lax`` (a link from a message still carries
it; a form posted from another site does not), ``Path=/``, and ``Secure``
when the request came over https or ``DCIM_SECURE_COOKIE=1`` says that a
proxy in front terminates https.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from functools import cache
from urllib.parse import parse_qs, urlencode, urlsplit

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Route

from dcim.db import get_engine, read_session, resolve_url
from dcim.sessions import (
    COOKIE_NAME,
    MAX_MINUTES,
    cookie_value,
    end_session,
    redeem_ticket,
    session_id_from_cookie,
    session_policy,
    signing_key,
)

SESSION_PATH = "/_dcim/session"
SIGN_OUT_PATH = "/_dcim/signout"
SECURE_ENV = "DCIM_SECURE_COOKIE"
COOKIE_PATH = "/"
MAX_NEXT_CHARS = 2000
#: The sign-out form's one field, and the most of a form body read (a token is 64 characters).
TOKEN_FIELD = "token"
MAX_FORM_BYTES = 1024
#: The oldest cookie worth asking the database about: the longest lifetime an office may set.
MAX_COOKIE_AGE = dt.timedelta(minutes=MAX_MINUTES)
_SIGN_OUT_PURPOSE = b"dcim-lite sign-out\x00"

#: Set by :func:`routes`: whether this process serves the cookie's addresses (the launcher ran).
_mounted = False


def routes_mounted() -> bool:
    """Whether the cookie's addresses are served, so that a sign-in can be handed to the browser."""
    return _mounted


def routes() -> list[BaseRoute]:
    """The routes the launcher adds to Streamlit's server."""
    global _mounted
    _mounted = True
    return [
        Route(SESSION_PATH, _take_ticket, methods=["GET"]),
        Route(SIGN_OUT_PATH, _sign_out, methods=["POST"]),
    ]


def safe_next(value: str | None) -> str:
    """Where to send the browser afterwards: a path on this site, else the start page.

    Anything that could leave the site (``//host``, ``/\\host``, a scheme) or
    carries control characters becomes ``/``: the address is in a link anyone
    could craft.
    """
    if not value or len(value) > MAX_NEXT_CHARS or not value.startswith("/"):
        return "/"
    if value.startswith(("//", "/\\")) or any(ord(c) < 0x20 or c == "\x7f" for c in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


def ticket_address(ticket: str, next_path: str) -> str:
    """The address that hands the session to the browser and returns to ``next_path``."""
    return f"{SESSION_PATH}?{urlencode({'ticket': ticket, 'next': safe_next(next_path)})}"


def sign_out_address(next_path: str = "/") -> str:
    """The address a sign-out is POSTed to (with :func:`sign_out_token`) to remove the cookie."""
    return f"{SIGN_OUT_PATH}?{urlencode({'next': safe_next(next_path)})}"


def sign_out_token(key: str, session_id: str) -> str:
    """What proves that a sign-out of this session comes from the app's own page.

    An HMAC of the session id under the cookie's signing key: only a page that
    held the session knows the id, so another site cannot make one.
    """
    digest = hmac.new(key.encode(), _SIGN_OUT_PURPOSE + session_id.encode(), hashlib.sha256)
    return digest.hexdigest()


@cache
def _engine(url: str) -> Engine:
    return get_engine(url)


def _secure(request: Request) -> bool:
    configured = os.environ.get(SECURE_ENV, "").strip().lower() in {"1", "true", "yes"}
    return configured or request.url.scheme == "https"


def _cookie_for(engine: Engine, ticket: str | None) -> tuple[str, int] | None:
    """The cookie's value and lifetime in seconds for a good ticket; None otherwise."""
    session_id = redeem_ticket(engine, ticket)
    if session_id is None:
        return None
    with read_session(engine) as session:
        lifetime = session_policy(session).lifetime
    return cookie_value(signing_key(engine), session_id), int(lifetime.total_seconds())


def _redirect(request: Request) -> RedirectResponse:
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    # Neither the ticket's address nor the answer belongs in a cache or in another site's logs.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def _take_ticket(request: Request) -> RedirectResponse:
    """Exchange a one-time ticket for the session cookie, then go back to the page."""
    engine = _engine(resolve_url(None))
    cookie = await run_in_threadpool(_cookie_for, engine, request.query_params.get("ticket"))
    response = _redirect(request)
    if cookie is not None:
        value, max_age = cookie
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=max_age,
            path=COOKIE_PATH,
            httponly=True,
            samesite="lax",
            secure=_secure(request),
        )
    return response


def _proven_sign_out(engine: Engine, cookie: str | None, token: str) -> bool:
    """Whether the token is the sign-out token of the cookie's session; if so, that session ends."""
    key = signing_key(engine)
    session_id = session_id_from_cookie(key, cookie, MAX_COOKIE_AGE)
    # Compared as bytes: a forged token may carry any character, and str needs ASCII here.
    expected = sign_out_token(key, session_id).encode() if session_id is not None else b""
    if not expected or not hmac.compare_digest(token.encode("utf-8", "replace"), expected):
        return False
    end_session(engine, session_id)
    return True


async def _form_field(request: Request, name: str) -> str:
    """One field of a small url-encoded form body; empty when absent or the body is too long."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return ""
    values = parse_qs(body.decode("ascii", "replace")).get(name, [""])
    return values[0]


async def _sign_out(request: Request) -> RedirectResponse:
    """Remove the session cookie (ending its session) when the page proves it asked; then go on.

    Without the right token nothing changes: the browser is sent on, still signed in.
    """
    token = await _form_field(request, TOKEN_FIELD)
    engine = _engine(resolve_url(None))
    proven = await run_in_threadpool(
        _proven_sign_out, engine, request.cookies.get(COOKIE_NAME), token
    )
    response = _redirect(request)
    if proven:
        response.delete_cookie(
            COOKIE_NAME, path=COOKIE_PATH, httponly=True, samesite="lax", secure=_secure(request)
        )
    return response
