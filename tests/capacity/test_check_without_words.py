"""A check without words gives the same verdicts and proposal as the one a person reads.

The purchase plan replays its year hundreds of times and acts only on the
answers; composing the six messages for each replay cost about a tenth of
its time. ``run_check(..., words=False)`` skips them, so it must never answer
differently.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from scenario_data import (
    device,
    hold,
    inventory,
    request,
    spec_inventory,
    spec_request,
    two_feed_rack,
)
from scenario_support import Scenario

from capacity.check import run_check
from capacity.request import parse_request
from dcim.db import get_engine, read_session

ON = dt.date(2026, 11, 27)

REQUESTS = {
    "the example's feasible request": spec_request("simpeg"),
    "the example's request that is too big": spec_request("too-big"),
    "a full-depth 4U server": request(u_height=4, power_w=800, ipv4={"public": 1}),
    "more power than any feed has": request(u_height=1, power_w=90_000),
    "a name already in use": request(u_height=1, power_w=100, domains=["sipd.sumbawakab.go.id"]),
    "more addresses than any prefix has": request(u_height=1, power_w=100, ipv4={"public": 4000}),
    "a site that does not exist": request(u_height=1, power_w=100) | {"site": "dc-lain"},
}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_the_answer_without_words_is_the_answer_with_them(scenario: Scenario, name: str) -> None:
    scenario.load(spec_inventory())
    wanted = parse_request(REQUESTS[name])
    with read_session(get_engine(scenario.db_url)) as session:
        told = run_check(session, wanted, on=ON)
        bare = run_check(session, wanted, on=ON, words=False)

    def verdicts(result: Any) -> dict[str, bool | None]:
        return {check: outcome.ok for check, outcome in result.checks.items()}

    assert bare.feasible == told.feasible
    assert verdicts(bare) == verdicts(told)
    assert (bare.proposal.to_json() if bare.proposal else None) == (
        told.proposal.to_json() if told.proposal else None
    )
    # Nothing was composed: the replay never pays for words it does not read.
    assert bare.summary == "" and all(o.message == "" for o in bare.checks.values())


def _room_an_expired_hold_left() -> dict[str, Any]:
    """R01 full but for units 41-42 that a hold past its date still claims; R02 full; R03
    has room but is not active; R04 has room in another site."""
    r01, f01 = two_feed_rack("R01")
    r02, f02 = two_feed_rack("R02")
    r03, f03 = two_feed_rack("R03", status="planned")
    r04, f04 = two_feed_rack("R04", site="dc-lain")
    filler = [device("ISI-R01", "R01", 1, u_height=40), device("ISI-R02", "R02", 1, u_height=42)]
    lapsed = hold("RSV-2026-0009", "R01", 41, u_height=2, expires_at="2026-11-20")
    return inventory(
        racks=[r01, r02, r03, r04],
        power_feeds=f01 + f02 + f03 + f04,
        devices=filler,
        reservations=[lapsed],
    )


def test_a_check_without_words_finds_the_room_an_expired_hold_left(scenario: Scenario) -> None:
    # The lean check reads only racks whose counters leave room; R01's counter still counts
    # the lapsed hold, so R01 must come in through the hold, or the answer would change.
    scenario.load(_room_an_expired_hold_left())
    wanted = parse_request(request(u_height=2, power_w=100) | {"site": "dc-kominfo"})
    with read_session(get_engine(scenario.db_url)) as session:
        told = run_check(session, wanted, on=ON)
        bare = run_check(session, wanted, on=ON, words=False)
    assert told.proposal is not None and told.proposal.rack == "R01"
    assert bare.proposal is not None and bare.proposal.to_json() == told.proposal.to_json()
    assert {c: o.ok for c, o in bare.checks.items()} == {c: o.ok for c, o in told.checks.items()}
