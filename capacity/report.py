"""The step-5 examination report (Laporan Hasil Pemeriksaan), as an editable Word document.

:func:`examination` writes the body every such report shares — the server's
needs, the six verdicts with their explanations, the conclusion and the
placement — from a check result's JSON document, so the workflow's report
to the Kepala Seksi and the stand-alone report of ``dcim check --report``
are one and the same text. :func:`examination_report` wraps it in the
office's letterhead and signature blocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from sqlalchemy.orm import Session

from dcim import documents as kit
from dcim import i18n

CHECK_ORDER = ("space", "power", "ups", "bandwidth", "ip", "domain")


def _t(key: str, lang: str, **params: Any) -> str:
    return i18n.t(f"capacity.report.{key}", lang, **params)


def units(position: Any, u_height: Any) -> str:
    """``U21–U22`` (or ``U21``) for a position and a height."""
    if not isinstance(position, int):
        return "-"
    top = position + (u_height if isinstance(u_height, int) else 1) - 1
    return f"U{position}" if top == position else f"U{position}–U{top}"


def server_rows(
    result: Mapping[str, Any], spec: Mapping[str, Any], lang: str
) -> list[tuple[str, str]]:
    """The server's needs: the check's (catalog filled in) when known, else the request's."""
    server = result.get("server") or spec.get("server") or {}
    ipv4 = ", ".join(f"{role}: {count}" for role, count in (spec.get("ipv4") or {}).items()) or "-"
    ipv6 = ", ".join(f"{role}: {count}" for role, count in (spec.get("ipv6") or {}).items()) or "-"
    return [
        (_t("model", lang), str(server.get("model") or "-")),
        (_t("height", lang), f"{server.get('u_height', '-')} U"),
        (
            _t("depth", lang),
            _t("full_depth", lang) if server.get("full_depth", True) else _t("half_depth", lang),
        ),
        (_t("weight", lang), f"{i18n.number(server.get('weight_kg') or 0, lang)} kg"),
        (_t("power", lang), f"{i18n.number(server.get('power_w') or 0, lang)} W"),
        (_t("psu", lang), str(server.get("psu", "-"))),
        (_t("bandwidth", lang), f"{i18n.number(server.get('bandwidth_mbps') or 0, lang)} Mbps"),
        ("IPv4", ipv4),
        ("IPv6", ipv6),
        (_t("domains", lang), ", ".join(spec.get("domains") or []) or "-"),
    ]


def verdict(ok: bool | None, lang: str) -> str:
    """Tersedia / Tidak tersedia / Tidak dinilai."""
    if ok is None:
        return _t("not_evaluated", lang)
    return _t("available", lang) if ok else _t("unavailable", lang)


def failed_reasons(result: Mapping[str, Any], lang: str) -> list[str]:
    """The explanation of each resource that is not available, for a rejection letter."""
    checks = result.get("checks") or {}
    return [
        f"{_t(f'resource_{name}', lang)}: {checks[name].get('message', '')}"
        for name in CHECK_ORDER
        if name in checks and checks[name].get("ok") is False
    ]


def placement_rows(
    result: Mapping[str, Any], lang: str, hold: tuple[str, dt.date | str | None] | None = None
) -> list[tuple[str, str]]:
    """Where the server goes: rack, units, feeds, UPS, uplink, addresses, names (and the hold)."""
    proposal = result.get("proposal") or {}
    if not proposal:
        return []
    addresses = [
        f"{role}: {', '.join(values)}"
        for family in ("ipv4", "ipv6")
        for role, values in (proposal.get(family) or {}).items()
        if values
    ]
    rows = [
        (_t("rack", lang), f"{proposal.get('rack')} ({proposal.get('site')})"),
        (_t("position", lang), units(proposal.get("position"), proposal.get("u_height"))),
        (_t("feeds", lang), ", ".join(proposal.get("feeds") or []) or "-"),
        ("UPS", ", ".join(proposal.get("ups") or []) or "-"),
        ("Uplink", proposal.get("uplink") or "-"),
        (_t("addresses", lang), "; ".join(addresses) or "-"),
        (_t("domains", lang), ", ".join(proposal.get("fqdns") or []) or "-"),
    ]
    if hold is not None:
        code, until = hold
        rows.append(
            (_t("hold", lang), _t("hold_until", lang, code=code, date=kit.date_text(until, lang)))
        )
    return rows


def power_shortfalls(power: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """Every feed of every rack that the server would overload, when no rack had the power.

    The check's own sentence names the first few and counts the rest ("dan 4 lainnya"); a
    report lists them all, so they go to a table under the verdicts.
    """
    if power.get("ok") is not False:
        return []
    return [
        (str(rack.get("rack")), feed)
        for rack in power.get("racks") or []
        if rack.get("reason") == "over"
        for feed in rack.get("feeds") or []
        if float(feed.get("headroom_w", 0)) < 0
    ]


def _remarks(name: str, check: Mapping[str, Any], power_table: bool, lang: str) -> str:
    """A check's explanation; for power with the table below, its first sentence and a pointer."""
    message = str(check.get("message", "-"))
    if name == "power" and power_table:
        return f"{message.split(chr(10), 1)[0]}\n{_t('power_see_table', lang)}"
    return message


def examination(
    document: DocxDocument,
    result: Mapping[str, Any],
    spec: Mapping[str, Any],
    lang: str,
    hold: tuple[str, dt.date | str | None] | None = None,
) -> None:
    """Sections A–D: the server's needs, the six verdicts, the conclusion, the placement."""
    kit.paragraph(document, _t("server_heading", lang), bold=True)
    kit.fields(document, server_rows(result, spec, lang), label_cm=4.5)
    kit.paragraph(document, _t("checks_heading", lang), bold=True)
    checks = result.get("checks") or {}
    short_feeds = power_shortfalls(checks.get("power") or {})
    kit.grid(
        document,
        [_t("no", lang), _t("resource", lang), _t("result", lang), _t("remarks", lang)],
        [
            [
                str(index),
                _t(f"resource_{name}", lang),
                verdict((checks.get(name) or {}).get("ok"), lang),
                _remarks(name, checks.get(name) or {}, bool(short_feeds), lang),
            ]
            for index, name in enumerate(CHECK_ORDER, start=1)
        ],
        widths_cm=[0.8, 3.0, 2.6, 9.4],
    )
    if short_feeds:
        kit.paragraph(document, _t("power_table_heading", lang), bold=True)
        kit.grid(
            document,
            [
                _t("rack", lang),
                _t("feed", lang),
                _t("load_w", lang),
                _t("added_w", lang),
                _t("after_w", lang),
                _t("usable_w", lang),
                _t("short_w", lang),
            ],
            [
                [rack, feed["feed"]]
                + [
                    i18n.number(float(feed[key]), lang)
                    for key in ("load_w", "added_w", "after_w", "usable_w")
                ]
                + [i18n.number(-float(feed["headroom_w"]), lang)]
                for rack, feed in short_feeds
            ],
            widths_cm=[1.3, 2.8, 2.0, 2.4, 2.3, 2.0, 2.7],  # the text width, 15.5 cm
        )
    feasible = bool(result.get("feasible"))
    kit.paragraph(document, _t("conclusion_heading", lang), bold=True)
    if not feasible:
        kit.paragraph(document, _t("conclusion_unavailable", lang))
        return
    kit.paragraph(document, _t("conclusion_available" if hold else "conclusion_proposed", lang))
    placement = placement_rows(result, lang, hold)
    if placement:
        kit.paragraph(
            document, _t("placement_heading" if hold else "placement_proposed", lang), bold=True
        )
        kit.fields(document, placement, label_cm=4.5)


def examiner_signer(full_name: str, nip: str | None, position: str | None, lang: str) -> kit.Signer:
    """The signature block of the person who ran the check (Tim Data Center unless their jabatan says)."""
    return kit.Signer(_t("prepared_by", lang), position or _t("team", lang), full_name, nip)


def examination_report(
    session: Session,
    result: Mapping[str, Any],
    spec: Mapping[str, Any],
    lang: str = "id",
    *,
    examiner: kit.Signer | None = None,
    tenant_name: str | None = None,
    hold: tuple[str, dt.date | str | None] | None = None,
) -> DocxDocument:
    """A stand-alone report: letterhead, the request, the examination, signatures of the team and the Kasi."""
    letterhead = kit.letterhead_for(session)
    document = kit.new_document()
    kit.letterhead(document, letterhead)
    kit.title(document, _t("title", lang))
    kit.paragraph(document, _t("intro", lang), indent_first=True)
    kit.fields(
        document,
        [
            (_t("request_number", lang), str(spec.get("number") or "-")),
            (_t("request_date", lang), kit.date_text(spec.get("date"), lang)),
            (_t("opd", lang), tenant_name or str(spec.get("tenant") or "-")),
            (_t("purpose", lang), str(spec.get("purpose") or "-")),
            (_t("evaluated_on", lang), kit.date_text(result.get("evaluated_on"), lang)),
        ],
        label_cm=4.5,
    )
    examination(document, result, spec, lang, hold)
    place_date = kit.place_date(letterhead.city, kit.date_text(result.get("evaluated_on"), lang))
    team = examiner or kit.Signer(_t("prepared_by", lang), _t("team", lang), None, None)
    head = kit.Signer(_t("acknowledged_by", lang), _t("section_head", lang), None, None)
    kit.signatures(document, [head, team], place_date)
    return document


def write_report(
    result: Any,
    path: str | Path,
    session: Session,
    lang: str = "id",
    examiner: kit.Signer | None = None,
) -> Path:
    """Write the report of a :class:`~capacity.check.CheckResult` to a DOCX file."""
    spec = result.request.model_dump(mode="json", exclude_none=True)
    target = Path(path)
    document = examination_report(session, result.to_json(), spec, lang, examiner=examiner)
    document.save(str(target))
    return target
