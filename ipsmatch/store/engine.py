"""Engine creation: SQLite file permissions, pragmas and transaction control; PostgreSQL as is."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

from ipsmatch.errors import ConfigError, SchemaError, StoreError

#: seconds a writer waits for another writer (a concurrent refresh) before giving up
LOCK_TIMEOUT = 30.0


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None (in-memory or not SQLite)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database).expanduser()


def create_sqlite_file(path: Path) -> None:
    """Create the database file readable by its owner only (it holds citizen data)."""
    from ipsmatch.config import private_files

    if path.exists():
        return
    with private_files():  # a new data dir is 0700 too
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    os.chmod(path, 0o600)


def make_engine(url: str, *, create: bool = False, lock_timeout: float = LOCK_TIMEOUT) -> Engine:
    """An engine for ``url``. A missing SQLite file is created (mode 0600) only if ``create``."""
    try:
        backend = make_url(url).get_backend_name()
    except sa.exc.ArgumentError as exc:
        raise ConfigError(f"not a database URL: {url!r}",
                          hint="use a file path or e.g. postgresql+psycopg://user@host/db"
                          ) from exc
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"unsupported database {backend!r} in {url!r}",
                          hint="use a SQLite file path or postgresql+psycopg://user@host/db")
    path = sqlite_path(url)
    if path is not None and not path.exists():
        if not create:
            raise SchemaError(f"database not initialised: {path} does not exist",
                              hint="run `ipsmatch init`")
        create_sqlite_file(path)
    kwargs: dict[str, Any] = {}
    if backend == "sqlite":
        kwargs["connect_args"] = {"timeout": lock_timeout}
    try:
        engine = sa.create_engine(url, **kwargs)
    except (ModuleNotFoundError, sa.exc.NoSuchModuleError) as exc:
        raise ConfigError(f"the database driver for {url.split(':')[0]!r} is not installed",
                          hint="install the pg extra (psycopg): pip install "
                               "'<checkout or wheel>[pg]'") from exc
    if backend == "sqlite":
        _sqlite_events(engine, wal=path is not None)
    guard_personal_data(engine)
    return engine


def guard_personal_data(engine: Engine) -> None:
    """Refuse (PrivacyError) a CPR number in any text or JSON value that any statement writes
    to an ipsmatch table, on this engine.

    The last line of defence, under every writer (CLI, web, imports, a future command): the
    entry points check first and say which option or line to fix; this names the column.
    """
    if not event.contains(engine, "before_cursor_execute", _refuse_cpr):
        event.listen(engine, "before_cursor_execute", _refuse_cpr)


def _refuse_cpr(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                executemany: bool) -> None:
    if context is None or not (context.isinsert or context.isupdate):
        return
    compiled = context.compiled
    table = getattr(getattr(compiled, "statement", None), "table", None)
    if table is None or getattr(table, "metadata", None) is not _schema_metadata():
        return
    if getattr(context, "_ipsmatch_cpr_checked", False):
        return  # an insert of many rows comes here once per batch; its rows are checked
    context._ipsmatch_cpr_checked = True
    from ipsmatch.privacy import cpr_error, cpr_field

    binds = compiled.binds
    for params in context.compiled_parameters:
        for name, value in params.items():
            if isinstance(value, str):
                bad = cpr_field(value) is not None
            elif isinstance(value, dict | list):
                bind = binds.get(name)
                bad = bind is not None and isinstance(bind.type, sa.JSON) and \
                    cpr_field(value) is not None
            else:
                continue
            if bad:
                column = name if name in table.c else name.rsplit("_", 1)[0]
                raise cpr_error("database", f"{table.name}.{column}")


def _schema_metadata() -> sa.MetaData:
    from ipsmatch.store.schema import metadata

    return metadata


def _sqlite_events(engine: Engine, *, wal: bool) -> None:
    # pysqlite's own transaction handling defers BEGIN and cannot do BEGIN IMMEDIATE; take
    # control of it (the recipe from the SQLAlchemy SQLite docs).
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        # Deleted content (a forgotten citizen) is overwritten, not left in free pages.
        cur.execute("PRAGMA secure_delete=ON")
        if wal:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin")
        conn.exec_driver_sql(f"BEGIN {mode}" if mode else "BEGIN")


@contextlib.contextmanager
def write_lock(engine: Engine, timeout: float = LOCK_TIMEOUT) -> Iterator[sa.Connection]:
    """A connection inside a transaction that holds the global writer lock.

    SQLite: ``BEGIN IMMEDIATE`` (waits for the busy timeout). PostgreSQL: a transaction-scoped
    advisory lock with ``lock_timeout``. Either way a second writer waits, then fails with a
    StoreError rather than interleaving with the first.
    """
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        try:
            trans = conn.begin()
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(timeout * 1000)}ms'")
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        except sa.exc.OperationalError as exc:
            raise StoreError("another refresh is writing to the database",
                             hint=f"waited {timeout:g} s; try again when it has finished"
                             ) from exc
        with trans:
            yield conn


#: arbitrary constant naming the ipsmatch writer lock among advisory locks
_LOCK_KEY = 0x1B5_3A7C
