"""A full disk (issue #14): every command that writes says so in one line and exits 1, and
writes nothing half; suggest shows nothing it could not log. A real SQLite store on a real,
tiny file system (tmpfs, mounted for the test: needs root; skipped otherwise)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from conftest import FIXTURES, run_cli

from ipsmatch.store import Store


@contextlib.contextmanager
def tiny_disk(path: Path, size: str = "4m") -> Iterator[Path]:
    path.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                       capture_output=True, text=True, check=False)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(disk: Path) -> None:
    """Take every free block, so the next write fails with ENOSPC."""
    for name, block in (("filler", 65536), ("filler2", 512)):
        # suppress outermost: closing the file flushes, and that fails too
        with contextlib.suppress(OSError), (disk / name).open("wb", buffering=0) as fh:
            while True:
                fh.write(b"\0" * block)


def run(db: str, *args: str) -> Result:
    return run_cli(*args, db=db)


def one_line_error(r: Result) -> None:
    crashed = r.exception is not None and not isinstance(r.exception, SystemExit)
    assert not crashed and "Traceback" not in r.output, (r.exception, r.output)
    assert r.exit_code == 1, r.output
    errors = [line for line in r.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and "disk" in errors[0], r.output  # "full", or "I/O" at open


def test_writes_on_a_full_disk_are_one_line_errors(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPSMATCH_SEMANTIC", "off")
    monkeypatch.setenv("IPSMATCH_CONSULTANT", "kons-anna")
    with tiny_disk(tmp_path / "disk") as disk:
        db = f"sqlite:///{disk / 'ipsmatch.db'}"
        with Store.open(db, create=True).init() as store:
            from ipsmatch.refresh import refresh

            refresh(store, [FIXTURES / "feeds" / "demo_jobposting.jsonl"],
                    occupation_resolver=None)
        assert run(db, "citizen", "add", str(FIXTURES / "citizens" / "demo-01.json")
                   ).exit_code == 0
        with Store.open(db) as store:
            before = (len(store.list_citizens()), len(store.list_access()))
        # An empty WAL file: SQLite reuses a WAL file's old space, so without this a write
        # could still fit on the "full" disk.
        con = sqlite3.connect(disk / "ipsmatch.db")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        fill(disk)

        one_line_error(run(db, "citizen", "add", str(FIXTURES / "citizens" / "demo-02.json")))
        one_line_error(run(db, "contacts", "add", "--consultant", "kons-anna", "--cvr",
                           "12345678", "--kind", "phone"))
        r = run(db, "suggest", "demo-01")
        one_line_error(r)
        assert "Lager" not in r.output and "1." not in r.output  # nothing shown unlogged
        one_line_error(run(db, "citizen", "forget", "demo-01", "--yes"))

        for f in disk.glob("filler*"):
            f.unlink()
        with Store.open(db) as store:  # nothing half-written, nothing lost
            assert (len(store.list_citizens()), len(store.list_access())) == before
            assert store.list_contacts() == []
