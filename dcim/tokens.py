"""Personal access tokens: how a person proves who they are without a password prompt.

A token reads ``dcim_<key>_<secret>``: ``key`` (12 hex digits) is public and
finds the row; ``secret`` is 32 random bytes (URL-safe base64). Only the
SHA-256 of the secret is stored, compared in constant time; the token text
is returned once, by :func:`create_token`, and never again. A token works
until the end of its ``expires_at`` day (in the data center's time zone)
and until it is revoked.

No interface is imported here: the command line uses it now, an HTTP API
(issue 11) can verify the same tokens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dcim.accounts import (
    Actor,
    find_user,
    plausible_username,
    record,
    require_role,
    role_allows,
)
from dcim.errors import InputError, PermissionDenied, Problem
from dcim.i18n import t
from dcim.models import OPERATOR_ROLE, AccessToken, Role, User
from dcim.workdays import now, today

PREFIX = "dcim_"
KEY_HEX_DIGITS = 12
SECRET_BYTES = 32
MAX_LABEL = 100
#: Who may make or revoke a token for someone else; anyone may for themselves.
TOKEN_ADMIN_ROLES = (Role.ADMIN, OPERATOR_ROLE)

_HEX = re.compile(r"[0-9a-f]+")
# Compared against when the key names no token, so that an unknown key takes as long as a wrong secret.
_DUMMY_SHA256 = hashlib.sha256(b"no such token").hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made: its text (shown once) and its row's id and key."""

    id: int
    key: str
    text: str
    username: str
    expires_at: dt.date | None


@dataclass(frozen=True)
class TokenRow:
    """A token as lists show it: never its secret."""

    id: int
    key: str
    username: str
    label: str | None
    created_at: dt.datetime
    expires_at: dt.date | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def state(self, on: dt.date) -> str:
        """``active``, ``expired`` or ``revoked`` on the day."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at < on:
            return "expired"
        return "active"


def _sha256(secret: str) -> str:
    # surrogatepass: a command-line argument may carry lone surrogates; they only fail to match.
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _may_manage(actor: Actor, owner: User, action: str, lang: str | None = None) -> None:
    """A person manages their own tokens; someone else's only the administrator or the operator."""
    if isinstance(actor, User) and actor.id == owner.id:
        return
    if lang is not None and (actor is None or not role_allows(actor.role, TOKEN_ADMIN_ROLES)):
        # Said in the caller's language when it is known (the API passes it).
        role = actor.role if actor is not None else "-"
        raise PermissionDenied(t("identity.token_others", lang, role=role))
    require_role(actor, TOKEN_ADMIN_ROLES, action)


def visible_tokens(
    session: Session, actor: Actor, username: str | None = None, lang: str = "id"
) -> list[TokenRow]:
    """The tokens the actor may see: a person's own; anyone's (or the named user's) for an administrator.

    Never their secrets (see :func:`list_tokens`).
    """
    if actor is not None and role_allows(actor.role, TOKEN_ADMIN_ROLES):
        return list_tokens(session, username)
    own = actor.username if isinstance(actor, User) else None
    if own is None or (username is not None and username.lower() != own.lower()):
        raise PermissionDenied(t("identity.token_others", lang, role=actor.role if actor else "-"))
    return list_tokens(session, own)


def create_token(
    session: Session,
    actor: Actor,
    username: str,
    *,
    expires_at: dt.date | None = None,
    label: str | None = None,
    lang: str = "id",
) -> NewToken:
    """Make a token for the user; its text is in the answer and nowhere else.

    Raises :class:`InputError` for an unknown user, a past expiry date or a
    label too long, :class:`PermissionDenied` when the actor may not.
    """
    user = find_user(session, username)
    if user is None:
        raise InputError([Problem("user", t("identity.unknown_user", lang, user=username))])
    _may_manage(actor, user, "create a token", lang)
    problems: list[Problem] = []
    if expires_at is not None and expires_at < today(session):
        problems.append(
            Problem("expires", t("identity.expiry_past", lang, date=expires_at.isoformat()))
        )
    label = (label or "").strip() or None
    if label is not None and (len(label) > MAX_LABEL or not label.isprintable()):
        problems.append(Problem("name", t("identity.bad_label", lang, max=MAX_LABEL)))
    if problems:
        raise InputError(problems)
    key = secrets.token_hex(KEY_HEX_DIGITS // 2)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    row = AccessToken(
        user_id=user.id,
        key=key,
        secret_sha256=_sha256(secret),
        label=label,
        created_at=now(session),
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "token.create",
        "access_token",
        key,
        f"{user.username}: {label or key}",
        {"user": user.username, "expires_at": expires_at.isoformat() if expires_at else None},
    )
    return NewToken(row.id, key, f"{PREFIX}{key}_{secret}", user.username, expires_at)


def _split(text: str) -> tuple[str, str] | None:
    """The key and secret of a token's text, or None when it is not shaped like one."""
    body = text.strip()
    if not body.startswith(PREFIX):
        return None
    key, sep, secret = body[len(PREFIX) :].partition("_")
    # Only a key of hex digits reaches the database (a NUL is an error there, not a miss).
    if not sep or len(key) != KEY_HEX_DIGITS or not secret or not _HEX.fullmatch(key):
        return None
    return key, secret


def verify_token(session: Session, text: str, lang: str = "id") -> User:
    """The active user the token proves; else :class:`PermissionDenied` saying why.

    Marks the token as used now (the caller's transaction commits it).
    """
    parts = _split(text)
    if parts is None:
        _ = hmac.compare_digest(_DUMMY_SHA256, _sha256(text))
        raise PermissionDenied(t("identity.token_malformed", lang))
    key, secret = parts
    row = session.scalar(select(AccessToken).where(AccessToken.key == key))
    matches = hmac.compare_digest(row.secret_sha256 if row else _DUMMY_SHA256, _sha256(secret))
    if row is None or not matches:
        raise PermissionDenied(t("identity.token_wrong", lang))
    if row.revoked_at is not None:
        raise PermissionDenied(t("identity.token_revoked", lang, key=key))
    if row.expires_at is not None and row.expires_at < today(session):
        raise PermissionDenied(
            t("identity.token_expired", lang, key=key, date=row.expires_at.isoformat())
        )
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise PermissionDenied(t("identity.token_user_inactive", lang, key=key))
    row.last_used_at = now(session)
    return user


def list_tokens(session: Session, username: str | None = None) -> list[TokenRow]:
    """The tokens (of one user when named), newest first; never their secrets."""
    stmt = (
        select(AccessToken, User.username)
        .join(User, User.id == AccessToken.user_id)
        .order_by(AccessToken.created_at.desc(), AccessToken.id.desc())
    )
    if username is not None:
        if not plausible_username(username):
            return []
        stmt = stmt.where(func.lower(User.username) == username.lower())
    return [
        TokenRow(
            row.id,
            row.key,
            name,
            row.label,
            row.created_at,
            row.expires_at,
            row.last_used_at,
            row.revoked_at,
        )
        for row, name in session.execute(stmt)
    ]


def revoke_token(session: Session, actor: Actor, token_id: int, lang: str = "id") -> TokenRow:
    """Revoke a token for good; revoking it again changes nothing. Returns it as it is now."""
    row = session.get(AccessToken, token_id)
    owner = session.get(User, row.user_id) if row is not None else None
    if row is None or owner is None:
        raise InputError([Problem("id", t("identity.no_such_token", lang, id=token_id))])
    _may_manage(actor, owner, "revoke a token", lang)
    if row.revoked_at is None:
        row.revoked_at = now(session)
        record(session, actor, "token.revoke", "access_token", row.key, owner.username)
    return TokenRow(
        row.id,
        row.key,
        owner.username,
        row.label,
        row.created_at,
        row.expires_at,
        row.last_used_at,
        row.revoked_at,
    )
