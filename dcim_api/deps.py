"""What every endpoint shares: the engine, the caller's language, the token's user, paging, bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import APIKeyHeader
from sqlalchemy import Engine

from dcim.accounts import acting
from dcim.db import write_session
from dcim.errors import InputError, PermissionDenied, Problem
from dcim.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from dcim.inventory.fields import unprintable_problem
from dcim.inventory.yamlio import DOCUMENT_LIMITS, MIB, parse_yaml
from dcim.models import Channel, User

MAX_PAGE = 1000
DEFAULT_PAGE = 50


class Unauthenticated(Exception):
    """No token, or one that proves nobody: answered 401."""


class NotFound(Exception):
    """The thing asked for does not exist (or the caller may not know it does): answered 404."""


class BadBody(InputError):
    """A body that is not JSON at all: answered 400 (a body that is JSON but wrong is 422)."""


def language_of(request: Request) -> str:
    """The caller's language from ``Accept-Language``: the most preferred one we speak, else ``id``."""
    header = request.headers.get("accept-language", "")
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0].split("_")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


Lang = Annotated[str, Depends(language_of)]

#: The longest path segment or query value read; names and codes are far shorter.
MAX_PARAMETER = 500


def printable_parameters(request: Request) -> None:
    """Refuse a path or query value with a control character or of absurd length, naming it.

    Names and codes only find rows; a NUL must not reach the database (PostgreSQL
    refuses it with an error of its own), and nothing printable needs one.
    """
    lang = language_of(request)
    problems = [
        Problem(name, t("api.bad_parameter", lang, max=MAX_PARAMETER))
        for name, value in [*request.path_params.items(), *request.query_params.multi_items()]
        if not isinstance(value, str)
        or unprintable_problem(value) is not None
        or len(value) > MAX_PARAMETER
    ]
    if problems:
        raise InputError(problems)


# Declared as an API key header so that the OpenAPI document shows how to authenticate.
_token_header = APIKeyHeader(
    name="Authorization",
    auto_error=False,
    description="`Token <token>` or `Bearer <token>` (make one with `dcim token create USER`).",
)


def engine_of(request: Request) -> Engine:
    """The engine the application was made with."""
    return request.app.state.engine


DB = Annotated[Engine, Depends(engine_of)]


def current_user(
    engine: DB, lang: Lang, authorization: Annotated[str | None, Depends(_token_header)] = None
) -> User:
    """The active user the request's token proves, marked as acting through the API."""
    from dcim.tokens import verify_token

    if not authorization or not authorization.strip():
        raise Unauthenticated(t("api.unauthenticated", lang))
    scheme, _, text = authorization.strip().partition(" ")
    if scheme.lower() not in ("token", "bearer") or not text.strip():
        raise Unauthenticated(t("api.bad_scheme", lang))
    try:
        # A write session: verifying records when the token was last used.
        with write_session(engine) as session:
            user = verify_token(session, text.strip(), lang)
    except PermissionDenied as exc:
        raise Unauthenticated(exc.text(lang)) from exc
    return acting(user, Channel.API)


CurrentUser = Annotated[User, Depends(current_user)]


@dataclass(frozen=True)
class Paging:
    """``limit`` and ``offset`` of a list, NetBox's way."""

    limit: int
    offset: int


def paging(
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE, description="At most this many.")
    ] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, description="Skip this many first.")] = 0,
) -> Paging:
    """The page asked for."""
    return Paging(limit, offset)


PageArgs = Annotated[Paging, Depends(paging)]


def page(request: Request, args: Paging, count: int, results: list[Any]) -> dict[str, Any]:
    """A page of a list: ``count`` of all, links to the ``next`` and ``previous`` pages, ``results``."""
    following = args.offset + args.limit
    previous = max(args.offset - args.limit, 0)
    return {
        "count": count,
        "next": str(request.url.include_query_params(limit=args.limit, offset=following))
        if following < count
        else None,
        "previous": str(request.url.include_query_params(limit=args.limit, offset=previous))
        if args.offset > 0
        else None,
        "results": results,
    }


def sliced(request: Request, args: Paging, items: list[Any]) -> dict[str, Any]:
    """A page of a list computed whole (the inventory's sections are small)."""
    return page(request, args, len(items), items[args.offset : args.offset + args.limit])


async def read_body(request: Request, limit: int, lang: str) -> bytes:
    """The request's body, read no further than one chunk past ``limit``: an endless body is refused.

    Starlette would otherwise buffer (or spool to disk) whatever is sent before
    anything can look at it; the limit is checked while reading.
    """
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            message = t(
                "api.body_too_large", lang, max=f"{limit / MIB:.1f}".rstrip("0").rstrip(".")
            )
            raise InputError([Problem("body", message)])
    return bytes(raw)


def parse_json_text(raw: bytes, lang: str, field: str = "body") -> Any:
    """JSON bytes behind the same input gate as a file: depth, duplicate keys; empty is None.

    JSON is YAML, so the text goes through :func:`parse_yaml` with the document
    limits, after JSON's own syntax check (YAML would take things JSON does not).
    """
    if not raw.strip():
        return None
    try:
        text = raw.decode("utf-8")
        json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadBody([Problem(field, t("api.bad_json", lang, detail=exc))]) from exc
    return parse_yaml(text, field)


async def json_body(request: Request, lang: str) -> Any:
    """The request's JSON body behind the input gate (size, depth, duplicate keys); empty is None."""
    return parse_json_text(await read_body(request, DOCUMENT_LIMITS.max_bytes, lang), lang)
