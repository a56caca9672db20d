"""Commands for the office's calendar: time zone and holidays that are not working days."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

# dcim.calendar_settings checks roles (dcim.accounts loads the password hasher): each command
# imports it when it runs, so that `dcim --help` stays quick.
from dcim.i18n import date as fmt_date
from dcim.i18n import t

from . import context
from .context import read_session, write_session
from .identity import operator_actor

if TYPE_CHECKING:
    from capacity.hold_calendar import MovedHoldEnd
    from colocation.holidays import MovedDeadline

holidays_app = typer.Typer(
    rich_markup_mode=None,
    help="Hari libur: nasional, cuti bersama dan libur lokal.",
    no_args_is_help=True,
)
config_app = typer.Typer(
    rich_markup_mode=None, help="Pengaturan kantor (zona waktu).", no_args_is_help=True
)


@holidays_app.command("list")
def list_holidays(
    year: Annotated[int | None, typer.Option("--year", help="Year (default: this year).")] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print exactly one JSON document.")
    ] = False,
) -> None:
    """Every day off of a year that falls on a weekday: national, cuti bersama and local."""
    # The holiday tables are loaded by the calendar commands only, not at every start.
    from dcim.calendar_settings import local_holidays
    from dcim.workdays import calendar_for, today

    lang = context.language()
    with read_session(context.engine()) as session:
        year = year or today(session).year
        calendar = calendar_for(session)

        local = {h.day for h in local_holidays(session, year)}
    days = [
        (day, name)
        for day, name in calendar.non_working_days(dt.date(year, 1, 1), dt.date(year, 12, 31), lang)
        if day.weekday() < 5
    ]
    if json_out:
        context.print_json(
            {
                "year": year,
                "holidays": [
                    {"date": d.isoformat(), "name": n, "local": d in local} for d, n in days
                ],
            }
        )
        return
    for day, name in days:
        mark = f" ({t('cli.calendar.local', lang)})" if day in local else ""
        typer.echo(f"{day.isoformat()}  {fmt_date(day, lang, 'full'):<32} {name}{mark}")


@holidays_app.command("add")
def add_holiday(
    day: Annotated[str, typer.Argument(metavar="DATE", help="YYYY-MM-DD")],
    name: Annotated[str, typer.Argument(help="Name of the day off.")],
) -> None:
    """Add a local day off (not a working day for holds and SOP deadlines); deadlines it falls within move."""
    parsed = context.parse_date(day, "date")
    from colocation.holidays import add_holiday as add_and_recount

    with write_session(context.engine()) as session:
        change = add_and_recount(session, operator_actor(), parsed, name)
    typer.echo(
        t(
            "cli.calendar.added",
            context.language(),
            date=fmt_date(parsed, context.language()),
            name=name,
        )
    )
    _echo_moved(change.moved)
    _echo_holds(change.holds)


@holidays_app.command("remove")
def remove_holiday(day: Annotated[str, typer.Argument(metavar="DATE", help="YYYY-MM-DD")]) -> None:
    """Remove a local day off; deadlines it had pushed back move earlier again."""
    parsed = context.parse_date(day, "date")
    from colocation.holidays import remove_holiday as remove_and_recount

    with write_session(context.engine()) as session:
        change = remove_and_recount(session, operator_actor(), parsed)
    typer.echo(
        t("cli.calendar.removed", context.language(), date=fmt_date(parsed, context.language()))
    )
    _echo_moved(change.moved)
    _echo_holds(change.holds)


def _echo_moved(moved: list[MovedDeadline]) -> None:
    """One line per request whose deadline moved with the calendar, or that none did."""
    if not moved:
        typer.echo(t("holidays.none_moved", context.language()))
        return
    _echo_moves("holidays.moved", moved)


def _echo_holds(moved: list[MovedHoldEnd]) -> None:
    """One line per hold whose end moved with the calendar (nothing when none did)."""
    _echo_moves("holidays.hold_moved", moved)


def _echo_moves(key: str, moved: list[MovedDeadline] | list[MovedHoldEnd]) -> None:
    """One line per code whose day moved, worded by ``key`` with the day before and after."""
    lang = context.language()
    for item in moved:
        typer.echo(
            t(
                key,
                lang,
                code=item.code,
                before=fmt_date(item.before, lang),
                after=fmt_date(item.after, lang),
            )
        )


@config_app.command("show")
def show_config() -> None:
    """The office's settings."""
    from dcim.workdays import timezone_for, today

    with read_session(context.engine()) as session:
        zone = timezone_for(session)
        now_day = today(session)
    typer.echo(
        t("cli.calendar.timezone", context.language(), zone=zone.key, today=now_day.isoformat())
    )


@config_app.command("timezone")
def timezone(
    zone: Annotated[str, typer.Argument(help="IANA time zone, e.g. Asia/Makassar (WITA).")],
) -> None:
    """Set the data center's time zone (what "today" means)."""
    from dcim.calendar_settings import set_timezone

    with write_session(context.engine()) as session:
        set_timezone(session, operator_actor(), zone)
    show_config()


@config_app.command("session")
def session_times(
    lifetime: Annotated[
        int | None,
        typer.Option("--lifetime-minutes", help="How long a sign-in lasts at most (default 600)."),
    ] = None,
    idle: Annotated[
        int | None,
        typer.Option("--idle-minutes", help="How long an unused sign-in lasts (default 120)."),
    ] = None,
) -> None:
    """Show, or set, how long a sign-in to the web app lasts."""
    from dcim.sessions import session_policy, set_session_policy

    lang = context.language()
    engine = context.engine()
    with read_session(engine) as session:
        policy = session_policy(session)
    if lifetime is not None or idle is not None:
        with (
            context.as_options(
                {"lifetime_minutes": "--lifetime-minutes", "idle_minutes": "--idle-minutes"}
            ),
            write_session(engine) as session,
        ):
            policy = set_session_policy(
                session,
                operator_actor(),
                lifetime_minutes=lifetime if lifetime is not None else _minutes(policy.lifetime),
                idle_minutes=idle if idle is not None else _minutes(policy.idle),
                lang=lang,
            )
    typer.echo(
        t("sessions.policy", lang, lifetime=_minutes(policy.lifetime), idle=_minutes(policy.idle))
    )


def _minutes(span: dt.timedelta) -> int:
    return int(span.total_seconds() // 60)


def register(app: typer.Typer) -> None:
    """Add these command groups to the application."""
    app.add_typer(holidays_app, name="holidays")
    app.add_typer(config_app, name="config")
