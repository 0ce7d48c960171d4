"""Streaming refresh: a feed read in many chunks ends in the same store and the same report as
one read whole, still in one transaction (a failure or a kill in a late chunk undoes the early
ones), with snapshot expiry over every chunk, and only one chunk in memory at a time."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ipsmatch.domain import Vacancy
from ipsmatch.errors import StoreError
from ipsmatch.refresh import RejectedRowsError, refresh
from ipsmatch.store import Store, bulk
from ipsmatch.store.schema import employers, metadata, refresh_runs, vacancies
from ipsmatch.store.spill import Chunk, Spill

REPO = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=1)
POSTCODES = ["9000", "8000", "2100", "5000"]


def job(i: int, version: str = "a", **kw: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "@type": "JobPosting", "identifier": f"ad-{i}", "title": f"Lagermedarbejder {i}",
        "description": f"<p>Pakning af varer ({version}). {15 + i % 20} timer om ugen. "
                       f"{'Nattevagter.' if i % 4 == 0 else 'Dagarbejde.'}</p>",
        "validThrough": "2026-11-25" if i % 9 == 0 else "2099-12-31",
        "jobLocation": {"address": {"postalCode": POSTCODES[i % len(POSTCODES)]}}}
    # Employers that repeat across chunks, by CVR and by name only, and the same name with
    # and without a CVR.
    if i % 5:
        org: dict[str, Any] = {"name": f"Firma {i % 7} ApS"}
        if i % 3:
            org["identifier"] = f"{30000000 + i % 7}"
        d["hiringOrganization"] = org
    d.update(kw)
    return d


def feed(path: Path, ids: range | list[int], *, changed: set[int] = frozenset(),  # type: ignore[assignment]
         extra: list[str] = ()) -> Path:  # type: ignore[assignment]
    lines = [json.dumps(job(i, "b" if i in changed else "a"), ensure_ascii=False) for i in ids]
    path.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return path


def state(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the run log, in primary-key order."""
    with store.engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(
            sa.select(t).order_by(*t.primary_key.columns))]
            for t in metadata.sorted_tables if t.name != "refresh_runs"}


def content(store: Store) -> dict[str, Any]:
    """The vacancies as stored (employer by identity, not id) and the set of employers.

    Employer ids and, where the same employer comes from ads with different addresses, which
    ad's address it keeps, may differ between one chunk and many (an employer is merged chunk
    by chunk), so those are not compared."""
    with store.engine.connect() as conn:
        emp = {r.id: (r.cvr, r.name_key) for r in conn.execute(sa.select(employers))}
        vac = {r["external_id"]: {**{k: v for k, v in r.items() if k != "id"},
                                  "employer_id": emp.get(r["employer_id"])}
               for r in conn.execute(sa.select(vacancies)).mappings()}
    return {"vacancies": vac, "employers": sorted(emp.values(), key=str)}


def report_of(r: Any) -> dict[str, Any]:
    return {k: v for k, v in r.to_dict().items() if k not in ("seconds", "run_id")}


def run(store: Store, files: list[Path], now: datetime, chunk: int | None, **kw: Any) -> Any:
    sizes: list[int] = []
    r = refresh(store, files, snapshot=True, now=now, occupation_resolver=None,
                chunk_size=chunk, on_chunk=lambda n, k: sizes.append(k), **kw)
    return r, sizes


def test_many_chunks_give_the_store_and_report_of_one(tmp_path: Path) -> None:
    a = feed(tmp_path / "a.jsonl", range(60), extra=["{bad", json.dumps(job(3))])
    b = feed(tmp_path / "b.jsonl", range(60, 75))
    one = Store.open(f"sqlite:///{tmp_path / 'one.db'}", create=True).init()
    many = Store.open(f"sqlite:///{tmp_path / 'many.db'}", create=True).init()
    r1, s1 = run(one, [a, b], T0, None)
    r2, s2 = run(many, [a, b], T0, 4)
    assert len(s1) == 1 and len(s2) >= 19 and max(s2) <= 4
    assert report_of(r1) == report_of(r2)
    assert r1.added == 75 and r1.rejected == 2 and r1.expired == 0
    assert content(one) == content(many)

    # The next night: changed, new and gone ads, and the records not read again.
    a = feed(a, [i for i in range(80) if i % 10], changed={5, 12, 33})
    for store in (one, many):
        with store.engine.begin() as conn:  # an expired ad that comes back: reactivated
            conn.execute(vacancies.update().where(vacancies.c.external_id == "ad-44")
                         .values(expired_at=T0))
    r1, _ = run(one, [a, b], T1, None)
    r2, _ = run(many, [a, b], T1, 3)
    assert report_of(r1) == report_of(r2)
    assert (r1.added, r1.updated, r1.expired) == (5, 4, 6)
    assert content(one) == content(many)


def test_snapshot_expires_only_what_no_chunk_held(store: Store, tmp_path: Path) -> None:
    f = feed(tmp_path / "f.jsonl", range(1, 31))
    run(store, [f], T0, 5)
    missing = {3, 17, 29}
    r, sizes = run(store, [feed(f, [i for i in range(1, 31) if i not in missing])], T1, 5)
    assert len(sizes) == 6
    assert r.snapshot_skipped is None and r.expired == 3 and r.unchanged == 27
    with store.engine.connect() as conn:
        gone = {e for e, x in conn.execute(sa.select(vacancies.c.external_id,
                                                     vacancies.c.expired_at)) if x == T1}
    assert gone == {f"ad-{i}" for i in missing}


def test_unreadable_late_file_blocks_the_snapshot_but_not_the_rest(store: Store,
                                                                    tmp_path: Path) -> None:
    f = feed(tmp_path / "f.jsonl", range(20))
    run(store, [f], T0, 4)
    bad = tmp_path / "z.jsonl"
    bad.write_bytes(b'{"@type": "JobPosting"}\n{"x": "\xff"}\n')
    r, _ = run(store, [feed(f, range(10), changed={1}), bad], T1, 4)
    assert r.snapshot_skipped == "a file could not be read completely"
    assert (r.updated, r.expired) == (1, 0) and len(r.read_errors) == 1
    assert store.count_vacancies() == 20  # ads 10-19 are missing, but nothing expired


def test_strict_error_in_the_last_chunk_writes_nothing(store: Store, tmp_path: Path) -> None:
    f = feed(tmp_path / "f.jsonl", range(20), extra=['{"@type": "JobPosting", "title": "x"}'])
    with pytest.raises(RejectedRowsError):
        run(store, [f], T0, 3, strict=True)
    assert store.count_vacancies() == 0


def test_failure_in_a_later_chunk_rolls_back_the_earlier_ones(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = feed(tmp_path / "f.jsonl", range(12))
    run(store, [f], T0, 4)
    before = state(store)
    real = bulk.insert_vacancies
    calls: list[int] = []

    def failing(conn: sa.Connection, rows: Any) -> list[int]:
        calls.append(len(rows))
        if len(calls) == 3:
            raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))
        return real(conn, rows)

    monkeypatch.setattr(bulk, "insert_vacancies", failing)
    with pytest.raises(StoreError, match="nothing was changed"):
        run(store, [feed(f, range(12, 30), changed={1})], T1, 4)
    assert len(calls) == 3  # two chunks were written before the failure
    assert state(store) == before
    with store.engine.connect() as conn:
        assert [s for (s,) in conn.execute(sa.select(refresh_runs.c.status)
                                           .order_by(refresh_runs.c.id))] == ["ok", "failed"]


KILL_SCRIPT = """
import sys
from datetime import UTC, datetime
from ipsmatch.refresh import refresh
from ipsmatch.store import Store
store = Store.open(sys.argv[1])
refresh(store, [sys.argv[2]], snapshot=True, now=datetime(2026, 11, 22, tzinfo=UTC),
        occupation_resolver=None, chunk_size=4)
"""


@pytest.mark.parametrize("stage", ["inserted#3", "updated#2", "employers#4", "expired"])
def test_killed_in_a_later_chunk_leaves_the_previous_index(store: Store, db_url: str,
                                                           tmp_path: Path, stage: str) -> None:
    f = feed(tmp_path / "f.jsonl", range(10))
    run(store, [f], T0, 4)
    before = state(store)
    f = feed(tmp_path / "g.jsonl", range(3, 25), changed={4, 5, 6, 7, 8})
    env = {**os.environ, "IPSMATCH_TEST_KILL_AT": stage,
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, db_url, str(f)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    store.engine.dispose()
    assert state(store) == before
    r, _ = run(store, [f], T1, 4)  # and the next refresh does it all
    assert (r.added, r.updated, r.expired) == (15, 5, 3)


def test_only_one_chunk_is_held_in_memory(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Vacancy objects alive at once, counted as each chunk is read and as each is written:
    bounded by the chunk, not by the feed."""
    f = feed(tmp_path / "f.jsonl", range(600))
    alive: list[int] = []

    def count() -> None:
        gc.collect()
        alive.append(sum(1 for o in gc.get_objects() if type(o) is Vacancy))

    real = bulk.insert_vacancies
    monkeypatch.setattr(bulk, "insert_vacancies",
                        lambda conn, rows: (count(), real(conn, rows))[1])
    store = Store.open(f"sqlite:///{tmp_path / 'a.db'}", create=True).init()
    r = refresh(store, [f], now=T0, occupation_resolver=None, chunk_size=50,
                on_chunk=lambda n, k: count())
    assert r.added == 600 and len(alive) == 2 * 13  # 12 chunks and the (empty) last one
    assert max(alive) <= 2 * 50, alive

    alive.clear()  # the same feed in one chunk: all of it at once (so the count can fail)
    store = Store.open(f"sqlite:///{tmp_path / 'b.db'}", create=True).init()
    refresh(store, [f], now=T0, occupation_resolver=None, chunk_size=1000,
            on_chunk=lambda n, k: count())
    assert max(alive) >= 600


def test_spill_keeps_one_chunk_in_memory_and_round_trips_vacancies(tmp_path: Path) -> None:
    from ipsmatch.feeds import read_feeds

    vacs = read_feeds([feed(tmp_path / "f.jsonl", range(12))]).vacancies
    vacs[0].first_seen, vacs[0].occupation_confidence = T0, 0.75
    vacs[1].employer.attributes = {"open_to_part_time": True}  # type: ignore[union-attr]
    spill = Spill()
    chunks = [Chunk(vacs[i:i + 4], [i % 2 == 0] * 4, [("s", str(i))])
              for i in range(0, 12, 4)]
    for c in chunks:
        spill.add(c)
        assert len(spill.items) <= 1
    assert spill.fh is not None and spill.items == []
    assert list(spill) == chunks  # dataclass equality: every field, dates, employer, facts
    spill.close()


def test_known_raw_hashes_fetches_a_chunk_at_once(store: Store, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    run(store, [feed(tmp_path / "f.jsonl", range(6))], T0, None)
    queries: list[int] = []
    real = bulk.vacancies_by_key
    monkeypatch.setattr(bulk, "vacancies_by_key",
                        lambda conn, keys: (queries.append(len(list(keys))), real(conn, keys))[1])
    known = bulk.KnownRawHashes(store.engine)
    keys = [("jsonld", f"ad-{i}") for i in range(8)]
    known.prefetch(keys)
    got = [known(*k) for k in keys]
    assert queries == [8]  # stored or not, every announced key is answered from the chunk
    assert all(h and len(h) == 64 for h in got[:6]) and got[6:] == [None, None]
    assert known("jsonld", "ad-9") is None and known("jsonld", "ad-1") == got[1]
    assert len(queries) == 2  # an unannounced key: one query, the chunk's answers kept
