"""Support after the start (IPS follow-along): how a job's hours grow, the job support plan,
and the follow-along contacts with the citizen and the employer.

The hours timeline of a job is its start (``JobStart.hours_per_week`` on ``start_date``)
followed by each :class:`HoursChange` ("from 2027-01-04: 12 hours"). The support plan says
which supports were agreed, who does what, the next follow-up and the hours goal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ipsmatch.errors import FeedError
from ipsmatch.ips.freetext import check_free_text
from ipsmatch.jobdev.model import JobStart

#: who a follow-along contact was with
WITH_WHOM: tuple[str, ...] = ("citizen", "employer", "both")
FOLLOW_KINDS: tuple[str, ...] = ("face-to-face", "phone", "email", "other")
#: who takes on a support in the plan
WHO: tuple[str, ...] = ("citizen", "employer", "consultant", "colleague", "other")


@dataclass(frozen=True)
class HoursChange:
    """From ``from_date`` the citizen works ``hours_per_week`` in job ``job_id``."""

    job_id: int
    from_date: date
    hours_per_week: float
    id: int | None = None

    def validate(self, job: JobStart, *, today: date) -> HoursChange:
        if not 0 < self.hours_per_week <= 80:
            raise FeedError(code="hours.not_week", field="hours_per_week",
                            params={"hours": self.hours_per_week})
        if self.from_date < job.start_date:
            raise FeedError(code="hours.before_job", field="from_date")
        if job.end_date is not None and self.from_date > job.end_date:
            raise FeedError(code="hours.after_job", field="from_date")
        if self.from_date > today:
            raise FeedError(code="hours.future", field="from_date",
                            params={"value": self.from_date.isoformat()})
        return self


def hours_timeline(job: JobStart, changes: Iterable[HoursChange]
                   ) -> list[tuple[date, float]]:
    """``[(date, hours per week), ...]`` from the start, one entry per change of hours."""
    out: list[tuple[date, float]] = []
    if job.hours_per_week is not None:
        out.append((job.start_date, float(job.hours_per_week)))
    for c in sorted(changes, key=lambda c: (c.from_date, c.id or 0)):
        if out and out[-1][0] == c.from_date:
            out[-1] = (c.from_date, c.hours_per_week)
        elif not out or out[-1][1] != c.hours_per_week:
            out.append((c.from_date, c.hours_per_week))
    return out


def hours_on(timeline: Sequence[tuple[date, float]], day: date) -> float | None:
    """The weekly hours on ``day`` by the timeline (None before the start)."""
    now = None
    for d, h in timeline:
        if d <= day:
            now = h
    return now


@dataclass(frozen=True)
class SupportItem:
    """One agreed support and who takes it on (``who`` one of WHO)."""

    support: str
    who: str = "consultant"


@dataclass(frozen=True)
class SupportPlan:
    """The job support plan of one job."""

    job_id: int
    items: tuple[SupportItem, ...] = ()
    next_follow_up: date | None = None
    goal_hours: float | None = None
    note: str | None = None

    def validate(self) -> SupportPlan:
        for i, it in enumerate(self.items):
            if not check_free_text(f"items[{i}].support", it.support):
                raise FeedError(code="plan.support_empty", field=f"items[{i}].support")
            if it.who not in WHO:
                raise FeedError(f"unknown {it.who!r}", field=f"items[{i}].who",
                                hint="use one of: " + ", ".join(WHO))
        check_free_text("note", self.note)
        if self.goal_hours is not None and not 0 < self.goal_hours <= 80:
            raise FeedError(code="hours.not_week", field="goal_hours",
                            params={"hours": self.goal_hours})
        return self

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["next_follow_up"] = self.next_follow_up.isoformat() if self.next_follow_up else None
        d["items"] = [asdict(i) for i in self.items]
        return d


@dataclass(frozen=True)
class FollowAlong:
    """A follow-along contact after a job start (or after it ended: helping on)."""

    citizen_id: str
    contact_date: date
    with_whom: str = "citizen"
    kind: str = "face-to-face"
    consultant: str | None = None
    job_id: int | None = None
    note: str | None = None
    id: int | None = None

    def validate(self, *, today: date) -> FollowAlong:
        for name in ("citizen_id", "consultant", "note"):
            check_free_text(name, getattr(self, name))
        if self.with_whom not in WITH_WHOM:
            raise FeedError(f"unknown {self.with_whom!r}", field="with_whom",
                            hint="use one of: " + ", ".join(WITH_WHOM))
        if self.kind not in FOLLOW_KINDS:
            raise FeedError(f"unknown kind {self.kind!r}", field="kind",
                            hint="use one of: " + ", ".join(FOLLOW_KINDS))
        if self.contact_date > today:
            raise FeedError(code="followalong.future", field="contact_date",
                            params={"value": self.contact_date.isoformat()})
        return self

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["contact_date"] = self.contact_date.isoformat()
        return d


@dataclass
class JobFollowUp:
    """Everything about one job after the start: the job, its hours, plan and contacts."""

    job: JobStart
    timeline: list[tuple[date, float]] = field(default_factory=list)
    plan: SupportPlan | None = None
    contacts: list[FollowAlong] = field(default_factory=list)
