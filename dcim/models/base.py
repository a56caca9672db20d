"""The declarative base every table of dcim-lite hangs on."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import CheckConstraint, DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints make Alembic migrations reproducible on SQLite and PostgreSQL
# and let error handlers recognise which rule a failed write broke.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of all ORM models; carries the shared metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


def sql_text(value: str) -> str:
    """A string as an SQL literal: quoted, an embedded quote doubled."""
    return "'" + value.replace("'", "''") + "'"


def in_choices(column: str, choices: type[StrEnum], name: str | None = None) -> CheckConstraint:
    """The check that a column holds one value of a choice set (``face IN ('front', 'rear')``).

    The set is written once, as a ``StrEnum`` in :mod:`dcim.choices`; the
    constraint is built from it, named ``<column>_valid`` unless told. Its SQL
    is the text the migrations wrote, so the models and the schema agree.
    """
    values = ", ".join(sql_text(member.value) for member in choices)
    return CheckConstraint(f"{column} IN ({values})", name=name or f"{column}_valid")
