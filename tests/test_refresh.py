"""Refresh: upsert semantics, snapshot safety, deadlines, strictness, atomicity, locking."""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import JOBNET_SAMPLE, REPO, vacancy
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsmatch import refresh as refresh_mod
from ipsmatch.domain import Employer, Vacancy
from ipsmatch.errors import FeedError, FeedReadError, StoreError
from ipsmatch.feeds import FeedBatch, FeedFileResult
from ipsmatch.refresh import RejectedRowsError, apply_batch
from ipsmatch.store import Store, bulk
from ipsmatch.store.engine import write_lock
from ipsmatch.store.schema import employers, refresh_runs, vacancies

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=1)


def vac(ext: str, h: str = "a", *, cvr: str | None = "12345678", employer: str = "Lager A/S",
        **kw: Any) -> Vacancy:
    """Version ``h`` of ad ``ext`` (its content hash says which)."""
    kw = {"source": "jobnet", "deadline": date(2026, 12, 31), "postcode": "9000", **kw}
    return vacancy(external_id=ext, title=f"Job {ext} {h}", content_hash=f"{ext}{h}",
                   employer=Employer(employer, cvr=cvr) if employer else None, **kw)


def feed_file(path: str = "feed.json", **kw: Any) -> FeedFileResult:
    return FeedFileResult(Path(path), "jobnet", **kw)


def batch(*vs: Vacancy, ok: bool = True, **kw: Any) -> FeedBatch:
    return FeedBatch(vacancies=list(vs),
                     files=[feed_file(records=len(vs), vacancies=len(vs), ok=ok)], **kw)


def rows(store: Store) -> dict[str, dict[str, Any]]:
    with store.engine.connect() as conn:
        return {r["external_id"]: dict(r) for r in conn.execute(sa.select(vacancies)).mappings()}


def counts(r: Any) -> tuple[int, int, int, int, int]:
    return (r.added, r.updated, r.unchanged, r.expired, r.rejected)


def test_add_update_unchanged_and_reactivate(store: Store) -> None:
    r = apply_batch(store, batch(vac("1"), vac("2"), vac("3")), now=T0)
    assert counts(r) == (3, 0, 0, 0, 0)
    first = rows(store)
    assert all(x["first_seen"] == T0 and x["expired_at"] is None for x in first.values())

    r = apply_batch(store, batch(vac("1"), vac("2", "b"), vac("4")), now=T1)
    assert counts(r) == (1, 1, 1, 0, 0)
    after = rows(store)
    assert after["1"]["last_seen"] == T1 and after["1"]["first_seen"] == T0
    assert after["2"]["title"] == "Job 2 b" and after["2"]["first_seen"] == T0
    assert after["3"]["last_seen"] == T0  # not in this feed, and no snapshot: left alone
    assert after["3"]["expired_at"] is None

    r = apply_batch(store, batch(vac("1"), vac("2", "b"), vac("4")), now=T1, snapshot=True)
    assert counts(r) == (0, 0, 3, 1, 0)
    assert rows(store)["3"]["expired_at"] == T1

    # The expired ad comes back unchanged: reactivated, counted as updated.
    r = apply_batch(store, batch(vac("3")), now=T1 + timedelta(hours=1))
    assert counts(r) == (0, 1, 0, 0, 0)
    assert rows(store)["3"]["expired_at"] is None
    assert store.count_vacancies(active=False) == 4


def test_employers_are_upserted_by_cvr_then_name(store: Store) -> None:
    apply_batch(store, batch(vac("1"), vac("2", employer="LAGER a/s", cvr="12345678"),
                             vac("3", employer="Bageriet", cvr=None),
                             vac("4", employer="bageriet", cvr=None),
                             vac("5", employer="")), now=T0)
    with store.engine.connect() as conn:
        names = conn.execute(sa.select(employers.c.name_key)).scalars().all()
    assert sorted(names) == ["bageriet", "lager"]
    got = {v.external_id: v for v in store.list_vacancies()}
    assert got["1"].employer.id == got["2"].employer.id  # type: ignore[union-attr]
    assert got["3"].employer.id == got["4"].employer.id  # type: ignore[union-attr]
    assert got["5"].employer is None
    apply_batch(store, batch(vac("6", employer="Bageriet", cvr="87654321")), now=T1)
    assert len(store.list_employers()) == 2  # the CVR now attaches to the named employer
    assert store.get_employer("87654321").name == "Bageriet"


@pytest.mark.parametrize("case", ["read_error", "file_not_ok", "empty_file", "empty_batch"])
def test_snapshot_never_expires_after_a_bad_read(store: Store, case: str) -> None:
    apply_batch(store, batch(vac("1"), vac("2")), now=T0)
    if case == "read_error":
        b = batch(vac("1"), read_errors=[FeedReadError("truncated JSON", file="b.json")])
    elif case == "file_not_ok":
        b = batch(vac("1"), ok=False)
    elif case == "empty_file":
        b = batch(vac("1"))
        b.files.append(feed_file("empty.json"))
    else:
        b = FeedBatch(files=[feed_file()])
    r = apply_batch(store, b, now=T1, snapshot=True, source="jobnet")
    assert r.expired == 0
    assert r.snapshot_skipped == {
        "read_error": "a file could not be read completely",
        "file_not_ok": "feed.json was not read completely",
        "empty_file": "empty.json held no vacancies",
        "empty_batch": "feed.json held no vacancies"}[case]
    assert all(x["expired_at"] is None for x in rows(store).values())


def test_snapshot_is_per_source(store: Store) -> None:
    apply_batch(store, batch(vac("1"), vac("x", source="other")), now=T0)
    r = apply_batch(store, batch(vac("2")), now=T1, snapshot=True)
    assert r.expired == 1
    got = rows(store)
    assert got["1"]["expired_at"] == T1 and got["x"]["expired_at"] is None


def test_past_deadline_expires(store: Store) -> None:
    r = apply_batch(store, batch(vac("1", deadline=date(2026, 11, 21)),
                                 vac("2", deadline=date(2026, 11, 10)), vac("3", deadline=None)),
                    now=T0)
    assert r.added == 3
    got = rows(store)
    assert got["2"]["expired_at"] == T0 and got["1"]["expired_at"] is None
    r = apply_batch(store, batch(vac("3")), now=datetime(2026, 11, 23, tzinfo=UTC))
    assert r.expired == 1 and rows(store)["1"]["expired_at"] is not None
    assert rows(store)["3"]["expired_at"] is None


def test_row_errors_are_reported_and_strict_writes_nothing(store: Store) -> None:
    err = FeedError("not a postcode", file="f.csv", line=3, field="postcode", hint="4 digits")
    r = apply_batch(store, batch(vac("1"), errors=[err]), now=T0)
    assert r.rejected == 1 and r.added == 1 and r.ok
    assert r.errors == ["f.csv:line 3: postcode: not a postcode (4 digits)"]
    with pytest.raises(RejectedRowsError) as exc:
        apply_batch(store, batch(vac("1", "new"), vac("9"), errors=[err]), now=T1, strict=True)
    assert exc.value.exit_code == 1 and exc.value.errors == r.errors
    assert set(rows(store)) == {"1"} and rows(store)["1"]["last_seen"] == T0


def test_failure_half_way_leaves_previous_state(store: Store, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    apply_batch(store, batch(vac("1"), vac("2")), now=T0)
    before = rows(store)
    with store.engine.connect() as conn:
        n_emp = conn.execute(sa.select(sa.func.count()).select_from(employers)).scalar_one()
    monkeypatch.setattr(bulk, "CHUNK", 2)
    real = bulk.insert_vacancies

    def boom(conn: sa.Connection, rows_: Any) -> list[int]:
        real(conn, rows_)  # the inserts really happen ...
        raise RuntimeError("disk on fire")  # ... and then the refresh dies

    monkeypatch.setattr(bulk, "insert_vacancies", boom)
    feed = batch(vac("1", "changed"), vac("2"), *(vac(str(i), employer=f"Firma {i}", cvr=None)
                                                  for i in range(3, 9)))
    with pytest.raises(RuntimeError, match="disk on fire"):
        apply_batch(store, feed, now=T1, snapshot=True)
    assert rows(store) == before
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(employers)
                            ).scalar_one() == n_emp
        runs = conn.execute(sa.select(refresh_runs.c.status).order_by(refresh_runs.c.id)
                            ).scalars().all()
    assert runs == ["ok", "failed"]
    assert store.status()["last_refresh"]["status"] == "failed"


def test_occupation_resolver_sees_only_new_and_changed(store: Store) -> None:
    seen: list[list[str]] = []

    def resolver(vs: list[Vacancy]) -> None:
        seen.append(sorted(v.external_id for v in vs))
        for v in vs:
            v.occupation_uri, v.occupation_label, v.occupation_confidence = "u:x", "X", 0.5

    apply_batch(store, batch(vac("1"), vac("2")), now=T0, occupation_resolver=resolver)
    apply_batch(store, batch(vac("1"), vac("2", "b"), vac("3")), now=T1,
                occupation_resolver=resolver)
    assert seen == [["1", "2"], ["2", "3"]]
    assert all(x["occupation_uri"] == "u:x" for x in rows(store).values())


def test_refresh_run_is_recorded_and_status_reports_it(store: Store) -> None:
    r = apply_batch(store, batch(vac("1")), now=T0)
    st = store.status(now=T0 + timedelta(hours=1))
    assert st["last_refresh"]["id"] == r.run_id and st["last_refresh"]["added"] == 1
    assert st["stale"] is False
    assert store.status(now=T0 + timedelta(hours=37))["stale"] is True


def test_a_vacancy_without_a_content_hash_gets_the_feeds_one(store: Store) -> None:
    a = vac("1")
    a.content_hash = None
    apply_batch(store, batch(a), now=T0)
    b = vac("1", text="ny tekst")
    b.content_hash = None
    assert apply_batch(store, batch(b), now=T1).updated == 1
    c = vac("1", text="ny tekst")
    c.content_hash = None
    assert apply_batch(store, batch(c), now=T1).unchanged == 1


def test_concurrent_refresh_waits_then_fails_clearly(db_url: str) -> None:
    store = Store.open(db_url, create=True, lock_timeout=0.5).init()
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with write_lock(store.engine, 5):
            holding.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    try:
        assert holding.wait(5)
        with pytest.raises(StoreError, match="another refresh"):
            apply_batch(store, batch(vac("1")), now=T0)
    finally:
        release.set()
        t.join()
    assert apply_batch(store, batch(vac("1")), now=T0).added == 1  # free again
    store.close()


def test_many_ads_in_several_store_chunks(store: Store) -> None:
    # 3 x bulk.CHUNK rows: every write goes through more than one statement
    # (benchmarks/bench_refresh.py times this)
    vs = [vac(str(i), employer=f"Firma {i % 300}", cvr=None) for i in range(3000)]
    assert apply_batch(store, batch(*vs), now=T0).added == 3000
    assert len(store.list_employers()) == 300
    vs2 = [vac(str(i), "b" if i % 10 == 0 else "a", employer=f"Firma {i % 300}", cvr=None)
           for i in range(3000)]
    r = apply_batch(store, batch(*vs2), now=T1, snapshot=True)
    assert counts(r) == (0, 300, 2700, 0, 0)
    assert rows(store)["10"]["title"] == "Job 10 b" and rows(store)["11"]["title"] == "Job 11 a"


def test_refresh_reads_the_files_with_the_format_and_source_given(store: Store,
                                                                  tmp_path: Path) -> None:
    # no file name extension: the format is sniffed from the content ("auto")
    paths = [jsonl(tmp_path / f"a{i}", posting(f"A{i}")) for i in (1, 2)]
    ticks: list[tuple[int, int, str]] = []
    r = refresh_mod.refresh(store, paths, fmt="auto", source="kommune",
                            progress=lambda i, n, p: ticks.append((i, n, p)), now=T0,
                            occupation_resolver=None)
    assert ticks == [(1, 2, "read"), (2, 2, "write")]
    assert counts(r) == (2, 0, 0, 0, 0) and r.sources == ["kommune"]
    assert [(f["path"], f["format"], f["vacancies"]) for f in r.files] == \
        [(str(p), "jsonld", 1) for p in paths]
    assert store.status()["sources"] == {"kommune": {"active": 2, "expired": 0}}
    # a forced format reads every file as that format
    r = refresh_mod.refresh(store, paths, fmt="csv", now=T1, occupation_resolver=None)
    assert [f["format"] for f in r.files] == ["csv", "csv"] and r.added == 0


KILL_SCRIPT = """
import sys, time
from datetime import UTC, datetime
from ipsmatch.domain import Vacancy
from ipsmatch.feeds import FeedBatch
from ipsmatch.refresh import apply_batch
from ipsmatch.store import Store, bulk

real = bulk.insert_vacancies
def stall(conn, rows):
    ids = real(conn, rows)
    print("inserted", flush=True)
    time.sleep(60)
    return ids
bulk.insert_vacancies = stall

batch = FeedBatch(vacancies=[Vacancy(source="jobnet", external_id=str(i), title="x",
                                     content_hash="k") for i in range(50)])
apply_batch(Store.open(sys.argv[1]), batch, now=datetime.now(UTC))
"""


def test_killed_refresh_leaves_previous_state(store: Store, db_url: str) -> None:
    import os
    import subprocess

    apply_batch(store, batch(vac("1")), now=T0)
    before = rows(store)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO),
                                                        os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, db_url], env=env,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "inserted"
    finally:
        proc.kill()
        proc.wait(10)
    assert rows(store) == before
    assert apply_batch(store, batch(vac("2")), now=T1).added == 1  # lock released, DB usable


_feed = st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from("xy")), max_size=6)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_feed, st.booleans()), min_size=1, max_size=5),
       st.lists(st.booleans(), min_size=1, max_size=5))
def test_refresh_matches_a_reference_model(steps: list[tuple[list[tuple[str, str]], bool]],
                                           skips: list[bool]) -> None:
    """Any sequence of feeds: the store agrees with a plain dict model, counts included,
    whether or not the reader skipped the records whose raw form was unchanged."""
    store = Store.open("sqlite://", create=True).init()
    model: dict[str, list[Any]] = {}   # ext -> [hash, active]
    stored: dict[str, str] = {}        # ext -> hash last written (the "raw hash")
    for n, (feed, snap) in enumerate(steps):
        latest = dict(feed)
        want = [0, 0, 0, 0]
        for ext, h in latest.items():
            if ext not in model:
                want[0] += 1
                model[ext] = [h, True]
            elif model[ext][0] != h or not model[ext][1]:
                want[1] += 1
                model[ext] = [h, True]
            else:
                want[2] += 1
        if snap and latest:
            for ext, m in model.items():
                if m[1] and ext not in latest:
                    m[1] = False
                    want[3] += 1
        # As the reader would: records whose raw form matches the stored one are skipped
        # (only their keys reach the refresh), when ``skip`` says so for this step.
        skip = {e for e, h in latest.items() if skips[n % len(skips)] and e in stored
                and stored[e] == h}
        b = batch(*(vac(e, h, deadline=None) for e, h in latest.items() if e not in skip))
        b.unchanged = [("jobnet", e) for e in skip]
        b.files[0].vacancies = len(latest)
        r = apply_batch(store, b, now=T0 + timedelta(minutes=n), snapshot=snap)
        stored.update(latest)
        assert [r.added, r.updated, r.unchanged, r.expired] == want
        got = {k: [x["content_hash"][len(k):], x["expired_at"] is None]
               for k, x in rows(store).items()}
        assert got == model
    store.close()


# --- skipping records whose raw form is unchanged (Vacancy.raw_hash) ---------------------

def posting(ident: str, text: str = "Pakning af varer. Ingen nattevagter.",
            deadline: str = "2026-12-31") -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "JobPosting", "identifier": ident,
            "title": f"Lagermedarbejder {ident}", "description": f"<p>{text}</p>",
            "validThrough": deadline,
            "hiringOrganization": {"@type": "Organization", "name": "Lager ApS"},
            "jobLocation": {"address": {"postalCode": "9000"}}}


def jsonl(path: Path, *objs: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs),
                    encoding="utf-8")
    return path


@pytest.fixture
def enriched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Titles of the records run through fact extraction (the expensive enrichment)."""
    import ipsmatch.feeds.finish as finish

    calls: list[str] = []
    real = finish.extract_facts

    def counting(title: str, text: str) -> Any:
        calls.append(title)
        return real(title, text)

    monkeypatch.setattr(finish, "extract_facts", counting)
    return calls


def raw_hashes(store: Store) -> dict[str, str | None]:
    with store.engine.connect() as conn:
        return dict(conn.execute(sa.select(vacancies.c.external_id, vacancies.c.raw_hash)).all())


def test_unchanged_records_are_not_enriched_again(store: Store, tmp_path: Path,
                                                  enriched: list[str]) -> None:
    feed = jsonl(tmp_path / "f.jsonl", posting("A"), posting("B"), posting("C"))
    r = refresh_mod.refresh(store, [feed], snapshot=True, now=T0, occupation_resolver=None)
    assert counts(r) == (3, 0, 0, 0, 0) and len(enriched) == 3
    assert all(h and len(h) == 64 for h in raw_hashes(store).values())
    before = rows(store)

    enriched.clear()
    r = refresh_mod.refresh(store, [feed], snapshot=True, now=T1, occupation_resolver=None)
    assert counts(r) == (0, 0, 3, 0, 0) and enriched == []
    assert r.snapshot_skipped is None and r.files[0]["vacancies"] == 3
    after = rows(store)
    assert all(after[k]["last_seen"] > before[k]["last_seen"] for k in "ABC")
    assert {k: {c: x for c, x in v.items() if c != "last_seen"} for k, v in after.items()} \
        == {k: {c: x for c, x in v.items() if c != "last_seen"} for k, v in before.items()}

    # A changed record is read and enriched again; the others still are not.
    jsonl(feed, posting("A"), posting("B", "Nu med nattevagter."), posting("C"))
    r = refresh_mod.refresh(store, [feed], snapshot=True, now=T1 + timedelta(days=1),
                            occupation_resolver=None)
    assert counts(r) == (0, 1, 2, 0, 0) and enriched == ["Lagermedarbejder B"]
    assert raw_hashes(store)["B"] != after["B"]["raw_hash"]


def test_snapshot_keeps_skipped_records_and_expires_missing_ones(
        store: Store, tmp_path: Path, enriched: list[str]) -> None:
    feed = jsonl(tmp_path / "f.jsonl", posting("A"), posting("B"), posting("C"))
    refresh_mod.refresh(store, [feed], snapshot=True, now=T0, occupation_resolver=None)
    enriched.clear()
    jsonl(feed, posting("A"), posting("C"))
    r = refresh_mod.refresh(store, [feed], snapshot=True, now=T1, occupation_resolver=None)
    assert counts(r) == (0, 0, 2, 1, 0) and enriched == []
    got = {k: v["expired_at"] is None for k, v in rows(store).items()}
    assert got == {"A": True, "B": False, "C": True}

    # B comes back unchanged: reactivated without being enriched again.
    jsonl(feed, posting("A"), posting("B"), posting("C"))
    r = refresh_mod.refresh(store, [feed], snapshot=True, now=T1 + timedelta(hours=1),
                            occupation_resolver=None)
    assert counts(r) == (0, 1, 2, 0, 0) and enriched == []
    assert all(v["expired_at"] is None for v in rows(store).values())


def test_deadlines_still_apply_to_skipped_records(store: Store, tmp_path: Path,
                                                  enriched: list[str]) -> None:
    feed = jsonl(tmp_path / "f.jsonl", posting("A", deadline="2026-11-25"), posting("B"))
    refresh_mod.refresh(store, [feed], snapshot=True, now=T0, occupation_resolver=None)
    enriched.clear()
    later = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    r = refresh_mod.refresh(store, [feed], snapshot=True, now=later, occupation_resolver=None)
    assert counts(r) == (0, 0, 2, 1, 0) and enriched == []
    assert {k: v["expired_at"] is None for k, v in rows(store).items()} == \
        {"A": False, "B": True}
    # Still in the feed, still past its deadline: never reactivated.
    r = refresh_mod.refresh(store, [feed], snapshot=True, now=later + timedelta(days=1),
                            occupation_resolver=None)
    assert counts(r) == (0, 0, 2, 0, 0) and enriched == []
    assert rows(store)["A"]["expired_at"] is not None


def test_reader_version_bump_reads_everything_again(store: Store, tmp_path: Path,
                                                    enriched: list[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import ipsmatch.feeds.hashes as hashes

    feed = jsonl(tmp_path / "f.jsonl", posting("A"), posting("B"))
    refresh_mod.refresh(store, [feed], now=T0, occupation_resolver=None)
    old = raw_hashes(store)
    enriched.clear()
    monkeypatch.setattr(hashes, "READER_VERSION", hashes.READER_VERSION + "-next")
    r = refresh_mod.refresh(store, [feed], now=T1, occupation_resolver=None)
    # Same content, so unchanged, but every record was read, and the new raw hashes stored.
    assert counts(r) == (0, 0, 2, 0, 0) and sorted(enriched) == ["Lagermedarbejder A",
                                                                 "Lagermedarbejder B"]
    new = raw_hashes(store)
    assert all(new[k] and new[k] != old[k] for k in old)
    enriched.clear()
    r = refresh_mod.refresh(store, [feed], now=T1 + timedelta(hours=1), occupation_resolver=None)
    assert r.unchanged == 2 and enriched == []


def test_csv_source_column_and_source_override_are_skipped(store: Store, tmp_path: Path,
                                                          enriched: list[str]) -> None:
    feed = tmp_path / "f.csv"
    feed.write_text("id,title,description,postcode,source\n"
                    "1,Kok,Køkkenarbejde om dagen,8000,kommune\n"
                    "2,Pedel,Vedligehold,8000,\n", encoding="utf-8")
    r = refresh_mod.refresh(store, [feed], now=T0, occupation_resolver=None)
    assert r.added == 2 and sorted(r.sources) == ["csv", "kommune"]
    enriched.clear()
    r = refresh_mod.refresh(store, [feed], snapshot=True, now=T1, occupation_resolver=None)
    assert counts(r) == (0, 0, 2, 0, 0) and enriched == []
    assert sorted(r.sources) == ["csv", "kommune"]

    # Under an overriding source the known raw hashes are those of that source.
    r = refresh_mod.refresh(store, [feed], source="mit", now=T1, occupation_resolver=None)
    assert r.added == 2 and len(enriched) == 2
    enriched.clear()
    r = refresh_mod.refresh(store, [feed], source="mit", snapshot=True, now=T1,
                            occupation_resolver=None)
    assert counts(r) == (0, 0, 2, 0, 0) and enriched == [] and r.sources == ["mit"]


def test_duplicate_ids_are_still_reported_for_skipped_records(store: Store, tmp_path: Path,
                                                              enriched: list[str]) -> None:
    feed = jsonl(tmp_path / "f.jsonl", posting("A"), posting("A"), posting("B"))
    r = refresh_mod.refresh(store, [feed], now=T0, occupation_resolver=None)
    assert counts(r) == (2, 0, 0, 0, 1)
    r = refresh_mod.refresh(store, [feed], now=T1, occupation_resolver=None)
    assert counts(r) == (0, 0, 2, 0, 1) and "duplicate id 'A'" in r.errors[0]


@pytest.mark.skipif(not (JOBNET_SAMPLE / "JobPage01.json").exists(),
                    reason="shared Jobnet sample not found")
def test_jobnet_search_and_detail_pairs_are_skipped(store: Store, tmp_path: Path,
                                                    enriched: list[str]) -> None:
    files = [JOBNET_SAMPLE / "JobPage01.json",
             *sorted(JOBNET_SAMPLE.glob("JobPage01_JobPostingExtended*.json"))]
    r = refresh_mod.refresh(store, files, now=T0, occupation_resolver=None)
    assert r.added == 20 and not r.errors
    enriched.clear()
    r = refresh_mod.refresh(store, files, snapshot=True, now=T1, occupation_resolver=None)
    assert counts(r) == (0, 0, 20, 0, 0) and enriched == []
    # A change in the detail record alone makes its pair be read again.
    detail = json.loads(files[1].read_text(encoding="utf-8"))
    detail["JobPositionPosting"]["JobPositionInformation"]["Purpose"] += " Ny tekst."
    changed = tmp_path / files[1].name
    changed.write_text(json.dumps(detail), encoding="utf-8")
    r = refresh_mod.refresh(store, [files[0], changed, *files[2:]], snapshot=True,
                            now=T1 + timedelta(hours=1), occupation_resolver=None)
    assert counts(r) == (0, 1, 19, 0, 0) and len(enriched) == 1


def test_read_feeds_with_known_hashes(tmp_path: Path) -> None:
    from ipsmatch.feeds import read_feeds

    feed = jsonl(tmp_path / "f.jsonl", posting("A"), posting("B"), {"title": "no id"})
    first = read_feeds(feed)
    known = {(v.source, v.external_id): v.raw_hash for v in first.vacancies}
    known[("jsonld", "B")] = "0" * 64  # stored from other raw input
    again = read_feeds(feed, known=known)
    assert again.unchanged == [("jsonld", "A")]
    assert [v.external_id for v in again.vacancies] == ["B"]
    assert again.vacancies[0].raw_hash == first.vacancies[1].raw_hash
    assert len(again.errors) == len(first.errors) == 1
    assert again.files[0].vacancies == 2 and again.sources == {"jsonld"}
    # The callable form, and the source override as the key's source.
    calls: list[tuple[str, str]] = []
    over = read_feeds(feed, source="x", known=lambda s, e: calls.append((s, e)) or None)
    assert sorted(calls) == [("x", "A"), ("x", "B")] and len(over.vacancies) == 2
