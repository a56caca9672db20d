"""NetBox objects to the inventory format: each adaptation, its default and its option (no database)."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from netbox_fixture import netbox_dump, obj

from dcim.errors import InputError
from dcim.netbox.convert import Converter, ImportOptions, convert, parse_status_map
from dcim.netbox.dump import build_dump

TODAY = dt.date(2026, 11, 27)


def run(records: list[dict] | None = None, **options: Any) -> Converter:
    """Convert the fixture (or given records) with the options."""
    return convert(build_dump(records or netbox_dump()), ImportOptions(**options), TODAY)


def entries(c: Converter, section: str, key: str = "name") -> dict[str, dict]:
    """A section of the converted document by its key field."""
    return {e[key]: e for e in c.doc.get(section, [])}


def skipped(c: Converter, reason: str) -> set[tuple[str, int]]:
    """(model, pk) of the objects skipped for a reason."""
    return {(ref.model, ref.pk) for ref, _ in c.report.skipped.get(reason, [])}


def adapted(c: Converter, code: str) -> dict[tuple[str, int], str]:
    """(model, pk) -> what it became, for one adaptation."""
    return {(ref.model, ref.pk): ref.to for ref in c.report.adaptations.get(code, [])}


# --- names --------------------------------------------------------------------------------------


def test_rack_names_repeated_across_sites_are_qualified_by_site_slug() -> None:
    c = run()
    assert {"R01", "Comms closet (bupati)", "Comms closet (alas)"} == set(entries(c, "racks"))
    assert adapted(c, "qualified_name")[("dcim.rack", 2)] == "Comms closet (bupati)"


def test_a_name_unique_in_netbox_is_kept_as_it_is() -> None:
    assert "R01" in entries(run(), "racks")
    assert ("dcim.rack", 1) not in adapted(run(), "qualified_name")


def test_device_names_repeated_across_sites_are_qualified_and_feeds_by_panel() -> None:
    c = run()
    assert {"PP:MDF (dc-kominfo)", "PP:MDF (bupati)"} <= set(entries(c, "devices"))
    assert {"Feed 1 (Panel A)", "Feed 1 (Panel B)"} == set(entries(c, "power_feeds"))


def test_names_equal_after_qualifying_get_the_netbox_id() -> None:
    records = netbox_dump()
    records.append(obj("dcim.rack", 50, name="R01", site=1, status="active", u_height=42))
    names = set(entries(run(records), "racks"))
    assert {"R01 (#1)", "R01 (#50)"} <= names, names


def test_duplicate_names_are_refused_with_the_names_when_asked() -> None:
    with pytest.raises(InputError) as caught:
        run(duplicates="refuse")
    assert "Comms closet" in str(caught.value) and "--duplicates" in str(caught.value)


def test_unnamed_virtual_chassis_member_is_named_after_its_chassis_and_position() -> None:
    c = run()
    assert "VC-CORE:2" in entries(c, "devices")
    assert adapted(c, "unnamed_device")[("dcim.device", 6)] == "VC-CORE:2"


def test_unnamed_device_outside_a_chassis_is_named_after_its_type_and_id() -> None:
    records = netbox_dump()
    device = next(r for r in records if r["model"] == "dcim.device" and r["pk"] == 6)
    device["fields"]["virtual_chassis"] = None
    assert "PowerEdge R640 #6" in entries(run(records), "devices")


def test_unnamed_devices_are_left_out_and_named_when_asked() -> None:
    c = run(unnamed="skip")
    assert ("dcim.device", 6) in skipped(c, "unnamed")
    assert "VC-CORE:2" not in entries(c, "devices")


# --- statuses -----------------------------------------------------------------------------------


def test_available_rack_becomes_active_by_default() -> None:
    c = run()
    assert entries(c, "racks")["Comms closet (bupati)"]["status"] == "active"
    assert adapted(c, "rack_status")[("dcim.rack", 2)] == "available -> active"


def test_status_map_option_overrides_the_default() -> None:
    c = run(status_map=parse_status_map(["rack:available=planned"]))
    assert entries(c, "racks")["Comms closet (bupati)"]["status"] == "planned"


def test_status_map_refuses_a_status_the_format_lacks() -> None:
    with pytest.raises(InputError, match="--status-map"):
        parse_status_map(["rack:available=gone"])


def test_slaac_address_counts_as_active() -> None:
    assert entries(run(), "ip_addresses", "address")["103.10.20.6"]["status"] == "active"


# --- placing devices ----------------------------------------------------------------------------


def test_half_unit_device_takes_the_whole_unit_it_touches() -> None:
    c = run()
    switch = entries(c, "devices")["SW-HALF-A"]
    assert (switch["position"], switch["u_height"]) == (20, 1)
    assert ("dcim.device", 4) in adapted(c, "half_units")


def test_second_half_unit_device_in_the_same_unit_is_named_as_sharing_it() -> None:
    c = run()
    assert ("dcim.device", 5) in skipped(c, "shares_units")
    assert "SW-HALF-B" not in entries(c, "devices")
    assert ("dcim.device", 5) not in adapted(c, "half_units")


def test_zero_u_unracked_and_positionless_devices_are_named_with_their_reason() -> None:
    c = run()
    assert ("dcim.device", 7) in skipped(c, "zero_u")
    assert ("dcim.device", 8) in skipped(c, "not_racked")
    assert ("dcim.device", 9) in skipped(c, "no_position")


def test_every_device_comes_across_or_is_skipped_with_a_reason() -> None:
    c = run()
    skipped_devices = {
        pk
        for items in c.report.skipped.values()
        for ref, _ in items
        if ref.model == "dcim.device"
        for pk in [ref.pk]
    }
    assert len(c.device_entry) + len(skipped_devices) == 12
    assert c.report.counts["devices"] == {"in": 12, "out": len(c.device_entry)}


def test_rack_numbered_from_u0_is_renumbered_from_u1() -> None:
    c = run()
    assert entries(c, "devices")["SRV-ALAS-01"]["position"] == 1
    assert adapted(c, "starting_unit")[("dcim.rack", 3)] == "U0 -> U1"


def test_half_depth_device_keeps_its_face() -> None:
    patch = entries(run(), "devices")["PP:MDF (dc-kominfo)"]
    assert (patch["face"], patch["full_depth"]) == ("rear", False)


def test_device_weight_and_model_come_from_its_type() -> None:
    server = entries(run(), "devices")["SRV-DINKES-01"]
    assert server["model"] == "Dell PowerEdge R740"
    assert server["weight_kg"] == Decimal("28.6")


# --- power --------------------------------------------------------------------------------------


def test_cable_path_through_a_pdu_gives_the_device_its_feed() -> None:
    c = run()
    assert entries(c, "devices")["SRV-DINKES-01"]["feeds"] == ["Feed 1 (Panel A)"]


def test_feed_without_a_rack_joins_the_rack_its_cable_reaches() -> None:
    c = run()
    assert entries(c, "devices")["SRV-BKPSDM-01"]["feeds"] == ["Feed 1 (Panel B)"]
    assert "Feed 1 (Panel B)" in entries(c, "racks")["R01"]["feeds"]
    assert adapted(c, "feed_rack_from_cable")[("dcim.powerfeed", 2)] == "R01"


def test_uncabled_power_port_leaves_the_device_without_feeds_and_says_so() -> None:
    c = run()
    assert "feeds" not in entries(c, "devices")["SRV-UNCABLED"]
    assert ("dcim.device", 12) in adapted(c, "power_uncabled")


def test_power_paths_are_not_followed_when_asked() -> None:
    assert "feeds" not in entries(run(power_paths=False), "devices")["SRV-DINKES-01"]


def test_device_draw_is_its_largest_power_port_else_its_type_template() -> None:
    devices = entries(run(), "devices")
    assert devices["SRV-DINKES-01"]["power_w"] == 450  # its own port's allocated draw
    assert devices["SRV-ALAS-01"]["power_w"] == 350  # no ports: the type's template


def test_negative_dc_voltage_is_taken_as_its_magnitude() -> None:
    records = netbox_dump()
    next(r for r in records if r["model"] == "dcim.powerfeed")["fields"]["voltage"] = -48
    c = run(records)
    assert entries(c, "power_feeds")["Feed 1 (Panel A)"]["voltage"] == 48
    assert ("dcim.powerfeed", 1) in adapted(c, "dc_voltage")


# --- reservations -------------------------------------------------------------------------------


def test_rack_reservation_becomes_unusable_units_except_those_a_device_occupies() -> None:
    c = run()
    assert entries(c, "racks")["R01"]["unusable_units"] == [40, 41]
    assert adapted(c, "reserved_units_taken")[("dcim.rackreservation", 1)] == "U10"


def test_rack_reservation_without_a_tenant_needs_one_to_become_a_hold() -> None:
    with pytest.raises(InputError, match="--hold-tenant"):
        run(rack_reservations="hold")


def test_rack_reservation_becomes_a_hold_for_the_chosen_tenant() -> None:
    c = run(rack_reservations="hold", hold_tenant="dinkes", hold_expires=dt.date(2026, 12, 31))
    holds = entries(c, "reservations", "id")
    assert holds == {
        "NB-RR-1": {
            "id": "NB-RR-1",
            "tenant": "dinkes",
            "rack": "R01",
            "position": 40,
            "u_height": 2,
            "expires_at": dt.date(2026, 12, 31),
        }
    }
    assert "unusable_units" not in entries(c, "racks")["R01"]


def test_rack_reservations_left_out_when_asked_are_named() -> None:
    c = run(rack_reservations="skip")
    assert ("dcim.rackreservation", 1) in skipped(c, "reservations_skipped")


# --- IP space -----------------------------------------------------------------------------------


def test_container_prefix_is_dropped_by_default_and_kept_when_asked() -> None:
    assert ("ipam.prefix", 1) in skipped(run(), "container")
    kept = run(containers="keep", nested="outer")
    assert "10.10.0.0/16" in entries(kept, "prefixes", "prefix")


def test_prefix_of_another_vrf_is_named_with_its_vrf() -> None:
    c = run()
    details = {ref.pk: d for ref, d in c.report.skipped["other_vrf"] if ref.model == "ipam.prefix"}
    assert details == {3: {"vrf": "MGMT"}}


def test_chosen_vrf_imports_its_own_prefixes_and_addresses_only() -> None:
    c = run(vrf="MGMT")
    assert set(entries(c, "prefixes", "prefix")) == {"10.10.1.0/24"}
    assert set(entries(c, "ip_addresses", "address")) == {"10.10.1.10"}
    assert ("ipam.prefix", 2) in skipped(c, "other_vrf")


def test_unknown_vrf_is_refused_with_the_list_of_vrfs() -> None:
    with pytest.raises(InputError, match=r"the dump's VRFs: MGMT"):
        run(vrf="BLUE")


def test_nested_prefixes_keep_the_inner_one_by_default_and_the_outer_when_asked() -> None:
    inner = run()
    assert ("ipam.prefix", 5) in skipped(inner, "contains_prefixes")
    outer = run(nested="outer")
    assert "192.168.0.0/23" in entries(outer, "prefixes", "prefix")
    assert ("ipam.prefix", 6) in skipped(outer, "inside_prefix")


def test_prefix_roles_come_from_netbox_roles_and_map_with_the_option() -> None:
    assert entries(run(), "prefixes", "prefix")["103.10.20.0/27"]["role"] == "public"
    mapped = run(role_map={"public": "publik"})
    assert entries(mapped, "prefixes", "prefix")["103.10.20.0/27"]["role"] == "publik"


def test_prefix_without_a_role_gets_the_default_role() -> None:
    c = run(default_role="lan")
    assert entries(c, "prefixes", "prefix")["10.10.1.0/24"]["role"] == "lan"
    assert adapted(c, "prefix_no_role")[("ipam.prefix", 2)] == "lan"


def test_prefix_keeps_its_site_and_vlan_number() -> None:
    prefix = entries(run(), "prefixes", "prefix")["10.10.1.0/24"]
    assert (prefix["site"], prefix["vlan"]) == ("dc-kominfo", 10)


def test_ip_range_becomes_a_reserved_range_of_its_prefix() -> None:
    prefix = entries(run(), "prefixes", "prefix")["10.10.1.0/24"]
    assert prefix["reserved_ranges"] == ["10.10.1.100-10.10.1.120"]


def test_address_is_linked_to_the_device_of_its_interface() -> None:
    address = entries(run(), "ip_addresses", "address")["10.10.1.10"]
    assert (address["device"], address["description"]) == ("SRV-DINKES-01", "SIMPUS")


def test_address_outside_every_imported_prefix_is_named() -> None:
    assert ("ipam.ipaddress", 4) in skipped(run(), "outside_prefixes")


# --- circuits and device types ------------------------------------------------------------------


def test_circuit_with_a_commit_rate_becomes_an_uplink_in_mbps() -> None:
    uplink = entries(run(), "uplinks")["INET-001"]
    assert (uplink["site"], uplink["capacity_mbps"]) == ("dc-kominfo", 500)


def test_circuit_without_a_commit_rate_is_named_and_left_to_fill_in() -> None:
    c = run()
    assert ("circuits.circuit", 2) in skipped(c, "no_commit_rate")
    assert [r.pk for r in c.report.still_to_fill["uplink_capacity"]] == [2]


def test_device_types_become_catalog_entries_with_their_power_ports() -> None:
    catalog = dict(run().catalog)
    assert catalog[1]["manufacturer"] == "Dell" and catalog[1]["slug"] == "dell-r640"
    assert [p["allocated_draw"] for p in catalog[1]["power-ports"]] == [350, 350]


# --- NetBox 4 -----------------------------------------------------------------------------------


def test_netbox_4_field_names_give_the_same_inventory_as_netbox_3() -> None:
    three, four = run(netbox_dump(3)), run(netbox_dump(4))
    assert four.doc == three.doc


def test_netbox_4_prefix_scoped_by_content_type_id_finds_its_site() -> None:
    records = netbox_dump(4)
    records.append(obj("contenttypes.contenttype", 91, app_label="dcim", model="site"))
    prefix = next(r for r in records if r["model"] == "ipam.prefix" and r["pk"] == 4)
    prefix["fields"] |= {"scope_type": 91, "scope_id": 1, "_site": None}
    assert entries(run(records), "prefixes", "prefix")["103.10.20.0/27"]["site"] == "dc-kominfo"


def test_conversion_leaves_the_records_untouched() -> None:
    records = netbox_dump()
    before = copy.deepcopy(records)
    run(records)
    assert records == before


def test_reserved_units_written_as_json_text_by_dumpdata_are_read() -> None:
    # Django serialises an ArrayField with value_to_string: JSON text of each unit's text.
    records = netbox_dump()
    reservation = next(r for r in records if r["model"] == "dcim.rackreservation")
    reservation["fields"]["units"] = '["40", "41", "10"]'
    assert entries(run(records), "racks")["R01"]["unusable_units"] == [40, 41]


def test_natural_key_dump_with_content_types_without_pk_is_read() -> None:
    from netbox_fixture import NATURAL_CONTENT_TYPES

    records = NATURAL_CONTENT_TYPES + netbox_dump()
    address = next(r for r in records if r["model"] == "ipam.ipaddress" and r["pk"] == 1)
    address["fields"]["assigned_object_type"] = ["dcim", "interface"]
    assert (
        entries(run(records), "ip_addresses", "address")["10.10.1.10"]["device"] == "SRV-DINKES-01"
    )
