"""Domain: normalised names, valid host names, inside a managed zone, free of records, delegations and holds.

The default zone is ``sumbawakab.go.id`` with only an apex A record.
"""

from __future__ import annotations

import pytest
from scenario_data import DAY, ZONE, hold, inventory, record, request, zone
from scenario_support import Scenario


def domain_check(
    scenario: Scenario, names: list, *, on: str = DAY, **inventory_parts: object
) -> dict:
    """Load the inventory and check a request for the names; the whole result."""
    scenario.load(inventory(**inventory_parts))
    return scenario.check(request(domains=names), on=on)


def accepted(scenario: Scenario, names: list, **inventory_parts: object) -> list[str]:
    """The proposal's fqdns for names that must all pass."""
    result = domain_check(scenario, names, **inventory_parts)
    assert result["checks"]["domain"]["ok"] is True, result["checks"]["domain"]["message"]
    return result["proposal"]["fqdns"]


def refused(scenario: Scenario, names: list, *reasons: str, **inventory_parts: object) -> dict:
    """The result for names that must fail the domain check (and only it), for these reasons.

    ``reasons`` are the rule's codes the check gives the refused names (``invalid``,
    ``no_zone``, ``apex``, ``reserved``, ``exists``, ``delegated``, ``held``, ``twice``): the
    names must be refused for them and no other, so a test cannot pass for the wrong one.
    """
    result = domain_check(scenario, names, **inventory_parts)
    domain = result["checks"]["domain"]
    assert domain["ok"] is False, domain["message"]
    assert result["feasible"] is False
    others = [result["checks"][n]["ok"] for n in ("space", "power", "ups", "bandwidth", "ip")]
    assert others == [True] * 5, "a name's fault must not fail the other checks"
    given = {code for verdict in domain["names"] for code in verdict["reasons"]}
    assert given == set(reasons), domain["message"]
    return result


# --- normalisation ----------------------------------------------------------------------------


def test_name_is_lower_cased(scenario: Scenario) -> None:
    assert accepted(scenario, ["SimPeg-DR.SumbawaKab.GO.ID"]) == ["simpeg-dr.sumbawakab.go.id"]


def test_trailing_dot_is_dropped(scenario: Scenario) -> None:
    assert accepted(scenario, ["simpeg-dr.sumbawakab.go.id."]) == ["simpeg-dr.sumbawakab.go.id"]


def test_internationalised_label_is_proposed_in_idna_form(scenario: Scenario) -> None:
    assert accepted(scenario, ["bücher.sumbawakab.go.id"]) == ["xn--bcher-kva.sumbawakab.go.id"]


def test_internationalised_label_is_lower_cased_before_encoding(scenario: Scenario) -> None:
    assert accepted(scenario, ["BÜCHER.sumbawakab.go.id"]) == ["xn--bcher-kva.sumbawakab.go.id"]


def test_names_are_proposed_in_the_order_asked(scenario: Scenario) -> None:
    names = ["zeta.sumbawakab.go.id", "alpha.sumbawakab.go.id"]
    assert accepted(scenario, names) == names


def test_no_names_asked_is_ok_with_no_fqdns(scenario: Scenario) -> None:
    scenario.load(inventory())
    result = scenario.check(request(domains=None))
    assert result["checks"]["domain"]["ok"] is True
    assert result["proposal"]["fqdns"] == []


# --- host-name syntax -------------------------------------------------------------------------

LONG_LABEL = "a" * 63
# Three 63-character labels and one of 44: 236 characters, + ".sumbawakab.go.id" = 253 in all.
LONGEST_NAME = ".".join([LONG_LABEL] * 3 + ["b" * 44]) + "." + ZONE


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("my_app.sumbawakab.go.id", id="underscore"),
        pytest.param("my app.sumbawakab.go.id", id="space"),
        pytest.param("app..sumbawakab.go.id", id="empty-label"),
        pytest.param("a" * 64 + ".sumbawakab.go.id", id="label-over-63"),
        pytest.param(".".join([LONG_LABEL] * 4) + "." + ZONE, id="name-over-253"),
        pytest.param("x" + LONGEST_NAME, id="name-of-254"),
        pytest.param("-app.sumbawakab.go.id", id="leading-hyphen"),
        pytest.param("app-.sumbawakab.go.id", id="trailing-hyphen"),
        pytest.param("app!.sumbawakab.go.id", id="punctuation"),
    ],
)
def test_invalid_host_name_fails_the_domain_check(scenario: Scenario, name: str) -> None:
    refused(scenario, [name], "invalid")


def test_invalid_host_name_is_not_an_input_error(scenario: Scenario) -> None:
    scenario.load(inventory())
    done = scenario.check_run(request(domains=["my_app.sumbawakab.go.id"]), "--on", DAY, "--json")
    assert done.exit_code == 1, done.stderr
    assert done.stdout.strip().startswith("{")


def test_label_of_63_characters_is_accepted(scenario: Scenario) -> None:
    name = LONG_LABEL + "." + ZONE
    assert accepted(scenario, [name]) == [name]


def test_name_of_253_characters_is_accepted(scenario: Scenario) -> None:
    assert len(LONGEST_NAME) == 253
    assert accepted(scenario, [LONGEST_NAME]) == [LONGEST_NAME]


def test_digits_and_inner_hyphens_are_accepted(scenario: Scenario) -> None:
    assert accepted(scenario, ["e-kinerja-2026.sumbawakab.go.id"]) == [
        "e-kinerja-2026.sumbawakab.go.id"
    ]


# --- zones ------------------------------------------------------------------------------------


def test_name_outside_every_managed_zone_fails(scenario: Scenario) -> None:
    refused(scenario, ["simpeg.example.go.id"], "no_zone")


def test_zone_must_match_whole_labels(scenario: Scenario) -> None:
    refused(scenario, ["app.xsumbawakab.go.id"], "no_zone")


def test_zone_apex_fails(scenario: Scenario) -> None:
    refused(scenario, ["sumbawakab.go.id"], "apex")


def nested_zones(parent_records: list[dict] = (), child_records: list[dict] = ()) -> dict:
    """sumbawakab.go.id and the nested zone dinas.sumbawakab.go.id."""
    return {"zones": [zone(ZONE, *parent_records), zone("dinas." + ZONE, *child_records)]}


def test_longest_zone_is_the_one_that_judges_a_name(scenario: Scenario) -> None:
    # The parent has a record 'app.dinas'; the name belongs to the nested zone, which has none.
    parent = [record("app.dinas", "A", "203.0.113.20")]
    assert accepted(scenario, ["app.dinas.sumbawakab.go.id"], **nested_zones(parent)) == [
        "app.dinas.sumbawakab.go.id"
    ]


def test_record_of_the_nested_zone_blocks_the_name(scenario: Scenario) -> None:
    child = [record("app", "A", "203.0.113.20")]
    refused(scenario, ["app.dinas.sumbawakab.go.id"], "exists", **nested_zones(child_records=child))


def test_apex_of_a_nested_zone_fails(scenario: Scenario) -> None:
    refused(scenario, ["dinas.sumbawakab.go.id"], "apex", **nested_zones())


# --- reserved labels --------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["www", "mail", "ns1", "smtp", "cpanel", "admin", "localhost"])
def test_default_reserved_label_fails(scenario: Scenario, label: str) -> None:
    refused(scenario, [f"{label}.sumbawakab.go.id"], "reserved")


def test_reserved_label_compares_without_case(scenario: Scenario) -> None:
    refused(scenario, ["WWW.sumbawakab.go.id"], "reserved")


def test_policy_reserved_labels_replace_the_default_list(scenario: Scenario) -> None:
    policy = {"reserved_labels": ["intranet"]}
    refused(scenario, ["intranet.sumbawakab.go.id"], "reserved", policy=policy)


def test_label_left_out_of_the_policy_list_is_allowed(scenario: Scenario) -> None:
    policy = {"reserved_labels": ["intranet"]}
    assert accepted(scenario, ["www.sumbawakab.go.id"], policy=policy) == ["www.sumbawakab.go.id"]


def test_reserved_label_deeper_in_the_name_is_not_the_relative_name(scenario: Scenario) -> None:
    # The relative name is 'www.dinas', which is not one of the reserved labels.
    assert accepted(scenario, ["www.dinas.sumbawakab.go.id"]) == ["www.dinas.sumbawakab.go.id"]


# --- records ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("A", "203.0.113.20"),
        ("AAAA", "2001:db8::20"),
        ("CNAME", "simpeg.sumbawakab.go.id."),
        ("TXT", "v=spf1 -all"),
        ("MX", "10 mx1.sumbawakab.go.id."),
    ],
)
def test_existing_record_of_any_type_blocks_the_name(
    scenario: Scenario, kind: str, value: str
) -> None:
    refused(
        scenario, ["app.sumbawakab.go.id"], "exists", zones=[zone(ZONE, record("app", kind, value))]
    )


def test_existing_record_compares_without_case(scenario: Scenario) -> None:
    refused(
        scenario,
        ["app.sumbawakab.go.id"],
        "exists",
        zones=[zone(ZONE, record("App", "A", "203.0.113.20"))],
    )


def test_deeper_record_does_not_block_the_name_above_it(scenario: Scenario) -> None:
    records = [record("api.app", "A", "203.0.113.20")]
    assert accepted(scenario, ["app.sumbawakab.go.id"], zones=[zone(ZONE, *records)]) == [
        "app.sumbawakab.go.id"
    ]


# --- delegations ------------------------------------------------------------------------------


def delegated(at: str) -> dict:
    """The zone with an NS record delegating ``at``."""
    return {"zones": [zone(ZONE, record(at, "NS", "ns1.desa.sumbawakab.go.id."))]}


def test_name_below_a_delegation_fails(scenario: Scenario) -> None:
    refused(scenario, ["kantor.desa.sumbawakab.go.id"], "delegated", **delegated("desa"))


def test_name_far_below_a_delegation_fails(scenario: Scenario) -> None:
    refused(scenario, ["a.b.desa.sumbawakab.go.id"], "delegated", **delegated("desa"))


def test_name_at_a_delegation_fails(scenario: Scenario) -> None:
    # The NS record that delegates the name is also a record of that name.
    refused(scenario, ["desa.sumbawakab.go.id"], "delegated", "exists", **delegated("desa"))


def test_name_sharing_only_a_suffix_with_a_delegation_passes(scenario: Scenario) -> None:
    assert accepted(scenario, ["xdesa.sumbawakab.go.id"], **delegated("desa")) == [
        "xdesa.sumbawakab.go.id"
    ]


def test_name_above_a_deep_delegation_passes(scenario: Scenario) -> None:
    assert accepted(scenario, ["dusun.sumbawakab.go.id"], **delegated("alas.dusun")) == [
        "dusun.sumbawakab.go.id"
    ]


def test_ns_record_at_the_apex_is_not_a_delegation(scenario: Scenario) -> None:
    zones = [zone(ZONE, record("@", "NS", "ns1.sumbawakab.go.id."))]
    assert accepted(scenario, ["app.sumbawakab.go.id"], zones=zones) == ["app.sumbawakab.go.id"]


# --- holds and repeats ------------------------------------------------------------------------


def test_name_held_by_a_live_hold_fails(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 40, expires_at=DAY, fqdns=["sipd.sumbawakab.go.id"])
    refused(scenario, ["sipd.sumbawakab.go.id"], "held", reservations=[held])


def test_name_held_under_another_spelling_fails(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 40, expires_at=DAY, fqdns=["SIPD.sumbawakab.go.id."])
    refused(scenario, ["sipd.sumbawakab.go.id"], "held", reservations=[held])


def test_name_of_an_expired_hold_is_free(scenario: Scenario) -> None:
    held = hold(
        "RSV-2026-0100", "R01", 40, expires_at="2026-11-26", fqdns=["sipd.sumbawakab.go.id"]
    )
    assert accepted(scenario, ["sipd.sumbawakab.go.id"], reservations=[held]) == [
        "sipd.sumbawakab.go.id"
    ]


def test_same_name_twice_fails(scenario: Scenario) -> None:
    refused(scenario, ["app.sumbawakab.go.id", "app.sumbawakab.go.id"], "twice")


def test_same_name_twice_in_two_spellings_fails(scenario: Scenario) -> None:
    refused(scenario, ["app.sumbawakab.go.id", "APP.sumbawakab.go.id."], "twice")


def test_one_bad_name_fails_the_whole_check(scenario: Scenario) -> None:
    refused(scenario, ["app.sumbawakab.go.id", "www.sumbawakab.go.id"], "reserved")


def test_zone_written_in_capitals_still_manages_its_names(scenario: Scenario) -> None:
    zones = [zone("SumbawaKab.GO.ID.")]
    assert accepted(scenario, ["app.sumbawakab.go.id"], zones=zones) == ["app.sumbawakab.go.id"]


def test_wildcard_is_not_a_host_name(scenario: Scenario) -> None:
    refused(scenario, ["*.sumbawakab.go.id"], "invalid")


def test_all_digit_label_is_a_host_name(scenario: Scenario) -> None:
    assert accepted(scenario, ["112.sumbawakab.go.id"]) == ["112.sumbawakab.go.id"]


def test_name_already_in_idna_form_is_kept(scenario: Scenario) -> None:
    assert accepted(scenario, ["xn--bcher-kva.sumbawakab.go.id"]) == [
        "xn--bcher-kva.sumbawakab.go.id"
    ]


def test_unicode_and_idna_spellings_of_one_name_are_the_same_name(scenario: Scenario) -> None:
    refused(scenario, ["bücher.sumbawakab.go.id", "xn--bcher-kva.sumbawakab.go.id"], "twice")


def test_internationalised_zone_matches_names_in_either_spelling(scenario: Scenario) -> None:
    zones = [zone("bücher.id")]
    assert accepted(scenario, ["app.bücher.id"], zones=zones) == ["app.xn--bcher-kva.id"]
