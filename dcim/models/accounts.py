"""People who use dcim-lite, and the audit log of what they changed."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dcim.choices import Role, ThrottleKind

from .base import Base, in_choices, sql_text

if TYPE_CHECKING:
    from .tenancy import Tenant


class User(Base):
    """A person who signs in, with one role from the SOP.

    An ``opd`` user is bound to a tenant and sees only that tenant's
    requests. ``nip`` and ``position`` (jabatan) go on signature blocks.
    The password is stored only as an argon2 hash. ``must_change_password``
    is set when someone else chose the password (an administrator, the
    operator): the person must replace it at the next sign-in.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="RESTRICT"), index=True
    )
    nip: Mapped[str | None] = mapped_column(String(30))
    position: Mapped[str | None] = mapped_column(String(200))
    #: Pangkat/golongan of a civil servant ("Pembina Tingkat I (IV/b)"), under the name when signing.
    rank: Mapped[str | None] = mapped_column(String(100))
    #: Where the workflow's notices go (a request waiting for this person's role); none: no mail.
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[datetime | None]

    tenant: Mapped[Tenant | None] = relationship()

    #: How this person proved who they are for the current call (a :class:`Channel`), set by
    #: the interface with :func:`dcim.accounts.acting`; not stored: the audit log copies it.
    acting_channel = None

    __table_args__ = (
        in_choices("role", Role),
        CheckConstraint(
            f"role <> {sql_text(Role.OPD)} OR tenant_id IS NOT NULL", name="opd_has_tenant"
        ),
    )

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class AuditEntry(Base):
    """One recorded change: who, in which role, when, what, and the data of the change.

    Entries are only ever inserted; nothing in dcim-lite updates or deletes them.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    username: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(64))
    #: How the change came (:class:`~dcim.choices.Channel`); NULL on entries written
    #: before the channel was recorded.
    channel: Mapped[str | None] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(64))
    entity_key: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_entity", "entity", "entity_key"),
    )


class SignInThrottle(Base):
    """Failed sign-ins counted for one account name or one client address, in a fixed window.

    One row per ``(kind, key)``: ``kind`` is ``account`` (the lower-cased
    user name as typed, known or not, so a lock-out tells nothing about
    whether the account exists) or ``address`` (the client's address).
    Kept in the database so that a new browser session or another app
    process sees the same count. Times are UTC without a zone.
    """

    __tablename__ = "sign_in_throttle"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime())
    locked_until: Mapped[datetime | None] = mapped_column(DateTime())

    __table_args__ = (
        in_choices("kind", ThrottleKind),
        Index("ix_sign_in_throttle_window_start", "window_start"),
    )


class AccessToken(Base):
    """A personal access token: proof of who a person is on the command line (and the API).

    The token text is shown once, when it is made; only the SHA-256 of its
    secret is stored (a token is 32 random bytes, so a fast hash with a
    constant-time comparison is enough, unlike a password). ``key`` is the
    public part of the token, used to find the row without comparing
    secrets. A token counts until ``expires_at`` (the last day it works) and
    until it is revoked; ``last_used_at`` tells which tokens are still in use.
    """

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(16), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    expires_at: Mapped[date | None] = mapped_column(Date)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<AccessToken {self.key} of user {self.user_id}>"


class AppSession(Base):
    """One signed-in browser: what the app's session cookie stands for.

    The cookie carries only ``id``, signed (:mod:`dcim.sessions`); everything
    else stays here, so that every app process on the same database sees the
    same sessions and a revocation counts at once everywhere. A session
    counts while ``revoked_at`` is empty, ``expires_at`` (the absolute
    lifetime) is ahead and ``last_seen_at`` is within the idle timeout.
    ``ticket_sha256``/``ticket_expires_at`` hold the one-time ticket that
    hands the cookie to the browser right after sign-in; both are cleared
    when it is used. Times are UTC without a zone.
    """

    __tablename__ = "app_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime())
    last_seen_at: Mapped[datetime] = mapped_column(DateTime())
    expires_at: Mapped[datetime] = mapped_column(DateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime())
    revoked_reason: Mapped[str | None] = mapped_column(String(20))  # SessionEnd
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    ticket_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    ticket_expires_at: Mapped[datetime | None] = mapped_column(DateTime())

    __table_args__ = (
        CheckConstraint(
            "revoked_reason IS NULL OR revoked_reason IN ('sign_out', 'password', 'disabled')",
            name="revoked_reason_valid",
        ),
        Index("ix_app_sessions_expires_at", "expires_at"),
    )

    def __repr__(self) -> str:
        return f"<AppSession of user {self.user_id}>"
