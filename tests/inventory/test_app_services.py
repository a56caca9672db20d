"""The services behind the app's pages, on the contract's example data center.

Elevations, the address map, the power chain and its failure simulation, the
zone file, the audit log and the change stamp; each test one behaviour.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dns.zone
import pytest
from sqlalchemy import Engine

from dcim import ipmap
from dcim.accounts import operator
from dcim.audit import audit_page
from dcim.changes import change_stamp
from dcim.db import read_session, write_session
from dcim.elevations import elevations, occupant_detail, rack_page
from dcim.inventory.load import load_file
from dcim.powerchain import LOST, OVER_LIMIT, TRIPPED, read_chain, simulate
from dcim.users import set_active
from dcim.zonefile import held_names, zone_file
from dcim_demo.users import load as load_demo_users

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example" / "inventory.yaml"
ON = dt.date(2026, 11, 27)


@pytest.fixture
def example(engine: Engine) -> Engine:
    """The contract's example: R01..R04, UPS-A/B, one hold RSV-2026-0001 in R02 until 15 December."""
    load_file(engine, FIXTURE, actor=operator())
    return engine


# --- rack elevations ----------------------------------------------------------------------------


def test_a_half_depth_device_leaves_the_rear_free(example: Engine) -> None:
    with read_session(example) as session:
        (r01,) = elevations(session, ON, ["R01"])
    switch = next(o for o in r01.occupants if o.key == "SW-CORE-01")
    assert switch.faces == ("front",)
    assert (40, 1) not in r01.free_blocks["front"] and any(
        start <= 40 < start + length for start, length in r01.free_blocks["rear"]
    )


def test_unusable_units_are_drawn_on_both_faces(example: Engine) -> None:
    with read_session(example) as session:
        (r01,) = elevations(session, ON, ["R01"])
    unusable = [o for o in r01.occupants if o.kind == "unusable"]
    assert [(o.position, o.u_height) for o in unusable] == [(1, 1)]
    assert all(start > 1 for start, _ in r01.free_blocks["front"])


def test_a_live_hold_shows_with_its_request_and_expiry(example: Engine) -> None:
    with read_session(example) as session:
        (r02,) = elevations(session, ON, ["R02"])
    hold = next(o for o in r02.occupants if o.kind == "hold")
    assert (hold.key, hold.request_number, hold.expires_at) == (
        "RSV-2026-0001",
        "021/077/BAPPEDA/2026",
        dt.date(2026, 12, 15),
    )


def test_an_expired_hold_occupies_nothing(example: Engine) -> None:
    with read_session(example) as session:
        (r02,) = elevations(session, dt.date(2026, 12, 16), ["R02"])
    assert not [o for o in r02.occupants if o.kind == "hold"]


def test_racks_are_filtered_by_tenant_and_largest_free_block(example: Engine) -> None:
    with read_session(example) as session:
        bappeda = rack_page(session, ON, tenant="bappeda")
        roomy = rack_page(session, ON, min_free_block=30)
    assert [r.name for r in bappeda.items] == ["R02", "R03"]
    assert "R02" not in [r.name for r in roomy.items]


def test_racks_come_a_page_at_a_time(example: Engine) -> None:
    with read_session(example) as session:
        second = rack_page(session, ON, page=2, per_page=3)
    assert (second.total, second.pages, [r.name for r in second.items]) == (4, 2, ["R04"])


def test_device_details_name_its_feeds_addresses_and_dns_names(example: Engine) -> None:
    with read_session(example) as session:
        detail = occupant_detail(session, "device", "SRV-BKPSDM-01")
    assert detail is not None
    assert [(f.feed, f.normal_w, f.worst_w) for f in detail.feeds] == [
        ("PDU-R02-A", 225, 450),
        ("PDU-R02-B", 225, 450),
    ]
    assert [a for a, _ in detail.addresses] == ["10.10.1.10", "203.0.113.5"]
    assert detail.names == ["simpeg.sumbawakab.go.id"]


# --- the address map ----------------------------------------------------------------------------


def test_the_address_map_marks_every_kind_of_address(example: Engine) -> None:
    with read_session(example) as session:
        amap = ipmap.address_map(session, ON, "203.0.113.0/28")
    states = [cell.state for cell in amap.cells]
    assert states[:7] == [
        ipmap.NETWORK,
        ipmap.GATEWAY,
        ipmap.RESERVED,
        ipmap.RESERVED,
        ipmap.USED,
        ipmap.USED,
        ipmap.HELD,
    ]
    assert states[-1] == ipmap.BROADCAST
    assert amap.cells[4].device == "SW-CORE-01"


def test_free_ranges_leave_out_used_held_and_never_allocated_addresses(example: Engine) -> None:
    with read_session(example) as session:
        free = ipmap.free_ranges(session, ON, "203.0.113.0/28")
    assert [(r.first, r.last, r.count) for r in free] == [("203.0.113.7", "203.0.113.14", 8)]


def test_an_ipv6_64_is_read_one_window_at_a_time(example: Engine) -> None:
    with read_session(example) as session:
        amap = ipmap.address_map(session, ON, "2001:db8:10::/64", window=2**40)
    assert len(amap.cells) == ipmap.WINDOW and amap.windows == 2**56


def test_search_finds_addresses_by_tenant_and_hold(example: Engine) -> None:
    with read_session(example) as session:
        by_tenant = {h.address for h in ipmap.search(session, ON, "bkpsdm")}
        by_hold = {h.address for h in ipmap.search(session, ON, "RSV-2026-0001")}
    assert by_tenant == {"203.0.113.5", "10.10.1.10"}
    assert by_hold == {"203.0.113.6", "10.10.1.12"}


# --- the power chain ----------------------------------------------------------------------------


def test_the_power_chain_runs_from_ups_to_devices(example: Engine) -> None:
    with read_session(example) as session:
        graph = read_chain(session, ON).graph()
    assert graph.has_edge(("ups", "UPS-A"), ("feed", "PDU-R02-A"))
    assert graph.has_edge(("feed", "PDU-R02-A"), ("rack", "R02"))
    assert graph.has_edge(("rack", "R02"), ("device", "SRV-BKPSDM-01"))
    assert graph.has_edge(("rack", "R02"), ("hold", "RSV-2026-0001"))


def test_losing_a_feed_darkens_only_single_corded_servers(example: Engine) -> None:
    with read_session(example) as session:
        chain = read_chain(session, ON)
    result = simulate(chain, feeds=["PDU-R03-A"])
    assert [c.name for c in result.dark] == ["NAS-BAPPEDA-01"]
    lost = next(f for f in result.feeds if f.name == "PDU-R03-A")
    assert lost.state == LOST


def test_the_surviving_feed_carries_the_whole_load(example: Engine) -> None:
    with read_session(example) as session:
        chain = read_chain(session, ON)
    result = simulate(chain, feeds=["PDU-R02-A"])
    survivor = next(f for f in result.feeds if f.name == "PDU-R02-B")
    assert (survivor.before_w, survivor.after_w) == (550, 1100)
    assert not result.dark


def test_losing_a_ups_moves_its_load_to_the_other(example: Engine) -> None:
    with read_session(example) as session:
        chain = read_chain(session, ON)
    result = simulate(chain, ups=["UPS-A"])
    other = next(u for u in result.ups if u.name == "UPS-B")
    assert other.after_w == 150 + 450 + 350 + 300  # everything dual-corded now on UPS-B
    assert [c.name for c in result.dark] == ["NAS-BAPPEDA-01"]


def test_an_overloaded_feed_is_reported(example: Engine) -> None:
    with read_session(example) as session:
        chain = read_chain(session, ON)
    heavy = [
        c if c.name != "SRV-BKPSDM-01" else type(c)(**{**c.__dict__, "power_w": 2900})
        for c in chain.consumers
    ]
    chain.consumers = heavy
    result = simulate(chain, feeds=["PDU-R02-A"])
    survivor = next(f for f in result.feeds if f.name == "PDU-R02-B")
    assert survivor.state in (OVER_LIMIT, TRIPPED)
    assert survivor in result.overloaded_feeds


# --- the zone file ------------------------------------------------------------------------------


def test_the_zone_file_parses_back_with_absolute_targets(example: Engine) -> None:
    with read_session(example) as session:
        text = zone_file(session, "sumbawakab.go.id", ON)
    zone = dns.zone.from_text(text, origin="sumbawakab.go.id.", relativize=False)
    zone.check_origin()  # a SOA and NS records at the apex, as a DNS server needs
    cname = zone.find_rdataset("www.sumbawakab.go.id.", "CNAME")[0]
    assert str(cname.target) == "sumbawakab.go.id."
    delegation = zone.find_rdataset("desa.sumbawakab.go.id.", "NS")[0]
    assert str(delegation.target) == "ns1.desa.sumbawakab.go.id."
    soa = zone.find_rdataset("sumbawakab.go.id.", "SOA")[0]
    assert soa.serial == 2026112701


def test_held_names_are_listed_with_their_hold(example: Engine) -> None:
    with read_session(example) as session:
        names = held_names(session, "sumbawakab.go.id", ON)
    assert [(n.fqdn, n.hold) for n in names] == [("sipd.sumbawakab.go.id", "RSV-2026-0001")]


# --- the audit log and the change stamp ---------------------------------------------------------


def test_the_audit_log_is_browsed_newest_first_and_filtered(example: Engine) -> None:
    load_demo_users(example, operator())
    with write_session(example) as session:
        set_active(session, operator(), "pemantau", False)
    with read_session(example) as session:
        everything = audit_page(session)
        switched = audit_page(session, action="user.deactivate")
        searched = audit_page(session, text="kabid")
    assert everything.items[0].action == "user.deactivate"
    assert [r.key for r in switched.items] == ["pemantau"]
    assert [r.key for r in searched.items] == ["kabid"]


def test_the_change_stamp_moves_with_every_write(example: Engine) -> None:
    with read_session(example) as session:
        before = change_stamp(session)
    load_demo_users(example, operator())
    with read_session(example) as session:
        after = change_stamp(session)
        again = change_stamp(session)
    assert before != after and after == again
