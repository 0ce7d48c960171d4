"""Backup and restore of the ipsmatch database.

SQLite: SQLite's own online backup API. A backup is a consistent snapshot even while a
refresh writes (WAL readers never block), written to a temporary file, checked, and renamed
into place, readable by its owner only. A restore checks the backup (``integrity_check`` and a
schema revision this ipsmatch knows) and copies it *into* the live database with the same
API, in one write transaction: other processes see the old or the new database, never a mix,
and a crash half way leaves the old one. (Replacing the file with ``os.replace`` would not be
safe: a ``-wal`` file left beside it would be replayed onto the new file, and a process with
the old file open would keep writing to a deleted inode.)

PostgreSQL: PostgreSQL's own tools, ``pg_dump --format=custom`` and ``pg_restore
--single-transaction --clean``; ipsmatch only runs them with the right arguments.

    >>> backup("sqlite:///ipsmatch.db", Path("backup.db"))     # doctest: +SKIP
    BackupResult(path=..., bytes=..., revision='0001', tool='sqlite3 backup API')
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from ipsmatch.errors import SchemaError, StoreError, UsageError
from ipsmatch.store import migrate
from ipsmatch.store.engine import LOCK_TIMEOUT, create_sqlite_file, sqlite_path

PG_HINT = ("install the PostgreSQL client tools (Debian: apt-get install postgresql-client), "
           "or run pg_dump --format=custom / pg_restore yourself (see docs/operations.md)")


@dataclass
class BackupResult:
    """Where the backup went, its size and the schema revision it holds."""

    path: Path
    bytes: int
    revision: str | None
    tool: str


@dataclass
class RestoreResult:
    """The database restored, and its schema revision before and after."""

    db: str
    revision_before: str | None
    revision: str
    #: True when the restored schema is older than this ipsmatch: run ``ipsmatch init``
    needs_upgrade: bool


# --- SQLite ------------------------------------------------------------------------------------

def _connect(path: Path, *, readonly: bool = False, timeout: float = LOCK_TIMEOUT
             ) -> sqlite3.Connection:
    if readonly:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
    return sqlite3.connect(path, timeout=timeout)


def _revision(con: sqlite3.Connection) -> str | None:
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def _integrity(con: sqlite3.Connection, what: str) -> None:
    rows = con.execute("PRAGMA integrity_check").fetchall()
    if rows != [("ok",)]:
        first = "; ".join(str(r[0]) for r in rows[:3])
        raise StoreError(f"{what} is damaged: {first}",
                         hint="use another backup; do not restore this one")


def verify_backup(path: Path | str) -> str:
    """Check a SQLite backup file; return its schema revision.

    Raises StoreError if it is not a readable, intact ipsmatch database, and SchemaError if
    it was written by a newer ipsmatch."""
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"no backup file {p}", hint="give the file `ipsmatch backup` wrote")
    try:
        con = _connect(p, readonly=True)
        try:
            _integrity(con, f"backup {p}")
            rev = _revision(con)
            have = {t: {c[1] for c in con.execute(f'PRAGMA table_info("{t}")')}
                    for (t,) in con.execute("SELECT name FROM sqlite_master "
                                            "WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{p} is not a SQLite database ({exc})",
                         hint="give a file written by `ipsmatch backup`") from None
    rev = _check_revision(p, rev, "database")
    _check_complete(str(p), have, rev)
    return rev


def _check_complete(name: str, have: dict[str, set[str]], rev: str) -> None:
    missing = migrate.missing_schema(have, rev)
    if missing:
        raise StoreError(f"backup {name} is not a whole ipsmatch database (schema {rev}, "
                         f"{missing}); nothing was restored",
                         hint="give a file written by `ipsmatch backup`")


@contextlib.contextmanager
def _temp_beside(dest: Path) -> Iterator[Path]:
    """A private temporary file next to ``dest``; removed unless renamed into place."""
    from ipsmatch.config import private_files

    with private_files():  # new folders 0700: a backup names citizens
        dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    old = os.umask(0o077)
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    finally:
        os.umask(old)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _backup_sqlite(src_path: Path, dest: Path) -> BackupResult:
    if not src_path.exists():
        raise SchemaError(f"database not initialised: {src_path} does not exist",
                          hint="run `ipsmatch init`")
    with _temp_beside(dest) as tmp:
        src = _connect(src_path)
        dst = _connect(tmp)
        try:
            # One step (pages=-1): the copy is one read transaction, i.e. one snapshot.
            src.backup(dst, pages=-1)
            # A self-contained single file: no -wal beside the backup.
            dst.execute("PRAGMA journal_mode=DELETE")
            _integrity(dst, "the new backup")
            rev = _revision(dst)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"backup of {src_path} failed: {exc}") from None
        finally:
            dst.close()
            src.close()
        _fsync(tmp)
        os.replace(tmp, dest)
    os.chmod(dest, 0o600)
    return BackupResult(dest, dest.stat().st_size, rev, "sqlite3 backup API")


def _restore_sqlite(target: Path, src_path: Path, url: str, lock_timeout: float
                    ) -> RestoreResult:
    rev = verify_backup(src_path)
    if not target.exists():
        create_sqlite_file(target)
    dst = _connect(target, timeout=lock_timeout)
    try:
        before = _revision(dst)
        try:
            # Fail clearly (not wait forever in the backup loop) while a refresh is writing.
            dst.execute("BEGIN IMMEDIATE")
            dst.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            raise StoreError("the database is busy (a refresh is writing)",
                             hint="try again when it has finished") from exc
        src = _connect(src_path, readonly=True)
        try:
            src.backup(dst, pages=-1)
        finally:
            src.close()
        _integrity(dst, f"restored database {target}")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"restore into {target} failed, the database is unchanged: {exc}"
                         ) from None
    finally:
        dst.close()
    os.chmod(target, 0o600)
    return RestoreResult(url, before, rev, rev != migrate.head_revision())


# --- PostgreSQL ----------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise StoreError(f"{name} is not installed: PostgreSQL is backed up with its own "
                         f"tools", hint=PG_HINT)
    return tool


def _pg_args(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password (that goes in PGPASSWORD, not on the command line,
    where other users could read it)."""
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    libpq = u.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return libpq, env


def _run(cmd: list[str], env: dict[str, str], what: str) -> str:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        first = (proc.stderr.strip().splitlines() or ["no message"])[0]
        raise StoreError(f"{what} failed: {first}", hint="see docs/operations.md")
    return proc.stdout


def _backup_pg(url: str, dest: Path) -> BackupResult:
    pg_dump = _pg_tool("pg_dump")
    libpq, env = _pg_args(url)
    with _temp_beside(dest) as tmp:
        _run([pg_dump, "--format=custom", "--no-owner", f"--file={tmp}", f"--dbname={libpq}"],
             env, "pg_dump")
        rev = _pg_dump_revision(tmp, env)
        _fsync(tmp)
        os.replace(tmp, dest)
    os.chmod(dest, 0o600)
    return BackupResult(dest, dest.stat().st_size, rev, "pg_dump --format=custom")


def _pg_dump_revision(path: Path, env: dict[str, str]) -> str | None:
    """The alembic revision inside a pg_dump custom-format file (read without restoring)."""
    out = _run([_pg_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-",
                str(path)], env, "pg_restore (reading the backup)")
    m = re.search(r"^COPY [^\n]*alembic_version[^\n]*FROM stdin;\n([^\n\\]+)\n", out, re.M)
    return m.group(1).strip() if m else None


def _pg_dump_tables(path: Path, env: dict[str, str]) -> dict[str, set[str]]:
    """The tables (name -> columns) a pg_dump custom-format file creates."""
    out = _run([_pg_tool("pg_restore"), "--schema-only", "--file=-", str(path)], env,
               "pg_restore (reading the backup)")
    tables: dict[str, set[str]] = {}
    for m in re.finditer(r"^CREATE TABLE (?:\w+\.)?\"?(\w+)\"? \((.*?)^\);", out, re.M | re.S):
        cols = re.findall(r"^\s+\"?(\w+)\"? ", m.group(2), re.M)
        tables[m.group(1)] = {c for c in cols if c.upper() != "CONSTRAINT"}
    return tables


def _check_revision(path: Path, rev: str | None, what: str) -> str:
    """The schema revision of the backup at ``path``, which this ipsmatch must know."""
    if rev is None:
        raise StoreError(f"{path} is not an ipsmatch {what} (no schema revision)",
                         hint="give a file written by `ipsmatch backup`")
    if rev not in migrate.known_revisions():
        raise SchemaError(f"backup {path} has schema {rev}, newer than this ipsmatch knows",
                          hint="upgrade ipsmatch before restoring it")
    return rev


def _restore_pg(url: str, src_path: Path) -> RestoreResult:
    if not src_path.is_file():
        raise UsageError(f"no backup file {src_path}", hint="give the file `ipsmatch backup` wrote")
    libpq, env = _pg_args(url)
    rev = _pg_dump_revision(src_path, env)
    rev = _check_revision(src_path, rev, "pg_dump backup")
    _check_complete(str(src_path), _pg_dump_tables(src_path, env), rev)
    before = _pg_current(url)
    _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
          "--single-transaction", "--exit-on-error", f"--dbname={libpq}", str(src_path)],
         env, "pg_restore")
    return RestoreResult(make_url(url).render_as_string(hide_password=True), before, rev,
                         rev != migrate.head_revision())


def _pg_current(url: str) -> str | None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with migrate.reachable(engine), engine.connect() as conn:
            return migrate.current_revision(conn)
    finally:
        engine.dispose()


# --- public API ---------------------------------------------------------------------------------

def backup(url: str, dest: Path | str, *, overwrite: bool = False) -> BackupResult:
    """Write a consistent backup of the database at ``url`` to ``dest`` (mode 0600)."""
    dest = Path(dest).expanduser()
    if dest.exists() and not overwrite:
        raise UsageError(f"{dest} already exists", hint="choose a new file name, or --force")
    if dest.is_dir():
        raise UsageError(f"{dest} is a directory", hint="give a file name")
    backend = _backend(url)
    if backend == "postgresql":
        return _backup_pg(url, dest)
    path = sqlite_path(url)
    if path is None:
        raise UsageError("an in-memory database cannot be backed up")
    _not_a_directory(path)
    if path.resolve() == dest.resolve():
        raise UsageError("the backup file is the database itself", hint="choose another file")
    return _backup_sqlite(path, dest)


def restore(url: str, src: Path | str, *, overwrite: bool = False,
            lock_timeout: float = LOCK_TIMEOUT) -> RestoreResult:
    """Replace the database at ``url`` with the backup ``src`` (checked first).

    ``overwrite`` must be True when the database exists: everything in it now is replaced."""
    src = Path(src).expanduser()
    backend = _backend(url)
    if backend == "postgresql":
        if not overwrite:
            raise UsageError("restore replaces everything in the database",
                             hint="add --yes to confirm")
        return _restore_pg(url, src)
    target = sqlite_path(url)
    if target is None:
        raise UsageError("cannot restore into an in-memory database")
    _not_a_directory(target)
    if target.exists() and target.stat().st_size > 0 and not overwrite:
        raise UsageError(f"restore replaces everything in {target}",
                         hint="add --yes to confirm; make a backup of it first if unsure")
    if target.exists() and src.exists() and target.resolve() == src.resolve():
        raise UsageError("the backup file is the database itself")
    return _restore_sqlite(target, src, url, lock_timeout)


def _not_a_directory(db: Path) -> None:
    if db.is_dir():
        raise UsageError(f"the database {db} is a directory",
                         hint="give the database file's path with --db / IPSMATCH_DB")


def _backend(url: str) -> str:
    try:
        return make_url(url).get_backend_name()
    except Exception as exc:
        raise UsageError(f"not a database URL: {url!r}") from exc
