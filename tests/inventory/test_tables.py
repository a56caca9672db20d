"""The inventory as tables: what a spreadsheet holds comes back as the inventory file's types."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dcim.errors import InputError
from dcim.tables import (
    entries_from_rows,
    frame,
    read_csv,
    read_excel,
    table_rows,
    to_csv_zip,
    to_excel,
)

RACK = {
    "name": "R01",
    "site": "dc",
    "u_height": 42,
    "status": "active",
    "feeds": ["A", "B"],
    "unusable_units": [1, 2],
}


def test_lists_become_text_and_back() -> None:
    (row,) = table_rows("racks", [RACK])
    assert row["feeds"] == "A, B" and row["unusable_units"] == "1, 2"
    (entry,) = entries_from_rows("racks", [row])
    assert entry["feeds"] == ["A", "B"] and entry["unusable_units"] == [1, 2]


def test_whole_numbers_from_a_spreadsheet_are_integers() -> None:
    (entry,) = entries_from_rows("devices", [{"name": "X", "position": 10.0, "power_w": 450.5}])
    assert entry["position"] == 10 and isinstance(entry["position"], int)
    assert entry["power_w"] == 450.5


def test_blank_cells_are_left_out_so_defaults_apply() -> None:
    (entry,) = entries_from_rows("devices", [{"name": "X", "model": "", "serial": float("nan")}])
    assert "model" not in entry and "serial" not in entry


def test_unreadable_values_pass_through_for_the_rules_to_name() -> None:
    (entry,) = entries_from_rows("racks", [{"name": "R", "u_height": "tinggi"}])
    assert entry["u_height"] == "tinggi"


def test_yes_and_no_in_indonesian() -> None:
    (entry,) = entries_from_rows("prefixes", [{"prefix": "10.0.0.0/24", "is_pool": "ya"}])
    assert entry["is_pool"] is True


def test_an_excel_workbook_round_trips() -> None:
    content = to_excel({"racks": frame("racks", [RACK])})
    sections = read_excel(content, "inventaris.xlsx")
    assert sections["racks"][0]["feeds"] == ["A", "B"]


def test_an_unknown_sheet_is_named() -> None:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame({"name": ["x"]}).to_excel(writer, sheet_name="lemari", index=False)
    with pytest.raises(InputError) as refused:
        read_excel(buffer.getvalue(), "inventaris.xlsx")
    assert refused.value.lines()[0].startswith("inventaris.xlsx: lemari:")


def test_a_csv_with_semicolons_and_an_unknown_column() -> None:
    ok = read_csv(b"name;site;capacity_mbps\nISP-1;dc;1000\n", "uplinks", "uplink.csv")
    assert ok == [{"name": "ISP-1", "site": "dc", "capacity_mbps": 1000}]
    with pytest.raises(InputError) as refused:
        read_csv(b"name,speed\nISP-1,1000\n", "uplinks", "uplink.csv")
    assert "uplinks.speed" in refused.value.lines()[0]


def test_every_section_goes_into_the_csv_zip() -> None:
    import zipfile

    content = to_csv_zip({"racks": frame("racks", [RACK]), "tenants": frame("tenants", [])})
    assert sorted(zipfile.ZipFile(io.BytesIO(content)).namelist()) == ["racks.csv", "tenants.csv"]
