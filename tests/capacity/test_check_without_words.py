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
from scenario_data import request, spec_inventory, spec_request
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
