"""The workflow's tables: requests, their append-only history, dispositions, documents, attachments.

A request row holds where the request stands now (state, SOP step, status,
due date); everything that happened to it is in :class:`RequestEvent`, which
is only ever inserted (the migration adds database triggers that refuse an
update or a delete, so not even a hand-written SQL statement can rewrite it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dcim.models import Base, Tenant

from .choices import NotificationReason, RequestStatus


def _quoted(values: tuple[str, ...]) -> str:
    """``'open', 'done'``: values for an SQL ``IN`` list (they are the enum's own, never input)."""
    return ", ".join(f"'{value}'" for value in values)


class ColocationRequest(Base):
    """A *surat permohonan colocation server* and where it stands in the SOP.

    ``spec`` is the request as the contract's request format gives it (the
    server's specification and needs), kept as submitted. ``state`` is the
    SOP state the request waits at, ``step`` its SOP step number (1-15) and
    ``due_on`` the date that state's action is due, when the SOP or a
    disposition sets one. ``version`` grows with every action.
    """

    __tablename__ = "colocation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"))
    letter_number: Mapped[str | None] = mapped_column(String(100))
    letter_date: Mapped[date | None] = mapped_column(Date)
    purpose: Mapped[str | None] = mapped_column(String(500))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(64))
    step: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    entered_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    submitted_on: Mapped[date] = mapped_column(Date)
    submitted_at: Mapped[datetime]
    submitted_by: Mapped[str | None] = mapped_column(String(64))
    agenda_number: Mapped[str | None] = mapped_column(String(64))
    urgency: Mapped[str | None] = mapped_column(String(20))
    received_on: Mapped[date | None] = mapped_column(Date)
    check_result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reservation_code: Mapped[str | None] = mapped_column(String(64))
    device_name: Mapped[str | None] = mapped_column(String(100))
    monitored_on: Mapped[date | None] = mapped_column(Date)
    monitoring: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    closed_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    tenant: Mapped[Tenant] = relationship()
    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="request", order_by="RequestEvent.seq"
    )
    dispositions: Mapped[list[Disposition]] = relationship(
        back_populates="request", order_by="Disposition.id"
    )
    documents: Mapped[list[IssuedDocument]] = relationship(
        back_populates="request", order_by="IssuedDocument.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="request", order_by="Attachment.id"
    )

    __table_args__ = (
        CheckConstraint("step >= 1", name="step_positive"),
        # Written from the enum; a database made earlier keeps the constraint its migration wrote.
        CheckConstraint(f"status IN ({_quoted(RequestStatus.values())})", name="status_valid"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_colocation_requests_status_due", "status", "due_on"),
        Index("ix_colocation_requests_tenant_status", "tenant_id", "status"),
        Index("ix_colocation_requests_status_step", "status", "step"),
        Index("ix_colocation_requests_state", "state"),
        Index("ix_colocation_requests_monitored", "monitored_on"),
    )

    def __repr__(self) -> str:
        return f"<ColocationRequest {self.code} step {self.step} {self.status}>"


class RequestEvent(Base):
    """One action on a request: who, in which role, when, from which state to which, with what.

    ``acted_on`` is the date the action counts for (an office may record a paper
    step a day late); ``at`` is when it was recorded. ``due_on`` is the due
    date the state had when it was left, ``next_due_on`` the due date of the
    state it led to. Rows are never updated or deleted.
    """

    __tablename__ = "colocation_request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("colocation_requests.id", ondelete="RESTRICT")
    )
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    acted_on: Mapped[date] = mapped_column(Date)
    username: Mapped[str | None] = mapped_column(String(64))
    full_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str | None] = mapped_column(String(64))
    from_step: Mapped[int | None] = mapped_column(Integer)
    to_state: Mapped[str] = mapped_column(String(64))
    to_step: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    due_on: Mapped[date | None] = mapped_column(Date)
    next_due_on: Mapped[date | None] = mapped_column(Date)

    request: Mapped[ColocationRequest] = relationship(back_populates="events")

    __table_args__ = (
        UniqueConstraint("request_id", "seq", name="uq_colocation_request_events_request_seq"),
        Index("ix_colocation_request_events_at", "at"),
    )


class Disposition(Base):
    """One hop of the Lembar Disposisi: from an official to the next, with instructions and a deadline."""

    __tablename__ = "colocation_dispositions"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("colocation_requests.id", ondelete="RESTRICT"), index=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("colocation_request_events.id", ondelete="RESTRICT")
    )
    agenda_number: Mapped[str] = mapped_column(String(64))
    urgency: Mapped[str] = mapped_column(String(20))
    from_role: Mapped[str] = mapped_column(String(20))
    from_username: Mapped[str | None] = mapped_column(String(64))
    from_name: Mapped[str | None] = mapped_column(String(200))
    to_role: Mapped[str] = mapped_column(String(20))
    instruction: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)
    acted_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime]

    request: Mapped[ColocationRequest] = relationship(back_populates="dispositions")


class IssuedDocument(Base):
    """A letter or report issued for a request, with its number and date (the latest of a kind counts).

    The document itself is built on demand from the request's records, so
    that it always says what the records say; this row fixes its number.
    """

    __tablename__ = "colocation_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("colocation_requests.id", ondelete="RESTRICT")
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("colocation_request_events.id", ondelete="RESTRICT")
    )
    kind: Mapped[str] = mapped_column(String(64))
    number: Mapped[str | None] = mapped_column(String(100), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    username: Mapped[str | None] = mapped_column(String(64))

    request: Mapped[ColocationRequest] = relationship(back_populates="documents")

    # A document issued again (a second examination after a hold lapsed) gets a new row and number;
    # the latest of a kind is the one in force.
    __table_args__ = (Index("ix_colocation_documents_request_kind", "request_id", "kind"),)


class Attachment(Base):
    """A file that came with the request: the scanned letter, as bytes, with its checked type."""

    __tablename__ = "colocation_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("colocation_requests.id", ondelete="RESTRICT"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime]
    uploaded_by: Mapped[str | None] = mapped_column(String(64))

    request: Mapped[ColocationRequest] = relationship(back_populates="attachments")

    __table_args__ = (CheckConstraint("size_bytes > 0", name="size_positive"),)


class HistoryIsAppendOnly(Exception):
    """An attempt to change or remove a recorded workflow event or disposition."""


def _refuse_change(_mapper: Any, _connection: Any, target: Any) -> None:
    raise HistoryIsAppendOnly(f"{type(target).__name__} rows are append-only")


# The database triggers refuse raw SQL too; these stop an ORM change before it is sent.
for _model in (RequestEvent, Disposition):
    event.listen(_model, "before_update", _refuse_change)
    event.listen(_model, "before_delete", _refuse_change)


class Notification(Base):
    """One e-mail the workflow owes somebody, kept until it is delivered (an outbox).

    A row is written in the transaction that finds the reason for it (a request
    reached a step, a step went past its deadline, a letter was issued to the
    OPD), so a notice is never lost when the mail server is down, and
    ``dedupe_key`` with the recipient is unique, so two processes that find the
    same reason queue it once. Delivery sets ``sent_at``; a failure counts an
    attempt and keeps the server's answer in ``last_error``.
    """

    __tablename__ = "colocation_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("colocation_requests.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(20))
    dedupe_key: Mapped[str] = mapped_column(String(100))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        UniqueConstraint("dedupe_key", "recipient", name="uq_colocation_notifications_once"),
        CheckConstraint(
            f"reason IN ({_quoted(NotificationReason.values())})",
            name="reason_valid",
        ),
        # The sender reads what is still owed, oldest first.
        Index("ix_colocation_notifications_pending", "sent_at", "id"),
    )
