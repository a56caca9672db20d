"""The models describe the schema the migrations build, table by table.

The schema is made by Alembic (``dcim/migrations``); the models are what the
code reads and writes. Both are written by hand, the models partly from shared
pieces (the choice sets' check constraints, the placement mixin of devices and
holds), so they are compared here on a SQLite database each: columns, keys,
indexes and check constraints by name and SQL. A value added to a choice set,
or a column added to a model, without a migration fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, inspect

import colocation.models  # noqa: F401  (its tables belong to the metadata compared)
from dcim.db import ensure_schema, get_engine
from dcim.models import Base


def _shape(engine: Engine, table: str) -> dict[str, Any]:
    inspector = inspect(engine)
    return {
        "columns": {
            (column["name"], str(column["type"]), column["nullable"])
            for column in inspector.get_columns(table)
        },
        "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
        "foreign keys": {
            (
                tuple(key["constrained_columns"]),
                key["referred_table"],
                tuple(key["referred_columns"]),
                (key.get("options") or {}).get("ondelete"),
            )
            for key in inspector.get_foreign_keys(table)
        },
        "unique": {
            (unique["name"], tuple(unique["column_names"]))
            for unique in inspector.get_unique_constraints(table)
        },
        "indexes": {
            (index["name"], tuple(index["column_names"]), bool(index["unique"]))
            for index in inspector.get_indexes(table)
        },
        "checks": {
            check["name"]: re.sub(r"\s+", " ", check["sqltext"]).strip()
            for check in inspector.get_check_constraints(table)
        },
    }


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Engine]]:
    """A database built by the migrations, and one built from the models alone."""
    folder: Path = tmp_path_factory.mktemp("schemas")
    migrated = get_engine(f"sqlite:///{folder / 'migrated.db'}")
    ensure_schema(migrated)
    from_models = create_engine(f"sqlite:///{folder / 'models.db'}")
    Base.metadata.create_all(from_models)
    yield migrated, from_models
    migrated.dispose()
    from_models.dispose()


def test_the_migrations_create_every_table_of_the_models(
    databases: tuple[Engine, Engine],
) -> None:
    migrated, _ = databases
    assert set(Base.metadata.tables) <= set(inspect(migrated).get_table_names())


@pytest.mark.parametrize("table", sorted(Base.metadata.tables))
def test_a_table_of_the_models_is_the_table_the_migrations_created(
    databases: tuple[Engine, Engine], table: str
) -> None:
    migrated, from_models = databases
    assert _shape(from_models, table) == _shape(migrated, table)
