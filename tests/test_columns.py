"""Matcher columns: Matcher.open reads saved per-ad arrays instead of every ad, and ranks
exactly as a matcher built from the full objects does."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import FIXTURES

import ipsmatch.columns as columns_mod
from ipsmatch.columns import Columns
from ipsmatch.config import Settings
from ipsmatch.errors import IndexNotReadyError, StoreError
from ipsmatch.jobdev import Contact, Feedback
from ipsmatch.matcher import Matcher
from ipsmatch.refresh import refresh
from ipsmatch.store import Store
from ipsmatch.store.rows import StoreRows

TODAY = date(2026, 11, 16)
NOW = datetime(2026, 11, 16, 12, tzinfo=UTC)
FEEDS = [FIXTURES / "feeds" / "demo_jobposting.jsonl", FIXTURES / "feeds" / "demo_vacancies.csv"]


def profiles() -> list[dict[str, Any]]:
    out = [json.loads(p.read_text("utf-8")) for p in sorted((FIXTURES / "citizens").glob("*.json"))]
    out.append({"id": "c-any", "home_postcode": "9000", "wishes": [],
                "needs": ["no_night"], "hours": {"min": 8, "max": 20, "must": True}})
    return out


def seeded(url: str) -> Store:
    store = Store.open(url, create=True, lock_timeout=5.0).init()
    refresh(store, FEEDS, now=NOW, occupation_resolver=None)
    return store


def settings(url: str) -> Settings:
    return Settings.load(db=url, semantic="off", today=TODAY.isoformat())


def picture(m: Matcher, profile: dict[str, Any], **kw: Any) -> Any:
    """Everything a consultant sees from one suggest, comparable across matchers."""
    r = m.suggest(profile, include_excluded=True, **kw)
    return ([(s.vacancy.source, s.vacancy.external_id, s.score,
              [x.text_da for x in s.reasons], [x.text_da for x in s.concerns])
             for s in r.vacancies],
            [(e.employer.name, e.score, [x.text_da for x in e.reasons]) for e in r.employers],
            sorted((x.vacancy.external_id, tuple(y.text_da for y in x.reasons))
                   for x in r.excluded))


def in_memory(store: Store, m: Matcher) -> Matcher:
    """The reference: a matcher over every ad as a whole object, same text models."""
    return Matcher.from_vacancies(list(store.iter_active_vacancies()), store.list_employers(),
                   occupation_matcher=m.occupation_matcher, encoder=m.encoder, today=TODAY,
                   contacts=m.contacts)


def count_full_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one each time something reads every active ad as objects."""
    reads: list[int] = []
    full_read = Store.iter_active_vacancies

    def counted(self: Store) -> Any:
        reads.append(1)
        return full_read(self)
    monkeypatch.setattr(Store, "iter_active_vacancies", counted)
    return reads


def test_second_open_reads_saved_columns_and_ranks_the_same(db_url: str,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    store = seeded(db_url)
    reads = count_full_reads(monkeypatch)
    first = Matcher.open(db_url, settings=settings(db_url))
    assert reads == [1]  # built the columns (and saved them) from one read of every ad
    reference = in_memory(store, first)

    def no_full_read(self: Store) -> Any:
        raise AssertionError("the second open must not read every ad")
    monkeypatch.setattr(Store, "iter_active_vacancies", no_full_read)
    monkeypatch.setattr(Store, "list_employers", no_full_read)
    second = Matcher.open(db_url, settings=settings(db_url))
    assert isinstance(second.vacancies, StoreRows)
    assert len(second.vacancies) == len(reference.vacancies)
    for p in profiles():
        want = picture(reference, p)
        assert want[0] or want[2], p["id"]  # the comparison is about something
        assert picture(first, p) == want
        assert picture(second, p) == want
    hits = second.search("lager", near="9000", within_km=40)
    assert [s.vacancy.external_id for s in hits] == \
        [s.vacancy.external_id for s in reference.search("lager", near="9000", within_km=40)]
    second.close()
    first.close()
    store.close()


def test_the_stamp_changes_with_the_ads_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = seeded(url)
    s0 = store.data_stamp()
    assert store.data_stamp() == s0
    store.save_citizen("c-1", {"id": "c-1", "home_postcode": "9000"})  # not matcher data
    cvr = next(e.cvr for e in store.list_employers() if e.cvr)
    # contacts change employers all day: the matcher reads employers afresh, not via the stamp
    store.add_contact(Contact(TODAY, "kons-bo", employer_cvr=cvr,
                              learned=("quiet_workplace_available",)), today=TODAY)
    assert store.data_stamp() == s0
    refresh(store, FEEDS, now=NOW, occupation_resolver=None)  # nothing new: a run, last_seen
    assert store.data_stamp() != s0
    store.close()


def test_contact_facts_reach_the_saved_columns_path(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = seeded(url)
    m0 = Matcher.open(url, settings=settings(url))
    quiet = m0.arrays.fact_true[columns_mod.FACT_INDEX["quiet_workplace"]].copy()
    # an employer with ads, none of them stating a quiet workplace
    j = next(int(j) for j in np.unique(m0.cols.emp_idx[m0.cols.emp_idx >= 0])
             if not quiet[m0.cols.emp_idx == j].any() and m0.cols.emp_cvr[j])
    store.add_contact(Contact(TODAY, "kons-bo", employer_cvr=str(m0.cols.emp_cvr[j]),
                              learned=("quiet_workplace_available", "open_to_part_time")),
                      today=TODAY)
    reads = count_full_reads(monkeypatch)
    m = Matcher.open(url, settings=settings(url))
    assert reads == []  # a contact does not make the next open read every ad again
    assert isinstance(m.vacancies, StoreRows)
    ref = in_memory(store, m)
    k = columns_mod.FACT_INDEX["quiet_workplace"]
    ads = np.flatnonzero(m.cols.emp_idx == j)
    assert m.arrays.fact_true[k, ads].all() and not quiet[ads].any()
    assert np.array_equal(m.arrays.fact_true, ref.arrays.fact_true)
    assert np.array_equal(m.arrays.fact_false, ref.arrays.fact_false)
    # ... and the shown ads quote it
    fetched = m.vacancies[int(ads[0])]
    assert any(f.key == "quiet_workplace" and f.source == "contact" for f in fetched.facts)
    bonus = m.employer_ranking.bonus_
    assert bonus[j] == pytest.approx(ref.employer_ranking.bonus_[j]) and bonus[j] > 0
    m.close()
    m0.close()
    store.close()


def test_feedback_hides_ads_and_employers_on_the_saved_columns_path(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = seeded(url)
    profile = {"id": "c-fb", "home_postcode": "9000", "wishes": []}
    store.save_citizen(profile["id"], profile)
    Matcher.open(url, settings=settings(url)).close()
    m = Matcher.open(url, settings=settings(url))
    before = m.suggest(profile).vacancies
    assert len(before) >= 3
    ad, other = before[0].vacancy, before[1].vacancy
    assert other.employer is not None
    store.add_feedback(Feedback(profile["id"], "not_interested", TODAY, "AB",
                                vacancy=(ad.source, ad.external_id)), today=TODAY)
    store.add_feedback(Feedback(profile["id"], "not_interested_employer", TODAY, "AB",
                                vacancy=(other.source, other.external_id)), today=TODAY)
    after = m.suggest(profile, include_excluded=True)
    shown = {(s.vacancy.source, s.vacancy.external_id) for s in after.vacancies}
    assert (ad.source, ad.external_id) not in shown
    assert all(s.vacancy.employer is None or s.vacancy.employer.name != other.employer.name
               for s in after.vacancies)
    assert other.employer.name not in [e.employer.name for e in after.employers]
    ref = in_memory(store, m)
    ref.feedback_loader = m.feedback_loader
    assert picture(m, profile) == picture(ref, profile)
    m.close()
    store.close()


def test_columns_round_trip_and_refuse_stale_or_corrupt_files(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    seeded(url).close()
    m = Matcher.open(url, settings=settings(url))
    m.close()
    path = tmp_path / "cols"
    m.cols.save(path, stamp="s-1")
    back = Columns.load(path, stamp="s-1")
    for name in Columns._ARRAYS:
        a, b = getattr(back, name), getattr(m.cols, name)
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name
    assert (back.occ_uris, back.sources, back.data_hash) == \
        (m.cols.occ_uris, m.cols.sources, m.cols.data_hash)
    assert not any(p.stat().st_mode & 0o077 for p in path.iterdir())  # owner-only
    with pytest.raises(IndexNotReadyError, match="stale"):
        Columns.load(path, stamp="s-2")
    np.save(path / "lat.npy", np.zeros(3))
    with pytest.raises(IndexNotReadyError, match="lat has shape"):
        Columns.load(path, stamp="s-1")
    (path / "emp_ids.npy").write_bytes(b"not numpy")
    with pytest.raises(IndexNotReadyError, match="corrupt"):
        Columns.load(path, stamp="s-1")
    m.cols.save(path, stamp="s-1")
    mf = json.loads((path / "manifest.json").read_text("utf-8"))
    mf["params"]["ipsmatch"] = "0.0.0"
    (path / "manifest.json").write_text(json.dumps(mf), "utf-8")
    with pytest.raises(IndexNotReadyError, match="another ipsmatch"):
        Columns.load(path, stamp="s-1")


def test_store_rows_fetch_in_one_go_and_say_when_a_row_is_gone() -> None:
    calls: list[list[int]] = []

    def fetch(ids: list[int]) -> dict[int, str]:
        calls.append(ids)
        return {i: f"row{i}" for i in ids if i != 30}

    rows = StoreRows(np.array([10, 20, 30, 40]), fetch, "vacancy")
    assert rows.get_many([3, 0, 3]) == ["row40", "row10", "row40"]
    assert rows[0] == "row10" and rows[-1] == "row40"
    assert calls == [[10, 40]]  # cached after the first read, one query for two rows
    with pytest.raises(IndexError):
        rows[4]
    with pytest.raises(StoreError, match="vacancy 30 is no longer"):
        rows[2]
    # a full cache is emptied, never in the middle of answering (1M ads: it fills up)
    rows.CACHE = 2
    for _ in range(3):
        assert rows.get_many([0, 1, 3]) == ["row10", "row20", "row40"]
        assert rows.get_many([3, 0]) == ["row40", "row10"]
    assert len(rows._cache) <= 3


def test_an_index_lost_beside_saved_columns_is_rebuilt_from_the_store(tmp_path: Path) -> None:
    import shutil

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = seeded(url)
    first = Matcher.open(url, settings=settings(url))
    want = [picture(first, p) for p in profiles()]
    first.close()
    import os

    lexical, = Path(os.environ["XDG_DATA_HOME"]).glob("ipsmatch/index/*/lexical")
    shutil.rmtree(lexical)
    again = Matcher.open(url, settings=settings(url))
    assert isinstance(again.vacancies, StoreRows) and lexical.is_dir()
    assert [picture(again, p) for p in profiles()] == want
    again.close()
    store.close()


def test_an_imported_employer_shows_without_reading_the_ads_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipsmatch.domain import Employer

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = seeded(url)
    Matcher.open(url, settings=settings(url)).close()
    store.import_employers([Employer(name="Nyt Lager ApS", cvr="39999999", postcode="9000",
                                     industry="Lager og logistik")])

    def no_full_read(self: Store) -> Any:
        raise AssertionError("an employer import must not make the matcher read every ad")
    monkeypatch.setattr(Store, "iter_active_vacancies", no_full_read)
    m = Matcher.open(url, settings=settings(url))
    profile = {"id": "c-e", "home_postcode": "9000", "wishes": ["lager"],
               "travel": {"mode": "car", "max_minutes": 30}}
    names = [e.employer.name for e in m.suggest(profile, limit=50).employers]
    assert "Nyt Lager ApS" in names
    monkeypatch.undo()
    ref = in_memory(store, m)
    assert picture(m, profile) == picture(ref, profile)
    m.close()
    store.close()
