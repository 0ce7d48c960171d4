"""Store methods for job starts and their outcomes: add, import, list and end job starts.

Job starts go in and come out as :class:`ipsmatch.jobdev.JobStart`, validated again on the way
in. The citizen must exist (``import_job_starts``: import the contact log first); the employer
is resolved by :class:`~ipsmatch.store.employer_lookup.EmployerResolver`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ipsmatch.errors import FeedError, NotFoundError, UsageError
from ipsmatch.jobdev.model import JobStart, check_free_text
from ipsmatch.messages import plural
from ipsmatch.store.employer_lookup import EmployerResolver, filtered, with_employer
from ipsmatch.store.engine import write_lock
from ipsmatch.store.records import (
    UNKNOWN_CITIZEN_HINT,
    ImportSummary,
    citizen_exists,
    existing_citizens,
    import_key,
    located,
    not_there,
    unknown_citizen,
    validate_all,
)
from ipsmatch.store.schema import job_starts, utc_now
from ipsmatch.store.serialize import row_id

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def job_start_import_key(row: dict[str, Any]) -> str:
    """The import key of a ``job_starts`` row: who started where, as what, when, on what
    terms (not how it ended, which ``outcomes end`` fills in later)."""
    return import_key(["job_start", *(row.get(c) for c in (
        "citizen_id", "employer_id", "title", "start_date", "hours_per_week", "competitive"))])



def job_start_from_row(r: Any) -> JobStart:
    return JobStart(citizen_id=r["citizen_id"], start_date=r["start_date"], title=r["title"],
                    employer_cvr=r["e_cvr"], employer_name=r["e_name"],
                    hours_per_week=r["hours_per_week"], competitive=bool(r["competitive"]),
                    end_date=r["end_date"], end_reason=r["end_reason"], id=r["id"],
                    wage_form=r["wage_form"], contact_person=r["contact_person"])



class JobStartsMixin:
    engine: Engine
    lock_timeout: float

    def add_job_start(self, job: JobStart, *, today: date | None = None,
                      allow_health: bool = False) -> JobStart:
        """Store one job start; the citizen must exist. Returns it with its id."""
        job.validate(today=today)
        if not allow_health:
            check_free_text(job)
        with write_lock(self.engine, self.lock_timeout) as conn:
            if not citizen_exists(conn, job.citizen_id):
                raise unknown_citizen(job.citizen_id)
            resolve = EmployerResolver(conn)
            jid = self._insert_job_start(conn, job, resolve)
            cvr, name = resolve.identity(resolve(job.employer_cvr, job.employer_name))
            return replace(job, id=jid, employer_cvr=cvr, employer_name=name)

    def import_job_starts(self, jobs: Sequence[JobStart], *, today: date | None = None,
                          file: str | None = None, lines: Sequence[int] | None = None,
                          allow_health: bool = False) -> ImportSummary:
        """Store many job starts in one transaction; an unknown citizen raises FeedError
        (located by ``file``/``lines``) and nothing is written."""
        validate_all(jobs, today=today, allow_health=allow_health, file=file, lines=lines)
        with write_lock(self.engine, self.lock_timeout) as conn:
            known = existing_citizens(conn, {j.citizen_id for j in jobs})
            for i, j in enumerate(jobs):
                if j.citizen_id not in known:
                    raise located(FeedError(
                        f"unknown citizen ID {j.citizen_id!r}", field="citizen_id",
                        hint="import the contact log first, or " + UNKNOWN_CITIZEN_HINT),
                        file, lines, i)
            resolve = EmployerResolver(conn)
            rows = [self._job_start_row(j, resolve) for j in jobs]
            for r in rows:
                r["import_key"] = job_start_import_key(r)
            new = not_there(conn, job_starts, rows)
            if new:
                conn.execute(job_starts.insert(), new)
        return ImportSummary(added=len(new), already=len(rows) - len(new),
                             employers_created=resolve.created)

    def list_job_starts(self, *, since: date | None = None, until: date | None = None,
                        citizen: str | None = None, employer: str | int | None = None,
                        open_only: bool = False) -> list[JobStart]:
        """Job starts by start date; ``open_only`` leaves out ended jobs."""
        t = job_starts
        q = filtered(with_employer(t).order_by(t.c.start_date, t.c.id), t, t.c.start_date,
                      since=since, until=until, citizen=citizen, employer=employer)
        if open_only:
            q = q.where(t.c.end_date.is_(None))
        with self.engine.connect() as conn:
            return [job_start_from_row(r) for r in conn.execute(q).mappings()]

    def end_job_start(self, *, end_date: date, reason: str | None = None,
                      job_id: int | None = None, citizen_id: str | None = None,
                      today: date | None = None, allow_health: bool = False) -> JobStart:
        """Record that a job ended: by job id, or the citizen's only open job."""
        if job_id is not None and row_id(job_id) is None:
            raise NotFoundError(code="job.unknown", params={"id": job_id})
        if job_id is None:
            if not citizen_id:
                raise UsageError("say which job ended", hint="give the job id or --citizen")
            open_jobs = self.list_job_starts(citizen=citizen_id, open_only=True)
            if len(open_jobs) != 1:
                if not open_jobs:
                    self.get_citizen(citizen_id)  # type: ignore[attr-defined]
                how_many = plural(len(open_jobs), 'open job', 'open jobs')
                raise UsageError(f"citizen {citizen_id} has {how_many}",
                                 hint="give the job id (see `ipsmatch outcomes list "
                                      f"--citizen {citizen_id}`)")
            job_id = open_jobs[0].id
        with self.engine.connect() as conn:
            row = conn.execute(with_employer(job_starts).where(job_starts.c.id == job_id)
                               ).mappings().first()
        if row is None:
            raise NotFoundError(code="job.unknown", params={"id": job_id})
        ended = replace(job_start_from_row(row), end_date=end_date, end_reason=reason)
        ended.validate(today=today)
        if not allow_health:
            check_free_text(ended)
        with self.engine.begin() as conn:
            conn.execute(job_starts.update().where(job_starts.c.id == job_id),
                         {"end_date": end_date, "end_reason": reason})
        return ended

    def _insert_job_start(self, conn: sa.Connection, j: JobStart,
                          resolve: EmployerResolver) -> int:
        return int(conn.execute(job_starts.insert().returning(job_starts.c.id),
                                self._job_start_row(j, resolve)).scalar_one())

    @staticmethod
    def _job_start_row(j: JobStart, resolve: EmployerResolver) -> dict[str, Any]:
        return {
            "citizen_id": j.citizen_id,
            "employer_id": resolve(j.employer_cvr, j.employer_name),
            "title": j.title, "start_date": j.start_date, "hours_per_week": j.hours_per_week,
            "competitive": j.competitive, "end_date": j.end_date, "end_reason": j.end_reason,
            "wage_form": j.wage_form, "contact_person": j.contact_person,
            "created_at": utc_now()}
