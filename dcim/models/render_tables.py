"""Write :mod:`dcim.core_tables`, the inventory's tables for reads that map no class, from the models.

Run ``make tables`` (``python -m dcim.models.render_tables``) after changing a model;
``tests/inventory/test_core_tables.py`` fails until it has been run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import Column

from dcim.models import Base

TARGET = Path(__file__).resolve().parent.parent / "core_tables.py"

HEADER = '''"""The inventory's tables as SQLAlchemy Core sees them, for reads that map no class.

Generated from :mod:`dcim.models` by ``make tables``; do not edit.
``tests/inventory/test_core_tables.py`` fails when it no longer matches the models.

A ``dcim check`` process is mostly start-up, and most of that start-up was the ORM:
importing it, mapping the models' classes and configuring their relationships cost
about as much as importing SQLAlchemy itself. The capacity engine only reads, so it
reads through these plain tables instead. Each class below holds one table's columns
under the model's attribute names: a query reads as it would on the model
(``select(Rack.id).where(Rack.status == ...)``), runs through an ORM session or a bare
connection alike, and the models stay the one place the schema is written. Writes go
through the models.
"""

from typing import ClassVar

from sqlalchemy import {types}

from dcim.sqltypes import Milli

metadata = MetaData()


class Columns:
    """A table's columns as class attributes; the class itself stands for the table
    (``select_from(Rack)``, ``join(Reservation, ...)``), as a mapped class would."""

    __table__: ClassVar[Table]

    @classmethod
    def __clause_element__(cls) -> Table:
        return cls.__table__
'''


def _column(column: Column) -> str:
    if column.key != column.name:
        raise ValueError(f"{column.table.name}.{column.name} is mapped as {column.key!r}")
    parts = [repr(column.name), repr(column.type)]
    parts += [f"ForeignKey({fk.target_fullname!r})" for fk in column.foreign_keys]
    if column.primary_key:
        parts.append("primary_key=True")
    return f"Column({', '.join(parts)})"


def render() -> str:
    """The source of :mod:`dcim.core_tables` for the models as they are."""
    classes = sorted(
        (mapper.class_.__name__, mapper.local_table)
        for mapper in Base.registry.mappers
        if mapper.class_.__module__.startswith("dcim.models.")
    )
    used = {"Column", "MetaData", "Table"}
    bodies = []
    for name, table in classes:
        columns = list(table.columns)
        used |= {type(c.type).__name__ for c in columns} - {"Milli"}
        if any(c.foreign_keys for c in columns):
            used.add("ForeignKey")
        lines = [
            f"class {name}(Columns):",
            f'    """The columns of ``{table.name}`` (:class:`dcim.models.{name}`)."""',
            "",
            "    __table__ = Table(",
            f"        {table.name!r},",
            "        metadata,",
            *(f"        {_column(c)}," for c in columns),
            "    )",
            *(f"    {c.key} = __table__.c.{c.key}" for c in columns),
        ]
        bodies.append("\n".join(lines))
    # One name a line, constants (``JSON``) first, as ``ruff format`` and isort leave them.
    names = sorted(used, key=lambda n: (not n.isupper(), n))
    header = HEADER.replace("{types}", "(\n" + "".join(f"    {n},\n" for n in names) + ")")
    return header + "\n\n" + "\n\n\n".join(bodies).replace("'", '"') + "\n"


def main() -> None:
    """Write the module, or with ``--check`` only say whether it is current (exit 1 if not)."""
    source = render()
    if "--check" in sys.argv[1:]:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        sys.exit(0 if current == source else 1)
    TARGET.write_text(source, encoding="utf-8")
    print(f"wrote {TARGET} ({len(Base.registry.mappers)} models)")


if __name__ == "__main__":
    main()
