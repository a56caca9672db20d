"""Commands of the allocation engine: check, reserve, release, commit, utilization."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dcim.i18n import t

from . import context
from .context import read_connection, read_session
from .identity import operator_actor

OnOption = Annotated[
    str | None, typer.Option("--on", help="Evaluation date YYYY-MM-DD (default: today in WITA).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print exactly one JSON document.")]
LangOption = Annotated[str | None, typer.Option("--lang", help="Language of messages: id or en.")]


def _print_result(result_json: dict, lang: str) -> None:
    """The answer as a person reads it: the summary, what failed and why, then each check.

    Each check prints its one-sentence explanation; the sums behind it
    (per-feed loads, racks that could not) follow, indented.
    """
    from capacity.messages import arithmetic, explanation, lead

    marks = {True: "✔", False: "✘", None: "–"}
    for line in explanation(result_json, lang):
        typer.echo(line)
    typer.echo("")
    for name, outcome in result_json["checks"].items():
        label = t(f"capacity.names.{name}", lang)
        typer.echo(f"{marks[outcome['ok']]} {label}: {lead(outcome['message'])}")
        sums = arithmetic(outcome["message"])
        if sums:
            typer.echo(f"    {sums}")


def check(
    request: Annotated[Path, typer.Argument(help="Request YAML file.")],
    on: OnOption = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Also write the step-5 report (DOCX).")
    ] = None,
) -> int:
    """The step-5 capacity check; changes nothing."""
    from capacity.check import run_check
    from capacity.request import read_request

    language = context.language(lang)
    date = context.parse_date(on, "--on", language)
    parsed = read_request(request)
    engine = context.engine()
    # Without a report the command only reads the engine's columns: a bare connection, and the
    # ORM is never imported. The report reads the inventory's rows through a session.
    opened = read_connection(engine) if report is None else read_session(engine)
    with opened as reader:
        result = run_check(reader, parsed, on=date, lang=language, source=str(request))
        if report is not None:
            from capacity.report import write_report

            write_report(result, report, reader, language)
    document = result.to_json()
    if json_out:
        context.print_json(document)
    else:
        _print_result(document, language)
    return 0 if result.feasible else 1


def reserve(
    request: Annotated[Path, typer.Argument(help="Request YAML file.")],
    on: OnOption = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> int:
    """Check, and hold what the proposal names (``--on`` today or earlier)."""
    from capacity.holds import reserve as make_hold
    from capacity.request import read_request

    language = context.language(lang)
    date = context.parse_date(on, "--on", language)
    parsed = read_request(request)
    with context.as_options({"on": "--on"}):
        outcome = make_hold(
            context.engine(),
            parsed,
            on=date,
            lang=language,
            actor=operator_actor(),
            source=str(request),
        )
    if json_out:
        context.print_json(outcome.to_json())
    else:
        _print_result(outcome.result.to_json(), language)
        typer.echo(outcome.message)
    return 0 if outcome.reservation_code else 1


def release(
    reservation_id: Annotated[
        str, typer.Argument(metavar="ID", help="The hold's id, e.g. RSV-2026-0007.")
    ],
    lang: LangOption = None,
) -> None:
    """End a hold."""
    from capacity.holds import release as end_hold

    language = context.language(lang)
    end_hold(context.engine(), reservation_id, actor=operator_actor(), lang=language)
    typer.echo(t("capacity.reserve.released", language, code=reservation_id))


def commit(
    reservation_id: Annotated[str, typer.Argument(metavar="ID", help="The hold's id.")],
    name: Annotated[str, typer.Option("--name", help="Name of the installed device.")],
    serial: Annotated[str | None, typer.Option("--serial", help="Serial number.")] = None,
    on: OnOption = None,
    lang: LangOption = None,
) -> None:
    """Turn a hold into an installed device (SOP step 9)."""
    from capacity.holds import commit as install

    language = context.language(lang)
    with context.as_options({"on": "--on"}):
        device = install(
            context.engine(),
            reservation_id,
            name,
            serial,
            on=context.parse_date(on, "--on", language),
            actor=operator_actor(),
            lang=language,
        )
    typer.echo(t("capacity.reserve.committed", language, code=reservation_id, device=device))


def register(app: typer.Typer) -> None:
    """Add these commands to the application."""
    app.command()(check)
    app.command()(reserve)
    app.command()(release)
    app.command()(commit)
