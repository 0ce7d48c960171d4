"""The per-worker matcher holder: a refresh is noticed and a fresh matcher swapped in, while a
request that holds the old one finishes on it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ipsmatch.config import Settings
from ipsmatch.refresh import refresh
from ipsmatch.store import Store
from ipsmatch.web.holder import MatcherHolder
from tests.conftest import FIXTURES

NOW = datetime(2026, 11, 16, 12, tzinfo=UTC)


def test_refresh_swaps_in_a_fresh_matcher_after_the_lease(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ipsmatch.db'}"
    store = Store.open(url, create=True).init()
    refresh(store, [str(FIXTURES / "feeds" / "demo_jobposting.jsonl")], now=NOW)
    settings = Settings.load(db=url, today="2026-11-16", semantic="off")
    holder = MatcherHolder(settings, check_every=3600).open()
    try:
        first = holder.stamp
        holder.maybe_check(wait=True)  # nothing changed: the same matcher
        assert holder.swaps == 0 and holder.stamp == first
        with holder.lease() as old:
            n_old = len(old.vacancies)
            refresh(store, [str(FIXTURES / "feeds" / "demo_vacancies.csv")], now=NOW)
            holder.maybe_check(wait=True)  # a request is running on `old` meanwhile
            assert holder.swaps == 1 and holder.stamp != first
            assert old.search("lager", limit=3)  # the running request finishes on it
            assert len(old.vacancies) == n_old
        with holder.lease() as fresh:
            assert fresh is not old and len(fresh.vacancies) > n_old
        assert holder.last_error is None
    finally:
        holder.close()
        store.close()
