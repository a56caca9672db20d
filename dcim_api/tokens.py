"""Personal access tokens over HTTP: make one (shown once), list them (never the secret), revoke one.

The rules are ``dcim.tokens``'s, as for ``dcim token``: a person manages
their own tokens, the administrator anyone's (architecture.md, "Who acts").
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from dcim.db import read_session, write_session
from dcim.inventory.fields import line_type, name_type
from dcim.tokens import MAX_LABEL, TokenRow, create_token, revoke_token, visible_tokens
from dcim.workdays import today

from .bodies import validated
from .deps import DB, CurrentUser, Lang, PageArgs, json_body, printable_parameters, sliced
from .schemas import ERROR_RESPONSES, request_body

router = APIRouter(
    tags=["tokens"], dependencies=[Depends(printable_parameters)], responses=ERROR_RESPONSES
)


class TokenCreateBody(BaseModel):
    """``POST /tokens``: whose token (default: the caller's own), until when, and a name for it."""

    model_config = ConfigDict(extra="forbid")

    user: name_type(64) | None = Field(
        default=None,
        description="The owner (default: the caller). Someone else: administrator only.",
    )
    expires: dt.date | None = Field(default=None, description="Last day it is valid (YYYY-MM-DD).")
    name: line_type(MAX_LABEL) | None = Field(default=None, description="What it is for.")


class TokenInfo(BaseModel):
    """A token as lists show it: never its secret."""

    id: int
    key: str = Field(description="The public part of the token, shown in logs and lists.")
    user: str
    name: str | None
    state: str = Field(description="active, expired or revoked.")
    created_at: dt.datetime
    expires_at: dt.date | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewTokenInfo(BaseModel):
    """A token just made: the only answer that ever holds its text."""

    id: int
    key: str
    user: str
    expires_at: dt.date | None
    token: str = Field(description="Send as `Authorization: Token <token>`; shown only this once.")


class TokenPage(BaseModel):
    """A page of tokens."""

    count: int
    next: str | None
    previous: str | None
    results: list[TokenInfo]


def _info(row: TokenRow, on: dt.date) -> dict[str, Any]:
    return TokenInfo(
        id=row.id,
        key=row.key,
        user=row.username,
        name=row.label,
        state=row.state(on),
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    ).model_dump(mode="json")


@router.post(
    "/tokens",
    summary="Make a token (as `dcim token create`)",
    status_code=201,
    response_model=NewTokenInfo,
    openapi_extra=request_body(
        TokenCreateBody, "Whose token, until when, and its name; all optional.", required=False
    ),
)
async def create(request: Request, engine: DB, user: CurrentUser, lang: Lang) -> Any:
    """A new token for the caller, or (administrator) for the user named; its text is shown once."""
    body = validated(TokenCreateBody, await json_body(request, lang), lang)
    with write_session(engine) as session:
        made = create_token(
            session,
            user,
            body.user or user.username,
            expires_at=body.expires,
            label=body.name,
            lang=lang,
        )
    return NewTokenInfo(
        id=made.id, key=made.key, user=made.username, expires_at=made.expires_at, token=made.text
    )


@router.get("/tokens", summary="Tokens (as `dcim token list`)", response_model=TokenPage)
def list_(
    request: Request,
    engine: DB,
    user: CurrentUser,
    lang: Lang,
    args: PageArgs,
    owner: Annotated[
        str | None,
        Query(alias="user", max_length=64, description="Only this user's (administrator)."),
    ] = None,
) -> Any:
    """The caller's own tokens; an administrator sees everyone's. Never a secret."""
    with read_session(engine) as session:
        rows = visible_tokens(session, user, owner, lang)
        on = today(session)
    return sliced(request, args, [_info(row, on) for row in rows])


@router.delete(
    "/tokens/{token_id}",
    summary="Revoke a token (as `dcim token revoke`)",
    response_model=TokenInfo,
)
def revoke(token_id: int, engine: DB, user: CurrentUser, lang: Lang) -> Any:
    """Revoke for good (revoking again changes nothing); the token as it is now."""
    from dcim.errors import InputError

    from .deps import NotFound

    with write_session(engine) as session:
        try:
            row = revoke_token(session, user, token_id, lang)
        except InputError as exc:
            raise NotFound("; ".join(p.message for p in exc.problems)) from exc
        return _info(row, today(session))
