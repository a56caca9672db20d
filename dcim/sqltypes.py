"""Column types of dcim-lite's own, shared by the ORM models and the read-only tables.

They live outside :mod:`dcim.models` so that :mod:`dcim.core_tables` can use them without
mapping a single class.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Dialect
from sqlalchemy.types import TypeDecorator

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
