"""The load thresholds, in one place: below *warn* a resource is "Aman", from *warn* "Waspada",
from *alert* "Kritis".

Every view of load — the power page's cards, feed table, power-chain graph
and failure simulation, the dashboard bars — and the proposal's headroom
preference read the same two numbers. They are an operator setting (the
``settings`` table), changed by the administrator; without one the
dashboard rule of 60 % and 80 % applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import Select, select

from dcim.choices import OPERATOR_ROLE, Role
from dcim.core_tables import Setting
from dcim.db import Reader, held_or_read, session_memo
from dcim.errors import InputError, Problem
from dcim.i18n import t

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dcim.accounts import Actor

THRESHOLDS_SETTING = "load_thresholds"
DEFAULT_WARN = Fraction(60)
DEFAULT_ALERT = Fraction(80)

#: Who may change the thresholds: they colour every load and steer the proposal.
THRESHOLD_ROLES = (Role.ADMIN, OPERATOR_ROLE)

#: The states a load can be in, lowest first.
OK, WARN, ALERT = "ok", "warn", "alert"


@dataclass(frozen=True)
class Thresholds:
    """Warning and alert levels, as percentages of the usable limit (exact numbers)."""

    warn: Fraction = DEFAULT_WARN
    alert: Fraction = DEFAULT_ALERT

    def level(self, percent: Fraction | float | None) -> str | None:
        """``ok``, ``warn`` or ``alert`` for a percentage of the usable limit (None: unknown)."""
        if percent is None or percent != percent:  # NaN: an empty cell of a table
            return None
        value = Fraction(percent)
        if value >= self.alert:
            return ALERT
        if value >= self.warn:
            return WARN
        return OK


_SETTING_TABLES = frozenset({Setting.__table__.name})


def load_thresholds(session: Reader) -> Thresholds:
    """The stored thresholds, or 60 % and 80 % (read once per transaction)."""
    return session_memo(session, "thresholds", _SETTING_TABLES, lambda: _read_thresholds(session))


def _read_thresholds(session: Reader) -> Thresholds:
    row = held_or_read(session, Setting, THRESHOLDS_SETTING, _thresholds_query())
    if row is None or not isinstance(row.value, dict):
        return Thresholds()
    try:
        return Thresholds(
            warn=Fraction(Decimal(str(row.value["warn"]))),
            alert=Fraction(Decimal(str(row.value["alert"]))),
        )
    except (KeyError, InvalidOperation, ValueError):
        # A hand-edited row that does not parse must not take the dashboard down.
        return Thresholds()


@lru_cache(maxsize=1)
def _thresholds_query() -> Select[tuple[object]]:
    return select(Setting.value).where(Setting.key == THRESHOLDS_SETTING)


def _percent(value: object, field: str, lang: str) -> tuple[Fraction | None, list[Problem]]:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not 0 < number <= 100:
        label = t(f"thresholds.{field}", lang)
        return None, [Problem(field, t("thresholds.range", lang, field=label, value=value))]
    return Fraction(number), []


def set_thresholds(
    session: Session, actor: Actor, warn: object, alert: object, lang: str = "id"
) -> Thresholds:
    """Store new thresholds; both are percentages in (0, 100] and *warn* is below *alert*."""
    # The writing side's imports: a check that only reads the thresholds maps no model.
    from dcim.accounts import record, require_role
    from dcim.models import Setting as SettingRow

    require_role(actor, THRESHOLD_ROLES, "change the load thresholds")
    warn_value, problems = _percent(warn, "warn", lang)
    alert_value, more = _percent(alert, "alert", lang)
    problems += more
    if warn_value is not None and alert_value is not None and warn_value >= alert_value:
        problems.append(Problem("warn", t("thresholds.order", lang)))
    if problems:
        raise InputError(problems)
    assert warn_value is not None and alert_value is not None
    value = {
        "warn": str(Decimal(warn_value.numerator) / warn_value.denominator),
        "alert": str(Decimal(alert_value.numerator) / alert_value.denominator),
    }
    row = session.get(SettingRow, THRESHOLDS_SETTING)
    if row is None:
        session.add(SettingRow(key=THRESHOLDS_SETTING, value=value))
    else:
        row.value = value
    record(
        session,
        actor,
        "settings.thresholds",
        "setting",
        THRESHOLDS_SETTING,
        f"{value['warn']} % / {value['alert']} %",
        data=value,
    )
    return Thresholds(warn=warn_value, alert=alert_value)
