"""Store methods for job development: employer contacts, job starts and feedback on suggestions.

Records go in and come out as the :mod:`ipsmatch.jobdev` dataclasses and are validated again on
the way in (a date in the future or a CPR number in a note never reaches the database).

Employers are resolved by CVR, then by normalised name, and created when unknown (a contact
that gives only a CVR creates ``"CVR 12345678"``, renamed by the next ``employers import``).
After contacts are written, each touched employer's ``attributes`` are recomputed from all its
contacts (:func:`ipsmatch.jobdev.attributes.derive_attributes`), so the ranking reads them
without the contact log.

Unknown citizens: ``add_contact``, ``add_job_start`` and ``add_feedback`` refuse them
(NotFoundError). ``import_contacts`` creates a *stub* by default (id and consultant, empty
profile, no start date): a contact log exported from another system names cases that have no
ipsmatch profile yet, and the contacts still count for the consultant. A stub enters the
caseload and first-contact figures once its profile with a start date is saved.
``import_job_starts`` refuses unknown citizens (import the contact log first).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ipsmatch.errors import ConsentError, FeedError, NotFoundError, UsageError
from ipsmatch.identity import name_key
from ipsmatch.jobdev.attributes import attributes_to_json, derive_attributes
from ipsmatch.jobdev.fidelity import FidelityConfig, FidelityReport, compute_fidelity
from ipsmatch.jobdev.model import (
    LEARNED_KEYS,
    CitizenRecord,
    Contact,
    Feedback,
    JobStart,
    check_free_text,
)
from ipsmatch.store.engine import write_lock
from ipsmatch.store.schema import (
    citizens,
    employer_contacts,
    employers,
    job_starts,
    suggestion_feedback,
    utc_now,
    vacancies,
)
from ipsmatch.store.serialize import row_id

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

UNKNOWN_CITIZEN_HINT = "add it with `ipsmatch citizen add`"


@dataclass
class ImportSummary:
    """What an import wrote; ``errors`` are the rows skipped (lenient mode only)."""

    added: int = 0
    #: rows that were in the database already (an earlier import of the same rows), or
    #: repeated in the file: not added again
    already: int = 0
    employers_created: int = 0
    citizens_created: list[str] = field(default_factory=list)
    errors: list[FeedError] = field(default_factory=list)
    #: contacts for citizens not asked about employer contact yet (stored, with a warning)
    warnings: list[str] = field(default_factory=list)


def _key(parts: list[Any]) -> str:
    blob = json.dumps(parts, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def contact_import_key(row: dict[str, Any], source_id: str | None = None) -> str:
    """The import key of an ``employer_contacts`` row (column -> value): the log's own
    contact id when it has one, else a hash of everything the contact says."""
    if source_id:
        return _key(["contact_id", source_id])
    return _key(["contact", *(row.get(c) for c in (
        "contact_date", "consultant", "employer_id", "citizen_id", "kind", "purpose")),
        list(row.get("learned") or []),
        *(row.get(c) for c in ("outcome", "next_step", "next_date", "note"))])


def job_start_import_key(row: dict[str, Any]) -> str:
    """The import key of a ``job_starts`` row: who started where, as what, when, on what
    terms (not how it ended, which ``outcomes end`` fills in later)."""
    return _key(["job_start", *(row.get(c) for c in (
        "citizen_id", "employer_id", "title", "start_date", "hours_per_week", "competitive"))])


def _unknown_citizen(cid: str) -> NotFoundError:
    return NotFoundError(f"unknown citizen ID {cid!r}", hint=UNKNOWN_CITIZEN_HINT)


def _filtered(q: Any, t: sa.Table, day: Any, *, since: date | None, until: date | None,
              citizen: str | None, employer: str | int | None) -> Any:
    """The filters contacts and job starts share: a date range on ``day``, a citizen, and
    an employer (CVR, id or name)."""
    if since is not None:
        q = q.where(day >= since)
    if until is not None:
        q = q.where(day <= until)
    if citizen:
        q = q.where(t.c.citizen_id == citizen)
    if employer is not None:
        q = q.where(_employer_filter(str(employer)))
    return q


def _employer_filter(key: str) -> Any:
    """A WHERE clause matching an employer by CVR, id or (normalised) name."""
    k = key.strip()
    conds = [employers.c.cvr == k, employers.c.name_key == name_key(k)]
    rid = row_id(k)
    if rid is not None and len(k) != 8:
        conds.append(employers.c.id == rid)
    return sa.or_(*conds)


class _EmployerResolver:
    """Finds or creates employers inside one transaction, remembering what it did."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.created = 0
        self.cache: dict[tuple[str | None, str | None], int] = {}

    def __call__(self, cvr: str | None, name: str | None) -> int:
        key = (cvr or None, name_key(name) if name else None)
        if key in self.cache:
            return self.cache[key]
        conn = self.conn
        found = None
        if cvr:
            found = conn.execute(sa.select(employers.c.id).where(employers.c.cvr == cvr)
                                 ).scalar()
        if found is None and name and name_key(name):
            q = sa.select(employers.c.id, employers.c.cvr) \
                .where(employers.c.name_key == name_key(name)).order_by(employers.c.id)
            if cvr:
                # a name match must not merge two employers with different CVR numbers
                q = q.where(employers.c.cvr.is_(None))
            row = conn.execute(q).first()
            if row is not None:
                found = row.id
                if cvr:
                    conn.execute(employers.update().where(employers.c.id == found),
                                 {"cvr": cvr, "updated_at": utc_now()})
        if found is None:
            label = (name or "").strip() or f"CVR {cvr}"
            now = utc_now()
            found = conn.execute(employers.insert().returning(employers.c.id), {
                "cvr": cvr or None, "name": label, "name_key": name_key(label),
                "attributes": {}, "created_at": now, "updated_at": now}).scalar_one()
            self.created += 1
        self.cache[key] = int(found)
        return int(found)

    def identity(self, employer_id: int) -> tuple[str | None, str]:
        """The stored (CVR, name) of an employer."""
        row = self.conn.execute(sa.select(employers.c.cvr, employers.c.name)
                                .where(employers.c.id == employer_id)).one()
        return row.cvr, row.name


def _contact_from_row(r: Any) -> Contact:
    return Contact(date=r["contact_date"], consultant=r["consultant"] or "",
                   employer_cvr=r["e_cvr"], employer_name=r["e_name"],
                   citizen_id=r["citizen_id"], kind=r["kind"] or "other",
                   purpose=r["purpose"] or "learn_business",
                   learned=tuple(r["learned"] or ()), outcome=r["outcome"],
                   next_step=r["next_step"], next_date=r["next_date"], note=r["note"],
                   id=r["id"])


def _job_start_from_row(r: Any) -> JobStart:
    return JobStart(citizen_id=r["citizen_id"], start_date=r["start_date"], title=r["title"],
                    employer_cvr=r["e_cvr"], employer_name=r["e_name"],
                    hours_per_week=r["hours_per_week"], competitive=bool(r["competitive"]),
                    end_date=r["end_date"], end_reason=r["end_reason"], id=r["id"],
                    wage_form=r["wage_form"], contact_person=r["contact_person"])


def _with_employer(table: sa.Table) -> sa.Select[Any]:
    return sa.select(table, employers.c.cvr.label("e_cvr"), employers.c.name.label("e_name")
                     ).select_from(table.outerjoin(employers,
                                                   table.c.employer_id == employers.c.id))


def _not_there(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]
               ) -> list[dict[str, Any]]:
    """The rows whose import key is neither in ``table`` yet nor earlier in ``rows``."""
    keys = [r["import_key"] for r in rows]
    there: set[str] = set()
    for i in range(0, len(keys), 500):
        there.update(conn.execute(sa.select(table.c.import_key)
                                  .where(table.c.import_key.in_(keys[i:i + 500]))).scalars())
    new = []
    for r in rows:
        if r["import_key"] not in there:
            there.add(r["import_key"])
            new.append(r)
    return new


def _located(exc: FeedError, file: str | None, lines: Sequence[int] | None, i: int
             ) -> FeedError:
    if file is not None:
        exc.file = file
    if lines is not None and i < len(lines):
        exc.line = lines[i]
    elif exc.line is None and file is not None:
        exc.record = i + 1
    return exc


def _validate_all(records: Sequence[Contact | JobStart], *, today: date | None,
                  allow_health: bool, file: str | None, lines: Sequence[int] | None) -> None:
    """Check every record before anything is written; the first bad one raises FeedError,
    located by ``file`` and ``lines``."""
    for i, r in enumerate(records):
        try:
            r.validate(today=today)
            if not allow_health:
                check_free_text(r)
        except FeedError as exc:
            raise _located(exc, file, lines, i) from None


class JobDevMixin:
    engine: Engine
    lock_timeout: float

    # --- employer contacts ----------------------------------------------------------------

    def add_contact(self, contact: Contact, *, today: date | None = None,
                    warnings: list[str] | None = None, allow_health: bool = False) -> Contact:
        """Store one contact (its citizen, if given, must exist); returns it with its id.

        A contact for a citizen follows their disclosure choice
        (:func:`ipsmatch.ips.disclosure.check_contact_consent`): refused (ConsentError) when
        they said no; stored with a warning (appended to ``warnings``) and an access-log
        entry ``contact_consent_not_asked`` when they were not asked yet. Health words in its
        free text are refused unless ``allow_health``."""
        contact.validate(today=today)
        if not allow_health:
            check_free_text(contact)
        with write_lock(self.engine, self.lock_timeout) as conn:
            if contact.citizen_id and not self._citizen_exists(conn, contact.citizen_id):
                raise _unknown_citizen(contact.citizen_id)
            if contact.citizen_id:
                self._consent_check(conn, contact, warnings)
            resolve = _EmployerResolver(conn)
            eid = resolve(contact.employer_cvr, contact.employer_name)
            cid = self._insert_contact(conn, contact, eid)
            self._refresh_attributes(conn, {eid}, today or date.today())
            cvr, name = resolve.identity(eid)
            return replace(contact, id=cid, employer_cvr=cvr, employer_name=name)

    def import_contacts(self, contacts: Sequence[Contact], *, today: date | None = None,
                        create_citizens: bool = True, file: str | None = None,
                        lines: Sequence[int] | None = None, allow_health: bool = False
                        ) -> ImportSummary:
        """Store many contacts in one transaction (all or nothing).

        Unknown citizens get a stub when ``create_citizens`` (the consultant of their first
        contact, no start date); otherwise the first one raises FeedError located by ``file``
        and ``lines`` (the CSV line of each record).
        """
        today = today or date.today()
        summary = ImportSummary()
        _validate_all(contacts, today=today, allow_health=allow_health, file=file, lines=lines)
        with write_lock(self.engine, self.lock_timeout) as conn:
            known = self._existing_citizens(conn, {c.citizen_id for c in contacts
                                                   if c.citizen_id})
            for i, c in enumerate(contacts):
                if c.citizen_id and c.citizen_id in known:
                    try:
                        self._consent_check(conn, c, summary.warnings)
                    except ConsentError as exc:
                        raise _located(FeedError(exc.message, field="citizen_id",
                                                 hint=exc.hint), file, lines, i) from None
            now = utc_now()
            for i, c in sorted(enumerate(contacts), key=lambda ic: ic[1].date):
                if not c.citizen_id or c.citizen_id in known:
                    continue
                if not create_citizens:
                    raise _located(FeedError(f"unknown citizen ID {c.citizen_id!r}",
                                             field="citizen_id", hint=UNKNOWN_CITIZEN_HINT),
                                   file, lines, i)
                conn.execute(citizens.insert(), {
                    "id": c.citizen_id, "profile": {}, "consultant": c.consultant,
                    "start_date": None, "active": True, "created_at": now, "updated_at": now})
                known.add(c.citizen_id)
                summary.citizens_created.append(c.citizen_id)
            resolve = _EmployerResolver(conn)
            rows = [self._contact_row(c, resolve(c.employer_cvr, c.employer_name))
                    for c in contacts]
            for r, c in zip(rows, contacts, strict=True):
                r["import_key"] = contact_import_key(r, c.source_id)
            new = _not_there(conn, employer_contacts, rows)
            if new:
                conn.execute(employer_contacts.insert(), new)
            self._refresh_attributes(conn, {r["employer_id"] for r in new}, today)
        summary.added = len(new)
        summary.already = len(rows) - len(new)
        summary.employers_created = resolve.created
        return summary

    def list_contacts(self, *, since: date | None = None, until: date | None = None,
                      consultant: str | None = None, employer: str | int | None = None,
                      citizen: str | None = None) -> list[Contact]:
        """Contacts in date order; ``employer`` is a CVR, an id or a name."""
        t = employer_contacts
        q = _filtered(_with_employer(t).order_by(t.c.contact_date, t.c.id), t, t.c.contact_date,
                      since=since, until=until, citizen=citizen, employer=employer)
        if consultant:
            q = q.where(t.c.consultant == consultant)
        with self.engine.connect() as conn:
            return [_contact_from_row(r) for r in conn.execute(q).mappings()]

    def _consent_check(self, conn: sa.Connection, c: Contact,
                       warnings: list[str] | None) -> None:
        """Refuse a contact for a citizen who said no; warn (and log) for one not asked."""
        from ipsmatch.ips.disclosure import check_contact_consent
        from ipsmatch.store.schema import access_log

        profile = conn.execute(sa.select(citizens.c.profile)
                               .where(citizens.c.id == c.citizen_id)).scalar()
        warning = check_contact_consent(str(c.citizen_id), profile)
        if warning is not None:
            conn.execute(access_log.insert(), {"at": utc_now(), "consultant": c.consultant,
                                               "action": "contact_consent_not_asked",
                                               "citizen_id": c.citizen_id})
            if warnings is not None and warning not in warnings:
                warnings.append(warning)

    def _insert_contact(self, conn: sa.Connection, c: Contact, employer_id: int) -> int:
        return int(conn.execute(employer_contacts.insert().returning(employer_contacts.c.id),
                                self._contact_row(c, employer_id)).scalar_one())

    @staticmethod
    def _contact_row(c: Contact, employer_id: int) -> dict[str, Any]:
        return {
            "employer_id": employer_id, "contact_date": c.date, "consultant": c.consultant,
            "citizen_id": c.citizen_id, "kind": c.kind, "purpose": c.purpose,
            "learned": list(c.learned), "outcome": c.outcome, "next_step": c.next_step,
            "next_date": c.next_date, "note": c.note, "created_at": utc_now()}

    def _refresh_attributes(self, conn: sa.Connection, employer_ids: set[int], today: date
                            ) -> None:
        """Recompute the contact-derived attributes of these employers from all their
        contacts; attributes from other sources (e.g. an employer import) are kept."""
        if not employer_ids:
            return
        t = employer_contacts
        q = (_with_employer(t).where(t.c.employer_id.in_(employer_ids))
             .order_by(t.c.contact_date, t.c.id))
        by_emp: dict[int, list[Contact]] = {e: [] for e in employer_ids}
        for r in conn.execute(q).mappings():
            by_emp[r["employer_id"]].append(_contact_from_row(r))
        stored = dict(conn.execute(sa.select(employers.c.id, employers.c.attributes)
                                   .where(employers.c.id.in_(employer_ids))).all())
        for eid, cs in by_emp.items():
            derived = attributes_to_json(derive_attributes(cs, today=today))
            other = {k: v for k, v in (stored.get(eid) or {}).items() if k not in LEARNED_KEYS}
            new = {**other, **derived}
            if new != (stored.get(eid) or {}):
                conn.execute(employers.update().where(employers.c.id == eid),
                             {"attributes": new, "updated_at": utc_now()})

    # --- job starts -----------------------------------------------------------------------

    def add_job_start(self, job: JobStart, *, today: date | None = None,
                      allow_health: bool = False) -> JobStart:
        """Store one job start; the citizen must exist. Returns it with its id."""
        job.validate(today=today)
        if not allow_health:
            check_free_text(job)
        with write_lock(self.engine, self.lock_timeout) as conn:
            if not self._citizen_exists(conn, job.citizen_id):
                raise _unknown_citizen(job.citizen_id)
            resolve = _EmployerResolver(conn)
            jid = self._insert_job_start(conn, job, resolve)
            cvr, name = resolve.identity(resolve(job.employer_cvr, job.employer_name))
            return replace(job, id=jid, employer_cvr=cvr, employer_name=name)

    def import_job_starts(self, jobs: Sequence[JobStart], *, today: date | None = None,
                          file: str | None = None, lines: Sequence[int] | None = None,
                          allow_health: bool = False) -> ImportSummary:
        """Store many job starts in one transaction; an unknown citizen raises FeedError
        (located by ``file``/``lines``) and nothing is written."""
        _validate_all(jobs, today=today, allow_health=allow_health, file=file, lines=lines)
        with write_lock(self.engine, self.lock_timeout) as conn:
            known = self._existing_citizens(conn, {j.citizen_id for j in jobs})
            for i, j in enumerate(jobs):
                if j.citizen_id not in known:
                    raise _located(FeedError(
                        f"unknown citizen ID {j.citizen_id!r}", field="citizen_id",
                        hint="import the contact log first, or " + UNKNOWN_CITIZEN_HINT),
                        file, lines, i)
            resolve = _EmployerResolver(conn)
            rows = [self._job_start_row(j, resolve) for j in jobs]
            for r in rows:
                r["import_key"] = job_start_import_key(r)
            new = _not_there(conn, job_starts, rows)
            if new:
                conn.execute(job_starts.insert(), new)
        return ImportSummary(added=len(new), already=len(rows) - len(new),
                             employers_created=resolve.created)

    def list_job_starts(self, *, since: date | None = None, until: date | None = None,
                        citizen: str | None = None, employer: str | int | None = None,
                        open_only: bool = False) -> list[JobStart]:
        """Job starts by start date; ``open_only`` leaves out ended jobs."""
        t = job_starts
        q = _filtered(_with_employer(t).order_by(t.c.start_date, t.c.id), t, t.c.start_date,
                      since=since, until=until, citizen=citizen, employer=employer)
        if open_only:
            q = q.where(t.c.end_date.is_(None))
        with self.engine.connect() as conn:
            return [_job_start_from_row(r) for r in conn.execute(q).mappings()]

    def end_job_start(self, *, end_date: date, reason: str | None = None,
                      job_id: int | None = None, citizen_id: str | None = None,
                      today: date | None = None, allow_health: bool = False) -> JobStart:
        """Record that a job ended: by job id, or the citizen's only open job."""
        if job_id is not None and row_id(job_id) is None:
            raise NotFoundError(f"no job start {job_id}", hint="see `ipsmatch outcomes list`")
        if job_id is None:
            if not citizen_id:
                raise UsageError("say which job ended", hint="give the job id or --citizen")
            open_jobs = self.list_job_starts(citizen=citizen_id, open_only=True)
            if len(open_jobs) != 1:
                if not open_jobs:
                    self.get_citizen(citizen_id)  # type: ignore[attr-defined]
                raise UsageError(f"citizen {citizen_id} has {len(open_jobs)} open job(s)",
                                 hint="give the job id (see `ipsmatch outcomes list "
                                      f"--citizen {citizen_id}`)")
            job_id = open_jobs[0].id
        with self.engine.connect() as conn:
            row = conn.execute(_with_employer(job_starts).where(job_starts.c.id == job_id)
                               ).mappings().first()
        if row is None:
            raise NotFoundError(f"no job start {job_id}", hint="see `ipsmatch outcomes list`")
        ended = replace(_job_start_from_row(row), end_date=end_date, end_reason=reason)
        ended.validate(today=today)
        if not allow_health:
            check_free_text(ended)
        with self.engine.begin() as conn:
            conn.execute(job_starts.update().where(job_starts.c.id == job_id),
                         {"end_date": end_date, "end_reason": reason})
        return ended

    def _insert_job_start(self, conn: sa.Connection, j: JobStart,
                          resolve: _EmployerResolver) -> int:
        return int(conn.execute(job_starts.insert().returning(job_starts.c.id),
                                self._job_start_row(j, resolve)).scalar_one())

    @staticmethod
    def _job_start_row(j: JobStart, resolve: _EmployerResolver) -> dict[str, Any]:
        return {
            "citizen_id": j.citizen_id,
            "employer_id": resolve(j.employer_cvr, j.employer_name),
            "title": j.title, "start_date": j.start_date, "hours_per_week": j.hours_per_week,
            "competitive": j.competitive, "end_date": j.end_date, "end_reason": j.end_reason,
            "wage_form": j.wage_form, "contact_person": j.contact_person,
            "created_at": utc_now()}

    # --- feedback on suggestions ----------------------------------------------------------

    def add_feedback(self, fb: Feedback, *, today: date | None = None,
                     allow_health: bool = False) -> Feedback:
        """Store a verdict on a suggested vacancy or employer; returns it with its id.

        The vacancy (source, external_id) and the citizen must exist. The employer comes from
        the vacancy when not given, so ``not_interested_employer`` needs only the vacancy.
        """
        vacancy_id = employer_id = None
        cvr, name = fb.employer_cvr, fb.employer_name
        with self.engine.connect() as conn:
            if not self._citizen_exists(conn, fb.citizen_id):
                raise _unknown_citizen(fb.citizen_id)
            if fb.vacancy is not None:
                row = conn.execute(
                    sa.select(vacancies.c.id, vacancies.c.employer_id, employers.c.cvr,
                              employers.c.name)
                    .select_from(vacancies.outerjoin(
                        employers, vacancies.c.employer_id == employers.c.id))
                    .where(vacancies.c.source == fb.vacancy[0],
                           vacancies.c.external_id == fb.vacancy[1])).first()
                if row is None:
                    raise NotFoundError(f"no vacancy {':'.join(fb.vacancy)}",
                                        hint="see `ipsmatch vacancies list --all`")
                vacancy_id, employer_id = row.id, row.employer_id
                if not (cvr or name):
                    cvr, name = row.cvr, row.name
            elif cvr or name:
                q = sa.select(employers.c.id, employers.c.cvr, employers.c.name)
                q = q.where(employers.c.cvr == cvr) if cvr else \
                    q.where(employers.c.name_key == name_key(name or ""))
                erow = conn.execute(q.order_by(employers.c.id)).first()
                if erow is None:
                    raise NotFoundError(f"no employer {cvr or name}",
                                        hint="see `ipsmatch employers list`")
                employer_id, cvr, name = erow.id, erow.cvr, erow.name
        fb = replace(fb, employer_cvr=cvr, employer_name=name)
        fb.validate(today=today)
        if not allow_health:
            check_free_text(fb)
        with self.engine.begin() as conn:
            fid = conn.execute(suggestion_feedback.insert().returning(suggestion_feedback.c.id),
                               {"citizen_id": fb.citizen_id, "verdict": fb.verdict,
                                "vacancy_id": vacancy_id, "employer_id": employer_id,
                                "reason": fb.reason, "consultant": fb.consultant,
                                "feedback_date": fb.date, "created_at": utc_now()}).scalar_one()
        return replace(fb, id=int(fid))

    def feedback_for(self, citizen_id: str) -> list[Feedback]:
        """A citizen's feedback, oldest first, as :class:`~ipsmatch.jobdev.Feedback`."""
        t = suggestion_feedback
        q = (sa.select(t, vacancies.c.source, vacancies.c.external_id,
                       employers.c.cvr.label("e_cvr"), employers.c.name.label("e_name"))
             .select_from(t.outerjoin(vacancies, t.c.vacancy_id == vacancies.c.id)
                          .outerjoin(employers, t.c.employer_id == employers.c.id))
             .where(t.c.citizen_id == citizen_id).order_by(t.c.id))
        out = []
        with self.engine.connect() as conn:
            for r in conn.execute(q).mappings():
                day = r["feedback_date"] or r["created_at"].date()
                vac = (r["source"], r["external_id"]) if r["source"] is not None else None
                out.append(Feedback(citizen_id=r["citizen_id"], verdict=r["verdict"], date=day,
                                    consultant=r["consultant"] or "", vacancy=vac,
                                    employer_cvr=r["e_cvr"], employer_name=r["e_name"],
                                    reason=r["reason"], id=r["id"]))
        return out

    # --- fidelity --------------------------------------------------------------------------

    def fidelity(self, period_from: date, period_to: date, *,
                 consultants: Sequence[str] | None = None, today: date | None = None,
                 config: FidelityConfig | None = None) -> FidelityReport:
        """The IPS fidelity figures for [period_from, period_to] from the stored records.

        Contacts before the period are read too: a citizen's first contact may predate it.
        """
        # All job starts up to the period's end: a job that started earlier may end, or
        # grow its hours, in the period (the figures pick the starts in it themselves).
        return compute_fidelity(self.list_contacts(until=period_to),
                                self.list_job_starts(until=period_to),
                                self.citizen_records(), period_from=period_from,
                                period_to=period_to, today=today, consultants=consultants,
                                config=config or FidelityConfig(),
                                education_starts=self.list_education_starts(  # type: ignore
                                    until=period_to),
                                followalong=self.list_followalong(  # type: ignore
                                    until=period_to),
                                job_hours=self.list_job_hours())  # type: ignore[attr-defined]

    # --- citizens as fidelity needs them --------------------------------------------------

    def citizen_records(self) -> list[CitizenRecord]:
        """Every citizen's id, consultant, start date and active flag (no profile content)."""
        q = sa.select(citizens.c.id, citizens.c.consultant, citizens.c.start_date,
                      citizens.c.active).order_by(citizens.c.id)
        with self.engine.connect() as conn:
            return [CitizenRecord(r.id, r.consultant, r.start_date, bool(r.active))
                    for r in conn.execute(q)]

    def _citizen_exists(self, conn: sa.Connection, cid: str) -> bool:
        return conn.execute(sa.select(citizens.c.id).where(citizens.c.id == cid)
                            ).first() is not None

    def _existing_citizens(self, conn: sa.Connection, ids: set[str]) -> set[str]:
        if not ids:
            return set()
        return set(conn.execute(sa.select(citizens.c.id).where(citizens.c.id.in_(ids))
                                ).scalars())
