"""A shared database: a refresh writing while consultants' processes read, and two refreshes
at once. Runs on SQLite (WAL) and, when IPSMATCH_TEST_PG_URL is set, on PostgreSQL.

The slow refresh is a real refresh paused just before its COMMIT (its last statement has run),
so readers are tested against the worst moment: everything written, nothing committed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import vacancy

from ipsmatch.domain import Employer, Vacancy
from ipsmatch.errors import StoreError
from ipsmatch.feeds import FeedBatch
from ipsmatch.refresh import apply_batch
from ipsmatch.store import Store, runs
from ipsmatch.store.schema import refresh_runs, vacancies

REPO = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=1)
#: how long the paused refresh holds its transaction open while readers run
HOLD = 1.5
OLD, KEPT, NEW = 200, 100, 150   # night 1: 200 ads; night 2: 100 of them + 150 new (snapshot)


def ads(ids: range, tag: str = "a") -> list[Vacancy]:
    return [vacancy(source="jobnet", external_id=str(i), title=f"Lagermedarbejder {i}",
                    text=f"Tekst {tag}", content_hash=f"{i}{tag}", postcode="9000",
                    deadline=date(2026, 12, 31),
                    employer=Employer(f"Firma {i % 20}", cvr=f"{10000000 + i % 20}"))
            for i in ids]


def night1() -> FeedBatch:
    return FeedBatch(vacancies=ads(range(OLD)))


def night2() -> FeedBatch:
    # Half the old ads stay (some changed), the rest vanish, and new ones arrive.
    return FeedBatch(vacancies=ads(range(KEPT // 2)) + ads(range(KEPT // 2, KEPT), "b")
                     + ads(range(1000, 1000 + NEW)))


def active(store: Store) -> int:
    return store.count_vacancies()


def paused_commit(monkeypatch: pytest.MonkeyPatch, thread_name: str, inside: threading.Event,
                  release: threading.Event) -> None:
    """Make the refresh run by thread ``thread_name`` wait (lock held) just before COMMIT."""
    original = runs.record_run

    def record_then_wait(*args: Any, **kw: Any) -> int:
        run_id = original(*args, **kw)
        if threading.current_thread().name == thread_name:
            inside.set()
            release.wait(30)
        return run_id

    monkeypatch.setattr(runs, "record_run", record_then_wait)


def read_while(store: Store, stop: threading.Event, seconds: float) -> tuple[set[int], float]:
    """Count active ads over and over for ``seconds`` (or until ``stop``); returns the counts
    seen and the slowest single read."""
    seen: set[int] = set()
    worst = 0.0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end and not stop.is_set():
        t = time.perf_counter()
        seen.add(active(store))
        worst = max(worst, time.perf_counter() - t)
        time.sleep(0.01)
    return seen, worst


def slow_refresh(store: Store, monkeypatch: pytest.MonkeyPatch
                 ) -> tuple[threading.Event, threading.Event, threading.Thread]:
    """The second night's refresh on ``store`` in a thread, paused inside its commit:
    ``inside`` is set once it holds the write lock, ``release`` lets it finish."""
    inside, release = threading.Event(), threading.Event()
    paused_commit(monkeypatch, "slow-refresh", inside, release)
    t = threading.Thread(target=lambda: apply_batch(store, night2(), now=T1, snapshot=True),
                         name="slow-refresh")
    t.start()
    return inside, release, t


def test_readers_see_old_or_new_never_half_and_are_not_blocked(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    writer = Store.open(db_url, create=True, lock_timeout=10).init()
    apply_batch(writer, night1(), now=T0)
    reader = Store.open(db_url)
    assert active(reader) == OLD
    inside, release, stop = threading.Event(), threading.Event(), threading.Event()
    paused_commit(monkeypatch, "slow-refresh", inside, release)
    result: dict[str, Any] = {}

    def run() -> None:
        result["report"] = apply_batch(writer, night2(), now=T1, snapshot=True)

    t = threading.Thread(target=run, name="slow-refresh")
    t0 = time.perf_counter()
    t.start()
    try:
        assert inside.wait(10), "the refresh never reached its commit"
        seen, worst = read_while(reader, stop, HOLD)
    finally:
        release.set()
        t.join(30)
    held = time.perf_counter() - t0
    after = active(reader)
    reader.close()
    writer.close()

    assert seen == {OLD}, f"a reader saw a half-done refresh: {sorted(seen)}"
    assert held >= HOLD
    # Readers answer while the writer holds its transaction: far faster than the refresh.
    assert worst < HOLD / 3, f"a read took {worst:.2f} s while a refresh held {held:.2f} s"
    r = result["report"]
    assert (r.added, r.updated, r.unchanged, r.expired) == (NEW, KEPT // 2, KEPT // 2, OLD - KEPT)
    assert after == KEPT + NEW


def test_reader_in_another_process_during_a_refresh(db_url: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """As deployed: consultants' CLIs are other processes than the nightly refresh."""
    writer = Store.open(db_url, create=True, lock_timeout=10).init()
    apply_batch(writer, night1(), now=T0)
    script = tmp_path / "reader.py"
    script.write_text(textwrap.dedent(f"""
        import json, sys, time
        from ipsmatch.store import Store, runs
        store = Store.open({db_url!r})
        print("ready", flush=True)
        sys.stdin.readline()
        seen, worst, end = set(), 0.0, time.perf_counter() + {HOLD}
        while time.perf_counter() < end:
            t = time.perf_counter()
            seen.add(store.count_vacancies())
            worst = max(worst, time.perf_counter() - t)
            time.sleep(0.01)
        print(json.dumps({{"seen": sorted(seen), "worst": worst}}), flush=True)
    """))
    proc = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline().strip() == "ready"
    inside, release, t = slow_refresh(writer, monkeypatch)
    try:
        assert inside.wait(10)
        proc.stdin.write("go\n")
        proc.stdin.flush()
        out = json.loads(proc.stdout.readline())
    finally:
        release.set()
        t.join(30)
        proc.wait(10)
    assert out["seen"] == [OLD]
    assert out["worst"] < HOLD / 3
    assert active(writer) == KEPT + NEW
    writer.close()


def test_second_refresh_fails_clearly_while_first_holds_the_lock(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Store.open(db_url, create=True, lock_timeout=10).init()
    apply_batch(first, night1(), now=T0)
    impatient = Store.open(db_url, lock_timeout=0.5)
    inside, release, t = slow_refresh(first, monkeypatch)
    try:
        assert inside.wait(10)
        t0 = time.perf_counter()
        with pytest.raises(StoreError, match="another refresh"):
            apply_batch(impatient, FeedBatch(vacancies=ads(range(5000, 5010))), now=T1)
        waited = time.perf_counter() - t0
    finally:
        release.set()
        t.join(30)
    assert 0.3 <= waited < 5, f"the second refresh gave up after {waited:.2f} s"
    # The failed one changed nothing; the first one is complete.
    assert active(impatient) == KEPT + NEW
    with impatient.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(vacancies)
                            .where(vacancies.c.external_id.like("50__"))).scalar_one() == 0
    impatient.close()
    first.close()


def test_second_refresh_waits_then_runs_after(db_url: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    first = Store.open(db_url, create=True, lock_timeout=10).init()
    apply_batch(first, night1(), now=T0)
    patient = Store.open(db_url, lock_timeout=10)
    inside, release, t = slow_refresh(first, monkeypatch)
    done: dict[str, Any] = {}

    def second() -> None:
        done["report"] = apply_batch(patient, FeedBatch(vacancies=ads(range(2000, 2010))), now=T1)
        done["at"] = time.perf_counter()

    assert inside.wait(10)
    t2 = threading.Thread(target=second)
    t2.start()
    time.sleep(0.5)
    assert "report" not in done, "the second refresh did not wait for the first"
    released_at = time.perf_counter()
    release.set()
    t.join(30)
    t2.join(30)
    assert done["at"] >= released_at
    assert done["report"].added == 10
    assert active(patient) == KEPT + NEW + 10
    with patient.engine.connect() as conn:
        n_rows = conn.execute(sa.select(sa.func.count()).select_from(vacancies)).scalar_one()
        statuses = conn.execute(sa.select(refresh_runs.c.status)).scalars().all()
        dupes = conn.execute(sa.select(vacancies.c.source, vacancies.c.external_id)
                             .group_by(vacancies.c.source, vacancies.c.external_id)
                             .having(sa.func.count() > 1)).all()
    assert n_rows == OLD + NEW + 10 and not dupes
    assert statuses == ["ok", "ok", "ok"]
    patient.close()
    first.close()
