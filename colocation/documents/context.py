"""What a document needs to know about a request, gathered in a few queries.

Documents are built from the records, never stored: the request, its
events, its dispositions, the numbers issued, the installed device and the
people who signed. Each signer is looked up once, by the username the
event recorded, for the name, NIP and position on the signature block.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dcim.documents import Letterhead, Signer, letterhead_for
from dcim.i18n import t
from dcim.models import Device, Rack, Role, Tenant, User

from ..models import ColocationRequest, Disposition, IssuedDocument, RequestEvent
from ..monitoring import device_addresses
from ..sop import Sop

#: Who signs for whom, from the head of the office down (a.n. / u.b. in :meth:`DocumentContext.on_behalf`).
SIGNING_CHAIN: tuple[str, ...] = (Role.KEPALA_DINAS, Role.KABID_TI, Role.KASI_APLIKASI)


@dataclass
class DocumentContext:
    """A request and everything its documents quote.

    ``hold_expires_on`` is the last day of the request's hold as the
    reservation records it (None without a hold).
    """

    sop: Sop
    lang: str
    request: ColocationRequest
    tenant: Tenant
    letterhead: Letterhead
    events: list[RequestEvent]
    dispositions: list[Disposition]
    issued: dict[str, IssuedDocument]
    users: dict[str, User]
    hold_expires_on: dt.date | None = None
    device: Device | None = None
    rack: str | None = None
    addresses: list[tuple[str, str]] = field(default_factory=list)

    def last_event(
        self, *, state: str | None = None, action: str | None = None
    ) -> RequestEvent | None:
        """The latest event that left ``state`` (or performed ``action``)."""
        for event in reversed(self.events):
            if (state is None or event.from_state == state) and (
                action is None or event.action == action
            ):
                return event
        return None

    def issuer(self, kind: str) -> RequestEvent | None:
        """The event that issued a document of this kind, or None before it was issued."""
        issued = self.issued.get(kind)
        if issued is None:
            return None
        return next((event for event in self.events if event.id == issued.event_id), None)

    def as_of(self, kind: str) -> DocumentContext:
        """The context as it stood when the document of this kind was issued.

        A document lists only what had happened by then: the events up to the one that issued
        it, none dated after its own date. Rebuilt later, a report dated 30 November does not
        list a receipt on 1 December.
        """
        issuer = self.issuer(kind)
        issued = self.issued.get(kind)
        if issuer is None or issued is None:
            return self
        events = [
            event
            for event in self.events
            if event.seq <= issuer.seq and event.acted_on <= issued.issued_on
        ]
        return replace(self, events=events)

    def last_of_kind(self, kind: str) -> RequestEvent | None:
        """The latest event of an action of this kind (``checklist``, ``performance_test``, ...)."""
        actions = {
            (state.key, action.name)
            for state, action in self.sop.iter_actions()
            if action.kind == kind
        }
        for event in reversed(self.events):
            if (event.from_state, event.action) in actions:
                return event
        return None

    def signer(self, caption: str | tuple[str, ...], username: str | None, role: str) -> Signer:
        """The signature block of the person who acted (or an empty one to sign by hand)."""
        user = self.users.get(username or "")
        position = (user.position if user and user.position else None) or self.sop.role_title(
            role, self.lang
        )
        return Signer(
            caption=caption,
            position=position,
            name=user.full_name if user else None,
            nip=user.nip if user else None,
            rank=user.rank if user else None,
        )

    def on_behalf(self, role: str) -> tuple[str, ...]:
        """The lines above a signer's position when they sign for the Kepala Dinas.

        Tata Naskah Dinas: one level below the head signs ``a.n.`` (atas nama) the head;
        two levels below signs ``a.n.`` the head, then the official in between, then
        ``u.b.`` (untuk beliau). The head signs in his own name.
        """
        if role not in SIGNING_CHAIN or role == SIGNING_CHAIN[0]:
            return ()
        head = t(
            "workflow.doc.on_behalf",
            self.lang,
            office=self.sop.role_title(SIGNING_CHAIN[0], self.lang),
        )
        between = SIGNING_CHAIN[1 : SIGNING_CHAIN.index(role)]
        lines = [head]
        for official in between:
            lines += [
                f"{self.sop.role_title(official, self.lang)},",
                t("workflow.doc.for_him", self.lang),
            ]
        return tuple(lines)

    def first_user_of_role(self, role: str) -> User | None:
        """An active user holding the role (the office's Kepala Dinas, for example)."""
        return next((u for u in self.users.values() if u.role == role and u.active), None)


def gather(
    session: Session,
    sop: Sop,
    request: ColocationRequest,
    lang: str,
    issued: list[IssuedDocument],
) -> DocumentContext:
    """Everything the request's documents quote; ``issued`` are its documents in the order issued."""
    tenant = session.get(Tenant, request.tenant_id)
    assert tenant is not None
    events = list(
        session.scalars(
            select(RequestEvent)
            .where(RequestEvent.request_id == request.id)
            .order_by(RequestEvent.seq)
        )
    )
    dispositions = list(
        session.scalars(
            select(Disposition).where(Disposition.request_id == request.id).order_by(Disposition.id)
        )
    )
    names = {event.username for event in events if event.username}
    # The Kepala Dinas signs the Berita Acara as "Mengetahui" even before acknowledging it.
    users = {
        user.username: user
        for user in session.scalars(
            select(User).where((User.username.in_(names)) | (User.role == Role.KEPALA_DINAS))
        )
    }
    context = DocumentContext(
        sop=sop,
        lang=lang,
        request=request,
        tenant=tenant,
        letterhead=letterhead_for(session, lang),
        events=events,
        dispositions=dispositions,
        # A document issued again (a second examination) counts with its latest issue.
        issued={doc.kind: doc for doc in issued},
        users=users,
    )
    from capacity.holds import hold_expiry

    context.hold_expires_on = hold_expiry(session, request.reservation_code)
    if request.device_name:
        device = session.scalar(select(Device).where(Device.name == request.device_name))
        if device is not None:
            context.device = device
            context.rack = session.scalar(select(Rack.name).where(Rack.id == device.rack_id))
            context.addresses = [
                (address, role) for address, _, role in device_addresses(session, device.id)
            ]
    return context


def event_data(event: RequestEvent | None) -> dict[str, Any]:
    """The data an event recorded (an empty mapping when there is none)."""
    return dict(event.data or {}) if event is not None else {}


def on_date(event: RequestEvent | None) -> dt.date | None:
    """The date an event counts for."""
    return event.acted_on if event is not None else None
