"""Set-based writes for the batch refresh: few round trips, no per-row SELECTs.

Every function takes an open connection inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa

from ipsmatch.domain import Employer
from ipsmatch.identity import employer_key
from ipsmatch.store.schema import employers, vacancies
from ipsmatch.store.serialize import employer_to_row, merge_employer

CHUNK = 1000


class StoredVacancy(NamedTuple):
    """What the refresh needs of a stored vacancy to upsert it."""

    id: int
    content_hash: str | None
    expired_at: datetime | None
    deadline: date | None
    raw_hash: str | None


class ActiveVacancy(NamedTuple):
    """The key of an active vacancy, for a snapshot to expire the ones a feed left out."""

    id: int
    source: str
    external_id: str


#: (source, external_id) -> the stored vacancy
Existing = dict[tuple[str, str], StoredVacancy]


def chunks(seq: Sequence[Any], n: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def vacancies_by_key(conn: sa.Connection, keys: Iterable[tuple[str, str]]) -> Existing:
    """The stored vacancies among ``keys`` ((source, external_id) pairs), keyed for the
    upsert: one indexed query per source and thousand ids, so a refresh can look up a chunk
    of a big feed without loading the whole table."""
    c = vacancies.c
    by_source: dict[str, list[str]] = {}
    for src, ext in keys:
        by_source.setdefault(src, []).append(ext)
    out: Existing = {}
    for src, exts in by_source.items():
        for part in chunks(sorted(set(exts))):
            q = sa.select(c.external_id, c.id, c.content_hash, c.expired_at, c.deadline,
                          c.raw_hash).where(c.source == src, c.external_id.in_(part))
            out.update({(src, e): StoredVacancy(i, h, x, d, r)
                        for e, i, h, x, d, r in conn.execute(q)})
    return out


class KnownRawHashes:
    """The stored raw hash of a (source, external_id), for ``iter_feeds(known=...)``: it
    fetches each chunk's keys in one go (``prefetch``) and keeps only that chunk's."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.table: dict[tuple[str, str], str | None] = {}

    def prefetch(self, keys: list[tuple[str, str]]) -> None:
        with self.engine.connect() as conn:
            found = vacancies_by_key(conn, keys)
        self.table = {k: None for k in keys}  # asked and not stored: no query per record
        self.table.update((k, row.raw_hash) for k, row in found.items())

    def __call__(self, src: str, ext: str) -> str | None:
        key = (src, ext)
        if key not in self.table:  # not announced: look it up alone, keep the chunk's
            with self.engine.connect() as conn:
                row = vacancies_by_key(conn, [key]).get(key)
            self.table[key] = row.raw_hash if row else None
        return self.table[key]


def active_keys(conn: sa.Connection, sources: Iterable[str]) -> Iterable[ActiveVacancy]:
    """Every active vacancy of ``sources``, streamed."""
    c = vacancies.c
    q = sa.select(c.id, c.source, c.external_id).where(
        c.source.in_(sorted(set(sources))), c.expired_at.is_(None))
    for part in conn.execute(q.execution_options(yield_per=CHUNK * 10)).partitions():
        yield from (ActiveVacancy(i, s, e) for i, s, e in part)


def upsert_employers(conn: sa.Connection, emps: Sequence[Employer], now: datetime
                     ) -> list[int]:
    """Upsert many employers at once; returns their ids in input order.

    Identity is the CVR, else the normalised name (matching an employer without a CVR, or
    one with the same CVR). Duplicates within ``emps`` are merged first.
    """
    rows = [employer_to_row(e) for e in emps]
    stored = _employers_like(conn, {r["cvr"] for r in rows if r["cvr"]},
                             {r["name_key"] for r in rows})
    by_cvr = {r["cvr"]: r for r in stored if r["cvr"]}
    by_key: dict[str, dict[str, Any]] = {}
    for r in stored:
        by_key.setdefault(r["name_key"], r)
    by_key_nocvr = {k: r for k, r in by_key.items() if not r["cvr"]}

    pending: dict[str, dict[str, Any]] = {}   # identity -> merged incoming row
    ident: list[str] = []
    for row in rows:
        k = employer_key(row["cvr"], row["name"]) or f"name:{row['name_key']}"
        ident.append(k)
        if k in pending:
            pending[k].update({c: v for c, v in row.items() if v not in (None, "", {})})
        else:
            pending[k] = row

    # A name-only employer in the same batch as the same name with a CVR is that employer.
    cvr_by_key = {r["name_key"]: k for k, r in pending.items() if r["cvr"]}
    alias = {k: cvr_by_key[r["name_key"]] for k, r in pending.items()
             if not r["cvr"] and r["name_key"] in cvr_by_key and r["name_key"] not in by_key}
    for k in alias:
        del pending[k]
    ident = [alias.get(k, k) for k in ident]

    ids: dict[str, int] = {}
    inserts: list[tuple[str, dict[str, Any]]] = []
    updates: list[dict[str, Any]] = []
    for k, row in pending.items():
        found = by_cvr.get(row["cvr"]) if row["cvr"] else None
        if found is None:
            found = by_key_nocvr.get(row["name_key"]) if row["cvr"] else by_key.get(
                row["name_key"])
        if found is None:
            inserts.append((k, {**row, "created_at": now, "updated_at": now}))
            continue
        ids[k] = found["id"]
        changes = merge_employer(found, row)
        if changes:
            updates.append({**{c: found[c] for c in row}, **changes, "updated_at": now,
                            "_id": found["id"]})
    if inserts:
        result = conn.execute(
            employers.insert().returning(employers.c.id, sort_by_parameter_order=True),
            [r for _, r in inserts])
        for (k, _), new_id in zip(inserts, result.scalars().all(), strict=True):
            ids[k] = new_id
    if updates:
        conn.execute(employers.update().where(employers.c.id == sa.bindparam("_id")), updates)
    return [ids[k] for k in ident]


def _employers_like(conn: sa.Connection, cvrs: set[str], name_keys: set[str]
                    ) -> list[dict[str, Any]]:
    """The stored employers that one of ``cvrs`` or ``name_keys`` could be, in id order (the
    order a full scan gives, which decides which of two same-named employers matches)."""
    c = employers.c
    found: dict[int, dict[str, Any]] = {}
    for col, values in ((c.cvr, cvrs), (c.name_key, name_keys)):
        for part in chunks(sorted(values)):
            for r in conn.execute(sa.select(employers).where(col.in_(part))).mappings():
                found[r["id"]] = dict(r)
    return [found[i] for i in sorted(found)]


def insert_vacancies(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert rows; returns the new ids in order."""
    out: list[int] = []
    for part in chunks(rows):
        result = conn.execute(
            vacancies.insert().returning(vacancies.c.id, sort_by_parameter_order=True), part)
        out.extend(result.scalars().all())
    return out


def update_vacancies(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Update rows by their ``_id`` key; every other key is a column to set."""
    for part in chunks(rows):
        conn.execute(vacancies.update().where(vacancies.c.id == sa.bindparam("_id")), part)


def set_columns(conn: sa.Connection, ids: Sequence[int], **values: Any) -> int:
    """Set the same ``values`` on many vacancies; returns rows changed."""
    n = 0
    for part in chunks(ids):
        n += conn.execute(vacancies.update().where(vacancies.c.id.in_(part)).values(**values)
                          ).rowcount
    return n


def expire_past_deadline(conn: sa.Connection, today: Any, now: datetime) -> int:
    """Expire every active ad whose application deadline has passed."""
    return conn.execute(vacancies.update()
                        .where(vacancies.c.expired_at.is_(None), vacancies.c.deadline < today)
                        .values(expired_at=now)).rowcount
