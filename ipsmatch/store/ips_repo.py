"""Store methods for IPS beyond the job search (issue #17): the education catalogue and
education starts, and support after a job start (hours timeline, support plan, follow-along).

Records go in and come out as the :mod:`ipsmatch.education` and :mod:`ipsmatch.ips`
dataclasses; they are validated again on the way in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ipsmatch.education.model import EducationOffer, EducationStart
from ipsmatch.errors import NotFoundError, UsageError
from ipsmatch.ips.followalong import (
    FollowAlong,
    HoursChange,
    JobFollowUp,
    SupportItem,
    SupportPlan,
    hours_timeline,
)
from ipsmatch.messages import plural
from ipsmatch.store.engine import write_lock
from ipsmatch.store.records import unknown_citizen
from ipsmatch.store.schema import (
    citizens,
    education_offers,
    education_starts,
    followalong_contacts,
    job_hours,
    job_starts,
    support_plans,
    utc_now,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass
class CatalogueSummary:
    """What an education import did."""

    added: int = 0
    updated: int = 0
    removed: int = 0


def _offer_row(o: EducationOffer) -> dict[str, Any]:
    d = o.to_dict()
    d["updated_at"] = utc_now()
    return d


def _offer(r: Any) -> EducationOffer:
    return EducationOffer(
        id=r["id"], name=r["name"], type=r["type"], institution=r["institution"],
        postcode=r["postcode"], city=r["city"], address=r["address"], lat=r["lat"],
        lon=r["lon"], start_dates=[date.fromisoformat(x) for x in r["start_dates"] or []],
        continuous_intake=bool(r["continuous_intake"]), duration_weeks=r["duration_weeks"],
        hours_per_week=r["hours_per_week"], part_time=bool(r["part_time"]),
        requirements=list(r["requirements"] or []), admission=r["admission"], su=r["su"],
        leads_to=list(r["leads_to"] or []), leads_to_labels=list(r["leads_to_labels"] or []),
        special_education=bool(r["special_education"]), url=r["url"],
        description=r["description"])


def _education_start(r: Any) -> EducationStart:
    return EducationStart(citizen_id=r["citizen_id"], start_date=r["start_date"],
                          name=r["name"], type=r["type"], institution=r["institution"],
                          offer_id=r["offer_id"], hours_per_week=r["hours_per_week"],
                          end_date=r["end_date"], end_reason=r["end_reason"],
                          end_note=r["end_note"], id=r["id"])


class IpsMixin:
    engine: Engine
    lock_timeout: float

    # --- the education catalogue ----------------------------------------------------------

    def import_education(self, offers: Sequence[EducationOffer], *, replace_all: bool = False
                         ) -> CatalogueSummary:
        """Store a catalogue in one transaction: offers are added or updated by id;
        ``replace_all`` also removes the stored offers the file no longer has."""
        summary = CatalogueSummary()
        with write_lock(self.engine, self.lock_timeout) as conn:
            known = set(conn.execute(sa.select(education_offers.c.id)).scalars())
            for o in offers:
                row = _offer_row(o)
                if o.id in known:
                    conn.execute(education_offers.update()
                                 .where(education_offers.c.id == o.id), row)
                    summary.updated += 1
                else:
                    conn.execute(education_offers.insert(), row)
                    summary.added += 1
            if replace_all:
                gone = known - {o.id for o in offers}
                if gone:
                    conn.execute(education_offers.delete()
                                 .where(education_offers.c.id.in_(gone)))
                summary.removed = len(gone)
        return summary

    def list_education(self, *, type: str | None = None, include_special: bool = True
                       ) -> list[EducationOffer]:
        """The catalogue by institution and name."""
        t = education_offers
        q = sa.select(t).order_by(t.c.institution, t.c.name, t.c.id)
        if type:
            q = q.where(t.c.type == type)
        if not include_special:
            q = q.where(t.c.special_education.is_(False))
        with self.engine.connect() as conn:
            return [_offer(r) for r in conn.execute(q).mappings()]

    def get_education(self, offer_id: str) -> EducationOffer:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(education_offers)
                             .where(education_offers.c.id == offer_id)).mappings().first()
        if r is None:
            raise NotFoundError(code="education.unknown_offer", params={"id": offer_id})
        return _offer(r)

    # --- education starts (outcomes) ------------------------------------------------------

    def add_education_start(self, start: EducationStart, *, today: date | None = None
                            ) -> EducationStart:
        """Store an education start; the citizen must exist. Returns it with its id."""
        start.validate(today=today)
        with write_lock(self.engine, self.lock_timeout) as conn:
            if conn.execute(sa.select(citizens.c.id)
                            .where(citizens.c.id == start.citizen_id)).first() is None:
                raise unknown_citizen(start.citizen_id)
            eid = conn.execute(education_starts.insert().returning(education_starts.c.id), {
                "citizen_id": start.citizen_id, "offer_id": start.offer_id,
                "name": start.name, "type": start.type, "institution": start.institution,
                "start_date": start.start_date, "hours_per_week": start.hours_per_week,
                "end_date": start.end_date, "end_reason": start.end_reason,
                "end_note": start.end_note, "created_at": utc_now()}).scalar_one()
        return replace(start, id=int(eid))

    def list_education_starts(self, *, citizen: str | None = None, since: date | None = None,
                              until: date | None = None, open_only: bool = False
                              ) -> list[EducationStart]:
        t = education_starts
        q = sa.select(t).order_by(t.c.start_date, t.c.id)
        if citizen:
            q = q.where(t.c.citizen_id == citizen)
        if since is not None:
            q = q.where(t.c.start_date >= since)
        if until is not None:
            q = q.where(t.c.start_date <= until)
        if open_only:
            q = q.where(t.c.end_date.is_(None))
        with self.engine.connect() as conn:
            return [_education_start(r) for r in conn.execute(q).mappings()]

    def end_education_start(self, *, end_date: date, reason: str, note: str | None = None,
                            start_id: int | None = None, citizen_id: str | None = None,
                            today: date | None = None) -> EducationStart:
        """Record that an education ended: by id, or the citizen's only open one."""
        if start_id is None:
            if not citizen_id:
                raise UsageError("say which education ended", hint="give the id or --citizen")
            open_ = self.list_education_starts(citizen=citizen_id, open_only=True)
            if len(open_) != 1:
                how_many = plural(len(open_), 'open education', 'open educations')
                raise UsageError(f"citizen {citizen_id} has {how_many}",
                                 hint="give the id (see `ipsmatch education starts`)")
            start_id = open_[0].id
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(education_starts)
                             .where(education_starts.c.id == start_id)).mappings().first()
        if r is None:
            raise NotFoundError(code="education.unknown_start", params={"id": start_id})
        ended = replace(_education_start(r), end_date=end_date, end_reason=reason,
                        end_note=note)
        ended.validate(today=today)
        with self.engine.begin() as conn:
            conn.execute(education_starts.update().where(education_starts.c.id == start_id),
                         {"end_date": end_date, "end_reason": reason, "end_note": note})
        return ended

    # --- support after the start (follow-along) -------------------------------------------

    def get_job_start(self, job_id: int) -> Any:
        """One job start by id (NotFoundError when there is none)."""
        from ipsmatch.store.employer_lookup import with_employer
        from ipsmatch.store.job_starts_repo import job_start_from_row

        with self.engine.connect() as conn:
            r = conn.execute(with_employer(job_starts).where(job_starts.c.id == job_id)
                             ).mappings().first()
        if r is None:
            raise NotFoundError(code="job.unknown", params={"id": job_id})
        return job_start_from_row(r)

    def add_job_hours(self, change: HoursChange, *, today: date | None = None) -> HoursChange:
        """Record that the weekly hours of a job changed (8 → 12 → 15)."""
        change.validate(self.get_job_start(change.job_id), today=today or date.today())
        with self.engine.begin() as conn:
            hid = conn.execute(job_hours.insert().returning(job_hours.c.id), {
                "job_id": change.job_id, "from_date": change.from_date,
                "hours_per_week": change.hours_per_week, "created_at": utc_now()}).scalar_one()
        return replace(change, id=int(hid))

    def list_job_hours(self, *, job_id: int | None = None, citizen: str | None = None
                       ) -> list[HoursChange]:
        t = job_hours
        q = sa.select(t).order_by(t.c.job_id, t.c.from_date, t.c.id)
        if job_id is not None:
            q = q.where(t.c.job_id == job_id)
        if citizen is not None:
            q = q.where(t.c.job_id.in_(sa.select(job_starts.c.id)
                                       .where(job_starts.c.citizen_id == citizen)))
        with self.engine.connect() as conn:
            return [HoursChange(r.job_id, r.from_date, r.hours_per_week, r.id)
                    for r in conn.execute(q)]

    def set_support_plan(self, plan: SupportPlan) -> SupportPlan:
        """Store (or replace) the job support plan of a job."""
        plan.validate()
        self.get_job_start(plan.job_id)
        row = {"job_id": plan.job_id, "items": [{"support": i.support, "who": i.who}
                                                for i in plan.items],
               "next_follow_up": plan.next_follow_up, "goal_hours": plan.goal_hours,
               "note": plan.note, "updated_at": utc_now()}
        with write_lock(self.engine, self.lock_timeout) as conn:
            n = conn.execute(support_plans.update()
                             .where(support_plans.c.job_id == plan.job_id), row).rowcount
            if not n:
                conn.execute(support_plans.insert(), row)
        return plan

    def get_support_plan(self, job_id: int) -> SupportPlan | None:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(support_plans).where(support_plans.c.job_id == job_id)
                             ).mappings().first()
        if r is None:
            return None
        return SupportPlan(job_id=job_id, items=tuple(SupportItem(i["support"], i["who"])
                                                      for i in r["items"] or []),
                           next_follow_up=r["next_follow_up"], goal_hours=r["goal_hours"],
                           note=r["note"])

    def add_followalong(self, contact: FollowAlong, *, today: date | None = None
                        ) -> FollowAlong:
        """Record a follow-along contact (its citizen, and job if given, must exist)."""
        contact.validate(today=today or date.today())
        if contact.job_id is not None:
            job = self.get_job_start(contact.job_id)
            if job.citizen_id != contact.citizen_id:
                raise UsageError(code="job.other_citizen",
                                 params={"id": contact.job_id, "citizen": contact.citizen_id})
        with write_lock(self.engine, self.lock_timeout) as conn:
            if conn.execute(sa.select(citizens.c.id)
                            .where(citizens.c.id == contact.citizen_id)).first() is None:
                raise unknown_citizen(contact.citizen_id)
            fid = conn.execute(followalong_contacts.insert()
                               .returning(followalong_contacts.c.id), {
                "citizen_id": contact.citizen_id, "job_id": contact.job_id,
                "contact_date": contact.contact_date, "consultant": contact.consultant,
                "with_whom": contact.with_whom, "kind": contact.kind, "note": contact.note,
                "created_at": utc_now()}).scalar_one()
        return replace(contact, id=int(fid))

    def list_followalong(self, *, citizen: str | None = None, since: date | None = None,
                         until: date | None = None) -> list[FollowAlong]:
        t = followalong_contacts
        q = sa.select(t).order_by(t.c.contact_date, t.c.id)
        if citizen:
            q = q.where(t.c.citizen_id == citizen)
        if since is not None:
            q = q.where(t.c.contact_date >= since)
        if until is not None:
            q = q.where(t.c.contact_date <= until)
        with self.engine.connect() as conn:
            return [FollowAlong(r.citizen_id, r.contact_date, r.with_whom, r.kind, r.consultant,
                                r.job_id, r.note, r.id) for r in conn.execute(q)]

    def job_follow_ups(self, citizen: str) -> list[JobFollowUp]:
        """Each of the citizen's jobs with its hours timeline, support plan and contacts."""
        jobs = self.list_job_starts(citizen=citizen)  # type: ignore[attr-defined]
        if not jobs:  # most citizens a suggestion is for: no need to read hours and contacts
            return []
        hours = self.list_job_hours(citizen=citizen)
        contacts = self.list_followalong(citizen=citizen)
        return [JobFollowUp(job=j, timeline=hours_timeline(j, [h for h in hours
                                                               if h.job_id == j.id]),
                            plan=self.get_support_plan(j.id),
                            contacts=[c for c in contacts if c.job_id == j.id])
                for j in jobs]

    # --- what the reports read (the workspace and the API; the CLI builds the same) --------

    def funder_rows(self, month_ranges: Sequence[tuple[date, date]], rule: Any, *,
                    as_of: date | None = None) -> list[Any]:
        """The funder export's rows (:func:`ipsmatch.ips.funder.funder_rows`) over every
        stored citizen's jobs and education in ``month_ranges`` (``funder.months``)."""
        from ipsmatch.ips.funder import funder_rows

        consultants = {c.id: c.consultant
                       for c in self.list_citizens()}  # type: ignore[attr-defined]
        jobs = [u for cid in consultants for u in self.job_follow_ups(cid)]
        return funder_rows(jobs, self.list_education_starts(), consultants, month_ranges,
                           rule, as_of=as_of)

    def citizen_report(self, profile: Any, *, kind: str, period_from: date | None,
                       period_to: date, next_steps: Sequence[str] = (),
                       comment: str | None = None) -> Any:
        """The citizen's report (:func:`ipsmatch.ips.reports.citizen_report`) from the stored
        employer contacts, jobs and education; the period starts at the citizen's start
        date (else the first of ``period_to``'s month) unless ``period_from`` says."""
        from ipsmatch.ips.reports import citizen_report

        cid = profile.id
        return citizen_report(
            profile, kind=kind,
            period_from=period_from or profile.start_date or period_to.replace(day=1),
            period_to=period_to,
            contacts=self.list_contacts(citizen=cid),  # type: ignore[attr-defined]
            jobs=self.job_follow_ups(cid),
            education=self.list_education_starts(citizen=cid),
            next_steps=next_steps, comment=comment)
