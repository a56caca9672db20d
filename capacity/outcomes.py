"""What a check concludes, as plain data: verdicts, the proposal and a rack's chosen plan.

:mod:`capacity.check` produces these and :mod:`capacity.messages` words them;
both import them from here, so that neither has to import the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import rules
from .facts import RackFacts


class Deferred:
    """A detail of a verdict that is built only when someone reads it.

    The per-rack details (every candidate rack with its feeds) are what the JSON
    document and the report show; the app, the workflow and the planner read only
    the verdict and its sentence, and on a thousand racks building those rows was a
    sixth of a check.
    """

    __slots__ = ("build",)

    def __init__(self, build: Callable[[], Any]) -> None:
        self.build = build


@dataclass
class CheckOutcome:
    """One resource's verdict: ``ok`` is True, False or None (not evaluated).

    ``given_details`` are the extra keys of the verdict, some of them
    :class:`Deferred`; :attr:`details` is them built.
    """

    ok: bool | None
    message: str
    given_details: dict[str, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def details(self) -> dict[str, Any]:
        """The verdict's extra keys (candidates, loads, headroom, free counts), built."""
        return {
            key: value.build() if isinstance(value, Deferred) else value
            for key, value in self.given_details.items()
        }

    def to_json(self) -> dict[str, Any]:
        """The verdict as the check result's JSON writes it (extra keys after ok and message)."""
        return {"ok": self.ok, "message": self.message, **self.details}


@dataclass
class Proposal:
    """One placement that satisfies every rule at once."""

    site: str
    rack: str
    position: int
    u_height: int
    face: str
    full_depth: bool
    feeds: list[str]
    ups: list[str]
    uplink: str | None
    ipv4: dict[str, list[str]]
    ipv6: dict[str, list[str]]
    fqdns: list[str]
    rack_id: int = 0
    feed_ids: list[int] = field(default_factory=list)
    ups_ids: list[int] = field(default_factory=list)
    uplink_id: int | None = None
    address_prefixes: dict[str, tuple[int, str]] = field(default_factory=dict)
    zones: dict[str, str] = field(default_factory=dict)  # fqdn -> its zone's name
    zone_ids: dict[str, int] = field(default_factory=dict)  # a zone's name -> its id

    @property
    def top_unit(self) -> int:
        """The highest unit the server takes."""
        return self.position + self.u_height - 1

    def addresses(self) -> list[str]:
        """Every proposed address, IPv4 roles first, in request order."""
        return [a for group in (self.ipv4, self.ipv6) for values in group.values() for a in values]

    def to_json(self) -> dict[str, Any]:
        """The proposal as the check result's JSON writes it."""
        return {
            "site": self.site,
            "rack": self.rack,
            "position": self.position,
            "u_height": self.u_height,
            "face": self.face,
            "full_depth": self.full_depth,
            "feeds": self.feeds,
            "ups": self.ups,
            "uplink": self.uplink,
            "ipv4": self.ipv4,
            "ipv6": self.ipv6,
            "fqdns": self.fqdns,
        }


@dataclass
class RackPlan:
    """The rack the proposal takes: its facts, the block of units and the feeds chosen in it."""

    rack: RackFacts
    fit: rules.SpaceFit
    choice: rules.FeedChoice
