"""Inventaris: view and edit every section of the inventory, import and export it, the device catalog.

Edits are checked by the rules of ``dcim load`` (:mod:`dcim.inventory.edit`):
a bad edit shows the same message and saves nothing. Only Tim Data Center
(and the administrator) may save; others see the tables read-only.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dcim.catalog import list_types
from dcim.db import get_engine, read_session
from dcim.errors import InputError, Problem
from dcim.inventory.edit import (
    KEYS,
    SectionChange,
    apply_changes,
    diff,
    import_device_types,
    load_uploaded,
    records_change,
    section_rows,
    upsert,
)
from dcim.inventory.export import prune_empty, read_inventory
from dcim.inventory.yamlio import DOCUMENT_LIMITS, INVENTORY_LIMITS, dump_yaml, parse_yaml
from dcim.models import (
    DeviceStatus,
    Face,
    IPStatus,
    Phase,
    RackStatus,
    RecordType,
    Role,
    User,
)
from dcim.paging import page_count
from dcim.tables import (
    COLUMNS,
    entries_from_rows,
    frame,
    read_csv,
    read_excel,
    to_csv_zip,
    to_excel,
)
from dcim_ui import auth, data, style
from dcim_ui.context import current, tr
from dcim_ui.feedback import refusals
from dcim_ui.fmt import upload_megabytes
from dcim_ui.registry import PageSpec

PAGE = PageSpec(
    key="inventaris",
    icon=":material/inventory_2:",
    section="data",
    order=10,
    roles=frozenset({Role.TIM_DC, Role.KASI_APLIKASI, Role.KABID_TI}),
)
SECTIONS = (
    "racks",
    "devices",
    "power_feeds",
    "ups",
    "uplinks",
    "prefixes",
    "ip_addresses",
    "zones",
    "records",
    "tenants",
    "sites",
)
PAGE_ROWS = 200
CHOICES = {
    ("racks", "status"): RackStatus.values(),
    ("devices", "status"): DeviceStatus.values(),
    ("devices", "face"): Face.values(),
    ("power_feeds", "phase"): Phase.values(),
    ("ip_addresses", "status"): IPStatus.values(),
    ("records", "type"): RecordType.values(),
}
# References offered as a list when there are not too many names to choose from.
REFERENCES = {
    "site": "sites",
    "tenant": "tenants",
    "rack": "racks",
    "ups": "ups",
    "uplink": "uplinks",
    "zone": "zones",
    "device": "devices",
}
MAX_OPTIONS = 400
VERSION_KEY = "inv_editor_version"
NOTICE_KEY = "inv_notice"


def render() -> None:
    """Draw the page."""
    ctx = current()
    user = ctx.user
    assert user is not None
    can_edit = user.may(Role.TIM_DC)
    style.page_header(tr("pages.inventaris"), tr("inv.subtitle"))
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.success(notice, icon=":material/check_circle:")
    edit_tab, files_tab, catalog_tab = st.tabs(
        [tr("inv.tab_edit"), tr("inv.tab_files"), tr("inv.tab_catalog")]
    )
    with edit_tab:
        _editor(can_edit)
    with files_tab:
        _files(can_edit)
    with catalog_tab:
        _catalog(can_edit)


def _actor() -> User:
    """The signed-in person, read afresh, as the editing services take them."""
    with read_session(current().engine) as session:
        return auth.actor(session)


def _saved(message: str) -> None:
    st.session_state[VERSION_KEY] = st.session_state.get(VERSION_KEY, 0) + 1
    st.session_state[NOTICE_KEY] = message
    st.rerun()


def _apply(changes: list[SectionChange], source: str) -> None:
    ctx = current()
    with refusals() as outcome:
        summary = apply_changes(ctx.engine, changes, _actor(), source)
    if outcome.refused:
        return
    if not summary.total():
        st.info(tr("inv.nothing_changed"))
        return
    parts = [
        tr("inv.counts", section=tr(f"inv.section.{section}"), added=a, changed=c, removed=r)
        for section, (a, c, r) in summary.counts.items()
    ]
    _saved(tr("inv.saved", what="; ".join(parts)))


# --- the editor ---------------------------------------------------------------------------------


def _editor(can_edit: bool) -> None:
    doc = data.inventory()
    c1, c2 = st.columns([2, 1])
    section = c1.selectbox(
        tr("inv.section_label"),
        SECTIONS,
        format_func=lambda s: tr(f"inv.section.{s}"),
        key="inv_section",
    )
    needle = c2.text_input(
        tr("inv.filter"), key=f"inv_filter_{section}", icon=":material/filter_list:"
    )
    entries = section_rows(doc, section)
    rows = entries_from_rows(section, frame(section, entries).to_dict("records"))
    key_field = KEYS[section]
    if needle.strip():
        lowered = needle.strip().lower()
        rows = [r for r in rows if any(lowered in str(v).lower() for v in r.values())]
    total = len(rows)
    pages = page_count(total, PAGE_ROWS)
    page = 1
    if pages > 1:
        page = int(
            st.number_input(
                tr("inv.page", pages=pages, total=total), 1, pages, 1, key=f"inv_page_{section}"
            )
        )
    shown = rows[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]
    table = frame(section, shown)
    if section == "records":
        table["_key"] = None
    else:
        table["_key"] = [row.get(key_field) for row in shown]
    version = st.session_state.get(VERSION_KEY, 0)
    columns = [name for name, _ in COLUMNS[section]]
    edited = st.data_editor(
        table,
        key=f"inv_editor_{section}_{page}_{version}",
        num_rows="dynamic" if can_edit else "fixed",
        disabled=not can_edit,
        hide_index=True,
        width="stretch",
        height=min(700, 38 + 35 * (len(shown) + 2)),
        column_order=columns,
        column_config=_column_config(section, doc),
    )
    st.caption(tr("inv.count", shown=len(shown), total=total) + " " + tr(f"inv.hint.{section}"))
    if not can_edit:
        st.caption(tr("inv.read_only"))
        return
    if st.button(tr("inv.save"), type="primary", icon=":material/save:", key="inv_save"):
        edited_rows = entries_from_rows(section, edited.to_dict("records"))
        original = entries_from_rows(section, table.to_dict("records"))
        if section == "records":
            # Records are replaced per zone; a filtered or paged view must not drop the rest.
            if needle.strip() or pages > 1:
                st.warning(tr("inv.records_whole"))
                return
            change = records_change(original, edited_rows)
        else:
            change = diff(section, original, edited_rows)
        _apply([change], tr("inv.source", section=section))


def _column_config(section: str, doc: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    names = {
        "sites": [s["slug"] for s in doc.get("sites", [])],
        "tenants": [t["slug"] for t in doc.get("tenants", [])],
        "racks": [r["name"] for r in doc.get("racks", [])],
        "ups": [u["name"] for u in doc.get("ups", [])],
        "uplinks": [u["name"] for u in doc.get("uplinks", [])],
        "zones": [z["name"] for z in doc.get("zones", [])],
        "devices": [d["name"] for d in doc.get("devices", [])],
    }
    for name, kind in COLUMNS[section]:
        label = tr(f"inv.col.{name}")
        options = CHOICES.get((section, name))
        reference = REFERENCES.get(name)
        if (
            reference
            and reference != section
            and len(names[reference]) <= MAX_OPTIONS
            and section != "tenants"
        ):
            options = tuple(names[reference])
        if options is not None:
            config[name] = st.column_config.SelectboxColumn(label, options=list(options))
        elif kind == "bool":
            config[name] = st.column_config.CheckboxColumn(label)
        elif kind in ("int", "num"):
            config[name] = st.column_config.NumberColumn(label, step=1 if kind == "int" else None)
        else:
            config[name] = st.column_config.TextColumn(label)
    return config


# --- files ----------------------------------------------------------------------------------------


def _files(can_edit: bool) -> None:
    ctx = current()
    doc = data.inventory()
    st.subheader(tr("inv.export"))
    st.caption(tr("inv.export_hint"))
    # The files are built when the button is pressed, not on every run: a national inventory
    # takes a while to write as a workbook.
    url = ctx.url
    c1, c2, c3 = st.columns(3)
    day = ctx.today.isoformat()
    c1.download_button(
        tr("inv.export_yaml"),
        lambda: _export(url, "yaml"),
        file_name=f"inventaris-{day}.yaml",
        mime="application/yaml",
        icon=":material/description:",
        width="stretch",
        on_click="ignore",
    )
    c2.download_button(
        tr("inv.export_excel"),
        lambda: _export(url, "excel"),
        file_name=f"inventaris-{day}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        width="stretch",
        on_click="ignore",
    )
    c3.download_button(
        tr("inv.export_csv"),
        lambda: _export(url, "csv"),
        file_name=f"inventaris-{day}-csv.zip",
        mime="application/zip",
        icon=":material/folder_zip:",
        width="stretch",
        on_click="ignore",
    )
    if not can_edit:
        return
    st.subheader(tr("inv.import"))
    st.caption(tr("inv.import_hint"))
    kind = st.segmented_control(
        tr("inv.import_kind"),
        ["yaml", "excel", "csv"],
        default="yaml",
        required=True,
        format_func=lambda k: tr(f"inv.kind_{k}"),
        key="inv_import_kind",
    )
    section = None
    if kind == "csv":
        section = st.selectbox(
            tr("inv.csv_section"),
            [s for s in SECTIONS if s != "records"],
            format_func=lambda s: tr(f"inv.section.{s}"),
            key="inv_csv_section",
        )
    types = {"yaml": ["yaml", "yml"], "excel": ["xlsx"], "csv": ["csv"]}[kind or "yaml"]
    upload = st.file_uploader(
        tr("inv.file"),
        type=types,
        key=f"inv_upload_{kind}",
        max_upload_size=upload_megabytes(INVENTORY_LIMITS.max_bytes),
    )
    if upload is None or not st.button(
        tr("inv.import_button"), type="primary", icon=":material/upload:"
    ):
        return
    content = upload.getvalue()
    with refusals():
        if kind == "yaml":
            try:
                text = content.decode("utf-8")
            except UnicodeDecodeError as exc:
                problem = Problem.of("", "ui.check.not_utf8", "The file is not UTF-8 text.")
                raise InputError([problem], upload.name) from exc
            with st.spinner(tr("inv.importing")):
                summary = load_uploaded(
                    ctx.engine,
                    parse_yaml(text, upload.name, INVENTORY_LIMITS),
                    upload.name,
                    _actor(),
                )
            _saved(tr("inv.loaded", file=upload.name, count=summary.total()))
        elif kind == "excel":
            sheets = read_excel(content, upload.name)
            changes = [
                _upsert(doc, name, rows) for name, rows in sheets.items() if name != "records"
            ]
            _apply(changes, upload.name)
        else:
            assert section is not None
            _apply([_upsert(doc, section, read_csv(content, section, upload.name))], upload.name)


def _export(url: str, kind: str) -> bytes:
    """The inventory as a file of the given kind, read afresh (runs outside the page's run)."""
    with read_session(get_engine(url)) as session:
        doc = read_inventory(session)
    if kind == "yaml":
        return dump_yaml(prune_empty(doc)).encode("utf-8")
    frames = {section: frame(section, section_rows(doc, section)) for section in COLUMNS}
    return to_excel(frames) if kind == "excel" else to_csv_zip(frames)


def _upsert(doc: dict[str, Any], section: str, rows: list[dict[str, Any]]) -> SectionChange:
    existing = {str(row[KEYS[section]]) for row in section_rows(doc, section)}
    return upsert(section, rows, existing)


# --- the device catalog -----------------------------------------------------------------------------


def _catalog(can_edit: bool) -> None:
    ctx = current()
    with read_session(ctx.engine) as session:
        types = [
            {
                tr("inv.cat_model"): t.display_name,
                "slug": t.slug,
                "U": float(t.u_height),
                tr("inv.cat_depth"): t.is_full_depth,
                tr("inv.cat_weight"): float(t.weight_kg) if t.weight_kg is not None else None,
                tr("inv.cat_power"): float(t.effective_power_w)
                if t.effective_power_w is not None
                else None,
                "PSU": t.psu,
            }
            for t in list_types(session)
        ]
    st.caption(tr("inv.cat_hint", count=len(types)))
    st.dataframe(pd.DataFrame(types), hide_index=True, width="stretch")
    if not can_edit:
        return
    uploads = st.file_uploader(
        tr("inv.cat_upload"),
        type=["yaml", "yml"],
        accept_multiple_files=True,
        key="inv_cat_upload",
        max_upload_size=upload_megabytes(DOCUMENT_LIMITS.max_bytes),
    )
    if uploads and st.button(tr("inv.cat_import"), type="primary", icon=":material/upload:"):
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for upload in uploads:
                path = Path(folder) / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                paths.append(path)
            with refusals() as outcome:
                report = import_device_types(ctx.engine, paths, _actor())
            if outcome.refused:
                return
        if report.problems:
            lines = "\n".join(
                f"- `{Path(path).name}: {problem.render(ctx.lang, labels=True)}`"
                for path, problem in report.problems
            )
            st.warning(f"{tr('inv.cat_skipped', count=len(report.problems))}\n\n{lines}")
        if report.imported:
            _saved(tr("inv.cat_done", count=len(report.imported), names=", ".join(report.imported)))


if __name__ == "__main__":
    render()
