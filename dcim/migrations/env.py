"""Alembic environment: runs migrations on the connection dcim-lite hands it.

``dcim init`` (and every command on a new database) calls Alembic in process
with an open connection; the ``alembic`` command line, used by developers to
write new migrations, reads the URL from ``alembic.ini`` or
``$DCIM_DATABASE_URL`` instead.
"""

from __future__ import annotations

import contextlib
import os

from alembic import context
from sqlalchemy import create_engine

import dcim.models
from dcim.models import Base

# Tables of the upper layers share the metadata; import them when present so that
# autogenerate sees the whole database. Upgrades never need this import.
for _module in ("colocation.models",):
    with contextlib.suppress(ImportError):
        __import__(_module)

target_metadata = Base.metadata
assert dcim.models  # keep the import: it registers the inventory tables


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = os.environ.get("DCIM_DATABASE_URL") or context.config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
