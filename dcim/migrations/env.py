"""Alembic environment: runs migrations on the connection dcim-lite hands it.

``dcim init`` (and every command on a new database) calls Alembic in process
with an open connection; the ``alembic`` command line, used by developers to
write new migrations, reads the URL from ``alembic.ini`` or
``$DCIM_DATABASE_URL`` instead.

The revisions live with the layer that owns their tables (see
:func:`dcim.db.register_migrations`); this environment names no layer
above the inventory. Upgrades need no metadata. Autogenerate compares the
database with the tables of the modules ``alembic.ini`` lists under
``model_modules`` (every layer's models share one metadata).
"""

from __future__ import annotations

import importlib
import os

from alembic import context
from sqlalchemy import create_engine

from dcim.models import Base

for _module in (context.config.get_main_option("model_modules") or "").split():
    importlib.import_module(_module)

target_metadata = context.config.attributes.get("metadata", Base.metadata)


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
