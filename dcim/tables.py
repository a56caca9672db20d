"""The inventory as tables: one table per section, for the editor, Excel and CSV.

A table row is an inventory-file entry with its lists written as text
(``PDU-R01-A, PDU-R01-B``), so that a spreadsheet can hold it. Reading a
table back turns the text into the file's types again; values that cannot
be read are passed on unchanged, so the inventory's own rules name the
field that is wrong, in the words ``dcim load`` uses.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from dcim.errors import InputError, Phrase, Problem

# Field kinds: str, int, num, bool, list (of text), ints (list of whole numbers).
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "tenants": (("slug", "str"), ("name", "str")),
    "sites": (("slug", "str"), ("name", "str")),
    "ups": (
        ("name", "str"),
        ("site", "str"),
        ("capacity_kva", "num"),
        ("power_factor", "num"),
        ("battery_wh", "num"),
    ),
    "power_feeds": (
        ("name", "str"),
        ("site", "str"),
        ("ups", "str"),
        ("voltage", "num"),
        ("amperage", "num"),
        ("phase", "str"),
        ("max_utilization", "num"),
    ),
    "racks": (
        ("name", "str"),
        ("site", "str"),
        ("u_height", "int"),
        ("status", "str"),
        ("max_weight_kg", "num"),
        ("feeds", "list"),
        ("unusable_units", "ints"),
    ),
    "uplinks": (("name", "str"), ("site", "str"), ("capacity_mbps", "num")),
    "prefixes": (
        ("prefix", "str"),
        ("role", "str"),
        ("site", "str"),
        ("vlan", "int"),
        ("gateway", "str"),
        ("is_pool", "bool"),
        ("reserved_ranges", "list"),
    ),
    "ip_addresses": (
        ("address", "str"),
        ("device", "str"),
        ("description", "str"),
        ("status", "str"),
    ),
    "zones": (("name", "str"),),
    "records": (
        ("zone", "str"),
        ("name", "str"),
        ("type", "str"),
        ("value", "str"),
        ("ttl", "int"),
    ),
    "devices": (
        ("name", "str"),
        ("tenant", "str"),
        ("rack", "str"),
        ("position", "int"),
        ("u_height", "int"),
        ("face", "str"),
        ("full_depth", "bool"),
        ("weight_kg", "num"),
        ("power_w", "num"),
        ("feeds", "list"),
        ("uplink", "str"),
        ("bandwidth_mbps", "num"),
        ("model", "str"),
        ("serial", "str"),
        ("status", "str"),
    ),
}
SECTIONS = tuple(COLUMNS)
_TRUE = {"true", "ya", "yes", "y", "1", "benar"}
_FALSE = {"false", "tidak", "no", "n", "0", "salah"}


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


def _to_cell(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind in ("list", "ints"):
        return ", ".join(str(item) for item in value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def table_rows(section: str, entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """File entries as table rows: every column present, lists as comma-separated text."""
    return [
        {name: _to_cell(entry.get(name), kind) for name, kind in COLUMNS[section]}
        for entry in entries
    ]


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        text = (
            value.strip().replace(",", ".")
            if value.count(",") == 1 and "." not in value
            else value.strip()
        )
        try:
            number = float(text)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    if hasattr(value, "item"):  # numpy scalars from pandas
        return _number(value.item())
    return value


def _from_cell(value: Any, kind: str) -> Any:
    if kind in ("int", "num"):
        return _number(value)
    if kind == "bool":
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
        return value
    if kind in ("list", "ints"):
        if isinstance(value, list):
            items = value
        else:
            items = [part.strip() for part in str(value).replace(";", ",").split(",")]
        items = [item for item in items if not _blank(item)]
        return [_number(item) for item in items] if kind == "ints" else [str(i) for i in items]
    if hasattr(value, "item"):
        value = value.item()
    return value.strip() if isinstance(value, str) else value


def entries_from_rows(section: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Table rows back as file entries: blank cells left out, lists split, numbers read.

    Keys starting with ``_`` (the editor's own) are kept as they are.
    """
    kinds = dict(COLUMNS[section])
    entries = []
    for row in rows:
        entry: dict[str, Any] = {}
        for name, value in row.items():
            if name.startswith("_"):
                entry[name] = None if _blank(value) else value
                continue
            kind = kinds.get(name, "str")
            if kind in ("list", "ints") and _blank(value):
                entry[name] = []
                continue
            if _blank(value):
                continue
            entry[name] = _from_cell(value, kind)
        entries.append(entry)
    return entries


def frame(section: str, entries: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A section as a DataFrame with its columns in file order."""
    return pd.DataFrame(
        table_rows(section, entries), columns=[name for name, _ in COLUMNS[section]]
    )


# --- Excel and CSV ------------------------------------------------------------------------------


def to_excel(frames: Mapping[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per section, named as the inventory file names the section."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for section, data in frames.items():
            data.to_excel(writer, sheet_name=section, index=False)
    return buffer.getvalue()


def to_csv_zip(frames: Mapping[str, pd.DataFrame]) -> bytes:
    """A zip of one CSV file per section (UTF-8, comma-separated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section, data in frames.items():
            archive.writestr(f"{section}.csv", data.to_csv(index=False))
    return buffer.getvalue()


def _check_columns(section: str, data: pd.DataFrame, source: str) -> None:
    known = {name for name, _ in COLUMNS[section]}
    unknown = [str(c) for c in data.columns if str(c) not in known]
    if unknown:
        raise InputError(
            [
                Problem.of(
                    f"{section}.{name}",
                    "loader.unknown_column",
                    "unknown column (known: {known})",
                    known=", ".join(sorted(known)),
                )
                for name in unknown
            ],
            source,
        )


def read_excel(content: bytes, source: str) -> dict[str, list[dict[str, Any]]]:
    """The sections of a workbook (sheets named after sections), as file entries."""
    try:
        sheets = pd.read_excel(io.BytesIO(content), sheet_name=None, dtype=object)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(
            [
                Problem.of(
                    "",
                    "loader.not_xlsx",
                    "not an Excel workbook (.xlsx): {exc}",
                    exc=Phrase.library(exc),
                )
            ],
            source,
        ) from exc
    unknown = [name for name in sheets if name not in COLUMNS]
    if unknown:
        raise InputError(
            [
                Problem.of(
                    name,
                    "loader.unknown_sheet",
                    "unknown sheet (sheets are named: {sheets})",
                    sheets=", ".join(SECTIONS),
                )
                for name in unknown
            ],
            source,
        )
    result = {}
    for section, data in sheets.items():
        _check_columns(section, data, source)
        result[section] = entries_from_rows(section, data.to_dict("records"))
    return result


def read_csv(content: bytes, section: str, source: str) -> list[dict[str, Any]]:
    """One section from a CSV file (comma- or semicolon-separated, UTF-8)."""
    if section not in COLUMNS:
        raise InputError(
            [
                Problem.of(
                    "section",
                    "loader.unknown_section",
                    "unknown section '{section}'",
                    section=section,
                )
            ],
            source,
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            [Problem.of("", "loader.table_not_utf8", "not UTF-8 text")], source
        ) from exc
    try:
        data = pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=object)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(
            [Problem.of("", "loader.not_csv", "not a CSV table: {exc}", exc=Phrase.library(exc))],
            source,
        ) from exc
    _check_columns(section, data, source)
    return entries_from_rows(section, data.to_dict("records"))
