"""The batch refresh: feed files -> vacancies and employers in the store, in ONE transaction.

    >>> report = refresh(store, ["jobnet.json"], snapshot=True)   # doctest: +SKIP
    >>> report.summary()                                          # doctest: +SKIP
    'added 120, updated 4, unchanged 980, expired 12, rejected 1 in 1.2 s'

Upsert by (source, external_id): an unchanged content hash only touches ``last_seen``; a
changed one updates the row; a record whose raw form is unchanged since the last refresh
(``Vacancy.raw_hash``) is not even parsed or enriched again, and counts as unchanged; an
expired ad that reappears is reactivated. With ``snapshot``, ads of a source that are
missing from the feed are expired (never deleted), but only when every file was read
completely and held at least one vacancy. Ads past their deadline are expired. Any failure
rolls the whole refresh back.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ipsmatch.domain import Vacancy
from ipsmatch.errors import InputError, StoreError
from ipsmatch.feeds import FeedBatch, FeedFileResult, check_source, content_hash, iter_feeds
from ipsmatch.messages import plural
from ipsmatch.store import Store, bulk, runs
from ipsmatch.store.engine import write_lock
from ipsmatch.store.serialize import vacancy_to_row
from ipsmatch.store.spill import Chunk, Spill

OccupationResolver = Callable[[list[Vacancy]], None]
#: progress(step, steps, label): called after reading the feeds and after writing
Progress = Callable[[int, int, str], None]
#: on_chunk(n, records): called after the n-th chunk of the feed has been read
ChunkHook = Callable[[int, int], None]


@dataclass
class RefreshReport:
    """What a refresh did. ``ok`` is False when a file could not be read."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    expired: int = 0
    rejected: int = 0
    #: of ``added``, how many were already past their application deadline (stored as expired)
    added_past_deadline: int = 0
    errors: list[str] = field(default_factory=list)
    read_errors: list[str] = field(default_factory=list)
    #: problems that did not cost a record (a value cut to fit, a file cut off at the end)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    files: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    #: why --snapshot did not expire anything, when it did not
    snapshot_skipped: str | None = None
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.read_errors

    def summary(self) -> str:
        added = f"added {self.added}"
        if self.added_past_deadline:
            added += f" ({self.added_past_deadline} already past their deadline)"
        return (f"{added}, updated {self.updated}, unchanged {self.unchanged}, "
                f"expired {self.expired}, rejected {self.rejected} in {self.seconds:.1f} s")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


class RejectedRowsError(InputError):
    """``strict`` refresh: rows (or files) were rejected, so nothing was written."""

    def __init__(self, errors: list[str], read_errors: list[str]) -> None:
        n = len(errors) + len(read_errors)
        super().__init__(f"{n} rejected row(s)/file(s) with --strict: nothing was written",
                         hint="fix the rows listed above, or run without --strict")
        self.errors = errors
        self.read_errors = read_errors


def refresh(store: Store, paths: Sequence[str | Path], *, fmt: str | None = None,
            source: str | None = None, snapshot: bool = False, strict: bool = False,
            now: datetime | None = None, progress: Progress | None = None,
            occupation_resolver: OccupationResolver | str | None = "auto",
            chunk_size: int | None = None, on_chunk: ChunkHook | None = None
            ) -> RefreshReport:
    """Read feed files (ipsmatch.feeds) and apply them to the store; see the module doc.

    ``occupation_resolver="auto"`` attaches ESCO occupations to new and changed ads with the
    bundled taxonomy (loaded only when there is something to classify); None skips that.

    The feeds are read ``chunk_size`` records at a time (default
    :data:`ipsmatch.feeds.CHUNK_SIZE`), so memory stays flat however big the feed is; the
    chunks read wait in a temporary file, and are written in one transaction at the end.
    ``on_chunk(n, records)`` is called after the n-th chunk is read (records: the valid ones).
    """
    resolver = _resolver(occupation_resolver)
    t0 = time.perf_counter()
    fmt = None if fmt in (None, "auto") else fmt
    run = _Run(store, source=source, snapshot=snapshot, strict=strict, now=now,
               resolver=resolver)
    try:
        # Jobnet search and detail records pair up across files: iter_feeds sees all files.
        size = {"chunk_size": chunk_size} if chunk_size else {}
        known = bulk.KnownRawHashes(store.engine)
        for n, chunk in enumerate(iter_feeds(list(paths), fmt=fmt, source=source, known=known,
                                             **size), start=1):
            run.take(chunk)
            if on_chunk:
                on_chunk(n, len(chunk.vacancies) + len(chunk.unchanged))
        crash_point("read")
        if progress:
            progress(1, 2, "read")
        report = run.write(t0)
    finally:
        run.close()
    if progress:
        progress(2, 2, "write")
    report.seconds = time.perf_counter() - t0
    return report


def apply_batch(store: Store, batch: FeedBatch, *, source: str | None = None,
                snapshot: bool = False, strict: bool = False, now: datetime | None = None,
                occupation_resolver: OccupationResolver | None = None) -> RefreshReport:
    """Apply an already-read batch (:func:`ipsmatch.feeds.read_feeds`) to the store in one
    transaction."""
    t0 = time.perf_counter()
    run = _Run(store, source=source, snapshot=snapshot, strict=strict, now=now,
               resolver=occupation_resolver)
    try:
        run.take(batch)
        return run.write(t0)
    finally:
        run.close()


def _resolver(occupation_resolver: OccupationResolver | str | None
              ) -> OccupationResolver | None:
    if occupation_resolver == "auto":
        return _lazy_default_resolver
    if isinstance(occupation_resolver, str):
        raise ValueError(f"occupation_resolver={occupation_resolver!r}: use 'auto', None or a "
                         "callable")
    return occupation_resolver


def _lazy_default_resolver(vacancies: list[Vacancy]) -> None:
    from ipsmatch.config import Settings
    from ipsmatch.taxonomy.attach import default_resolver

    global _DEFAULT_RESOLVER
    if _DEFAULT_RESOLVER is None:
        s = Settings.load()
        _DEFAULT_RESOLVER = default_resolver(model_dir=s.model_dir, semantic=s.semantic)
    _DEFAULT_RESOLVER(vacancies)


_DEFAULT_RESOLVER: OccupationResolver | None = None

class _Run:
    """One refresh: ``take`` each chunk read (validate, classify, set aside), then ``write``
    them all in one transaction."""

    def __init__(self, store: Store, *, source: str | None, snapshot: bool, strict: bool,
                 now: datetime | None, resolver: OccupationResolver | None) -> None:
        check_source(source)
        self.store, self.source, self.snapshot, self.strict = store, source, snapshot, strict
        self.now = now or datetime.now(UTC)
        self.today = _local_date(self.now)
        self.resolver = resolver
        self.errors: list[str] = []
        self.read_errors: list[str] = []
        self.warnings: list[str] = []
        self.files: list[FeedFileResult] = []
        self.sources: set[str] = {source} if source else set()
        #: every (source, external_id) in the feed: what a snapshot keeps
        self.seen: set[tuple[str, str]] = set()
        self.records = 0
        self.spill = Spill()

    def take(self, batch: FeedBatch) -> None:
        self.errors += [str(e) for e in batch.errors]
        self.read_errors += [str(e) for e in batch.read_errors]
        self.warnings += [str(e) for e in batch.warnings]
        self.files = batch.files  # iter_feeds: one list, kept current
        source = self.source
        unique: dict[tuple[str, str], Vacancy] = {}
        for v in batch.vacancies:
            if source:
                v.source = source
            if v.content_hash is None:
                v.content_hash = content_hash(v)
            unique[(v.source, v.external_id)] = v  # a repeated id: the last one in the feed wins
        # Records the reader skipped because their raw form is unchanged (FeedBatch.unchanged).
        skipped = {(source or s, e) for s, e in batch.unchanged} - unique.keys()
        self.seen.update(unique)
        self.seen.update(skipped)
        self.sources.update(k[0] for k in unique)
        self.sources.update(k[0] for k in skipped)
        self.records += len(unique) + len(skipped)
        if self.strict and (self.errors or self.read_errors):
            self.spill.close()  # nothing will be written; only the errors still count
            return
        # Resolve occupations before taking the writer lock (it can be slow); anything that
        # turns out new/changed only under the lock is resolved there.
        resolved: set[int] = set()
        if self.resolver and unique:
            with self.store.engine.connect() as conn:
                pre = bulk.vacancies_by_key(conn, unique)
            todo = [v for k, v in unique.items() if _needs_resolving(v, pre.get(k))]
            if todo:
                self.resolver(todo)
            resolved = {id(v) for v in todo}
        vacs = list(unique.values())
        self.spill.add(Chunk(vacs, [id(v) in resolved for v in vacs], sorted(skipped)))

    def write(self, t0: float) -> RefreshReport:
        if self.strict and (self.errors or self.read_errors):
            raise RejectedRowsError(self.errors, self.read_errors)
        files = [f.to_dict() for f in self.files]
        report = RefreshReport(rejected=len(self.errors), errors=self.errors,
                               read_errors=self.read_errors, warnings=self.warnings,
                               files=files,
                               sources=sorted(self.sources))
        report.snapshot_skipped = _snapshot_blocker(self.read_errors, files, self.records) \
            if self.snapshot else None
        now = self.now
        started = False
        try:
            with write_lock(self.store.engine, self.store.lock_timeout) as conn:
                started = True
                for vacs, resolved, skipped in self.spill:
                    _write_chunk(conn, report, vacs, resolved, skipped, now=now,
                                 today=self.today, resolver=self.resolver)
                if self.snapshot and report.snapshot_skipped is None:
                    gone = [a.id for a in bulk.active_keys(conn, report.sources)
                            if (a.source, a.external_id) not in self.seen]
                    report.expired += bulk.set_columns(conn, gone, expired_at=now)
                report.expired += bulk.expire_past_deadline(conn, self.today, now)
                crash_point("expired")
                report.seconds = time.perf_counter() - t0
                report.run_id = _record_run(conn, report, now)
                crash_point("before_commit")
            crash_point("after_commit")
        except sa.exc.SQLAlchemyError as exc:
            if started:
                _record_failure(self.store, report, now, exc)
            first = str(exc).splitlines()[0] if str(exc) else ""
            raise StoreError(f"refresh failed, nothing was changed: {type(exc).__name__}: "
                             f"{first}") from exc
        except BaseException as exc:  # a bug or an interrupt: the rollback already happened
            if started and isinstance(exc, Exception):
                _record_failure(self.store, report, now, exc)
            raise
        return report

    def close(self) -> None:
        self.spill.close()


def _write_chunk(conn: sa.Connection, report: RefreshReport, vacs: list[Vacancy],
                 resolved_flags: list[bool], skipped: list[tuple[str, str]], *, now: datetime,
                 today: date, resolver: OccupationResolver | None) -> None:
    """Apply one chunk inside the refresh's transaction, adding to the report's counts."""
    unique = {(v.source, v.external_id): v for v in vacs}
    resolved = {id(v) for v, r in zip(vacs, resolved_flags, strict=True) if r}
    existing = bulk.vacancies_by_key(conn, [*unique, *skipped])
    new: list[Vacancy] = []
    changed: list[tuple[int, Vacancy]] = []
    touched: list[int] = []
    reactivate: list[int] = []
    new_raw: list[dict[str, Any]] = []  # same content, other raw form: store the new raw hash
    for key, v in unique.items():
        old = existing.get(key)
        if old is None:
            new.append(v)
            continue
        if old.content_hash != v.content_hash:
            changed.append((old.id, v))
            continue
        if v.raw_hash is not None and old.raw_hash != v.raw_hash:
            new_raw.append({"_id": old.id, "raw_hash": v.raw_hash})
        if old.expired_at is not None and not _past(v, today):
            reactivate.append(old.id)
        else:
            touched.append(old.id)
    for key in skipped:
        old = existing.get(key)
        if old is None:  # deleted since the feed was read; the next refresh adds it again
            continue
        # The stored row is the record's content: its deadline decides.
        if old.expired_at is not None and not (old.deadline is not None
                                               and old.deadline < today):
            reactivate.append(old.id)
        else:
            touched.append(old.id)  # past its deadline: expire_past_deadline does it
    late = [v for v in (*new, *(v for _, v in changed)) if id(v) not in resolved]
    if resolver and late:
        resolver(late)

    with_emp = [v for v in unique.values() if v.employer is not None and v.employer.name]
    emp_ids = bulk.upsert_employers(conn, [v.employer for v in with_emp], now)  # type: ignore[misc]
    emp_of = {id(v): eid for v, eid in zip(with_emp, emp_ids, strict=True)}
    for v, eid in zip(with_emp, emp_ids, strict=True):
        v.employer.id = eid  # type: ignore[union-attr]
    crash_point("employers")

    def row(v: Vacancy) -> dict[str, Any]:
        r = vacancy_to_row(v)
        r.update(employer_id=emp_of.get(id(v)), last_seen=now,
                 expired_at=now if _past(v, today) else None)
        return r

    new_rows = [{**row(v), "first_seen": now} for v in new]
    for v, vid in zip(new, bulk.insert_vacancies(conn, new_rows), strict=True):
        v.id = vid
    crash_point("inserted")
    upd = []
    for vid, v in changed:
        r = row(v)
        del r["first_seen"]
        upd.append({**r, "_id": vid})
        v.id = vid
    bulk.update_vacancies(conn, upd)
    crash_point("updated")
    bulk.set_columns(conn, touched, last_seen=now)
    bulk.set_columns(conn, reactivate, last_seen=now, expired_at=None)
    bulk.update_vacancies(conn, new_raw)

    report.added += len(new)
    report.added_past_deadline += sum(1 for v in new if _past(v, today))
    report.updated += len(changed) + len(reactivate)
    report.unchanged += len(touched)
    report.expired += sum(1 for _, v in changed
                          if _past(v, today)
                          and existing[(v.source, v.external_id)].expired_at is None)


#: stages at which ``IPSMATCH_TEST_KILL_AT`` can kill a refresh (tests/test_crash.py)
CRASH_STAGES = ("read", "employers", "inserted", "updated", "expired", "before_commit",
                "after_commit")


def crash_point(stage: str) -> None:
    """Test hook: with ``IPSMATCH_TEST_KILL_AT=<stage>`` the process SIGKILLs itself here,
    like a power cut, so the crash test can prove a refresh is all-or-nothing.
    ``<stage>#<n>`` kills the n-th time the stage is reached (the n-th chunk written)."""
    want = os.environ.get("IPSMATCH_TEST_KILL_AT")
    if not want or not want.startswith(stage):
        return
    _CRASH_COUNTS[stage] = _CRASH_COUNTS.get(stage, 0) + 1
    if want in (stage, f"{stage}#{_CRASH_COUNTS[stage]}"):
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


_CRASH_COUNTS: dict[str, int] = {}


def _past(v: Vacancy, today: date) -> bool:
    return v.deadline is not None and v.deadline < today


def _needs_resolving(v: Vacancy, old: bulk.StoredVacancy | None) -> bool:
    return old is None or old.content_hash != v.content_hash


def _snapshot_blocker(read_errors: list[str], files: list[dict[str, Any]], records: int
                      ) -> str | None:
    """Why expiring missing ads would be unsafe now, or None when it is safe."""
    if read_errors:
        return "a file could not be read completely"
    for f in files:
        if not f.get("ok", True):
            return f"{f.get('path')} was not read completely"
        if f.get("cut_off"):
            return f"{f.get('path')} is cut off in the middle of a record ({f['cut_off']})"
        if f.get("vacancies") == 0:
            return f"{f.get('path')} held no vacancies"
    if not records:
        return "the feed held no vacancies"
    return None


def _local_date(now: datetime) -> date:
    """Deadlines are Danish calendar dates."""
    try:
        from zoneinfo import ZoneInfo

        return now.astimezone(ZoneInfo("Europe/Copenhagen")).date()
    except Exception:  # no tz database on this machine: UTC is at most a day off
        return now.astimezone(UTC).date()


def _run_values(report: RefreshReport, now: datetime, status: str, message: str | None
                ) -> dict[str, Any]:
    # Derived from the (possibly injected) start time, so tests and replays stay consistent.
    return {"started_at": now, "finished_at": now + timedelta(seconds=report.seconds),
            "sources": report.sources, "files": report.files, "added": report.added,
            "updated": report.updated, "unchanged": report.unchanged,
            "expired": report.expired, "rejected": report.rejected, "status": status,
            "message": message}


def _record_run(conn: sa.Connection, report: RefreshReport, now: datetime) -> int:
    message = f"{plural(len(report.read_errors), 'file', 'files')} could not be read" \
        if report.read_errors else None
    return runs.record_run(conn, **_run_values(report, now, "ok", message))


def _record_failure(store: Store, report: RefreshReport, now: datetime, exc: Exception
                    ) -> None:
    """Best effort: note the failed run after the rollback (never masks the real error)."""
    empty = RefreshReport(rejected=report.rejected, files=report.files, sources=report.sources)
    try:
        with store.engine.begin() as conn:
            runs.record_run(conn, **_run_values(empty, now, "failed",
                                                f"{type(exc).__name__}: {exc}"))
    except Exception:  # the database itself may be what failed
        pass
