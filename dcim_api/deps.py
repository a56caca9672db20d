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
from dcim.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from dcim.inventory.fields import unprintable_problem
from dcim.inventory.problems import InputError, PermissionDenied, Problem
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


class NotImplementedYet(Exception):
    """A documented variant the project cannot produce yet: answered 501."""


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
        raise Unauthenticated(str(exc)) from exc
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


async def json_body(request: Request, lang: str) -> Any:
    """The request's JSON body behind the same input gate as a file: size, depth, duplicate keys.

    JSON is YAML, so the body goes through :func:`parse_yaml` with the
    document limits; an empty body is None.
    """
    # Read no further than one byte past the limit: an endless body is refused, not stored.
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > DOCUMENT_LIMITS.max_bytes:
            message = t("api.body_too_large", lang, max=DOCUMENT_LIMITS.max_bytes // MIB)
            raise InputError([Problem("body", message)])
    if not raw.strip():
        return None
    try:
        text = raw.decode("utf-8")
        json.loads(text)  # JSON's own syntax: YAML would also take things JSON does not
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadBody([Problem("body", t("api.bad_json", lang, detail=exc))]) from exc
    return parse_yaml(text, "body")
