"""The declarative base every table of dcim-lite hangs on, and shared column types."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Dialect, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Named constraints make Alembic migrations reproducible on SQLite and PostgreSQL
# and let error handlers recognise which rule a failed write broke.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MILLI = 1000


class Milli(TypeDecorator[Decimal]):
    """A quantity (watts, kilograms, Mbps, kVA) stored as an integer count of thousandths.

    SQLite has no exact decimal type; integers keep sums exact on both
    databases, so that a load of exactly the limit compares equal to it.
    Three decimal places are more than any nameplate or budget needs.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(str(value)) * MILLI
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than three decimal places")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)) / MILLI

    def process_literal_param(self, value: Any, dialect: Dialect) -> str:
        bound = self.process_bind_param(value, dialect)
        return "NULL" if bound is None else str(bound)


class Base(DeclarativeBase):
    """Base class of all ORM models; carries the shared metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


def sql_text(value: str) -> str:
    """A string as an SQL literal: quoted, an embedded quote doubled."""
    return "'" + value.replace("'", "''") + "'"


def in_choices(column: str, choices: type[StrEnum], name: str | None = None) -> CheckConstraint:
    """The check that a column holds one value of a choice set (``face IN ('front', 'rear')``).

    The set is written once, as a ``StrEnum`` in :mod:`dcim.models.choices`; the
    constraint is built from it, named ``<column>_valid`` unless told. Its SQL
    is the text the migrations wrote, so the models and the schema agree.
    """
    values = ", ".join(sql_text(member.value) for member in choices)
    return CheckConstraint(f"{column} IN ({values})", name=name or f"{column}_valid")
