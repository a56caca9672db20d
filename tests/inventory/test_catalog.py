"""The device-type catalog: NetBox library files in, the power budget and placement facts out."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine

from dcim.accounts import operator
from dcim.catalog import (
    BUILTIN_DIR,
    import_builtin_catalog,
    import_paths,
    list_types,
    set_power_budget,
)
from dcim.catalog_lookup import AmbiguousModel, CatalogType, find_device_type
from dcim.db import get_engine, read_session
from dcim.errors import InputError
from dcim_cli.main import invoke

# Two files of the NetBox community library as published (see the folder's README).
LIBRARY_FILES = Path(__file__).resolve().parents[1] / "fixtures" / "devicetypes"
R650_FILE = LIBRARY_FILES / "Dell-PowerEdge-R650.yaml"
DL380_FILE = LIBRARY_FILES / "HPE-ProLiant-DL380-Gen10.yaml"


def write_type(folder: Path, name: str, **fields: object) -> Path:
    """A device-type file with the library's required keys, overridden by ``fields``."""
    data: dict[str, object] = {
        "manufacturer": "Acme",
        "model": name,
        "slug": "acme-" + name.lower().replace(" ", "-"),
        "u_height": 1,
        "is_full_depth": True,
    }
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}
    path = folder / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def port(name: str, maximum: int | None = None, allocated: int | None = None) -> dict[str, object]:
    """A power port as the library writes it."""
    entry: dict[str, object] = {"name": name, "type": "iec-60320-c14"}
    if maximum is not None:
        entry["maximum_draw"] = maximum
    if allocated is not None:
        entry["allocated_draw"] = allocated
    return entry


def get_type(engine: Engine, slug: str) -> CatalogType:
    """The stored type with this slug."""
    with read_session(engine) as session:
        found = find_device_type(session, slug)
    assert found is not None, slug
    return found


# --- the two real library files -----------------------------------------------------------------


def test_dell_r650_file_is_one_unit_full_depth_21_kg_without_power_budget(engine: Engine) -> None:
    report = import_paths(engine, [R650_FILE], actor=operator())
    assert report.imported == ["dell-poweredge-r650"]
    assert report.problems == []
    r650 = get_type(engine, "dell-poweredge-r650")
    assert (r650.u_height, r650.is_full_depth, r650.weight_kg) == (1, True, Decimal(21))
    # Its supplies are module bays, not power ports: no budget until the operator sets one.
    assert r650.power_w is None
    assert r650.psu is None
    assert r650.effective_power_w is None


def test_hpe_dl380_gen10_file_is_two_units_and_14_9_kg(engine: Engine) -> None:
    import_paths(engine, [DL380_FILE], actor=operator())
    dl380 = get_type(engine, "hpe-proliant-dl380-gen10")
    assert dl380.u_height == 2
    assert dl380.weight_kg == Decimal("14.9")
    assert dl380.part_number == "P19717-B21"
    assert dl380.airflow == "front-to-rear"
    assert dl380.effective_power_w is None


# --- files that are wrong ------------------------------------------------------------------------


def test_broken_file_is_reported_by_path_and_field_and_the_valid_ones_still_import(
    engine: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "device-types"
    good = write_type(folder / "Acme", "Good 1")
    broken = write_type(
        folder / "Acme",
        "Broken",
        model=None,
        slug="acme-broken",
        u_height=1.3,
        weight=10,
        weight_unit="stone",
    )
    report = import_paths(engine, [folder], actor=operator())
    assert report.imported == ["acme-good-1"]
    assert report.lines() == [
        f"{broken}: model: required field is missing",
        f"{broken}: u_height: must be a multiple of 0.5, got 1.3",
        f"{broken}: weight_unit: must be one of 'kg', 'g', 'lb' or 'oz', got 'stone'",
    ]
    assert get_type(engine, "acme-good-1").source == str(good)


def test_a_slug_that_is_not_a_library_slug_is_refused(engine: Engine, tmp_path: Path) -> None:
    bad = write_type(tmp_path, "Spaced", slug="Acme Spaced")
    report = import_paths(engine, [bad], actor=operator())
    assert report.imported == []
    assert [(path, problem.path) for path, problem in report.problems] == [(str(bad), "slug")]


def test_a_power_port_without_a_name_is_reported_with_its_index(
    engine: Engine, tmp_path: Path
) -> None:
    bad = write_type(tmp_path, "Nameless", **{"power-ports": [port("PSU1", 500), {"type": "x"}]})
    report = import_paths(engine, [bad], actor=operator())
    assert report.lines() == [f"{bad}: power-ports[1].name: required field is missing"]


def test_a_file_that_is_not_yaml_is_reported_with_its_line(engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("manufacturer: Acme\nmodel: [unclosed\n", encoding="utf-8")
    report = import_paths(engine, [bad], actor=operator())
    assert len(report.problems) == 1
    assert report.lines()[0].startswith(f"{bad}: not valid YAML at line")


def test_a_missing_path_is_reported(engine: Engine, tmp_path: Path) -> None:
    report = import_paths(engine, [tmp_path / "nowhere"], actor=operator())
    assert report.lines() == [f"{tmp_path / 'nowhere'}: no such file or folder"]


def test_two_files_with_one_slug_import_the_first_and_refuse_the_second(
    engine: Engine, tmp_path: Path
) -> None:
    first = write_type(tmp_path / "a", "Twin", slug="acme-twin", weight=5, weight_unit="kg")
    second = write_type(tmp_path / "b", "Twin", slug="acme-twin", weight=9, weight_unit="kg")
    report = import_paths(engine, [tmp_path], actor=operator())
    assert report.imported == ["acme-twin"]
    assert report.lines() == [f"{second}: slug: 'acme-twin' is also the slug of {first}"]
    assert get_type(engine, "acme-twin").weight_kg == 5


def test_a_file_named_alone_and_inside_its_folder_is_imported_once(
    engine: Engine, tmp_path: Path
) -> None:
    path = write_type(tmp_path, "Once")
    report = import_paths(engine, [path, tmp_path], actor=operator())
    assert report.imported == ["acme-once"]
    assert report.problems == []


def test_hidden_folders_of_a_library_clone_are_not_searched(engine: Engine, tmp_path: Path) -> None:
    write_type(tmp_path / "device-types" / "Acme", "Visible")
    workflow = tmp_path / ".github" / "workflows" / "tests.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on: push\njobs: {}\n", encoding="utf-8")
    report = import_paths(engine, [tmp_path], actor=operator())
    assert report.imported == ["acme-visible"]
    assert report.problems == []


# --- what a type contributes to a request ---------------------------------------------------------


def test_weight_in_pounds_is_converted_to_kilograms(engine: Engine, tmp_path: Path) -> None:
    import_paths(
        engine, [write_type(tmp_path, "Heavy", weight=39, weight_unit="lb")], actor=operator()
    )
    assert get_type(engine, "acme-heavy").weight_kg == Decimal("17.690")


def test_weight_in_grams_and_ounces_is_converted_to_kilograms(
    engine: Engine, tmp_path: Path
) -> None:
    import_paths(
        engine,
        [
            write_type(tmp_path, "Grams", weight=2500, weight_unit="g"),
            write_type(tmp_path, "Ounces", weight=16, weight_unit="oz"),
        ],
        actor=operator(),
    )
    assert get_type(engine, "acme-grams").weight_kg == Decimal("2.5")
    assert get_type(engine, "acme-ounces").weight_kg == Decimal("0.454")


def test_power_budget_is_the_largest_ports_allocated_draw(engine: Engine, tmp_path: Path) -> None:
    ports = [port("PSU1", 800, 450), port("PSU2", 800, 520)]
    import_paths(
        engine, [write_type(tmp_path, "Budget", **{"power-ports": ports})], actor=operator()
    )
    budget = get_type(engine, "acme-budget")
    assert (budget.power_w, budget.psu, budget.effective_power_w) == (520, 2, 520)


def test_power_budget_falls_back_to_the_maximum_draw(engine: Engine, tmp_path: Path) -> None:
    ports = [port("PSU1", 750), port("PSU2", 750)]
    import_paths(
        engine, [write_type(tmp_path, "Maximum", **{"power-ports": ports})], actor=operator()
    )
    assert get_type(engine, "acme-maximum").power_w == 750


def test_supplies_are_the_number_of_ports_at_most_two(engine: Engine, tmp_path: Path) -> None:
    one = write_type(tmp_path, "One", **{"power-ports": [port("PSU1", 300)]})
    four = write_type(
        tmp_path, "Four", **{"power-ports": [port(f"PSU{i}", 1100, 700) for i in range(1, 5)]}
    )
    import_paths(engine, [one, four], actor=operator())
    assert get_type(engine, "acme-one").psu == 1
    assert get_type(engine, "acme-four").psu == 2


def test_ports_without_draws_give_supplies_but_no_budget(engine: Engine, tmp_path: Path) -> None:
    ports = [port("PSU 1"), port("PSU 2")]
    import_paths(
        engine, [write_type(tmp_path, "Silent", **{"power-ports": ports})], actor=operator()
    )
    silent = get_type(engine, "acme-silent")
    assert (silent.power_w, silent.psu) == (None, 2)


def test_importing_again_updates_the_type_and_keeps_the_operators_budget(
    engine: Engine, tmp_path: Path
) -> None:
    path = write_type(tmp_path, "Again", weight=10, weight_unit="kg")
    import_paths(engine, [path], actor=operator())
    set_power_budget(engine, "acme-again", Decimal(350), 2, actor=operator())
    write_type(tmp_path, "Again", weight=12, weight_unit="kg")
    report = import_paths(engine, [path], actor=operator())
    again = get_type(engine, "acme-again")
    assert report.imported == ["acme-again"]
    assert (again.weight_kg, again.power_budget_w) == (12, 350)


# --- the operator's budget ------------------------------------------------------------------------


def test_set_power_gives_a_type_without_ports_a_budget(engine: Engine, tmp_path: Path) -> None:
    import_paths(engine, [write_type(tmp_path, "Bays")], actor=operator())
    set_power_budget(engine, "acme-bays", Decimal(500), 2, actor=operator())
    bays = get_type(engine, "acme-bays")
    assert (bays.effective_power_w, bays.psu, bays.power_w) == (500, 2, None)


def test_the_operators_budget_wins_over_the_ports(engine: Engine, tmp_path: Path) -> None:
    ports = [port("PSU1", 1100, 700), port("PSU2", 1100, 700)]
    import_paths(
        engine, [write_type(tmp_path, "Override", **{"power-ports": ports})], actor=operator()
    )
    set_power_budget(engine, "acme-override", Decimal(450), None, actor=operator())
    override = get_type(engine, "acme-override")
    assert (override.effective_power_w, override.power_w, override.psu) == (450, 700, 2)


def test_set_power_refuses_zero_watts_and_three_supplies_naming_both(
    engine: Engine, tmp_path: Path
) -> None:
    import_paths(engine, [write_type(tmp_path, "Refused")], actor=operator())
    with pytest.raises(InputError) as caught:
        set_power_budget(engine, "acme-refused", Decimal(0), 3, actor=operator())
    assert [problem.path for problem in caught.value.problems] == ["watts", "psu"]
    assert get_type(engine, "acme-refused").power_budget_w is None


def test_set_power_of_an_unknown_type_names_the_slug(engine: Engine) -> None:
    with pytest.raises(InputError) as caught:
        set_power_budget(engine, "acme-nothing", Decimal(300), None, actor=operator())
    assert caught.value.lines() == ["slug: unknown device type 'acme-nothing'"]


# --- how a request's model finds its type --------------------------------------------------------


@pytest.fixture
def matching_catalog(engine: Engine, tmp_path: Path) -> Engine:
    """Two vendors' types, two of them sharing the model name ``Box``."""
    import_paths(
        engine,
        [
            write_type(
                tmp_path,
                "Dell R640",
                manufacturer="Dell",
                model="PowerEdge R640",
                slug="dell-poweredge-r640",
            ),
            write_type(tmp_path, "Acme Box", manufacturer="Acme", model="Box", slug="acme-box"),
            write_type(tmp_path, "Zeta Box", manufacturer="Zeta", model="Box", slug="zeta-box"),
        ],
        actor=operator(),
    )
    return engine


@pytest.mark.parametrize(
    "asked",
    [
        "dell-poweredge-r640",
        "DELL-PowerEdge-R640",
        "Dell PowerEdge R640",
        "dell  poweredge r640",
        "PowerEdge R640",
        "poweredge r640",
    ],
)
def test_a_model_matches_by_slug_by_manufacturer_and_model_or_by_a_unique_model(
    matching_catalog: Engine, asked: str
) -> None:
    with read_session(matching_catalog) as session:
        found = find_device_type(session, asked)
    assert found is not None
    assert found.slug == "dell-poweredge-r640"


def test_a_model_shared_by_two_manufacturers_is_ambiguous(matching_catalog: Engine) -> None:
    with read_session(matching_catalog) as session, pytest.raises(AmbiguousModel) as caught:
        find_device_type(session, "box")
    assert "Acme Box" in str(caught.value)
    assert "Zeta Box" in str(caught.value)


def test_a_shared_model_is_found_with_its_manufacturer(matching_catalog: Engine) -> None:
    with read_session(matching_catalog) as session:
        found = find_device_type(session, "Zeta Box")
    assert found is not None
    assert found.slug == "zeta-box"


def test_an_unknown_model_matches_nothing(matching_catalog: Engine) -> None:
    with read_session(matching_catalog) as session:
        assert find_device_type(session, "PowerEdge R999") is None


# --- the built-in catalog ------------------------------------------------------------------------


def test_the_builtin_catalog_loads_without_problems(engine: Engine) -> None:
    report = import_builtin_catalog(engine, operator())
    assert report.problems == []
    files = [p for p in BUILTIN_DIR.rglob("*") if p.suffix in (".yaml", ".yml")]
    assert 15 <= len(report.imported) == len(files) <= 25


def test_every_builtin_type_has_a_power_budget_and_two_supplies(engine: Engine) -> None:
    import_builtin_catalog(engine, operator())
    with read_session(engine) as session:
        types = list_types(session)
    missing = [t.slug for t in types if t.effective_power_w is None or t.psu != 2]
    assert missing == []
    # A budget is a planning value below the nameplate rating of one supply.
    for device_type in types:
        ratings = [p["maximum_draw"] for p in device_type.power_ports if "maximum_draw" in p]
        assert device_type.power_w is not None
        assert device_type.power_w <= max(ratings), device_type.slug


def test_builtin_files_are_named_after_manufacturer_and_model(engine: Engine) -> None:
    import_builtin_catalog(engine, operator())
    with read_session(engine) as session:
        for device_type in list_types(session):
            source = Path(device_type.source or "")
            assert source.parent.name == device_type.manufacturer


def test_the_builtin_catalog_names_the_specs_example_models_with_power(engine: Engine) -> None:
    import_builtin_catalog(engine, operator())
    r640 = get_type(engine, "Dell PowerEdge R640")
    dl380 = get_type(engine, "HPE ProLiant DL380 Gen10")
    assert (r640.u_height, r640.psu) == (1, 2)
    assert (dl380.u_height, dl380.weight_kg, dl380.psu) == (2, Decimal("14.9"), 2)
    assert r640.effective_power_w is not None
    assert dl380.effective_power_w is not None


def test_the_builtin_catalog_leaves_known_types_alone(engine: Engine, tmp_path: Path) -> None:
    own = write_type(
        tmp_path,
        "Own R640",
        manufacturer="Dell",
        model="PowerEdge R640",
        slug="dell-poweredge-r640",
        weight=30,
        weight_unit="kg",
    )
    import_paths(engine, [own], actor=operator())
    report = import_builtin_catalog(engine, operator())
    assert "dell-poweredge-r640" not in report.imported
    assert get_type(engine, "dell-poweredge-r640").weight_kg == 30


# --- the command line -----------------------------------------------------------------------------


def test_cli_import_of_good_files_says_how_many_and_exits_0(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = invoke(["--db", db_url, "catalog", "import", str(LIBRARY_FILES)])
    out, err = capsys.readouterr()
    assert code == 0
    assert out == "2 tipe perangkat diimpor.\n"
    assert err == ""


def test_cli_import_with_a_wrong_file_reports_it_on_stderr_and_exits_2(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_type(tmp_path, "Fine")
    broken = write_type(tmp_path, "Broken", u_height=1.3)
    code = invoke(["--db", db_url, "--lang", "en", "catalog", "import", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == "1 device types imported.\n"
    assert f"{broken}: u_height: must be a multiple of 0.5, got 1.3\n" in err
    assert "1 files not imported" in err
    with read_session(get_engine(db_url)) as session:
        assert [t.slug for t in list_types(session)] == ["acme-fine"]


def test_cli_import_of_a_missing_path_exits_2(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = invoke(["--db", db_url, "catalog", "import", str(tmp_path / "nowhere.yaml")])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"{tmp_path / 'nowhere.yaml'}: berkas atau folder tidak ada" in err
    assert out == "0 tipe perangkat diimpor.\n"


def test_cli_list_of_an_empty_catalog_says_so(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = invoke(["--db", db_url, "catalog", "list"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.startswith("Katalog tipe perangkat masih kosong.")


def test_cli_list_shows_the_table_in_indonesian_with_local_numbers(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import_builtin_catalog(get_engine(db_url), operator())
    code = invoke(["--db", db_url, "catalog", "list"])
    out, _ = capsys.readouterr()
    assert code == 0
    heading, rule, *rows = out.splitlines()
    assert heading.split()[:3] == ["Slug", "Pabrikan", "Model"]
    assert "Sumber daya" in heading
    assert set(rule) == {"-", " "}
    r640 = next(row for row in rows if row.startswith("dell-poweredge-r640 "))
    assert "17,69" in r640  # 39 lb, written the Indonesian way
    assert "port daya" in r640
    assert len(rows) == len(list(BUILTIN_DIR.rglob("*.yaml")))


def test_cli_list_json_is_one_document_with_power_and_its_source(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = get_engine(db_url)
    ports = [port("PSU1", 800, 450), port("PSU2", 800, 450)]
    import_paths(
        engine,
        [
            write_type(tmp_path, "Ports", **{"power-ports": ports}),
            write_type(tmp_path, "Bays", weight=39, weight_unit="lb"),
        ],
        actor=operator(),
    )
    set_power_budget(engine, "acme-bays", Decimal("512.5"), 1, actor=operator())
    code = invoke(["--db", db_url, "catalog", "list", "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    document = json.loads(out)
    by_slug = {item["slug"]: item for item in document["device_types"]}
    assert by_slug["acme-ports"]["power_w"] == 450
    assert by_slug["acme-ports"]["power_source"] == "ports"
    assert by_slug["acme-bays"]["power_w"] == 512.5
    assert by_slug["acme-bays"]["power_source"] == "operator"
    assert by_slug["acme-bays"]["psu"] == 1
    assert by_slug["acme-bays"]["weight_kg"] == 17.69
    assert by_slug["acme-bays"]["u_height"] == 1


def test_cli_set_power_sets_the_budget_and_says_so(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import_paths(
        get_engine(db_url),
        [
            write_type(
                tmp_path,
                "Bays",
                manufacturer="Dell",
                model="PowerEdge R650",
                slug="dell-poweredge-r650",
            )
        ],
        actor=operator(),
    )
    code = invoke(
        [
            "--db",
            db_url,
            "--lang",
            "en",
            "catalog",
            "set-power",
            "dell-poweredge-r650",
            "480",
            "--psu",
            "2",
        ]
    )
    out, _ = capsys.readouterr()
    assert code == 0
    assert (
        out
        == "Power budget of Dell PowerEdge R650 (dell-poweredge-r650) set: 480 W, 2 power supplies.\n"
    )
    r650 = get_type(get_engine(db_url), "dell-poweredge-r650")
    assert (r650.power_budget_w, r650.psu) == (480, 2)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["acme-bays", "0"], "watts: harus lebih dari 0 (diberikan: 0)"),
        (["acme-bays", "--", "-5"], "watts: harus lebih dari 0 (diberikan: -5)"),
        (["acme-bays", "lots"], "watts: harus berupa angka watt (diberikan: 'lots')"),
        (["acme-bays", "400", "--psu", "3"], "psu: harus 1 atau 2 (diberikan: 3)"),
        (["acme-nothing", "400"], "slug: jenis perangkat 'acme-nothing' tidak dikenal"),
    ],
)
def test_cli_set_power_with_bad_input_exits_2_and_changes_nothing(
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    import_paths(get_engine(db_url), [write_type(tmp_path, "Bays")], actor=operator())
    code = invoke(["--db", db_url, "catalog", "set-power", *arguments])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert message in err
    assert get_type(get_engine(db_url), "acme-bays").power_budget_w is None


def test_cli_init_brings_the_builtin_catalog(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert invoke(["--db", db_url, "init"]) == 0
    capsys.readouterr()
    assert invoke(["--db", db_url, "catalog", "list", "--json"]) == 0
    slugs = {item["slug"] for item in json.loads(capsys.readouterr().out)["device_types"]}
    assert {"dell-poweredge-r640", "hpe-proliant-dl380-gen10"} <= slugs


def test_catalog_messages_exist_in_both_languages() -> None:
    from dcim.i18n import catalog

    keys = {lang: {k for k in catalog(lang) if k.startswith("catalog.")} for lang in ("id", "en")}
    assert keys["id"] == keys["en"]
    assert "catalog.columns.power" in keys["id"]


def test_shared_library_folder_can_be_copied_and_imported_twice(
    engine: Engine, tmp_path: Path
) -> None:
    copy = tmp_path / "library"
    shutil.copytree(BUILTIN_DIR, copy)
    first = import_paths(engine, [copy], actor=operator())
    second = import_paths(engine, [copy], actor=operator())
    assert sorted(first.imported) == sorted(second.imported)
    with read_session(engine) as session:
        assert len(list_types(session)) == len(first.imported)


def test_cli_unknown_catalog_command_is_a_usage_error_not_an_internal_one(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = invoke(["--db", db_url, "catalog", "bogus"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "perintah 'bogus' tidak dikenal" in err  # click's words, in the messages' language
    assert "internal" not in err and "kesalahan internal" not in err
