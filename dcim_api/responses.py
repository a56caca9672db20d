"""The answers' shapes, for the OpenAPI document and for generated clients.

The endpoints answer with the documents the command line's ``--json`` prints
(the same builders), written byte for byte as the CLI writes them; these
models describe those documents and are not used to rewrite them (a model
would turn ``420`` into ``420.0``). ``tests/api/test_api_responses.py``
validates real answers against them with ``extra="forbid"``, so a field added
to a document without its model here fails a test instead of going undocumented.
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

Item = TypeVar("Item", bound=BaseModel)


class Shape(BaseModel):
    """A documented answer: nothing but the fields listed."""

    model_config = ConfigDict(extra="forbid")


class Page(Shape, Generic[Item]):
    """A page of a list, NetBox's way: ``count`` of all, links to the pages around, ``results``."""

    count: int
    next: str | None = Field(description="The next page's address; null on the last page.")
    previous: str | None = Field(description="The previous page's address; null on the first.")
    results: list[Item]


class SiteOut(Shape):
    """A site."""

    slug: str
    name: str


class RackOut(Shape):
    """A rack's occupancy, as ``racks`` of ``dcim utilization --json``."""

    name: str
    site: str
    status: str
    u_height: int
    units_used: int
    units_free: int
    units_unusable: int
    largest_free_block: int
    weight_kg: float
    max_weight_kg: float | None


class Occupant(Shape):
    """Something in a rack: an installed device or a hold."""

    kind: str = Field(description="device or hold.")
    key: str
    position: int
    u_height: int
    face: str
    full_depth: bool
    status: str
    tenant: str | None
    tenant_name: str | None
    model: str | None
    request_number: str | None
    expires_at: dt.date | None
    power_w: float
    weight_kg: float


class FreeBlocks(Shape):
    """The free runs of units of each face, as ``[first, last]``."""

    front: list[list[int]]
    rear: list[list[int]]


class Elevation(Shape):
    """A rack drawn: its occupants and free blocks."""

    name: str
    site: str
    status: str
    u_height: int
    max_weight_kg: float | None
    weight_kg: float
    feeds: list[str]
    occupants: list[Occupant]
    free_blocks: FreeBlocks


class RackDetail(RackOut):
    """One rack with the day it is seen on and its elevation."""

    evaluated_on: dt.date
    elevation: Elevation


class DeviceOut(Shape):
    """An installed device."""

    name: str
    site: str
    rack: str
    position: int | None
    u_height: int
    face: str | None
    full_depth: bool
    tenant: str | None
    model: str | None
    serial: str | None
    status: str
    power_w: float | None
    weight_kg: float | None
    bandwidth_mbps: float | None


class FeedOut(Shape):
    """A power feed's load, as ``feeds`` of utilization."""

    name: str
    site: str
    rack: str | None
    ups: str | None
    phase: str | None
    rated_w: float
    usable_w: float
    normal_w: float
    worst_case_w: float
    load_w: float
    headroom_w: float
    percent: float
    occupants: int


class UpsOut(Shape):
    """A UPS's load and runtime, as ``ups`` of utilization."""

    name: str
    site: str
    capacity_kva: float
    usable_w: float
    load_w: float
    normal_w: float
    headroom_w: float
    percent: float
    battery_wh: float | None
    runtime_min: float | None


class UplinkOut(Shape):
    """An uplink's commitments, as ``uplinks`` of utilization."""

    name: str
    site: str
    capacity_mbps: float
    usable_mbps: float
    committed_mbps: float
    headroom_mbps: float
    percent: float


class PrefixOut(Shape):
    """A prefix's use, as ``prefixes`` of utilization."""

    prefix: str
    role: str
    family: int
    site: str | None
    vlan: int | None
    usable: int
    used: int
    free: int
    percent: float


class PrefixWithFree(PrefixOut):
    """A prefix with its first free addresses."""

    next_free: list[str]


class ZoneOut(Shape):
    """A DNS zone's counts, as ``zones`` of utilization."""

    name: str
    records: int
    names: int
    held_names: int


class RecordOut(Shape):
    """A DNS record."""

    name: str
    type: str
    value: str
    ttl: int | None


class RequestRowOut(Shape):
    """A request as ``dcim request list --json`` lists it."""

    code: str
    tenant: str
    tenant_name: str
    letter_number: str | None
    letter_date: dt.date | None
    purpose: str | None
    step: int
    state: str
    state_title: str
    role: str | None
    role_title: str | None
    status: str
    status_title: str
    submitted_on: dt.date
    entered_on: dt.date
    due_on: dt.date | None
    overdue: bool


class ActOut(Shape):
    """What an action did (``dcim request act --json``) and the sentence that says it."""

    code: str
    action: str
    from_step: int
    step: int
    state: str
    status: str
    outcome: str | None
    due_on: dt.date | None
    documents: list[str] = Field(description="Kinds of the documents this action issued.")
    reservation: str | None
    hold_expires_on: dt.date | None
    device: str | None
    failed_tests: list[str]
    message: str


class DocumentOut(Shape):
    """A document of a request that can be downloaded."""

    kind: str
    title: str
    number: str | None
    filename: str
    media_type: str
    url: str


class PrometheusTargetGroup(Shape):
    """A group of Prometheus's HTTP service discovery: one monitored server."""

    targets: list[str] = Field(description="`address:port` to scrape.")
    labels: dict[str, str] = Field(
        description="tenant, site, rack, request, device, colocation_job, fqdn."
    )


class CommitOut(Shape):
    """A hold turned into an installed device."""

    reservation: str
    device: str


class StatusOut(Shape):
    """The service answers."""

    status: str
    api: str


class Verdict(BaseModel):
    """One of the six checks: its verdict and why, plus the numbers it weighed (they vary by check)."""

    # The contract lets a check carry more keys (candidates, loads, headroom, free counts).
    model_config = ConfigDict(extra="allow")

    ok: bool | None = Field(description="null: not evaluated (an earlier check left no rack).")
    message: str


class Checks(Shape):
    """The six checks of SOP step 5, always all six."""

    space: Verdict
    power: Verdict
    ups: Verdict
    bandwidth: Verdict
    ip: Verdict
    domain: Verdict


class ProposalOut(Shape):
    """Where the server would go and what it would use."""

    site: str
    rack: str
    position: int
    u_height: int
    face: str
    full_depth: bool
    feeds: list[str]
    ups: list[str]
    uplink: str | None
    ipv4: dict[str, list[str]] = Field(description="Role -> addresses.")
    ipv6: dict[str, list[str]] = Field(description="Role -> addresses.")
    fqdns: list[str]


class ServerNeedsOut(Shape):
    """The server's needs as weighed: the request's, else the catalog's, else the defaults."""

    model: str | None
    device_type: str | None
    u_height: int
    full_depth: bool
    weight_kg: float
    power_w: float
    psu: int
    bandwidth_mbps: float
    filled_from_catalog: list[str]


class CheckOut(Shape):
    """The contract's check result (``dcim check --json``), plus a summary and the server's needs."""

    feasible: bool
    evaluated_on: dt.date
    checks: Checks
    proposal: ProposalOut | None = Field(description="null when not feasible.")
    summary: str
    server: ServerNeedsOut


class HoldOut(Shape):
    """The hold a reservation made."""

    id: str
    expires_at: dt.date


class ReserveOut(CheckOut):
    """``dcim reserve --json``: the check result, and the hold when one was made (201)."""

    reservation: HoldOut | None = None


class Usage(Shape):
    """Used of usable, and the share."""

    used: float
    usable: float
    percent: float | None


class DomainTotals(Shape):
    """The DNS totals."""

    zones: int
    records: int
    names: int
    held_names: int


class Totals(Shape):
    """Every resource's totals."""

    space: Usage
    power: Usage
    ups: Usage
    bandwidth: Usage
    ip: dict[str, Usage] = Field(description="Address role (and family) -> use.")
    domain: DomainTotals


class UtilizationOut(Shape):
    """``dcim utilization --json``: every resource, used and usable."""

    evaluated_on: dt.date
    redundancy: str
    racks: list[RackOut]
    feeds: list[FeedOut]
    ups: list[UpsOut]
    uplinks: list[UplinkOut]
    prefixes: list[PrefixOut]
    zones: list[ZoneOut]
    totals: Totals


class ActionOptionOut(Shape):
    """An action the user may take now; a checklist's or a test's items when it has them."""

    name: str
    title: str
    kind: str
    checklist: dict[str, str]
    tests: dict[str, str]


class TimelineOut(Shape):
    """A step of the request's way: when entered, due and done, by whom, how late."""

    step: int
    state: str
    title: str
    role: str | None
    entered_on: dt.date | None
    due_on: dt.date | None
    done_on: dt.date | None
    action: str | None
    by: str | None
    by_name: str | None
    outcome: str | None
    late: bool
    working_days_late: int


class UpcomingOut(Shape):
    """A step still ahead, with its SOP time standard."""

    step: int
    state: str
    title: str
    role: str | None
    working_days: int | None


class HistoryOut(Shape):
    """One recorded event (append-only)."""

    seq: int
    at: dt.datetime
    on: dt.date | None
    user: str | None
    name: str | None
    role: str | None
    action: str
    from_step: int | None
    from_state: str | None
    to_step: int | None
    to_state: str | None
    outcome: str | None
    note: str | None
    data: dict[str, object] | None = Field(
        description="The action's data as recorded (its fields depend on the action)."
    )
    due_on: dt.date | None


class DispositionOut(Shape):
    """A disposition (Lembar Disposisi entry): from whom, to whom, what, by when."""

    agenda_number: str | None
    urgency: str | None
    from_role: str | None
    from_: str | None = Field(alias="from")
    to_role: str | None
    to: str | None
    instruction: str | None
    deadline: dt.date | None
    on: dt.date | None


class IssuedOut(Shape):
    """A document issued (every issue, in order)."""

    kind: str
    title: str
    number: str | None
    issued_on: dt.date | None
    by: str | None


class AttachmentOut(Shape):
    """A file that came with the request (the scanned letter); download it by ``id``."""

    id: int
    filename: str
    media_type: str
    size_bytes: int
    sha256: str


class RequestHoldOut(Shape):
    """The request's hold and its state."""

    id: str
    expires_at: dt.date | None
    status: str | None


class RequestDetailOut(RequestRowOut):
    """One request (``dcim request show --json``): its row, the request, timeline and history."""

    agenda_number: str | None
    urgency: str | None
    received_on: dt.date | None
    submitted_by: str | None
    request: dict[str, object] = Field(
        description="The request as submitted, in the request format (see CapacityRequest)."
    )
    check: ReserveOut | None = Field(description="The step-5 check as recorded, with its hold.")
    reservation: RequestHoldOut | None
    device: str | None
    monitored_on: dt.date | None
    closed_on: dt.date | None
    actions: list[ActionOptionOut]
    timeline: list[TimelineOut]
    upcoming: list[UpcomingOut]
    history: list[HistoryOut]
    dispositions: list[DispositionOut]
    documents: list[IssuedOut]
    attachments: list[AttachmentOut]
