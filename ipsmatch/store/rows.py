"""The matcher's view of the store: rows read by position on demand, and the feedback loader.

A matcher opened on a database (:meth:`ipsmatch.matcher.Matcher.open`) holds per-ad columns
in memory and reads whole objects only for what it shows: :class:`StoreRows` maps positions
to store ids and fetches (and remembers) objects in one query per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np

from ipsmatch.columns import Columns
from ipsmatch.constraints import folded_ad, folded_text
from ipsmatch.domain import Vacancy
from ipsmatch.errors import IndexNotReadyError, StoreError
from ipsmatch.jobdev import Feedback
from ipsmatch.jobdev.matching import with_contact_facts
from ipsmatch.store.repository import Store


class AdText(NamedTuple):
    """An ad's title, its title + text as avoid-terms are matched in
    (:func:`~ipsmatch.constraints.folded_text`) and its contact details
    (``Vacancy.contact``): what every candidate and each employer shown needs, without the
    whole ad."""

    title: str
    folded: str
    contact: dict[str, str] | None = None


class StoreRows(Sequence[Any]):
    """Vacancies (or employers) by position, read from the store only when asked for.

    A suggestion shows ~20 ads; reading all 100,000 as objects at load costs seconds. The
    positions map to store ids (``Columns.ids``); fetched objects are remembered (bounded)."""

    CACHE = 20_000

    def __init__(self, ids: np.ndarray, fetch: Callable[[list[int]], dict[int, Any]],
                 what: str) -> None:
        self._ids = ids
        self._fetch = fetch
        self._what = what
        self._cache: dict[int, Any] = {}

    def __len__(self) -> int:
        return int(self._ids.shape[0])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return self.get_many(range(len(self))[i])
        hit = self._cache.get(i)  # the common case: a candidate or shown ad read before
        if hit is not None:
            return hit
        n = len(self)
        if not -n <= i < n:
            raise IndexError(i)
        return self.get_many([i % n])[0]

    def __iter__(self) -> Iterator[Any]:
        for lo in range(0, len(self), 5000):
            yield from self.get_many(range(lo, min(lo + 5000, len(self))))

    def get_many(self, positions: Iterable[int]) -> list[Any]:
        """The objects at these positions, read in one query for those not cached."""
        pos = [int(p) for p in positions]
        found = {p: self._cache[p] for p in pos if p in self._cache}
        missing = sorted(set(pos) - found.keys())
        if missing:
            got = self._fetch([int(self._ids[p]) for p in missing])
            for p in missing:
                obj = got.get(int(self._ids[p]))
                if obj is None:
                    raise StoreError(f"{self._what} {int(self._ids[p])} is no longer in the "
                                     "database", hint="open the matcher again (the data "
                                     "changed while it was open)")
                found[p] = obj
            if len(self._cache) + len(missing) > self.CACHE:
                self._cache.clear()  # a long-lived matcher must not grow without bound
            self._cache.update((p, found[p]) for p in missing)
        return [found[p] for p in pos]


def prefetch(rows: Sequence[Any], positions: Iterable[int]) -> None:
    """Read these positions in one query when ``rows`` come from the store (else nothing)."""
    if isinstance(rows, StoreRows):
        rows.get_many(positions)


def text_rows(vacancies: Sequence[Vacancy]) -> StoreRows:
    """:class:`AdText` per in-memory ad, computed when first asked for: de-duplication and
    avoid-terms need it for every candidate."""
    return StoreRows(np.arange(len(vacancies)), lambda pos: {
        p: AdText(vacancies[p].title, folded_text(vacancies[p]), vacancies[p].contact)
        for p in pos}, "vacancy")


def store_text_rows(store: Store, cols: Columns) -> StoreRows:
    """:func:`text_rows` read from the store (title, text and contact, not the whole ad)."""
    def fetch(ids: list[int]) -> dict[int, AdText]:
        return {i: AdText(t, folded_ad(t, x), contact)
                for i, (t, x, contact) in store.vacancy_texts(ids).items()}
    return StoreRows(cols.ids, fetch, "vacancy")


def store_vacancy_rows(store: Store, cols: Columns) -> StoreRows:
    """The ads of ``cols`` as whole objects, with what consultants learned at employer
    contacts as facts (as :meth:`Matcher.from_vacancies` does for in-memory ads)."""
    def fetch(ids: list[int]) -> dict[int, Vacancy]:
        got = store.vacancies_by_ids(ids)
        return dict(zip(got, with_contact_facts(got.values()), strict=True))
    return StoreRows(cols.ids, fetch, "vacancy")


def store_docs(store: Store, cols: Columns, stamp: str) -> Iterator[tuple[str, str]]:
    """What the retrievers index, streamed from the store for the ads of ``cols``; an
    error at the end if a refresh changed them meanwhile (the fit is then not saved)."""
    n = 0
    for doc in store.iter_active_vacancy_docs():
        n += 1
        yield doc
    if n != cols.n or store.data_stamp() != stamp:
        raise IndexNotReadyError("the vacancies changed while the matcher was loading",
                          hint="run the command again")


def open_store(url: str) -> Store:
    """``Store.open(url)``: the store the matcher reads (and the CLI's citizen commands)."""
    return Store.open(url)


class FeedbackLoader:
    """Reads a citizen's stored feedback, keeping one store (engine) open for the matcher's
    life: opening a store checks the schema, ~20 ms per suggest otherwise."""

    def __init__(self, url: str, *, store: Any = None) -> None:
        self.url = url
        self._store: Any = store

    def __call__(self, citizen_id: str) -> list[Feedback]:
        if self._store is None:
            self._store = open_store(self.url)
        return list(self._store.feedback_for(citizen_id))
