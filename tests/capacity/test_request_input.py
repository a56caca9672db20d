"""The request file: a wrong request is an input error naming the file and the field, and changes nothing;
a model named in the catalog fills in what the request leaves out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scenario_data import DAY, inventory, request, spec_inventory, write_yaml
from scenario_support import Scenario

# A file of the NetBox community library as published: its supplies are module bays, not power ports.
LIBRARY_R650 = (
    Path(__file__).resolve().parents[1] / "fixtures" / "devicetypes" / "Dell-PowerEdge-R650.yaml"
)


def refused_input(scenario: Scenario, document: dict, field: str, command: str = "check") -> Any:
    """Run the command on a wrong request: exit 2, the file and field on stderr, the inventory unchanged."""
    before = scenario.export()
    path = scenario.file("request", document)
    done = scenario.run(command, path, "--on", DAY, "--json")
    assert done.exit_code == 2, f"exit {done.exit_code}\n{done.stdout}\n{done.stderr}"
    lines = [line for line in done.stderr.splitlines() if path.name in line and field in line]
    assert lines, f"no line of stderr names {path.name} and {field}:\n{done.stderr}"
    assert "Traceback" not in done.stderr
    assert scenario.export() == before
    return done


@pytest.fixture
def loaded(scenario: Scenario) -> Scenario:
    """The default room, loaded."""
    return scenario.load(inventory())


# --- input errors -----------------------------------------------------------------------------


def test_missing_power_without_a_model_is_an_input_error(loaded: Scenario) -> None:
    refused_input(loaded, request(power_w=None), "server.power_w")


def test_missing_power_with_a_model_unknown_to_the_catalog_is_an_input_error(
    loaded: Scenario,
) -> None:
    refused_input(loaded, request(power_w=None, model="Dell PowerEdge R640"), "server.power_w")


@pytest.mark.parametrize("psu", [3, 0])
def test_psu_other_than_1_or_2_is_an_input_error(loaded: Scenario, psu: int) -> None:
    refused_input(loaded, request(psu=psu), "server.psu")


@pytest.mark.parametrize(
    ("server_field", "value"),
    [("weight_kg", -1), ("bandwidth_mbps", -10), ("power_w", -500), ("u_height", -1)],
)
def test_negative_number_is_an_input_error(
    loaded: Scenario, server_field: str, value: float
) -> None:
    document = request()
    document["server"][server_field] = value
    refused_input(loaded, document, f"server.{server_field}")


def test_zero_power_is_an_input_error(loaded: Scenario) -> None:
    refused_input(loaded, request(power_w=0), "server.power_w")


def test_negative_address_count_is_an_input_error(loaded: Scenario) -> None:
    refused_input(loaded, request(ipv4={"public": -1}), "ipv4.public")


def test_unknown_top_level_key_is_an_input_error(loaded: Scenario) -> None:
    refused_input(loaded, request() | {"colour": "black"}, "colour")


def test_unknown_server_key_is_an_input_error(loaded: Scenario) -> None:
    refused_input(loaded, request(colour="black"), "server.colour")


@pytest.mark.parametrize("value", [123, {"name": "app.sumbawakab.go.id"}, ["app"]])
def test_domain_that_is_not_a_string_is_an_input_error(loaded: Scenario, value: object) -> None:
    refused_input(loaded, request(domains=["ok.sumbawakab.go.id", value]), "domains[1]")


def test_wrong_request_to_reserve_holds_nothing(loaded: Scenario) -> None:
    refused_input(loaded, request(psu=3), "server.psu", command="reserve")


def test_request_file_that_does_not_exist_is_an_input_error(
    loaded: Scenario, tmp_path: Path
) -> None:
    missing = tmp_path / "tidak-ada.yaml"
    done = loaded.run("check", missing, "--on", DAY, "--json")
    assert done.exit_code == 2
    assert "tidak-ada.yaml" in done.stderr


def test_request_that_is_not_yaml_is_an_input_error(loaded: Scenario, tmp_path: Path) -> None:
    broken = tmp_path / "rusak.yaml"
    broken.write_text("server: [unclosed\n", encoding="utf-8")
    done = loaded.run("check", broken, "--on", DAY, "--json")
    assert done.exit_code == 2
    assert "rusak.yaml" in done.stderr
    assert "Traceback" not in done.stderr


# --- the catalog fills in ---------------------------------------------------------------------


def device_type(folder: Path, manufacturer: str, model: str, slug: str, **fields: Any) -> Path:
    """A NetBox device-type library file."""
    document = {
        "manufacturer": manufacturer,
        "model": model,
        "slug": slug,
        "is_full_depth": True,
    } | fields
    folder.mkdir(parents=True, exist_ok=True)
    return write_yaml(folder / f"{slug}.yaml", document)


def ports(*draws: tuple[int | None, int | None]) -> list[dict]:
    """Power ports with (maximum_draw, allocated_draw)."""
    listed = []
    for index, (maximum, allocated) in enumerate(draws, start=1):
        port: dict[str, Any] = {"name": f"PSU{index}", "type": "iec-60320-c14"}
        if maximum is not None:
            port["maximum_draw"] = maximum
        if allocated is not None:
            port["allocated_draw"] = allocated
        listed.append(port)
    return listed


@pytest.fixture
def catalog(scenario: Scenario, tmp_path: Path) -> Scenario:
    """The contract's example room with a catalog of three server types imported."""
    folder = tmp_path / "devicetypes"
    device_type(
        folder / "Lenovo",
        "Lenovo",
        "ThinkSystem SR630 V2",
        "lenovo-thinksystem-sr630-v2",
        u_height=1,
        weight=19,
        weight_unit="kg",
        **{"power-ports": ports((750, 450), (750, 450))},
    )
    device_type(
        folder / "Acme",
        "Acme",
        "Edge 1500",
        "acme-edge-1500",
        u_height=1.5,
        is_full_depth=False,
        weight=22,
        weight_unit="lb",
        **{"power-ports": ports((600, None))},
    )
    device_type(
        folder / "Acme",
        "Acme",
        "Triple",
        "acme-triple",
        u_height=2,
        **{"power-ports": ports((900, 300), (900, 350), (900, 320))},
    )
    scenario.load(spec_inventory())
    done = scenario.run("catalog", "import", folder)
    assert done.exit_code == 0, done.stderr
    return scenario


def reserved_as(scenario: Scenario, document: dict, server: dict) -> dict:
    """Reserve the request and return the hold as the export writes it."""
    result = scenario.reserve(document, server=server)
    assert result["feasible"] is True
    code = result["reservation"]["id"]
    holds = {entry["id"]: entry for entry in scenario.export()["reservations"]}
    return holds[code]


SR630 = {"u_height": 1, "full_depth": True, "weight_kg": 19, "power_w": 450, "psu": 2}


def from_catalog(model: str) -> dict:
    """A request that names a model and leaves the server's figures to the catalog."""
    return request(model=model, u_height=None, power_w=None, psu=None, full_depth=None)


@pytest.mark.parametrize(
    "model",
    [
        "lenovo-thinksystem-sr630-v2",
        "Lenovo ThinkSystem SR630 V2",
        "ThinkSystem SR630 V2",
        "LENOVO thinksystem sr630 v2",
    ],
    ids=["slug", "manufacturer-model", "model-alone", "any-case"],
)
def test_model_named_in_the_catalog_fills_in_the_server(catalog: Scenario, model: str) -> None:
    held = reserved_as(catalog, from_catalog(model), SR630)
    assert (held["u_height"], held.get("full_depth", True)) == (1, True)
    assert float(held["power_w"]) == 450
    assert float(held["weight_kg"]) == 19
    assert len(held["feeds"]) == 2


def test_request_values_win_over_the_catalog(catalog: Scenario) -> None:
    document = request(
        model="lenovo-thinksystem-sr630-v2",
        u_height=2,
        power_w=300,
        psu=1,
        full_depth=False,
        weight_kg=5,
    )
    held = reserved_as(catalog, document, document["server"])
    assert (held["u_height"], held["full_depth"]) == (2, False)
    assert (float(held["power_w"]), float(held["weight_kg"])) == (300, 5)
    assert len(held["feeds"]) == 1


def test_catalog_power_is_the_maximum_draw_when_no_allocated_draw(catalog: Scenario) -> None:
    server = {"u_height": 2, "full_depth": False, "weight_kg": 9.979, "power_w": 600, "psu": 1}
    held = reserved_as(catalog, from_catalog("acme-edge-1500"), server)
    assert float(held["power_w"]) == 600


def test_catalog_psu_is_the_number_of_power_ports(catalog: Scenario) -> None:
    server = {"u_height": 2, "full_depth": False, "weight_kg": 9.979, "power_w": 600, "psu": 1}
    assert len(reserved_as(catalog, from_catalog("acme-edge-1500"), server)["feeds"]) == 1


def test_catalog_height_is_rounded_up_to_whole_units(catalog: Scenario) -> None:
    proposal = catalog.check(
        from_catalog("acme-edge-1500"),
        server={"u_height": 2, "full_depth": False, "weight_kg": 9.979, "power_w": 600, "psu": 1},
    )["proposal"]
    assert (proposal["u_height"], proposal["full_depth"]) == (2, False)


def test_catalog_weight_is_converted_to_kilograms(catalog: Scenario) -> None:
    server = {"u_height": 2, "full_depth": False, "weight_kg": 9.979, "power_w": 600, "psu": 1}
    held = reserved_as(catalog, from_catalog("acme-edge-1500"), server)
    assert float(held["weight_kg"]) == pytest.approx(22 * 0.45359237, abs=0.001)


def test_catalog_weight_in_grams_is_converted_to_kilograms(
    scenario: Scenario, tmp_path: Path
) -> None:
    folder = tmp_path / "devicetypes"
    device_type(
        folder,
        "Acme",
        "Gram",
        "acme-gram",
        u_height=1,
        weight=18500,
        weight_unit="g",
        **{"power-ports": ports((500, 400), (500, 400))},
    )
    scenario.load(inventory())
    assert scenario.run("catalog", "import", folder).exit_code == 0
    server = {"u_height": 1, "full_depth": True, "weight_kg": 18.5, "power_w": 400, "psu": 2}
    assert float(reserved_as(scenario, from_catalog("acme-gram"), server)["weight_kg"]) == 18.5


def test_catalog_psu_is_at_most_two_and_power_the_largest_single_port(catalog: Scenario) -> None:
    server = {"u_height": 2, "full_depth": True, "weight_kg": 0, "power_w": 350, "psu": 2}
    held = reserved_as(catalog, from_catalog("acme-triple"), server)
    assert float(held["power_w"]) == 350
    assert len(held["feeds"]) == 2


def test_catalog_type_without_power_ports_leaves_power_w_missing(scenario: Scenario) -> None:
    scenario.load(inventory())
    assert scenario.run("catalog", "import", LIBRARY_R650).exit_code == 0
    refused_input(
        scenario, request(model="Dell PowerEdge R650", power_w=None, psu=None), "server.power_w"
    )


def test_unknown_form_factor_is_an_input_error(loaded: Scenario) -> None:
    refused_input(loaded, request(form_factor="blade"), "server.form_factor")


def test_tower_server_takes_the_shelf_space_it_states(loaded: Scenario) -> None:
    proposal = loaded.check(request(form_factor="tower", u_height=4))["proposal"]
    assert proposal["u_height"] == 4


def test_check_needs_no_tenant(loaded: Scenario) -> None:
    assert loaded.check(request(tenant=None))["feasible"] is True


def test_reserve_without_a_tenant_is_an_input_error(loaded: Scenario) -> None:
    before = loaded.export()
    done = loaded.run(
        "reserve", loaded.file("request", request(tenant=None)), "--on", DAY, "--json"
    )
    assert done.exit_code == 2
    assert "tenant" in done.stderr
    assert loaded.export() == before


def test_model_alone_that_two_manufacturers_share_fills_in_nothing(
    scenario: Scenario, tmp_path: Path
) -> None:
    folder = tmp_path / "devicetypes"
    for maker in ("Acme", "Bolt"):
        device_type(
            folder / maker,
            maker,
            "X1",
            f"{maker.lower()}-x1",
            u_height=1,
            **{"power-ports": ports((500, 400))},
        )
    scenario.load(inventory())
    assert scenario.run("catalog", "import", folder).exit_code == 0
    before = scenario.export()
    done = scenario.run(
        "check", scenario.file("request", from_catalog("X1")), "--on", DAY, "--json"
    )
    assert done.exit_code == 2
    assert "server." in done.stderr
    assert scenario.export() == before
