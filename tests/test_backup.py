"""Backup and restore: consistent online copies, private files, checked and atomic restores,
refusals with clear messages; SQLite always, PostgreSQL (pg_dump/pg_restore) when available."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import Result
from conftest import run_cli, vacancy

from ipsmatch.domain import Employer, Vacancy
from ipsmatch.errors import SchemaError, StoreError, UsageError
from ipsmatch.feeds import FeedBatch
from ipsmatch.jobdev import Feedback
from ipsmatch.refresh import apply_batch
from ipsmatch.store import Store
from ipsmatch.store.backup import backup, restore, verify_backup
from ipsmatch.store.engine import sqlite_path, write_lock
from ipsmatch.store.migrate import head_revision
from ipsmatch.store.schema import metadata, vacancies

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
HEAD = head_revision()




def vac(ext: str) -> Vacancy:
    return vacancy(source="jobnet", external_id=ext, title=f"Lager {ext}", text="Roligt lager",
                   postcode="9000", content_hash=f"h{ext}", deadline=date(2099, 1, 1),
                   employer=Employer("Lager A/S", cvr="12345678"))


def fill(store: Store) -> None:
    apply_batch(store, FeedBatch(vacancies=[vac(str(i)) for i in range(30)]), now=T0)
    store.save_citizen("c-1", {"postcode": "9000", "wishes": ["lager"]}, "kh", date(2026, 1, 5))
    store.add_feedback(Feedback("c-1", "applied", date(2026, 1, 6), "kh",
                                vacancy=("jobnet", "1")))
    store.log_access("kh", "suggest", "c-1")


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: [tuple(r) for r in conn.execute(
                sa.select(t).order_by(*t.primary_key.columns))] for t in metadata.sorted_tables}
    finally:
        engine.dispose()


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def run(db: str, *args: str) -> Result:
    return run_cli(*args, db=db)


needs_pg_tools = pytest.mark.skipif(not shutil.which("pg_dump") or not shutil.which("pg_restore"),
                                    reason="pg_dump/pg_restore not installed")


def skip_pg_without_tools(url: str) -> None:
    if url.startswith("postgresql") and not (shutil.which("pg_dump") and
                                             shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore not installed")


def test_backup_then_restore_round_trip(db_url: str, tmp_path: Path) -> None:
    skip_pg_without_tools(db_url)
    store = Store.open(db_url, create=True).init()
    fill(store)
    original = dump(db_url)
    res = backup(db_url, tmp_path / "bk" / "ipsmatch.backup")
    assert res.revision == HEAD and res.bytes > 0
    assert mode(res.path) == 0o600
    assert not list(res.path.parent.glob(".*tmp"))  # no temp file left behind

    store.delete_citizen("c-1")
    apply_batch(store, FeedBatch(vacancies=[vac("new")]), now=T0)
    assert dump(db_url) != original
    with pytest.raises(UsageError, match="--yes"):
        restore(db_url, res.path)
    out = restore(db_url, res.path, overwrite=True)
    assert out.revision == HEAD and not out.needs_upgrade
    assert dump(db_url) == original
    assert store.get_citizen("c-1").profile["wishes"] == ["lager"]  # same Store still works
    store.close()


def test_backup_is_a_snapshot_while_a_refresh_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = Store.open(url, create=True).init()
    fill(store)
    before = dump(url)
    holding, release = threading.Event(), threading.Event()

    def refresh_in_progress() -> None:
        with contextlib.suppress(RuntimeError), write_lock(store.engine, 5) as conn:
            conn.execute(vacancies.update().values(title="half way"))
            holding.set()
            release.wait(10)
            raise RuntimeError("rolled back")

    t = threading.Thread(target=refresh_in_progress)
    t.start()
    try:
        assert holding.wait(5)
        res = backup(url, tmp_path / "during.db")  # does not wait for the writer
    finally:
        release.set()
        t.join()
    assert dump(f"sqlite:///{res.path}") == before
    assert verify_backup(res.path) == HEAD
    # single self-contained file
    con = sqlite3.connect(res.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def test_restore_replaces_a_database_with_pending_wal(tmp_path: Path) -> None:
    """The live database has committed changes still in its -wal file, and another
    connection open: a restore must win over both (os.replace would not)."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    store = Store.open(url, create=True).init()
    fill(store)
    bk = backup(url, tmp_path / "bk.db").path
    original = dump(url)
    other = sqlite3.connect(sqlite_path(url))  # type: ignore[arg-type]
    other.execute("PRAGMA wal_autocheckpoint=0")
    other.execute("UPDATE vacancies SET title='changed'")
    other.commit()
    assert Path(f"{sqlite_path(url)}-wal").stat().st_size > 0
    restore(url, bk, overwrite=True)
    assert dump(url) == original
    assert other.execute("SELECT count(*) FROM vacancies WHERE title='changed'"
                         ).fetchone() == (0,)
    other.close()
    store.close()
    assert dump(url) == original


def test_restore_into_a_missing_database_creates_it_private(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    fill(Store.open(url, create=True).init())
    bk = backup(url, tmp_path / "bk.db").path
    new_url = f"sqlite:///{tmp_path / 'new' / 'b.db'}"
    restore(new_url, bk)
    assert dump(new_url) == dump(url)
    assert mode(tmp_path / "new" / "b.db") == 0o600
    Store.open(new_url).check_schema()


def _make_backup(tmp_path: Path) -> tuple[str, Path]:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    fill(Store.open(url, create=True).init())
    return url, backup(url, tmp_path / "bk.db").path


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    url, bk = _make_backup(tmp_path)
    before = dump(url)
    data = bytearray(bk.read_bytes())
    for i in range(4096, len(data), 4096):  # damage every page after the first
        data[i + 100:i + 400] = os.urandom(300)
    bad = tmp_path / "bad.db"
    bad.write_bytes(bytes(data))
    with pytest.raises(StoreError):
        restore(url, bad, overwrite=True)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        restore(url, junk, overwrite=True)
    assert dump(url) == before


def test_restore_refuses_a_newer_schema_and_a_foreign_database(tmp_path: Path) -> None:
    url, bk = _make_backup(tmp_path)
    con = sqlite3.connect(bk)
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    with pytest.raises(SchemaError, match="newer"):
        restore(url, bk, overwrite=True)
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not an ipsmatch database"):
        restore(url, other, overwrite=True)


def test_restore_waits_for_a_writer_then_fails_clearly(tmp_path: Path) -> None:
    url, bk = _make_backup(tmp_path)
    store = Store.open(url)
    with write_lock(store.engine, 5), pytest.raises(StoreError, match="busy"):
        restore(url, bk, overwrite=True, lock_timeout=0.2)
    store.close()


def test_backup_refusals(tmp_path: Path) -> None:
    url, bk = _make_backup(tmp_path)
    with pytest.raises(UsageError, match="already exists"):
        backup(url, bk)
    backup(url, bk, overwrite=True)
    with pytest.raises(UsageError, match="itself"):
        backup(url, tmp_path / "db.sqlite", overwrite=True)
    with pytest.raises(SchemaError, match="not initialised"):
        backup(f"sqlite:///{tmp_path / 'missing.db'}", tmp_path / "x.db")


def test_cli_backup_and_restore(tmp_path: Path) -> None:
    url, _ = _make_backup(tmp_path)
    target = tmp_path / "cli.backup"
    r = run(url, "backup", str(target))
    assert r.exit_code == 0 and "backup written to" in r.output and f"schema {HEAD}" in r.output
    r = run(url, "backup", str(target))
    assert r.exit_code == 2 and "already exists" in r.output
    r = run(url, "restore", str(target))
    assert r.exit_code == 2 and "--yes" in r.output
    r = run(url, "restore", str(target), "--yes")
    assert r.exit_code == 0 and "restored" in r.output
    bad = tmp_path / "bad.db"
    bad.write_text("nope" * 1000)
    r = run(url, "restore", str(bad), "--yes")
    assert r.exit_code == 1 and "not a SQLite database" in r.output


@pytest.mark.pg
@needs_pg_tools
def test_pg_backup_without_tools_says_what_to_do(db_url: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    Store.open(db_url, create=True).init().close()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(StoreError, match="pg_dump is not installed"):
        backup(db_url, tmp_path / "x.dump")


def test_restore_refuses_a_backup_without_the_schemas_tables(db_url: str,
                                                            tmp_path: Path) -> None:
    """A file holding only the schema revision (or missing a table or a column) would leave
    an empty database behind: it is refused, and the database is unchanged."""
    skip_pg_without_tools(db_url)
    store = Store.open(db_url, create=True).init()
    with store.engine.begin() as conn:
        for t in reversed(metadata.sorted_tables):
            t.drop(conn)
    only_revision = backup(db_url, tmp_path / "only_revision.backup").path
    with store.engine.begin() as conn:
        metadata.create_all(conn)
        conn.execute(sa.text("ALTER TABLE access_log DROP COLUMN consultant"))
    no_column = backup(db_url, tmp_path / "no_column.backup").path
    with store.engine.begin() as conn:
        metadata.tables["access_log"].drop(conn)
        metadata.create_all(conn)
    fill(store)
    before = dump(db_url)
    with pytest.raises(StoreError, match=r"missing table\(s\): .*vacancies"):
        restore(db_url, only_revision, overwrite=True)
    with pytest.raises(StoreError, match=r"access_log\.consultant"):
        restore(db_url, no_column, overwrite=True)
    assert dump(db_url) == before
    store.close()
