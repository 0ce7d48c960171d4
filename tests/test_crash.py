"""Crash safety: a real ``ipsmatch index refresh`` subprocess is SIGKILLed at named stages
(``IPSMATCH_TEST_KILL_AT``, honoured by ipsmatch.refresh.crash_point) and after timed delays.

After each kill the database must be exactly as before that refresh (every row of every
table), pass ``PRAGMA integrity_check`` (SQLite), and the next refresh must complete with
the expected counts. Runs on SQLite and, with IPSMATCH_TEST_PG_URL, on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import REPO

from ipsmatch.refresh import CRASH_STAGES
from ipsmatch.store import Store
from ipsmatch.store.engine import sqlite_path
from ipsmatch.store.schema import metadata, vacancies

POSTCODES = ["9000", "8000", "2100", "5000", "7100", "6700", "4000", "3400"]


def job(i: int, version: str = "a") -> dict[str, Any]:
    """One schema.org JobPosting; ``version`` changes the text (and so the content hash)."""
    return {
        "@type": "JobPosting", "identifier": f"ad-{i}",
        "title": f"Lagermedarbejder {i}",
        "description": f"<p>Vi søger en medarbejder ({version}) til lageret. "
                       f"Arbejdstid {15 + i % 20} timer om ugen, dagarbejde.</p>",
        "datePosted": "2026-11-01", "validThrough": "2099-12-31",
        "hiringOrganization": {"name": f"Firma {i % 150} ApS"},
        "jobLocation": {"address": {"postalCode": POSTCODES[i % len(POSTCODES)]}},
    }


def write_feed(path: Path, ids: range, changed: set[int] | None = None) -> Path:
    changed = changed or set()
    with path.open("w", encoding="utf-8") as fh:
        for i in ids:
            fh.write(json.dumps(job(i, "b" if i in changed else "a"), ensure_ascii=False) + "\n")
    return path


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every ipsmatch table, in primary-key order."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: [tuple(r) for r in conn.execute(
                sa.select(t).order_by(*t.primary_key.columns))]
                for t in metadata.sorted_tables}
    finally:
        engine.dispose()


def integrity_ok(url: str) -> None:
    path = sqlite_path(url)
    if path is None:
        return
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()


def cli(url: str, *args: str, kill_at: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)}
    env.pop("IPSMATCH_TEST_KILL_AT", None)
    if kill_at:
        env["IPSMATCH_TEST_KILL_AT"] = kill_at
    return subprocess.Popen([sys.executable, "-m", "ipsmatch", "--db", url, *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def counts_of(out: str) -> tuple[int, ...]:
    m = re.search(r"added (\d+), updated (\d+), unchanged (\d+), expired (\d+), rejected (\d+)",
                  out)
    assert m, out
    return tuple(int(x) for x in m.groups())


def seed(db_url: str, tmp_path: Path, n: int) -> Path:
    """Load a base feed of ``n`` ads; return a second feed that drops the first 10 %,
    changes the next 10 %, keeps the rest and adds n/4 new ones."""
    from ipsmatch.refresh import refresh

    base = write_feed(tmp_path / "base.jsonl", range(n))
    with Store.open(db_url, create=True).init() as store:
        assert refresh(store, [base], snapshot=True).added == n
    tenth = n // 10
    return write_feed(tmp_path / "next.jsonl", range(tenth, n + n // 4),
                      changed=set(range(tenth, 2 * tenth)))


def expected(n: int) -> tuple[int, ...]:
    """(added, updated, unchanged, expired, rejected) of the second refresh."""
    tenth = n // 10
    return (n // 4, tenth, n - 2 * tenth, tenth, 0)


def run_ok(url: str, feed: Path) -> tuple[int, ...]:
    proc = cli(url, "index", "refresh", str(feed), "--snapshot")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return counts_of(out)


def kill_and_check(url: str, feed: Path, n: int, stage: str) -> None:
    before = dump(url)
    proc = cli(url, "index", "refresh", str(feed), "--snapshot", kill_at=stage)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == -signal.SIGKILL, (out, err)
    integrity_ok(url)
    after_kill = dump(url)
    if stage == "after_commit":
        # Committed before the kill: the refresh is complete; running it again changes
        # nothing but last_seen.
        assert after_kill != before
        assert len(after_kill["vacancies"]) == n + n // 4
        assert run_ok(url, feed) == (0, 0, n + n // 4 - n // 10, 0, 0)
    else:
        assert after_kill == before
        assert run_ok(url, feed) == expected(n)
    integrity_ok(url)


def test_refresh_killed_at_every_stage_in_turn(db_url: str, tmp_path: Path) -> None:
    """One database, one killed refresh per stage before the commit (each must leave every
    row as it was), then a kill just after the commit (the refresh must be complete)."""
    n = 240
    feed = seed(db_url, tmp_path, n)
    before = dump(db_url)
    for stage in CRASH_STAGES:
        proc = cli(db_url, "index", "refresh", str(feed), "--snapshot", kill_at=stage)
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == -signal.SIGKILL, (stage, out, err)
        integrity_ok(db_url)
        if stage != "after_commit":
            assert dump(db_url) == before, f"killed at {stage!r} changed the database"
    after = dump(db_url)
    assert len(after["vacancies"]) == n + n // 4
    i_expired = list(vacancies.c.keys()).index("expired_at")
    assert sum(1 for r in after["vacancies"] if r[i_expired] is None) == n + n // 4 - n // 10
    assert len(after["refresh_runs"]) == len(before["refresh_runs"]) + 1
    assert run_ok(db_url, feed) == (0, 0, n + n // 4 - n // 10, 0, 0)


@pytest.mark.slow
@pytest.mark.parametrize("stage", CRASH_STAGES)
def test_refresh_killed_at_each_stage(db_url: str, tmp_path: Path, stage: str) -> None:
    """A fresh database per stage, and the next refresh's counts checked each time."""
    n = 240
    kill_and_check(db_url, seed(db_url, tmp_path, n), n, stage)


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["employers", "inserted", "updated", "before_commit"])
def test_big_refresh_killed_at_a_stage(db_url: str, tmp_path: Path, stage: str) -> None:
    """A few thousand ads, several insert/update chunks written before the kill."""
    n = 4000
    kill_and_check(db_url, seed(db_url, tmp_path, n), n, stage)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.2, 2.8])
def test_refresh_killed_after_a_delay(db_url: str, tmp_path: Path, delay: float) -> None:
    """Kills at arbitrary moments: the state is either the old one or the complete new one."""
    n = 2000
    feed = seed(db_url, tmp_path, n)
    before = dump(db_url)
    proc = cli(db_url, "index", "refresh", str(feed), "--snapshot")
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    integrity_ok(db_url)
    after = dump(db_url)
    if proc.returncode == 0 or after != before:
        assert len(after["vacancies"]) == n + n // 4
        assert run_ok(db_url, feed) == (0, 0, n + n // 4 - n // 10, 0, 0)
    else:
        assert run_ok(db_url, feed) == expected(n)
