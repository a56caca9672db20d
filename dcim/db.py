"""Connecting to the database: where it is, how SQLite is tuned, and keeping the schema current.

SQLite is the embedded default (foreign keys on, WAL, a busy timeout so that
concurrent writers queue instead of failing); PostgreSQL through psycopg 3 is
the path for larger and multi-instance deployments. Both are reached through
an ordinary SQLAlchemy URL.

The schema is one linear chain of Alembic revisions (``0001``, ``0002``, ...)
whose files live with the layer that owns the tables they touch: the
inventory's in ``dcim/migrations/versions``, an upper layer's in its own
folder, added with :func:`register_migrations` when that layer is imported.
This layer never names the layers above it; whoever opens a database
imports the layers it runs (the interfaces do), so that every folder of the
chain is known before :func:`ensure_schema` runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar, cast

from sqlalchemy import Engine, Executable, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Result, make_url
from sqlalchemy.exc import DBAPIError

# Defined once in dcim.errors; still importable from here.
from dcim.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "SCHEMA_HEAD",
    "DatabaseError",
    "ensure_schema",
    "get_engine",
    "read_connection",
    "read_session",
    "resolve_url",
    "upgrade",
    "write_session",
]
ENV_URL = "DCIM_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_MS = 60_000
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Every layer's folder of revisions, the inventory's first; see register_migrations.
_VERSION_DIRS: list[Path] = [MIGRATIONS_DIR / "versions"]
# The newest migration of the whole chain (the layers' folders together). Every command compares
# the database's alembic_version with it; knowing it here spares importing Alembic (0.4 s) just
# to learn that nothing needs doing. tests/inventory/test_schema_head.py fails when a migration is added
# without moving this.
SCHEMA_HEAD = "0016"


def default_sqlite_path() -> Path:
    """Where the default SQLite file lives: ``$XDG_DATA_HOME/dcim-lite/dcim.db``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "dcim-lite" / "dcim.db"


def resolve_url(url: str | None = None) -> str:
    """The database URL to use: the one given, else ``$DCIM_DATABASE_URL``, else the default file."""
    chosen = url or os.environ.get(ENV_URL)
    if not chosen:
        path = default_sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    parsed = make_url(chosen)
    # A bare postgresql:// URL would pick psycopg2, which this project does not install.
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _tune_sqlite(engine: Engine) -> None:
    """Foreign keys, WAL and a busy timeout on every connection; explicit BEGIN handling.

    pysqlite's own transaction handling would delay BEGIN until the first
    write; we issue BEGIN ourselves so that a writer can ask for
    ``BEGIN IMMEDIATE`` (execution option ``sqlite_begin``) and hold the
    write lock from its first read, which is what makes check-then-write safe.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """The engine for a URL (cached per process), SQLite tuned as described above."""
    resolved = resolve_url(url)
    kwargs: dict[str, Any] = {}
    if resolved.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(resolved, **kwargs)
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine)
    return engine


def is_sqlite(engine: Engine | Connection | Session) -> bool:
    """Whether the engine, connection or session talks to SQLite."""
    if isinstance(engine, Engine | Connection):
        return engine.dialect.name == "sqlite"
    return engine.get_bind().dialect.name == "sqlite"


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to the engine; objects stay readable after commit."""
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction takes the write lock at once on SQLite (``BEGIN IMMEDIATE``).

    Commits on success, rolls back on any exception. On PostgreSQL it is an
    ordinary transaction; callers lock rows with ``SELECT ... FOR UPDATE``.
    """
    from sqlalchemy.orm import Session

    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(engine) else engine
    with Session(bind=bind, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; it never writes and rolls back at the end.

    What it reads is one moment of the database: SQLite's read transaction is a
    snapshot, and on PostgreSQL the session reads at REPEATABLE READ, so that a
    check's dozen statements do not each see the commits made between them.
    """
    from sqlalchemy.orm import Session

    with Session(bind=_snapshot_bind(engine), expire_on_commit=False) as session:
        yield session


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """:func:`read_session`'s moment of the database, read through a bare connection.

    For a process that only reads (``dcim check``): the capacity engine reads
    columns (:mod:`dcim.core_tables`), which a connection runs as a session
    would, and a process that opens no session never imports the ORM (a tenth
    of a check's start-up).
    """
    with _snapshot_bind(engine).connect() as connection, connection.begin() as transaction:
        yield connection
        transaction.rollback()


#: What reads the database: an ORM session, or a connection where no session is needed.
Reader: TypeAlias = "Session | Connection"


def column_rows(
    session: Reader, statement: Executable, params: dict[str, Any] | None = None
) -> Result[Any]:
    """The rows of a query of columns (not of entities) in the reader's transaction.

    A session's pending changes are flushed first, as ``session.execute`` would;
    the rows then come from the session's connection, which skips the ORM's
    result machinery: 22 µs for a one-row query against 59 µs, and 1.4 ms against
    2.2 ms for the thousand rows of a national room's racks. ``params`` are
    the values of a statement's ``bindparam`` placeholders (see
    :class:`dcim.occupancy.Scope` for statements built once and kept).
    """
    if isinstance(session, Connection):
        return session.execute(statement, params)
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)


def held_or_read(session: Reader, table: Any, ident: Any, statement: Executable) -> Any:
    """The row of ``table`` (a class of :mod:`dcim.core_tables`) with primary key ``ident`` as
    this session holds it (perhaps edited and not flushed), else the first row of
    ``statement``, a query of its columns.

    For the one-row settings every check reads: an ORM ``get`` of such a row cost a check
    on PostgreSQL half a millisecond of client time, reading its columns a tenth of that.
    The session's row is looked up through the model of the table's name: a session holds
    rows only as instances of the models, which it can do only once :mod:`dcim.models` is
    imported, so a reader need not import it. A connection holds no rows.
    """
    models = sys.modules.get("dcim.models")
    if models is not None and not isinstance(session, Connection):
        model = getattr(models, table.__name__)
        held = session.identity_map.get(session.identity_key(model, ident))
        if held is not None:
            return held
    return column_rows(session, statement).first()


_MEMO = "memo"
_TRANSACTION_INFO = "transaction_info"
T = TypeVar("T")


def reader_info(reader: Reader) -> dict[Any, Any]:
    """A dictionary for values kept while the reader's transaction lasts, or a session's life.

    A session's ``info`` ends with the session. A connection's ``info`` lives as long as the
    pooled database connection, through many transactions, so a connection gets a dictionary
    of its current transaction's instead.
    """
    if isinstance(reader, Connection):
        transaction = reader.get_transaction()
        kept = reader.info.get(_TRANSACTION_INFO)
        if kept is None or kept[0] is not transaction:
            kept = (transaction, {})
            reader.info[_TRANSACTION_INFO] = kept
        return kept[1]
    return reader.info


def session_memo(session: Reader, key: str, tables: frozenset[str], read: Callable[[], T]) -> T:
    """``read()`` once per transaction of the session: a value of the rows of ``tables`` only.

    The policy, the thresholds and the time zone were read four times by one hold (each a
    round trip); they change only when someone edits them. A pending change to a row of
    ``tables`` in this session reads again; a flush of one, or the end of the transaction,
    forgets the value (:func:`_forget_flushed`, :func:`_forget_all`). Through a connection
    nothing is pending and the value lasts the connection's transaction.
    """
    if not isinstance(session, Connection):
        _watch_sessions()
    memo: dict[str, tuple[frozenset[str], Any]] = reader_info(session).setdefault(_MEMO, {})
    kept = memo.get(key)
    pending = set() if isinstance(session, Connection) else _pending_tables(session)
    if kept is not None and not tables & pending:
        return cast(T, kept[1])
    value = read()
    memo[key] = (tables, value)
    return value


def _pending_tables(session: Session) -> set[str]:
    """The tables of the rows this session has added, changed or deleted and not yet flushed."""
    changed = (*session.new, *session.dirty, *session.deleted)
    return {getattr(obj, "__tablename__", "") for obj in changed}


@cache
def _watch_sessions() -> None:
    """Listen, from the first memo on, for the session events that make a memo stale.

    Registered on the first use rather than at import, so that importing this module does not
    import the ORM; no session has a memo before then.
    """
    from sqlalchemy.orm import Session

    event.listen(Session, "before_flush", _forget_flushed)
    event.listen(Session, "after_transaction_end", _forget_all)


def _forget_flushed(session: Session, _context: Any, _instances: Any) -> None:
    memo = session.info.get(_MEMO)
    if memo:
        flushed = _pending_tables(session)
        for key, (tables, _) in list(memo.items()):
            if tables & flushed:
                del memo[key]


def _forget_all(session: Session, transaction: Any) -> None:
    # Only at the end of the session's own transaction: each flush runs in a subtransaction.
    if transaction.parent is None:
        session.info.pop(_MEMO, None)


@lru_cache(maxsize=8)
def _snapshot_bind(engine: Engine) -> Engine:
    if is_sqlite(engine):
        return engine
    # psycopg applies the level to the connection's next BEGIN: no round trip of its own.
    return engine.execution_options(isolation_level="REPEATABLE READ")


# --- schema -------------------------------------------------------------------------------------


def register_migrations(versions: Path) -> None:
    """Add a layer's folder of revisions to the chain; registering it again does nothing."""
    resolved = versions.resolve()
    if resolved not in _VERSION_DIRS:
        _VERSION_DIRS.append(resolved)
        _ready.clear()


def migration_dirs() -> tuple[Path, ...]:
    """The folders of revisions registered so far, the inventory's first."""
    return tuple(_VERSION_DIRS)


def _separator_option() -> str:
    import alembic

    major, minor = (int(part) for part in alembic.__version__.split(".")[:2])
    return "path_separator" if (major, minor) >= (1, 16) else "version_path_separator"


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # One chain across the layers' folders, split on os.pathsep so that a path may hold spaces
    # (Alembic 1.16 renamed the option that says so).
    config.set_main_option(_separator_option(), "os")
    config.set_main_option("version_locations", os.pathsep.join(str(d) for d in _VERSION_DIRS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration shipped with this version of dcim-lite, as Alembic reads it.

    Imports Alembic; the start-up path uses :data:`SCHEMA_HEAD` instead, and a
    test keeps the two equal. A :class:`DatabaseError` when the chain has a
    gap: a revision names a predecessor in a layer whose folder was not
    registered.
    """
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    config = _alembic_config(None)  # type: ignore[arg-type]
    try:
        head = ScriptDirectory.from_config(config).get_current_head()
    except (CommandError, KeyError) as exc:  # a missing predecessor is a KeyError in Alembic
        folders = ", ".join(str(d) for d in _VERSION_DIRS)
        raise DatabaseError(
            f"the schema's migrations are incomplete ({exc}); registered folders: {folders}. "
            "Import the layer that owns the missing revision before opening the database."
        ) from exc
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for a database without our schema.

    One SELECT on the common path; only when it fails is the catalog asked
    whether the table exists, so that a missing table (a new database) is told
    apart from a database that cannot be read.
    """
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            conn.rollback()
            if inspect(conn).has_table("alembic_version"):
                raise
            return None


def upgrade(engine: Engine) -> None:
    """Create the schema, or bring it up to the newest migration."""
    from alembic import command

    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
    except Exception as exc:  # pragma: no cover - depends on the server
        raise DatabaseError(f"cannot create or upgrade the schema: {exc}") from exc


_ready: set[str] = set()


def ensure_schema(engine: Engine) -> None:
    """Make sure the schema exists and is current; cheap after the first call in a process."""
    key = engine.url.render_as_string(hide_password=False)
    if key in _ready:
        return
    try:
        revision = current_revision(engine)
    except Exception as exc:
        raise DatabaseError(f"cannot open database {engine.url!r}: {exc}") from exc
    if revision != SCHEMA_HEAD:
        upgrade(engine)
    _ready.add(key)
