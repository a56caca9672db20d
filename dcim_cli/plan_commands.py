"""``dcim plan FILE``: what the data center must buy, and by when, for next year's servers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from dcim import i18n
from dcim.i18n import t

from . import context


def _rupiah(amount: int, lang: str) -> str:
    return f"Rp {i18n.number(amount, lang, decimals=0)}"


def plan(
    plan_file: Annotated[Path, typer.Argument(metavar="FILE", help="Plan YAML file.")],
    on: Annotated[
        str | None,
        typer.Option("--on", help="Evaluation date YYYY-MM-DD (default: today in WITA)."),
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print exactly one JSON document.")
    ] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of messages: id or en.")
    ] = None,
    docx: Annotated[
        Path | None, typer.Option("--docx", help="Also write the Nota Dinas (DOCX).")
    ] = None,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Also write the Nota Dinas as PDF (LibreOffice).")
    ] = None,
) -> int:
    """Place next year's servers and say what to buy, and by when; changes nothing.

    Exit 0 when every server can be placed (with the purchases), 1 when some cannot.
    """
    from capacity.plan import make_plan
    from capacity.planfile import read_plan

    language = context.language(lang)
    date = context.parse_date(on, "--on", language)
    parsed = read_plan(plan_file, language)
    engine = context.engine()
    result = make_plan(engine, parsed, on=date, lang=language, source=str(plan_file))
    if docx is not None or pdf is not None:
        from capacity.plan_memo import write_plan_memo

        write_plan_memo(engine, parsed, result, docx=docx, pdf=pdf, lang=language)
    if json_out:
        context.print_json(result.to_json())
        return 1 if result.unplaceable else 0
    _print(result, len(parsed.all_servers()), language)
    return 1 if result.unplaceable else 0


def _print(result: Any, servers: int, lang: str) -> None:
    typer.echo(
        t(
            "plan.title",
            lang,
            date=i18n.date(result.evaluated_on, lang),
            servers=servers,
            purchases=len(result.purchases),
            total=_rupiah(result.total_idr, lang),
        )
    )
    if not result.purchases:
        typer.echo(t("plan.nothing_to_buy", lang))
    for purchase in result.purchases:
        line = t(
            "plan.purchase",
            lang,
            item=purchase.item_id,
            kind=t(f"plan.kinds.{purchase.kind}", lang),
            price=_rupiah(purchase.price_idr, lang),
            order_by=i18n.date(purchase.order_by, lang),
            lead=purchase.lead_time_working_days,
            needed=i18n.date(purchase.needed_on, lang),
            servers=", ".join(purchase.unlocks),
        )
        typer.echo(("⚠ " + t("plan.late", lang) + ": " if purchase.late else "• ") + line)
    if result.optimal:
        typer.echo(t("plan.exact", lang))
    else:
        typer.echo(t("plan.heuristic", lang, bound=_rupiah(result.lower_bound_idr, lang)))
    for placement in result.placements:
        needed = i18n.date(placement.needed_on, lang)
        if placement.placed:
            line = t(
                "plan.placed",
                lang,
                server=placement.server,
                needed=needed,
                rack=placement.rack,
                position=placement.position,
            )
            if placement.bought:
                line += " — " + t("plan.bought", lang, items=", ".join(placement.bought))
            typer.echo("✔ " + line)
        else:
            typer.echo("✘ " + t("plan.unplaceable", lang, server=placement.server, needed=needed))
            for name, reason in placement.reasons.items():
                typer.echo(f"    {t(f'capacity.names.{name}', lang)}: {reason}")


def register(app: typer.Typer) -> None:
    """Add ``dcim plan``."""
    app.command(name="plan")(plan)
