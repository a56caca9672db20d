"""User administration: adding people, changing passwords, switching accounts off.

These are the writes behind the ``dcim user`` commands and the app's user
page. Each function takes who acts (an :data:`~dcim.accounts.Actor`),
checks their role first (:data:`USER_ADMIN_ROLES`: the administrator, and
the operator on the command line) and records what it did in the audit log.

A password set or changed, or an account switched off, also ends the
person's app sessions (:mod:`dcim.sessions`) in the same transaction: a
browser left signed in somewhere does not outlive the change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dcim.accounts import (
    Actor,
    create_user,
    find_user,
    hash_password,
    password_problem,
    record,
    require_role,
    verify_password,
)
from dcim.errors import InputError, PermissionDenied, Problem
from dcim.i18n import t
from dcim.inventory.fields import name_problems
from dcim.mail import normalized_email
from dcim.models import OPERATOR_ROLE, Role, SessionEnd, Setting, Tenant, User
from dcim.sessions import revoke_user_sessions

DEMO_USERS_SETTING = "demo_users"
#: Who may add people, set their passwords and switch accounts on or off.
USER_ADMIN_ROLES = (Role.ADMIN, OPERATOR_ROLE)


@dataclass(frozen=True)
class UserRow:
    """A user as lists show it: no password hash, the tenant by slug."""

    username: str
    full_name: str
    role: str
    tenant: str | None
    nip: str | None
    position: str | None
    active: bool
    email: str | None = None
    rank: str | None = None


def list_users(session: Session) -> list[UserRow]:
    """Every user, by role then name, with the tenant's slug."""
    stmt = (
        select(User, Tenant.slug)
        .outerjoin(Tenant, Tenant.id == User.tenant_id)
        .order_by(User.role, User.username)
    )
    return [
        UserRow(
            username=user.username,
            full_name=user.full_name,
            role=user.role,
            tenant=slug,
            nip=user.nip,
            position=user.position,
            active=user.active,
            email=user.email,
            rank=user.rank,
        )
        for user, slug in session.execute(stmt)
    ]


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    role: str,
    password: str,
    *,
    full_name: str | None = None,
    tenant: str | None = None,
    nip: str | None = None,
    position: str | None = None,
    rank: str | None = None,
) -> User:
    """Add a user with a password; only the administrator or the operator may."""
    require_role(actor, USER_ADMIN_ROLES, "add a user")
    if not password:
        raise InputError(
            [Problem.of("password", "loader.password_required", "a password is required")]
        )
    user = create_user(
        session,
        username,
        role,
        password,
        full_name=full_name,
        tenant=tenant,
        nip=nip,
        position=position,
        rank=rank,
    )
    record(
        session,
        actor,
        "user.add",
        "user",
        username,
        f"{username} ({role})",
        {"role": role, "tenant": tenant, "full_name": user.full_name},
    )
    # Someone else chose this password: the person replaces it at the first sign-in.
    user.must_change_password = True
    return user


def change_own_password(
    session: Session, user: Actor, current: str, new: str, *, keep_session: str | None = None
) -> None:
    """Change a signed-in user's password after checking the current one.

    The actor is the person whose password changes; the operator has none.
    Every other session of the person ends (someone who knew the old password
    may be signed in elsewhere); ``keep_session``, the one the change was made
    in, goes on.
    """
    if not isinstance(user, User):
        raise PermissionDenied("change your password: the operator has no password here")
    stored = session.get(User, user.id)
    if stored is None or not verify_password(stored.password_hash, current):
        raise InputError(
            [
                Problem.of(
                    "current_password", "loader.password_wrong", "the current password is wrong"
                )
            ]
        )
    problem = password_problem(new)
    if problem is not None:
        raise InputError([problem])
    stored.password_hash = hash_password(new)
    stored.must_change_password = False
    revoke_user_sessions(session, stored.id, SessionEnd.PASSWORD, keep=keep_session)
    record(session, user, "user.password", "user", stored.username, "password changed")


def set_password(session: Session, actor: Actor, username: str, new: str) -> None:
    """Set another user's password (an administrator, or the operator on the command line).

    Every session of that user ends: whoever was signed in signs in again with the new password.
    """
    require_role(actor, USER_ADMIN_ROLES, "set a password")
    user = find_user(session, username)
    if user is None:
        raise InputError(
            [
                Problem.of(
                    "username",
                    "accounts.no_active_user",
                    "no active user '{username}'",
                    username=username,
                )
            ]
        )
    problem = password_problem(new)
    if problem is not None:
        raise InputError([problem])
    user.password_hash = hash_password(new)
    # A password chosen for someone else is only good for the next sign-in; one's own is kept.
    user.must_change_password = getattr(actor, "id", None) != user.id
    revoke_user_sessions(session, user.id, SessionEnd.PASSWORD)
    record(session, actor, "user.password", "user", username, "password set")


def set_active(session: Session, actor: Actor, username: str, active: bool) -> None:
    """Switch an account on or off; nobody can switch off their own account."""
    require_role(actor, USER_ADMIN_ROLES, "switch an account on or off")
    if isinstance(actor, User) and actor.username.lower() == username.lower() and not active:
        raise InputError(
            [
                Problem.of(
                    "username",
                    "accounts.cannot_disable_self",
                    "you cannot switch off your own account",
                )
            ]
        )
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise InputError(
            [Problem.of("username", "accounts.no_user", "no user '{username}'", username=username)]
        )
    user.active = active
    if not active:
        revoke_user_sessions(session, user.id, SessionEnd.DISABLED)
    record(
        session,
        actor,
        "user.activate" if active else "user.deactivate",
        "user",
        username,
        "account on" if active else "account off",
    )


def set_email(
    session: Session, actor: Actor, username: str, email: str | None, lang: str = "id"
) -> None:
    """Set or clear where a user's notices go: one's own, or anyone's for an administrator.

    An empty address clears it (no more mail for that person).
    """
    if not (isinstance(actor, User) and actor.username.lower() == username.lower()):
        require_role(actor, USER_ADMIN_ROLES, "set another user's e-mail address")
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        raise InputError(
            [Problem.of("username", "accounts.no_user", "no user '{username}'", username=username)]
        )
    cleaned = (email or "").strip()
    user.email = normalized_email(cleaned, t("mail.field.email", lang), lang) if cleaned else None
    record(session, actor, "user.email", "user", user.username, user.email or "-")


def set_rank(session: Session, actor: Actor, username: str, rank: str | None) -> None:
    """Set the pangkat/golongan printed under a user's name when they sign (empty: none)."""
    require_role(actor, USER_ADMIN_ROLES, "set a user's rank")
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        raise InputError(
            [Problem.of("username", "accounts.no_user", "no user '{username}'", username=username)]
        )
    cleaned = (rank or "").strip() or None
    if cleaned is not None:
        problems = name_problems(cleaned, "rank", User.__table__.c.rank.type.length)
        if problems:
            raise InputError(problems)
    user.rank = cleaned
    record(session, actor, "user.rank", "user", user.username, cleaned or "-")


# --- demo users ---------------------------------------------------------------------------------


def read_demo_users(path: Path) -> dict[str, Any]:
    """The demo users file: a shared ``password`` and a list of ``users``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not isinstance(data.get("users"), list):
        raise InputError(
            [Problem.of("users", "accounts.users_not_list", "must be a list of users")], str(path)
        )
    return data


def add_demo_users(session: Session, actor: Actor, path: Path) -> list[str]:
    """Add the demo users that do not exist yet, as the actor; returns their names.

    Also remembers, in the settings, that demo users exist, so that the
    sign-in page can say how to sign in to the demo.
    """
    require_role(actor, USER_ADMIN_ROLES, "add the demo users")
    data = read_demo_users(path)
    password = str(data.get("password") or "")
    added: list[str] = []
    for index, entry in enumerate(data["users"]):
        if not isinstance(entry, dict):
            raise InputError(
                [Problem.of(f"users[{index}]", "accounts.user_not_mapping", "must be a mapping")],
                str(path),
            )
        username = str(entry.get("username", ""))
        if find_user(session, username) is not None:
            continue
        try:
            user = add_user(
                session,
                actor,
                username,
                str(entry.get("role", "")),
                password,
                full_name=entry.get("full_name"),
                tenant=entry.get("tenant"),
                nip=entry.get("nip"),
                position=entry.get("position"),
                rank=entry.get("rank"),
            )
        except InputError as exc:
            raise InputError(
                [replace(p, path=f"users[{index}].{p.path}") for p in exc.problems], str(path)
            ) from exc
        # The demo's password is published on purpose: demo accounts keep it until someone changes
        # it, and the sign-in page lists exactly the accounts that still have it.
        user.must_change_password = False
        added.append(username)
    setting = session.get(Setting, DEMO_USERS_SETTING)
    listed = [str(entry["username"]) for entry in data["users"]]
    if setting is None:
        session.add(Setting(key=DEMO_USERS_SETTING, value={"users": listed, "password": password}))
    else:
        setting.value = {"users": listed, "password": password}
    return added


@dataclass(frozen=True)
class DemoSignIn:
    """How to sign in to the demo: the demo password and the accounts that still have it."""

    password: str
    users: list[str]


def demo_sign_in(session: Session) -> DemoSignIn | None:
    """The demo accounts that are active and still take the demo password; None when there is none.

    Each stored hash is checked against the demo password once per process and
    per hash (a changed password is a new hash), so the sign-in page stays quick.
    """
    setting = session.get(Setting, DEMO_USERS_SETTING)
    if setting is None or not isinstance(setting.value, dict):
        return None
    password = str(setting.value.get("password") or "")
    listed = [str(name) for name in setting.value.get("users") or []]
    if not password or not listed:
        return None
    hashes = {
        name: password_hash
        for name, password_hash in session.execute(
            select(User.username, User.password_hash).where(
                User.username.in_(listed), User.active.is_(True)
            )
        )
    }
    still = [name for name in listed if hashes.get(name) and _takes(hashes[name] or "", password)]
    return DemoSignIn(password=password, users=still) if still else None


@lru_cache(maxsize=256)
def _takes(password_hash: str, password: str) -> bool:
    """Whether the hash is of this password (remembered: argon2 is slow on purpose)."""
    return verify_password(password_hash, password)
