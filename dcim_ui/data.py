"""Cached reads for the pages: every read is keyed on the database's change stamp.

A write anywhere (this app, another app process, the command line) changes
the stamp (:func:`dcim.changes.change_stamp`), so the next run reads afresh;
unchanged data is served from memory. The time limit is a safety net for
changes the stamp cannot see. The largest documents (utilization, the power
chain, the whole inventory) are shared between sessions without copying
(``cache_resource``); pages only read them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dcim import elevations
from dcim.db import get_engine, read_session
from dcim.paging import Page

from .context import current

TTL_S = 600


def _key() -> tuple[str, tuple[int, ...]]:
    ctx = current()
    return ctx.url, ctx.stamp


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=256)
def _rack_page(url: str, stamp: tuple[int, ...], on: dt.date, filters: tuple[Any, ...]) -> Any:
    site, status, tenant, min_free, page, per_page = filters
    with read_session(get_engine(url)) as session:
        return elevations.rack_page(
            session,
            on,
            site=site,
            status=status,
            tenant=tenant,
            min_free_block=min_free,
            page=page,
            per_page=per_page,
        )


def rack_page(
    site: str | None,
    status: str | None,
    tenant: str | None,
    min_free: int,
    page: int,
    per_page: int,
) -> Page[elevations.RackSummary]:
    """One page of racks matching the filters (see :func:`dcim.elevations.rack_page`)."""
    url, stamp = _key()
    return _rack_page(url, stamp, current().today, (site, status, tenant, min_free, page, per_page))


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=256)
def _elevations(url: str, stamp: tuple[int, ...], on: dt.date, names: tuple[str, ...]) -> Any:
    with read_session(get_engine(url)) as session:
        return elevations.elevations(session, on, list(names))


def rack_elevations(names: list[str]) -> list[elevations.Elevation]:
    """Elevations of the named racks."""
    url, stamp = _key()
    return _elevations(url, stamp, current().today, tuple(names))


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=256)
def _detail(url: str, stamp: tuple[int, ...], kind: str, key: str) -> Any:
    with read_session(get_engine(url)) as session:
        return elevations.occupant_detail(session, kind, key)


def occupant_detail(kind: str, key: str) -> elevations.OccupantDetail | None:
    """Details of a device or hold."""
    url, stamp = _key()
    return _detail(url, stamp, kind, key)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=16)
def _lookups(url: str, stamp: tuple[int, ...]) -> dict[str, list[tuple[str, str]]]:
    with read_session(get_engine(url)) as session:
        return {"sites": elevations.sites(session), "tenants": elevations.tenants(session)}


def sites() -> list[tuple[str, str]]:
    """Every site as (slug, name)."""
    return _lookups(*_key())["sites"]


def tenants() -> list[tuple[str, str]]:
    """Every tenant as (slug, name)."""
    return _lookups(*_key())["tenants"]


@st.cache_resource(ttl=TTL_S, show_spinner=False, max_entries=32)
def _utilization(url: str, stamp: tuple[int, ...], on: dt.date) -> dict[str, Any]:
    from dcim.utilization import utilization as compute

    with read_session(get_engine(url)) as session:
        return compute(session, on)


def utilization() -> dict[str, Any]:
    """The utilization document of today (the same as ``dcim utilization --json``)."""
    url, stamp = _key()
    return _utilization(url, stamp, current().today)


@st.cache_resource(ttl=TTL_S, show_spinner=False, max_entries=16)
def _series(url: str, stamp: tuple[int, ...], since: dt.date | None) -> Any:
    from dcim.snapshots import total_series

    with read_session(get_engine(url)) as session:
        return total_series(session, since)


def total_series(since: dt.date | None = None) -> dict[tuple[str, str], list[Any]]:
    """Every total series of the daily snapshots."""
    url, stamp = _key()
    return _series(url, stamp, since)


@st.cache_resource(ttl=TTL_S, show_spinner=False, max_entries=16)
def _chain(url: str, stamp: tuple[int, ...], on: dt.date, site: str | None) -> Any:
    from dcim.powerchain import read_chain

    with read_session(get_engine(url)) as session:
        return read_chain(session, on, site)


@st.cache_data(ttl=5, show_spinner=False, max_entries=4)
def _thresholds(url: str) -> Any:
    from dcim.thresholds import load_thresholds

    with read_session(get_engine(url)) as session:
        return load_thresholds(session)


def thresholds() -> Any:
    """The warning and alert levels every load is coloured by (:mod:`dcim.thresholds`).

    Cached for seconds only: an administrator's change shows on the next page.
    """
    return _thresholds(current().url)


def power_chain(site: str | None = None) -> Any:
    """The power chain (UPS, feeds, consumers) of a site, or of every site."""
    url, stamp = _key()
    return _chain(url, stamp, current().today, site)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=64)
def _address_map(url: str, stamp: tuple[int, ...], on: dt.date, prefix: str, window: int) -> Any:
    from dcim import ipmap

    with read_session(get_engine(url)) as session:
        return ipmap.address_map(session, on, prefix, window), ipmap.free_ranges(
            session, on, prefix
        )


def address_map(prefix: str, window: int) -> Any:
    """The address map of one window of a prefix, and the prefix's free ranges."""
    url, stamp = _key()
    return _address_map(url, stamp, current().today, prefix, window)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=64)
def _ip_search(url: str, stamp: tuple[int, ...], on: dt.date, text: str) -> Any:
    from dcim import ipmap

    with read_session(get_engine(url)) as session:
        return ipmap.search(session, on, text)


def ip_search(text: str) -> Any:
    """Addresses matching an address, device, tenant or hold."""
    url, stamp = _key()
    return _ip_search(url, stamp, current().today, text)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=32)
def _zone(url: str, stamp: tuple[int, ...], on: dt.date, zone: str | None) -> Any:
    from dcim import zonefile

    with read_session(get_engine(url)) as session:
        names = zonefile.zone_names(session)
        if zone is None or zone not in names:
            return names, [], []
        return names, zonefile.zone_records(session, zone), zonefile.held_names(session, zone, on)


def zone(zone_name: str | None) -> Any:
    """(zone names, records of the zone, names held in it)."""
    url, stamp = _key()
    return _zone(url, stamp, current().today, zone_name)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=8)
def _request_choices(url: str, stamp: tuple[int, ...]) -> dict[str, Any]:
    from sqlalchemy import select

    from dcim.catalog import list_types
    from dcim.models import Prefix

    with read_session(get_engine(url)) as session:
        types = [(t.slug, t.display_name) for t in list_types(session)]
        roles = sorted(
            {(family, role) for family, role in session.execute(select(Prefix.family, Prefix.role))}
        )
    return {"types": types, "roles": roles}


def request_choices() -> dict[str, Any]:
    """What the request form offers: device types of the catalog and the IP roles by family."""
    return _request_choices(*_key())


@st.cache_resource(ttl=TTL_S, show_spinner=False, max_entries=8)
def _inventory(url: str, stamp: tuple[int, ...]) -> dict[str, Any]:
    from dcim.inventory.export import read_inventory

    with read_session(get_engine(url)) as session:
        return read_inventory(session)


def inventory() -> dict[str, Any]:
    """The whole inventory in the file's format (as ``dcim export`` writes it)."""
    return _inventory(*_key())
