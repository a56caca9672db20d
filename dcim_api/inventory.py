"""Inventory reads: sites, racks with occupancy and elevation, devices, power, uplinks, IP, DNS.

Each list is the section the command line's ``dcim utilization --json``
prints (the same builders), filtered and paged here; any signed-in user may
read the inventory, as every role may in the app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from colocation.engine_calls import json_safe
from dcim.db import read_session
from dcim.i18n import t
from dcim.models import Device, Rack, Site, Tenant, Zone
from dcim.workdays import today

from .deps import DB, CurrentUser, Lang, NotFound, PageArgs, page, printable_parameters, sliced
from .responses import (
    DeviceOut,
    FeedOut,
    Page,
    PrefixWithFree,
    RackDetail,
    RackOut,
    RecordOut,
    SiteOut,
    UplinkOut,
    UpsOut,
    UtilizationOut,
    ZoneOut,
)
from .schemas import ok

router = APIRouter(tags=["inventory"], dependencies=[Depends(printable_parameters)])

OnQuery = Annotated[
    dt.date | None, Query(description="Evaluation date YYYY-MM-DD (default: today in WITA).")
]
SiteQuery = Annotated[str | None, Query(description="Only this site (slug).")]
TextQuery = Annotated[str | None, Query(description="Only those whose name contains this text.")]
NEXT_FREE = 5
T = TypeVar("T")


Rows = list[dict[str, Any]]


def _matches(item: dict[str, Any], key: str, text: str | None) -> bool:
    return not text or text.strip().lower() in str(item.get(key) or "").lower()


def _site_ids(session: Any) -> dict[int, str]:
    return dict(session.execute(select(Site.id, Site.slug)).all())


def _section(
    engine: Any, on: dt.date | None, build: Callable[[Session, dt.date, dict[int, str]], T]
) -> T:
    """A section of ``dcim utilization --json`` built as the command line builds it, for the day."""
    with read_session(engine) as session:
        return build(session, on or today(session), _site_ids(session))


def _kept(rows: Rows, *, q: str | None = None, q_key: str = "name", **equal: str | None) -> Rows:
    """The rows a list's filters keep: each ``key=value`` given (None: any), and ``q`` in ``q_key``."""
    return [
        row
        for row in rows
        if all(value is None or row.get(key) == value for key, value in equal.items())
        and _matches(row, q_key, q)
    ]


@router.get("/sites", summary="Sites", response_model=None, responses=ok(Page[SiteOut]))
def list_sites(request: Request, engine: DB, user: CurrentUser, args: PageArgs) -> dict[str, Any]:
    """Every site: slug and name."""
    with read_session(engine) as session:
        rows = session.execute(select(Site.slug, Site.name).order_by(Site.slug)).all()
    return sliced(request, args, [{"slug": slug, "name": name} for slug, name in rows])


@router.get(
    "/racks", summary="Racks with occupancy", response_model=None, responses=ok(Page[RackOut])
)
def list_racks(
    request: Request,
    engine: DB,
    user: CurrentUser,
    args: PageArgs,
    on: OnQuery = None,
    site: SiteQuery = None,
    status: Annotated[str | None, Query(description="Only racks of this status.")] = None,
    q: TextQuery = None,
) -> dict[str, Any]:
    """Per rack: units used, free and unusable, the largest free block, weight (as utilization)."""
    from dcim.utilization import racks_section

    rows = _section(engine, on, racks_section)
    return sliced(request, args, _kept(rows, q=q, site=site, status=status))


@router.get(
    "/racks/{name}",
    summary="One rack with its elevation",
    response_model=None,
    responses=ok(RackDetail),
)
def show_rack(
    name: str, engine: DB, user: CurrentUser, lang: Lang, on: OnQuery = None
) -> dict[str, Any]:
    """The rack's occupancy and its elevation: every occupant and the free blocks of each face."""
    from dcim.elevations import elevations
    from dcim.utilization import racks_section

    with read_session(engine) as session:
        day = on or today(session)
        drawn = elevations(session, day, [name])
        if not drawn:
            raise NotFound(t("api.no_such_rack", lang, name=name))
        summary = next(
            r for r in racks_section(session, day, _site_ids(session)) if r["name"] == name
        )
    elevation = asdict(drawn[0])
    return json_safe({**summary, "evaluated_on": day, "elevation": elevation})


@router.get("/devices", summary="Devices", response_model=None, responses=ok(Page[DeviceOut]))
def list_devices(
    request: Request,
    engine: DB,
    user: CurrentUser,
    args: PageArgs,
    site: SiteQuery = None,
    tenant: Annotated[str | None, Query(description="Only this office's (slug).")] = None,
    rack: Annotated[str | None, Query(description="Only in this rack.")] = None,
    status: Annotated[str | None, Query(description="Only devices of this status.")] = None,
    q: TextQuery = None,
) -> dict[str, Any]:
    """Installed devices: where they stand, whose they are, what they draw."""
    from sqlalchemy import func

    stmt = (
        select(Device, Rack.name, Site.slug, Tenant.slug)
        .join(Rack, Rack.id == Device.rack_id)
        .join(Site, Site.id == Rack.site_id)
        .outerjoin(Tenant, Tenant.id == Device.tenant_id)
    )
    if site is not None:
        stmt = stmt.where(Site.slug == site)
    if tenant is not None:
        stmt = stmt.where(Tenant.slug == tenant)
    if rack is not None:
        stmt = stmt.where(Rack.name == rack)
    if status is not None:
        stmt = stmt.where(Device.status == status)
    if q and q.strip():
        stmt = stmt.where(func.lower(Device.name).contains(q.strip().lower(), autoescape=True))
    with read_session(engine) as session:
        count = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = session.execute(
            stmt.order_by(Device.name).limit(args.limit).offset(args.offset)
        ).all()
    results = [
        json_safe(
            {
                "name": device.name,
                "site": site_slug,
                "rack": rack_name,
                "position": device.position,
                "u_height": device.u_height,
                "face": device.face,
                "full_depth": device.full_depth,
                "tenant": tenant_slug,
                "model": device.model,
                "serial": device.serial,
                "status": device.status,
                "power_w": device.power_w,
                "weight_kg": device.weight_kg,
                "bandwidth_mbps": device.bandwidth_mbps,
            }
        )
        for device, rack_name, site_slug, tenant_slug in rows
    ]
    return page(request, args, count, results)


def _power(engine: Any, on: dt.date | None) -> tuple[Rows, Rows]:
    from dcim.limits import policy_facts
    from dcim.utilization import power_sections

    return _section(
        engine,
        on,
        lambda session, day, sites: power_sections(session, day, sites, policy_facts(session)),
    )


@router.get(
    "/power-feeds",
    summary="Power feeds with loads",
    response_model=None,
    responses=ok(Page[FeedOut]),
)
def list_power_feeds(
    request: Request,
    engine: DB,
    user: CurrentUser,
    args: PageArgs,
    on: OnQuery = None,
    site: SiteQuery = None,
    q: TextQuery = None,
) -> dict[str, Any]:
    """Per feed: rated and usable watts, normal and worst-case load, headroom (as utilization)."""
    feeds, _ = _power(engine, on)
    return sliced(request, args, _kept(feeds, q=q, site=site))


@router.get("/ups", summary="UPS with loads", response_model=None, responses=ok(Page[UpsOut]))
def list_ups(
    request: Request,
    engine: DB,
    user: CurrentUser,
    args: PageArgs,
    on: OnQuery = None,
    site: SiteQuery = None,
) -> dict[str, Any]:
    """Per UPS: usable watts, load, headroom and battery runtime (as utilization)."""
    _, ups = _power(engine, on)
    return sliced(request, args, _kept(ups, site=site))


@router.get(
    "/uplinks",
    summary="Uplinks with commitments",
    response_model=None,
    responses=ok(Page[UplinkOut]),
)
def list_uplinks(
    request: Request,
    engine: DB,
    user: CurrentUser,
    args: PageArgs,
    on: OnQuery = None,
    site: SiteQuery = None,
) -> dict[str, Any]:
    """Per uplink: capacity, usable and committed Mbps (as utilization)."""
    from dcim.limits import policy_facts
    from dcim.utilization import uplinks_section

    rows = _section(
        engine,
        on,
        lambda session, day, sites: uplinks_section(session, day, sites, policy_facts(session)),
    )
    return sliced(request, args, _kept(rows, site=site))


@router.get(
    "/prefixes",
    summary="Prefixes with utilization and the next free addresses",
    response_model=None,
    responses=ok(Page[PrefixWithFree]),
)
def list_prefixes(
    request: Request,
    engine: DB,
    user: CurrentUser,
    args: PageArgs,
    on: OnQuery = None,
    site: SiteQuery = None,
    role: Annotated[str | None, Query(description="Only prefixes of this role.")] = None,
    next_free: Annotated[
        int, Query(ge=0, le=100, description="How many free addresses to list.")
    ] = NEXT_FREE,
) -> dict[str, Any]:
    """Per prefix: usable, used and free addresses, and the first free ones (lowest first)."""
    from dcim.ipmap import free_ranges
    from dcim.utilization import prefixes_section

    with read_session(engine) as session:
        day = on or today(session)
        rows = _kept(prefixes_section(session, day, _site_ids(session)), site=site, role=role)
        shown = rows[args.offset : args.offset + args.limit]
        for row in shown:
            row["next_free"] = _first_free(
                free_ranges(session, day, row["prefix"], next_free), next_free
            )
    return page(request, args, len(rows), shown)


def _first_free(ranges: list[Any], count: int) -> list[str]:
    import ipaddress

    found: list[str] = []
    for run in ranges:
        address = ipaddress.ip_address(run.first)
        for _ in range(min(run.count, count - len(found))):
            found.append(str(address))
            address += 1
        if len(found) >= count:
            break
    return found


@router.get("/zones", summary="DNS zones", response_model=None, responses=ok(Page[ZoneOut]))
def list_zones(
    request: Request,
    engine: DB,
    user: CurrentUser,
    args: PageArgs,
    on: OnQuery = None,
) -> dict[str, Any]:
    """Per zone: records, distinct names, and names held by live holds (as utilization)."""
    from dcim.utilization import zones_section

    rows = _section(engine, on, lambda session, day, _sites: zones_section(session, day))
    return sliced(request, args, rows)


@router.get(
    "/zones/{name}/records",
    summary="A zone's records",
    response_model=None,
    responses=ok(Page[RecordOut]),
)
def list_records(
    name: str,
    request: Request,
    engine: DB,
    user: CurrentUser,
    lang: Lang,
    args: PageArgs,
    type: Annotated[
        str | None, Query(description="Only records of this type (A, AAAA, ...).")
    ] = None,
    q: TextQuery = None,
) -> dict[str, Any]:
    """The zone's records: name, type, value, TTL."""
    from dcim.zonefile import zone_records

    with read_session(engine) as session:
        if session.scalar(select(Zone.id).where(Zone.name == name)) is None:
            raise NotFound(t("api.no_such_zone", lang, name=name))
        records = [asdict(r) for r in zone_records(session, name)]
    # Record types are compared as DNS compares them: without regard to case.
    return sliced(request, args, _kept(records, q=q, type=type.upper() if type else None))


@router.get(
    "/utilization",
    summary="Utilization (as `dcim utilization --json`)",
    response_model=None,
    responses=ok(UtilizationOut),
)
def get_utilization(engine: DB, user: CurrentUser, on: OnQuery = None) -> dict[str, Any]:
    """Used and usable of every resource: exactly the document of ``dcim utilization --json``."""
    from dcim.utilization import utilization

    with read_session(engine) as session:
        return utilization(session, on or today(session))
