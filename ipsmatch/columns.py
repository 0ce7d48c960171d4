"""The matcher's per-ad columns: what every filter and signal reads, as NumPy arrays.

A suggestion is a few vectorised passes over all ads (see :mod:`ipsmatch.matcher`); only
the ~20 shown results need whole :class:`~ipsmatch.domain.Vacancy` objects. The columns are
saved beside the search indexes, keyed on the store's cheap fingerprint
(:meth:`ipsmatch.store.Store.data_stamp`), so opening a matcher over 100,000 ads reads a few
arrays instead of rebuilding 100,000 objects from SQL (3-4 s). They are rebuilt after a
refresh, once, by the first matcher that opens the database.

Stored as ``.npy`` arrays plus a JSON manifest (no pickle), owner-only, written atomically.
What consultants learned at contacts is *not* in the saved facts: it is laid over them at
load (:meth:`Columns.overlay_contact_facts`), because it changes without a refresh.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from ipsmatch import __version__, identity
from ipsmatch.constraints.criteria import SUBSIDISED
from ipsmatch.domain import FACT_KEYS, SCHEDULE_KEYS, Employer, Fact, Vacancy
from ipsmatch.education.detect import education_kind
from ipsmatch.errors import IndexNotReadyError
from ipsmatch.geo import postcode_info
from ipsmatch.retrieval.base import REBUILD_HINT, data_hash, read_manifest, write_index_dir

KIND = "columns"
#: bump when what a column means changes; the package version is in the manifest too (the
#: postcode table behind missing coordinates ships with it)
VERSION = 5
FACT_INDEX = {k: i for i, k in enumerate(FACT_KEYS)}


def employer_key(e: Employer | None) -> str | None:
    """Identity of an ad's employer (:func:`ipsmatch.identity.employer_key`); None if unknown."""
    return None if e is None else identity.employer_key(e.cvr, e.name)


def _point(lat: float | None, lon: float | None, postcode: str | None) -> tuple[float, float]:
    if lat is not None and lon is not None:
        return float(lat), float(lon)
    info = postcode_info(postcode) if postcode else None
    return info.point if info else (np.nan, np.nan)


def _date_ord(d: date | None) -> float:
    return float(d.toordinal()) if d else np.nan


def _strings(xs: Iterable[str]) -> np.ndarray:
    a = np.array(list(xs), dtype=np.str_)
    return a if a.size else np.zeros(0, dtype="<U1")


def vacancy_docs(vacancies: Iterable[Vacancy]) -> list[tuple[str, str]]:
    """(title + occupation label, text) per ad: what the vacancy retrievers index."""
    return [(f"{v.title} {v.occupation_label or ''}".strip(), v.text or "") for v in vacancies]


def employer_docs(employers: Iterable[Employer]) -> list[tuple[str, str]]:
    """(industry, past occupations) per employer: what the employer retriever indexes. The
    past occupations are a documented hook filled by job development
    (``Employer.attributes["past_occupations"]``, a list of labels)."""
    return [(e.industry or "", " ".join(str(x) for x in
                                        e.attributes.get("past_occupations", []) or []))
            for e in employers]


def employer_docs_hash(docs: Sequence[tuple[str, str]]) -> str:
    return data_hash(f"{t}\x1f{x}" for t, x in docs)


@dataclass
class Columns:
    """Per-ad arrays (length n) and per-employer arrays (length m)."""

    #: store id of each ad (-1 for in-memory ads)
    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    hmin: np.ndarray
    hmax: np.ndarray
    #: The evidence per fact FACT_KEYS[k] and ad i, from all its sources (field, text,
    #: contacts): fact_true = a statement of presence, fact_false = a statement of absence,
    #: fact_ask = a hint of presence (ask), fact_weak = an implied absence. What they say
    #: together is :func:`fact_states` (the rule of ipsmatch.needs.weigh).
    fact_true: np.ndarray
    fact_false: np.ndarray
    fact_ask: np.ndarray
    fact_weak: np.ndarray
    subsidised: np.ndarray
    fleksjob: np.ndarray
    #: an apprentice or trainee ad (ipsmatch.education.detect.education_kind), version 3
    education: np.ndarray
    posted: np.ndarray
    deadline: np.ndarray
    #: index into ``occ_uris``, -1 when the ad has no occupation
    occ_idx: np.ndarray
    #: index into the employer arrays, -1 when the ad names no employer
    emp_idx: np.ndarray
    #: index into ``sources``; with ``external_id`` the ad's feed identity (for feedback)
    source_idx: np.ndarray
    external_id: np.ndarray
    #: store id of each ad's employer (-1: none, or an in-memory employer); the matcher
    #: re-links ads to freshly read employers with it (:meth:`with_employers`)
    employer_db: np.ndarray
    #: store id of each employer (-1 for in-memory employers)
    emp_ids: np.ndarray
    emp_lat: np.ndarray
    emp_lon: np.ndarray
    emp_cvr: np.ndarray
    emp_name: np.ndarray
    #: the employer carries attributes (its full record is read for the ranking bonus)
    emp_has_attrs: np.ndarray
    occ_uris: list[str]
    sources: list[str]
    #: key of the vacancy retrievers' indexes, and of the employer retriever's
    data_hash: str
    emp_docs_hash: str

    @property
    def n(self) -> int:
        return int(self.ids.shape[0])

    # -- building ------------------------------------------------------------------------

    @classmethod
    def build(cls, vacancies: Iterable[Vacancy], employers: Iterable[Employer], *,
              chunk: int = 20_000,
              on_chunk: Callable[[list[Vacancy]], None] | None = None
              ) -> tuple[Columns, list[Employer]]:
        """Columns of these ads, read in chunks (a stream of a million ads never sits in
        memory as objects); and the employers, de-duplicated by :func:`employer_key` (the
        given ones first, then those only named by ads). ``on_chunk`` sees each chunk."""
        emps: list[Employer] = []
        index: dict[str, int] = {}
        for e in employers:
            k = employer_key(e)
            if k is not None and k not in index:
                index[k] = len(emps)
                emps.append(e)
        parts: list[dict[str, np.ndarray]] = []
        occ_index: dict[str, int] = {}
        src_index: dict[str, int] = {}
        hasher = hashlib.sha256()
        batch: list[Vacancy] = []

        def flush() -> None:
            if batch:
                parts.append(_chunk_arrays(batch, emps, index, occ_index, src_index, hasher))
                if on_chunk is not None:
                    on_chunk(batch)
                batch.clear()
        for v in vacancies:
            batch.append(v)
            if len(batch) >= chunk:
                flush()
        flush()
        per_ad = {name: np.concatenate([p[name] for p in parts], axis=-1) if parts
                  else _EMPTY[name]() for name in _AD_ARRAYS}
        cols = cls(**per_ad, **_employer_arrays(emps),
                   occ_uris=list(occ_index), sources=list(src_index),
                   data_hash=hasher.hexdigest()[:32],
                   emp_docs_hash=employer_docs_hash(employer_docs(emps)))
        return cols, emps

    def with_employers(self, employers: Sequence[Employer]) -> Columns:
        """These columns with the employer arrays of ``employers`` (store records, in ranking
        order), ads linked to them by store id. Employers change without a refresh (contacts
        teach attributes, imports add employers), so the matcher reads them fresh on every
        open instead of rebuilding the ad columns."""
        arrays = _employer_arrays(employers)
        ids = arrays["emp_ids"]
        emp_idx = np.full(self.n, -1, dtype=np.int64)
        if ids.size and self.n:
            order = np.argsort(ids, kind="stable")
            pos = np.minimum(np.searchsorted(ids[order], self.employer_db), ids.size - 1)
            found = (self.employer_db >= 0) & (ids[order][pos] == self.employer_db)
            emp_idx[found] = order[pos[found]]
        changes: dict[str, Any] = {**arrays, "emp_idx": emp_idx,
                                   "emp_docs_hash": employer_docs_hash(employer_docs(employers))}
        return replace(self, **changes)

    def overlay_contact_facts(self, facts_by_employer: Mapping[int, list[Fact]]) -> None:
        """Add what consultants learned at contacts to the ads' own facts, per employer
        index: a contact is one more source (as
        :func:`ipsmatch.jobdev.attributes.merge_facts` does for one ad), so a contact that
        disagrees with the ad makes the fact a conflict."""
        for j, facts in facts_by_employer.items():
            ads = np.flatnonzero(self.emp_idx == j)
            if not ads.size:
                continue
            for f in facts:
                k = FACT_INDEX.get(f.key)
                if k is not None:
                    _evidence(self, f)[k, ads] = True

    # -- persistence ---------------------------------------------------------------------

    _ARRAYS = ("ids", "lat", "lon", "hmin", "hmax", "fact_true", "fact_false", "fact_ask",
               "fact_weak", "subsidised", "fleksjob", "education", "posted", "deadline",
               "occ_idx", "emp_idx", "source_idx",
               "external_id", "employer_db", "emp_ids", "emp_lat", "emp_lon", "emp_cvr",
               "emp_name", "emp_has_attrs")

    def save(self, path: str | Path, *, stamp: str) -> None:
        """Write the columns under ``path`` (atomically), valid while the store's
        :meth:`~ipsmatch.store.Store.data_stamp` is ``stamp``."""
        manifest = {"kind": KIND, "version": VERSION, "model": None, "rows": self.n,
                    "data_hash": stamp, "params": _params(),
                    "retriever_hash": self.data_hash, "emp_docs_hash": self.emp_docs_hash}

        def write(d: Path) -> None:
            for name in self._ARRAYS:
                np.save(d / f"{name}.npy", getattr(self, name), allow_pickle=False)
            (d / "tables.json").write_text(json.dumps(
                {"occ_uris": self.occ_uris, "sources": self.sources}, ensure_ascii=False),
                encoding="utf-8")
        write_index_dir(path, manifest, write)

    @classmethod
    def load(cls, path: str | Path, *, stamp: str) -> Columns:
        """Load saved columns; IndexNotReadyError if missing, corrupt, of another build or
        stale."""
        m = read_manifest(path, kind=KIND, version=VERSION, expected_hash=stamp)
        if m.get("params") != _params():
            raise IndexNotReadyError(f"columns at {path} were built by another ipsmatch",
                              hint=REBUILD_HINT)
        p = Path(path)
        try:
            # Copy-on-write maps: pages are read as used and shared with the page cache;
            # contact facts laid over an ad's facts copy only the pages they touch.
            arrays = {name: np.load(p / f"{name}.npy", allow_pickle=False, mmap_mode="c")
                      for name in cls._ARRAYS}
            tables = json.loads((p / "tables.json").read_text(encoding="utf-8"))
            cols = cls(**arrays, occ_uris=list(tables["occ_uris"]),
                       sources=list(tables["sources"]), data_hash=m["retriever_hash"],
                       emp_docs_hash=m["emp_docs_hash"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexNotReadyError(f"corrupt matcher columns at {path}: {exc}",
                              hint=REBUILD_HINT) from None
        cols._check(int(m["rows"]), path)
        return cols

    def _check(self, rows: int, path: str | Path) -> None:
        n, m = rows, self.emp_ids.shape[0]
        for f in fields(self):
            a = getattr(self, f.name)
            if not isinstance(a, np.ndarray):
                continue
            want = (len(FACT_KEYS), n) if f.name.startswith("fact_") else \
                (m,) if f.name.startswith("emp_") and f.name != "emp_idx" else (n,)
            if a.shape != want:
                raise IndexNotReadyError(f"corrupt matcher columns at {path}: {f.name} has shape "
                                  f"{a.shape}, expected {want}", hint=REBUILD_HINT)
        if n and (int(self.emp_idx.max(initial=-1)) >= m
                  or int(self.occ_idx.max(initial=-1)) >= len(self.occ_uris)):
            raise IndexNotReadyError(f"corrupt matcher columns at {path}: an index is out of range",
                              hint=REBUILD_HINT)


_AD_ARRAYS = ("ids", "lat", "lon", "hmin", "hmax", "fact_true", "fact_false", "fact_ask",
              "fact_weak", "subsidised", "fleksjob", "education", "posted", "deadline",
              "occ_idx", "emp_idx", "source_idx",
              "external_id", "employer_db")
_EMPTY: dict[str, Callable[[], np.ndarray]] = {
    **{k: (lambda: np.zeros(0, dtype=np.float64)) for k in
       ("lat", "lon", "hmin", "hmax", "posted", "deadline")},
    **{k: (lambda: np.zeros(0, dtype=np.int64)) for k in ("ids", "occ_idx", "emp_idx",
                                                          "employer_db")},
    **{k: (lambda: np.zeros(0, dtype=bool)) for k in ("subsidised", "fleksjob", "education")},
    "fact_true": lambda: np.zeros((len(FACT_KEYS), 0), dtype=bool),
    "fact_false": lambda: np.zeros((len(FACT_KEYS), 0), dtype=bool),
    "fact_ask": lambda: np.zeros((len(FACT_KEYS), 0), dtype=bool),
    "fact_weak": lambda: np.zeros((len(FACT_KEYS), 0), dtype=bool),
    "source_idx": lambda: np.zeros(0, dtype=np.int32),
    "external_id": lambda: np.zeros(0, dtype="<U1"),
}


def _chunk_arrays(vs: list[Vacancy], emps: list[Employer], index: dict[str, int],
                  occ_index: dict[str, int], src_index: dict[str, int], hasher: Any
                  ) -> dict[str, np.ndarray]:
    """The per-ad arrays of one chunk; extends the employer, occupation and source tables
    and the retrievers' data hash (same text as :func:`vacancy_hash`)."""
    n = len(vs)
    for v in vs:
        if v.content_hash:  # always, for ads from the store
            item = f"{v.source}\x1f{v.external_id}\x1f{v.content_hash}"
        else:
            t, x = vacancy_docs([v])[0]
            item = f"{v.source}\x1f{v.external_id}\x1f{t}\x1f{x}"
        hasher.update(item.encode("utf-8", "surrogatepass"))
        hasher.update(b"\x1e")
    emp_idx = np.full(n, -1, dtype=np.int64)
    for i, v in enumerate(vs):
        ek = employer_key(v.employer)
        if ek is None:
            continue
        if ek not in index:
            assert v.employer is not None
            index[ek] = len(emps)
            emps.append(v.employer)
        emp_idx[i] = index[ek]
    pts = np.array([_point(v.lat, v.lon, v.postcode) for v in vs], dtype=np.float64
                   ).reshape(n, 2)
    ev = {name: np.zeros((len(FACT_KEYS), n), dtype=bool) for name in _EVIDENCE.values()}
    for i, v in enumerate(vs):
        seen: set[str] = set()
        for f in v.facts:
            k = FACT_INDEX.get(f.key)
            if k is None:
                continue
            seen.add(f.key)
            ev[_EVIDENCE[(f.value, f.implied)]][k, i] = True
        # The schedule counts only when no fact about that key exists (as in needs.py).
        for key in SCHEDULE_KEYS:
            val = v.schedule.get(key)
            if key not in seen and val is not None:
                ev["fact_true" if val else "fact_false"][FACT_INDEX[key], i] = True
    return {
        "ids": np.array([-1 if v.id is None else v.id for v in vs], dtype=np.int64),
        "lat": pts[:, 0].copy(), "lon": pts[:, 1].copy(),
        "hmin": np.array([np.nan if v.hours_min is None else v.hours_min for v in vs],
                         dtype=np.float64),
        "hmax": np.array([np.nan if v.hours_max is None else v.hours_max for v in vs],
                         dtype=np.float64),
        **ev,
        "subsidised": np.array([bool(SUBSIDISED & set(v.work_conditions)) for v in vs],
                               dtype=bool),
        "fleksjob": np.array(["fleksjob" in v.work_conditions for v in vs], dtype=bool),
        "education": np.array([education_kind(v.title, v.text) is not None for v in vs],
                              dtype=bool),
        "posted": np.array([_date_ord(v.posted) for v in vs], dtype=np.float64),
        "deadline": np.array([_date_ord(v.deadline) for v in vs], dtype=np.float64),
        "occ_idx": np.array([occ_index.setdefault(v.occupation_uri, len(occ_index))
                             if v.occupation_uri else -1 for v in vs], dtype=np.int64),
        "emp_idx": emp_idx,
        "source_idx": np.array([src_index.setdefault(v.source, len(src_index)) for v in vs],
                               dtype=np.int32),
        "external_id": _strings(v.external_id for v in vs),
        "employer_db": np.array([-1 if v.employer is None or v.employer.id is None
                                 else v.employer.id for v in vs], dtype=np.int64),
    }


#: (value, implied) of a fact -> the evidence array it sets
_EVIDENCE = {(True, False): "fact_true", (False, False): "fact_false",
             (True, True): "fact_ask", (False, True): "fact_weak"}


def _evidence(cols: Columns, f: Fact) -> np.ndarray:
    arr: np.ndarray = getattr(cols, _EVIDENCE[(bool(f.value), bool(f.implied))])
    return arr


def fact_states(t: np.ndarray, f: np.ndarray, a: np.ndarray, w: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(is True, is False, is conflict) from the evidence arrays: the rule of
    :func:`ipsmatch.needs.weigh`, vectorised (statement vs statement → conflict; a statement
    beats an implied absence; a hint alone → conflict; an absence alone → False)."""
    true_ = t & ~f
    conflict = (t & f) | (~t & a)
    false_ = ~t & ~a & (f | w)
    return true_, false_, conflict


def _employer_arrays(emps: Sequence[Employer]) -> dict[str, np.ndarray]:
    epts = np.array([_point(e.lat, e.lon, e.postcode) for e in emps],
                    dtype=np.float64).reshape(len(emps), 2)
    return {"emp_ids": np.array([-1 if e.id is None else e.id for e in emps], dtype=np.int64),
            "emp_lat": epts[:, 0].copy(), "emp_lon": epts[:, 1].copy(),
            "emp_cvr": _strings((e.cvr or "").strip() for e in emps),
            "emp_name": _strings(e.name or "" for e in emps),
            "emp_has_attrs": np.array([bool(e.attributes) for e in emps], dtype=bool)}


def _params() -> dict[str, Any]:
    return {"ipsmatch": __version__, "fact_keys": list(FACT_KEYS),
            "schedule_keys": list(SCHEDULE_KEYS), "subsidised": sorted(SUBSIDISED)}
