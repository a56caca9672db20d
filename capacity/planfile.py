"""The plan file (Rencana kebutuhan): the servers expected next year and what can be bought.

The file is read behind the one input gate (:func:`dcim.inventory.yamlio.read_yaml_file`)
and checked by pydantic models that reuse the request format
(:class:`capacity.request.CapacityRequest`) for the servers and the inventory
entries (:mod:`dcim.inventory.schema`) for the catalogue, so a bad plan gets
the same one-line-per-field messages as every other input. The format is
documented in ``docs/spec/plan-format.md``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dcim import i18n
from dcim.errors import InputError, Problem
from dcim.i18n import t
from dcim.inventory.fields import (
    MAX_AMPERAGE,
    MAX_BANDWIDTH_MBPS,
    MAX_VOLTAGE,
    MAX_WORKING_DAYS,
    Name,
    bounded_int,
    line_type,
    name_type,
    quantity,
)
from dcim.inventory.pydantic_errors import problems_from
from dcim.inventory.schema import (
    Percent,
    PhaseValue,
    PowerFeedEntry,
    PrefixEntry,
    RackEntry,
    UPSEntry,
)
from dcim.inventory.yamlio import DOCUMENT_LIMITS, YamlLimits, read_yaml_file
from dcim.workdays import require_in_calendar

from .request import CapacityRequest

# A plan of a few hundred servers and a catalogue of a few dozen items fits in well under a megabyte.
PLAN_LIMITS = YamlLimits(
    "plan", max_bytes=DOCUMENT_LIMITS.max_bytes, max_depth=32, max_elements=200_000
)
MAX_SERVERS = 2_000
MAX_CATALOGUE = 200
# Rp 10 trillion: more than any Kabupaten's whole budget, small enough to add exactly.
MAX_PRICE_IDR = 10_000_000_000_000
# The growth assumption: at most this many template servers a month, over at most five years
# (a plan is for the next budget year; a longer trend is a guess, not a plan).
MAX_GROWTH_PER_MONTH = 100
MAX_GROWTH_MONTHS = 60

ItemId = name_type(64)


class _Priced(BaseModel):
    """What every catalogue item carries besides its inventory fields."""

    id: ItemId
    price_idr: bounded_int(0, MAX_PRICE_IDR)
    lead_time_working_days: bounded_int(0, MAX_WORKING_DAYS) = 0
    description: line_type(200) | None = None


class UPSItem(_Priced, UPSEntry):
    """A UPS: a new one (a new name) or the replacement of one (an existing name, new kVA)."""

    kind: Literal["ups"]


class RackItem(_Priced, RackEntry):
    """A new rack, with the new feeds whose PDUs come with it (``power_feeds``)."""

    kind: Literal["rack"]
    power_feeds: Annotated[list[PowerFeedEntry], Field(max_length=8)] = Field(default_factory=list)


class FeedUpgradeItem(_Priced):
    """A stronger circuit for an existing feed: what changes, the rest stays."""

    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal["feed_upgrade"]
    feed: Name
    amperage: quantity(maximum=MAX_AMPERAGE, positive=True) | None = None
    voltage: quantity(maximum=MAX_VOLTAGE, positive=True) | None = None
    phase: PhaseValue | None = None
    ups: Name | None = None
    max_utilization: Percent | None = None


class UplinkUpgradeItem(_Priced):
    """A faster contract for an existing uplink: ``capacity_mbps`` is the new capacity."""

    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal["uplink_upgrade"]
    uplink: Name
    capacity_mbps: quantity(maximum=MAX_BANDWIDTH_MBPS, positive=True)


class PrefixItem(_Priced, PrefixEntry):
    """A new address block (for example a /28 of public IPv4 from the provider)."""

    kind: Literal["prefix"]


CatalogueItem = Annotated[
    UPSItem | RackItem | FeedUpgradeItem | UplinkUpgradeItem | PrefixItem,
    Field(discriminator="kind"),
]
KINDS = ("ups", "rack", "feed_upgrade", "uplink_upgrade", "prefix")


class PlannedServer(CapacityRequest):
    """An expected server: a request in the request format, with the date it is needed."""

    on: dt.date = Field(strict=False)
    name: line_type(100, min_length=1) | None = None


class Growth(BaseModel):
    """Servers nobody has named yet: a template server expected ``per_month`` times a month.

    The OPDs announce some servers; the trend of the utilization forecast says more will
    come. The Kepala Bidang states that trend as a number a month and what a typical
    server needs, and the planner adds those servers (``TREN-YYYY-MM-n``) from ``from``
    to ``until``, on the same day of each month (the month's last day when it is shorter).
    """

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    per_month: bounded_int(1, MAX_GROWTH_PER_MONTH)
    start: dt.date = Field(alias="from", strict=False)
    until: dt.date = Field(strict=False)
    template: CapacityRequest


class PlanFile(BaseModel):
    """A whole plan file, version 1."""

    model_config = ConfigDict(extra="forbid", strict=True)

    version: Literal[1]
    title: line_type(200) | None = None
    year: bounded_int(2000, 2200) | None = None
    servers: Annotated[list[PlannedServer], Field(min_length=1, max_length=MAX_SERVERS)]
    catalogue: Annotated[list[CatalogueItem], Field(max_length=MAX_CATALOGUE)] = Field(
        default_factory=list
    )
    growth: Growth | None = None

    def expected(self) -> list[tuple[str, PlannedServer]]:
        """Every expected server with where it comes from: the listed ones, then the trend's."""
        listed = [(f"servers[{index}]", server) for index, server in enumerate(self.servers)]
        return listed + [("growth.template", server) for server in growth_servers(self.growth)]

    def all_servers(self) -> list[PlannedServer]:
        """The listed servers and those of the growth assumption."""
        return [server for _, server in self.expected()]


def _months(start: dt.date, until: dt.date) -> list[dt.date]:
    """``start``'s day of each month from ``start`` to ``until`` (the last day when shorter)."""
    days = []
    year, month = start.year, start.month
    while True:
        last = calendar.monthrange(year, month)[1]
        day = dt.date(year, month, min(start.day, last))
        if day > until:
            return days
        days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def growth_servers(growth: Growth | None) -> list[PlannedServer]:
    """The servers a growth assumption adds, named ``TREN-YYYY-MM-n``, month by month."""
    if growth is None:
        return []
    # The template was validated as a request; each copy is validated again with its date.
    template = growth.template.model_dump(exclude_unset=True)
    return [
        PlannedServer.model_validate({**template, "on": day, "name": f"TREN-{day:%Y-%m}-{n}"})
        for day in _months(growth.start, growth.until)
        for n in range(1, growth.per_month + 1)
    ]


def parse_plan(data: Any, source: str | None = None, lang: str = "id") -> PlanFile:
    """A plan from parsed YAML; an :class:`InputError` names each wrong field."""
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem.of(
                    "",
                    "plan.file_not_mapping",
                    "a plan must be a mapping with 'version: 1' and 'servers'",
                )
            ],
            source,
        )
    data = _on_keys(data)
    try:
        plan = PlanFile.model_validate(data)
    except ValidationError as exc:
        raise InputError([_untagged(p) for p in problems_from(exc)], source) from exc
    problems = _duplicates(plan) + _dates(plan, lang)
    if problems:
        raise InputError(problems, source)
    return plan


def _on_keys(data: dict[Any, Any]) -> dict[Any, Any]:
    """Read a server's bare ``on:`` key as the text ``on``.

    YAML 1.1 (PyYAML) reads the bare key ``on`` as the boolean true; the plan's
    servers have no other boolean key, so true there can only mean ``on``.
    """
    servers = data.get("servers")
    if not isinstance(servers, list):
        return data
    fixed = []
    for server in servers:
        if isinstance(server, dict) and True in server and "on" not in server:
            server = {("on" if key is True else key): value for key, value in server.items()}
        fixed.append(server)
    return {**data, "servers": fixed}


_KIND_TAG = re.compile(r"^(catalogue\[\d+\])\.(?:" + "|".join(KINDS) + r")\b")


def _untagged(problem: Problem) -> Problem:
    """Drop the item kind pydantic puts after ``catalogue[i]``: the user wrote no such key."""
    return replace(problem, path=_KIND_TAG.sub(r"\1", problem.path))


def _duplicates(plan: PlanFile) -> list[Problem]:
    """Item ids and server names must be unique: the answer refers to them."""
    problems = []
    seen: dict[str, int] = {}
    for index, item in enumerate(plan.catalogue):
        if item.id in seen:
            problems.append(
                Problem.of(
                    f"catalogue[{index}].id",
                    "plan.catalogue_id_twice",
                    "'{id}' is already catalogue[{other}]",
                    id=item.id,
                    other=seen[item.id],
                )
            )
        seen.setdefault(item.id, index)
    names: dict[str, int] = {}
    for index, server in enumerate(plan.servers):
        if server.name is not None:
            if server.name in names:
                problems.append(
                    Problem.of(
                        f"servers[{index}].name",
                        "plan.server_name_twice",
                        "'{name}' is already servers[{other}]",
                        name=server.name,
                        other=names[server.name],
                    )
                )
            names.setdefault(server.name, index)
    return problems


def _dates(plan: PlanFile, lang: str) -> list[Problem]:
    """Dates the working calendar covers, and a growth period of bounded length."""
    problems: list[Problem] = []
    dated = [(f"servers[{i}].on", s.on) for i, s in enumerate(plan.servers)]
    growth = plan.growth
    if growth is not None:
        dated += [("growth.from", growth.start), ("growth.until", growth.until)]
    for path, day in dated:
        try:
            require_in_calendar(day, path, lang)
        except InputError as exc:
            problems += exc.problems
    if growth is None or problems:
        return problems
    months = (growth.until.year - growth.start.year) * 12 + growth.until.month - growth.start.month
    if growth.until < growth.start:
        problems.append(
            Problem(
                "growth.until",
                t(
                    "plan.growth.until_before_from",
                    lang,
                    until=i18n.date(growth.until, lang),
                    start=i18n.date(growth.start, lang),
                ),
            )
        )
    elif months >= MAX_GROWTH_MONTHS:
        problems.append(
            Problem("growth.until", t("plan.growth.too_long", lang, most=MAX_GROWTH_MONTHS))
        )
    elif len(plan.servers) + (months + 1) * growth.per_month > MAX_SERVERS:
        problems.append(
            Problem(
                "growth.per_month",
                t("plan.growth.too_many", lang, most=MAX_SERVERS, listed=len(plan.servers)),
            )
        )
    return problems


def read_plan(path: str | Path, lang: str = "id") -> PlanFile:
    """A plan from a YAML file, behind the input gate."""
    return parse_plan(read_yaml_file(path, PLAN_LIMITS), str(path), lang)
