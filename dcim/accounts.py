"""Users, roles and the audit log: who may do what, and the record of what they did.

Permission checks live here, in the service layer, so the command line and
the app enforce the same rules. Passwords are stored only as argon2 hashes.

Who acts (the *actor*) is always explicit. It is either a person, a
:class:`~dcim.models.User`, or the :class:`Operator`: whoever runs ``dcim``
with direct access to the database (``dcim load``, ``dcim init``, ``dcim
user add``), named by the OS login. Every service that changes something
takes an :data:`Actor` and checks it with :func:`require_role`; role tables
name the operator with :data:`OPERATOR_ROLE` beside the roles it shares
their rights with.

How the actor proved who they are (the :class:`~dcim.models.Channel`) is
stated by the interface when it builds the actor, and :func:`record` copies
it into the audit log: the operator carries its channel as a field; a person
is marked with :func:`acting` (a transient attribute on the ``User`` row, so
that the services keep taking plain ``User`` objects and no signature had to
change for it). A person not marked gets no channel (NULL).
"""

from __future__ import annotations

import getpass
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, TypeAlias

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

# The shared error types live in dcim.errors (an interface can catch them without loading the
# password hasher); PermissionDenied is still importable from here.
from dcim.errors import InputError, PermissionDenied, Problem, RoleTitles
from dcim.inventory.fields import name_problems
from dcim.models import OPERATOR_ROLE, AuditEntry, Channel, Role, Tenant, User
from dcim.workdays import now

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8
USERNAME_MAX = 64  # the width of users.username


def password_problem(password: str) -> Problem | None:
    """What is wrong with a new password (too short), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return Problem.of(
            "password",
            "loader.password_short",
            "must have at least {min} characters",
            min=MIN_PASSWORD_LENGTH,
        )
    return None


def hash_password(password: str) -> str:
    """An argon2 hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the stored hash."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(
    session: Session,
    username: str,
    role: str,
    password: str | None,
    *,
    full_name: str | None = None,
    tenant: str | None = None,
    nip: str | None = None,
    position: str | None = None,
    rank: str | None = None,
) -> User:
    """Add a user; an ``opd`` user must name its tenant. Raises :class:`InputError` naming the field."""
    problems: list[Problem] = []
    if role not in Role.values():
        problems.append(
            Problem.of(
                "role",
                "accounts.unknown_role",
                "unknown role '{role}' (one of {roles})",
                role=role,
                roles=", ".join(Role.values()),
            )
        )
    if not username or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        problems.append(
            Problem.of(
                "username", "accounts.username_characters", "use letters, digits, '.', '_' or '-'"
            )
        )
    elif session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        problems.append(
            Problem.of(
                "username",
                "accounts.user_exists",
                "user '{username}' already exists",
                username=username,
            )
        )
    tenant_id = None
    if tenant is not None:
        tenant_id = session.scalar(select(Tenant.id).where(Tenant.slug == tenant))
        if tenant_id is None:
            problems.append(
                Problem.of(
                    "tenant", "accounts.unknown_tenant", "unknown tenant '{tenant}'", tenant=tenant
                )
            )
    elif role == Role.OPD:
        problems.append(
            Problem.of(
                "tenant", "accounts.opd_needs_tenant", "an opd user must be bound to a tenant"
            )
        )
    # Each value fits its column and prints as it reads (on letters, screens and terminals).
    for field, value in (
        ("username", username),
        ("full_name", full_name),
        ("nip", nip),
        ("position", position),
        ("rank", rank),
    ):
        if value is not None:
            problems += name_problems(value, field, User.__table__.c[field].type.length)
    weak = password_problem(password) if password is not None else None
    if weak is not None:
        problems.append(weak)
    if problems:
        raise InputError(problems)
    user = User(
        username=username,
        full_name=full_name or username,
        role=role,
        tenant_id=tenant_id,
        nip=nip,
        position=position,
        rank=rank,
        password_hash=hash_password(password) if password else None,
        active=True,
        created_at=now(session),
    )
    session.add(user)
    session.flush()
    return user


def plausible_username(username: str) -> bool:
    """Whether the text could be a user name at all: short and printable.

    Anything else (a NUL, a control character) finds nobody without asking
    the database, which would refuse a NUL with an error rather than a miss.
    """
    return 0 < len(username) <= USERNAME_MAX and username.isprintable()


def find_user(session: Session, username: str) -> User | None:
    """The active user with this name (case-insensitive), or None."""
    if not plausible_username(username):
        return None
    return session.scalar(
        select(User).where(func.lower(User.username) == username.lower(), User.active.is_(True))
    )


@cache
def _decoy_hash() -> str:
    """A hash of a random secret, checked in place of a missing account's (made once per process)."""
    return hash_password(secrets.token_urlsafe(32))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when the password is right, else None.

    An unknown, switched-off or password-less account still has a password
    checked (against a decoy hash), so the answer takes as long as for a real
    account: its timing does not tell which names exist.
    """
    user = find_user(session, username)
    stored = user.password_hash if user is not None else None
    matches = verify_password(stored or _decoy_hash(), password)
    if user is None or stored is None or not matches:
        return None
    return user


@dataclass(frozen=True)
class Operator:
    """Whoever runs ``dcim`` with direct access to the database, named by the OS login.

    Not a person of the SOP and not a row of the users table: its pseudo-role
    :data:`OPERATOR_ROLE` is in no user's ``role``, so it may do only what a
    role table names it for. It has the attributes the services read from a
    person (``username``, ``role``, ``id``, ``tenant_id``, ``full_name``).
    ``channel`` says how it came: ``operator`` for the command line, ``app``
    for the app's own daily work (the utilization snapshot).
    """

    username: str
    channel: Channel = Channel.OPERATOR
    role: ClassVar[str] = OPERATOR_ROLE
    id: ClassVar[None] = None
    tenant_id: ClassVar[None] = None
    nip: ClassVar[None] = None
    position: ClassVar[None] = None

    @property
    def full_name(self) -> str:
        """The OS login stands for the name: the operator has no other."""
        return self.username


#: Who acts: a person, or the operator.
Actor: TypeAlias = User | Operator


def operator(channel: Channel = Channel.OPERATOR) -> Operator:
    """The operator of this process, named by its OS login (``operator`` when it has none)."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        # No login name in the environment and no passwd entry (a bare container).
        login = ""
    # The login comes from the environment ($LOGNAME, $USER): keep what a log can show.
    printable = "".join(ch for ch in login if ch.isprintable()).strip()
    return Operator(username=(printable or "operator")[:USERNAME_MAX], channel=channel)


def acting(user: User, channel: Channel) -> User:
    """Mark how the person proved who they are for this call; returns the same user.

    :func:`record` copies the mark into the audit log. The interface that
    proved the person calls this right after (``token``, ``password``,
    ``app``).
    """
    user.acting_channel = channel
    return user


def channel_of(actor: Actor) -> str | None:
    """How the actor's change came, for the audit log; None for a person nobody marked."""
    if isinstance(actor, Operator):
        return actor.channel.value
    marked = getattr(actor, "acting_channel", None)
    return str(marked) if marked is not None else None


def role_allows(role: str, allowed: Iterable[str]) -> bool:
    """Whether a role may do what the allowed roles may; the administrator may do everything.

    The operator's pseudo-role counts only where ``allowed`` names it.
    """
    return role == Role.ADMIN or role in set(allowed)


def require_role(
    actor: Actor | None, allowed: Iterable[str], action: str, lang: str | None = None
) -> None:
    """Raise :class:`PermissionDenied` unless the actor holds one of the allowed roles.

    The administrator may do everything; the operator only what ``allowed``
    names it for (:data:`OPERATOR_ROLE`). No actor is refused: nobody is
    allowed by default. The refusal always carries its catalog key, so every
    interface says it in its user's language with the roles' titles
    (:meth:`PermissionDenied.text`); its English wording, for the log, names
    ``action``. ``lang`` is kept for callers that still pass it: the key
    makes it unnecessary.
    """
    del lang  # the interface chooses the language when it shows the refusal
    roles = sorted(set(allowed))
    if actor is None:
        raise PermissionDenied(f"{action}: sign in first", key="identity.role_sign_in")
    if role_allows(actor.role, roles):
        return
    raise PermissionDenied(
        f"{action}: role '{actor.role}' may not do this (allowed: {', '.join(roles)})",
        key="identity.role_refused",
        params={
            "role": RoleTitles((str(actor.role),)),
            "allowed": RoleTitles(tuple(str(role) for role in roles)),
        },
    )


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    key: str | None = None,
    summary: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit log, in the caller's transaction.

    Who acted, in which role and by which channel come from the actor. A key
    longer than its (indexed) column, such as a deep file path, keeps its end,
    the file's name, in the column and is kept whole in ``data``.
    """
    width = AuditEntry.__table__.c.entity_key.type.length
    if key is not None and len(key) > width:
        data = {**(data or {}), "entity_key": key}
        key = "…" + key[-(width - 1) :]
    entry = AuditEntry(
        at=now(session),
        username=actor.username,
        role=actor.role,
        channel=channel_of(actor),
        action=action,
        entity=entity,
        entity_key=key,
        summary=summary,
        data=data,
    )
    session.add(entry)
    return entry
