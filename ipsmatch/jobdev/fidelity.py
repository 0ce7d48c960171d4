"""IPS fidelity figures from contacts, job starts and the caseload: pure functions, no I/O.

``compute_fidelity(...)`` returns a :class:`~ipsmatch.jobdev.fidelity_report.FidelityReport`
(its types and rendering are in :mod:`ipsmatch.jobdev.fidelity_report`). Definitions and the
IPS-25 items they follow are in docs/jobdev.md.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ipsmatch.errors import UsageError
from ipsmatch.jobdev.fidelity_report import FidelityReport, Figures, FirstContact, WeekCount
from ipsmatch.jobdev.model import CitizenRecord, Contact, JobStart

TEAM = "team"
UNKNOWN_CONSULTANT = "(ukendt)"


@dataclass(frozen=True)
class FidelityConfig:
    """Thresholds; defaults mirror the top anchors of the IPS-25 scale (see docs/jobdev.md)."""

    #: face-to-face employer contacts per consultant per week
    target_f2f_per_week: float = 6.0
    #: days from a citizen's start to the first employer contact
    first_contact_days: int = 30
    #: contact kinds that count as the first employer contact (IPS-25: face-to-face)
    first_contact_kinds: tuple[str, ...] = ("face-to-face",)
    #: share of job starts that are competitive (ordinary paid jobs)
    target_competitive_share: float = 0.95
    #: distinct employers (job types) / job starts
    target_diversity: float = 0.9
    #: active cases per consultant (IPS-25 item 1, caseload size: at most 20)
    target_caseload: int = 20
    #: a job that ended counts as followed up when a follow-along contact (or an employer
    #: contact for the citizen) came within this many days after the end
    followup_after_end_days: int = 14


# --- the figures ----------------------------------------------------------------------------

def period_weeks(period_from: date, period_to: date) -> float:
    """Length of the inclusive period in weeks: (days + 1) / 7."""
    return ((period_to - period_from).days + 1) / 7


def iso_weeks(period_from: date, period_to: date) -> list[tuple[str, date, bool]]:
    """Each ISO week touching the period: (``"2026-W46"``, its Monday, cut by the period?)."""
    monday = period_from - timedelta(days=period_from.weekday())
    out = []
    while monday <= period_to:
        y, w, _ = monday.isocalendar()
        partial = monday < period_from or monday + timedelta(days=6) > period_to
        out.append((f"{y}-W{w:02d}", monday, partial))
        monday += timedelta(days=7)
    return out


def weekly_counts(dates: Iterable[date], period_from: date, period_to: date) -> list[WeekCount]:
    """Count dates per ISO week of the period (weeks with none count 0)."""
    per_week = Counter(d - timedelta(days=d.weekday()) for d in dates
                       if period_from <= d <= period_to)
    return [WeekCount(label, monday, per_week.get(monday, 0), partial)
            for label, monday, partial in iso_weeks(period_from, period_to)]


def normalised_entropy(labels: Sequence[str]) -> float | None:
    """Shannon entropy of the labels divided by its maximum ln(n), n = number of labels.

    1.0 = every item different, 0.0 = all the same; None for fewer than two items.
    """
    n = len(labels)
    if n < 2:
        return None
    h = -sum((c / n) * math.log(c / n) for c in Counter(labels).values())
    return h / math.log(n)


def _job_type(title: str) -> str:
    return " ".join(title.casefold().split())


def first_contacts(citizens: Iterable[CitizenRecord], contacts: Iterable[Contact], *,
                   period_from: date, as_of: date, config: FidelityConfig = FidelityConfig()
                   ) -> list[FirstContact]:
    """First-contact rows for the period's cohort.

    The first contact is the earliest contact of a counted kind with the citizen's id, on or
    after their start and up to ``as_of``. A citizen (start known, on or before ``as_of``) is in
    the cohort when that first contact falls in [period_from, as_of], or when they are active and
    have none yet. Citizens whose first contact predates the period were counted in an earlier
    period, so a weekly report does not repeat them.
    """
    earliest: dict[str, date] = {}
    starts = {c.id: c.start_date for c in citizens}
    for c in contacts:
        if c.citizen_id is None or c.kind not in config.first_contact_kinds or c.date > as_of:
            continue
        start = starts.get(c.citizen_id)
        if start is None or c.date < start:
            continue
        if c.citizen_id not in earliest or c.date < earliest[c.citizen_id]:
            earliest[c.citizen_id] = c.date
    limit = config.first_contact_days
    rows = []
    for cit in citizens:
        if cit.start_date is None or cit.start_date > as_of:
            continue
        first = earliest.get(cit.id)
        if first is not None and first < period_from:
            continue
        if first is None and not cit.active:
            continue
        if first is not None:
            days: int | None = (first - cit.start_date).days
            status = "on_time" if days is not None and days <= limit else "late"
        else:
            days = None
            status = "overdue" if (as_of - cit.start_date).days > limit else "pending"
        rows.append(FirstContact(cit.id, cit.consultant or UNKNOWN_CONSULTANT, cit.start_date,
                                 first, days, status))
    rows.sort(key=lambda r: (r.consultant, r.start_date, r.citizen_id))
    return rows


def _figures(name: str, n_consultants: int, *, contacts: list[Contact], starts: list[JobStart],
             firsts: list[FirstContact], caseload: int, period_from: date, period_to: date,
             weeks: float, ips: IpsFigures | None = None,
             config: FidelityConfig = FidelityConfig()) -> Figures:
    f2f = [c for c in contacts if c.kind == "face-to-face"]
    per_week = len(f2f) / weeks
    days = [f.days for f in firsts if f.days is not None]
    status = Counter(f.status for f in firsts)
    n = len(starts)
    wages = Counter(s.wage for s in starts)
    # fleksjob is its own category: the ordinary share is ordinary / (ordinary + other)
    competitive = wages["ordinary"]
    judged = wages["ordinary"] + wages["other"]
    per_consultant = caseload / n_consultants if n_consultants else None
    extra = ips.figures() if ips is not None else {}
    employers = [s.employer_key for s in starts]
    types = [_job_type(s.title) for s in starts]
    return Figures(
        consultant=name,
        consultants=n_consultants,
        caseload_active=caseload,
        contacts=len(contacts),
        f2f_contacts=len(f2f),
        f2f_per_week=per_week,
        f2f_per_consultant_week=per_week / n_consultants if n_consultants else 0.0,
        f2f_weekly=weekly_counts((c.date for c in f2f), period_from, period_to),
        citizens=len(firsts),
        first_contact_median_days=float(statistics.median(days)) if days else None,
        first_contact_on_time=status["on_time"],
        first_contact_late=status["late"],
        first_contact_overdue=status["overdue"],
        first_contact_pending=status["pending"],
        job_starts=n,
        competitive_starts=competitive,
        competitive_share=competitive / judged if judged else None,
        distinct_employers=len(set(employers)),
        employer_diversity=len(set(employers)) / n if n else None,
        employer_entropy=normalised_entropy(employers),
        distinct_job_types=len(set(types)),
        job_type_diversity=len(set(types)) / n if n else None,
        job_type_entropy=normalised_entropy(types),
        caseload_per_consultant=per_consultant,
        caseload_ok=None if per_consultant is None else per_consultant <= config.target_caseload,
        ordinary_starts=wages["ordinary"], fleksjob_starts=wages["fleksjob"],
        other_starts=wages["other"], **extra,
    )


#: the longest period a report covers (its figures are per week of the period)
MAX_PERIOD_DAYS = 20 * 365 + 5


def compute_fidelity(contacts: Iterable[Contact], job_starts: Iterable[JobStart],
                     citizens: Iterable[CitizenRecord], *, period_from: date, period_to: date,
                     today: date | None = None, consultants: Iterable[str] | None = None,
                     config: FidelityConfig = FidelityConfig(),
                     education_starts: Iterable[Any] = (), followalong: Iterable[Any] = (),
                     job_hours: Iterable[Any] = ()) -> FidelityReport:
    """The fidelity figures for [period_from, period_to], per consultant and for the team.

    Contacts and job starts count when dated inside the period; a job start belongs to the
    consultant of its citizen. ``consultants`` limits the per-consultant rows shown (the team
    row always covers everyone). ``today`` (default: the real date) caps the period for the
    first-contact and caseload figures.
    """
    if period_to < period_from:
        raise UsageError(code="period.ends_before_start",
                         params={"from": period_from.isoformat(), "to": period_to.isoformat()})
    for d in (period_from, period_to):
        if not 1900 <= d.year < 2200:
            raise UsageError(code="period.year_range", params={"value": d.isoformat()})
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise UsageError(code="period.too_long",
                         params={"from": period_from.isoformat(), "to": period_to.isoformat(),
                                 "years": MAX_PERIOD_DAYS // 365})
    today = today or date.today()
    as_of = min(today, period_to)
    citizens = list(citizens)
    contacts = list(contacts)
    job_starts = list(job_starts)
    weeks = period_weeks(period_from, period_to)
    in_period = [c for c in contacts if period_from <= c.date <= period_to]
    starts = [s for s in job_starts if period_from <= s.start_date <= period_to]
    owner = {c.id: (c.consultant or UNKNOWN_CONSULTANT) for c in citizens}
    # A first contact may predate the period (the citizen started before it).
    firsts = first_contacts(citizens, contacts, period_from=period_from, as_of=as_of,
                            config=config)
    active = Counter((c.consultant or UNKNOWN_CONSULTANT) for c in citizens
                     if c.active and c.start_date is not None and c.start_date <= as_of)

    names = sorted({c.consultant for c in in_period} | set(active)
                   | {owner.get(s.citizen_id, UNKNOWN_CONSULTANT) for s in starts})
    kwargs = dict(period_from=period_from, period_to=period_to, weeks=weeks, config=config)
    ips = IpsFigures(citizens, contacts, job_starts, list(education_starts),
                     list(followalong), list(job_hours), period_from=period_from,
                     as_of=as_of, config=config)
    rows = [
        _figures(name, 1,
                 contacts=[c for c in in_period if c.consultant == name],
                 starts=[s for s in starts if owner.get(s.citizen_id, UNKNOWN_CONSULTANT) == name],
                 firsts=[f for f in firsts if f.consultant == name],
                 caseload=active[name], ips=ips.of(name), **kwargs)  # type: ignore[arg-type]
        for name in names
    ]
    # Consultants who worked in the period; the "(ukendt)" bucket is not a person.
    n_people = len([n for n in names if n != UNKNOWN_CONSULTANT])
    team = _figures(TEAM, n_people, contacts=in_period, starts=starts, firsts=firsts,
                    caseload=sum(active.values()), ips=ips,
                    **kwargs)  # type: ignore[arg-type]
    if consultants is not None:
        wanted = set(consultants)
        rows = [r for r in rows if r.consultant in wanted]
        firsts = [f for f in firsts if f.consultant in wanted]
    return FidelityReport(period_from, period_to, as_of, weeks, config, team, rows, firsts)



# --- issue #17: education, the first start, follow-along and hours growth ----------------------

class IpsFigures:
    """The follow-along and education figures for a group of citizens (all, or one
    consultant's: :meth:`of`). Records are duck-typed: education starts
    (:class:`ipsmatch.education.EducationStart`), follow-along contacts
    (:class:`ipsmatch.ips.followalong.FollowAlong`) and hours changes
    (:class:`ipsmatch.ips.followalong.HoursChange`)."""

    def __init__(self, citizens: list[CitizenRecord], contacts: list[Contact],
                 job_starts: list[JobStart], education: list[Any], followalong: list[Any],
                 job_hours: list[Any], *, period_from: date, as_of: date,
                 config: FidelityConfig, only: set[str] | None = None) -> None:
        self.citizens, self.contacts, self.jobs = citizens, contacts, job_starts
        self.education, self.followalong, self.job_hours = education, followalong, job_hours
        self.period_from, self.as_of, self.config = period_from, as_of, config
        self.only = only

    def of(self, consultant: str) -> IpsFigures:
        ids = {c.id for c in self.citizens
               if (c.consultant or UNKNOWN_CONSULTANT) == consultant}
        return IpsFigures(self.citizens, self.contacts, self.jobs, self.education,
                          self.followalong, self.job_hours, period_from=self.period_from,
                          as_of=self.as_of, config=self.config, only=ids)

    def _mine(self, cid: str | None) -> bool:
        return self.only is None or cid in self.only

    def _in(self, d: date | None) -> bool:
        return d is not None and self.period_from <= d <= self.as_of

    def figures(self) -> dict[str, Any]:
        from ipsmatch.ips.followalong import hours_on, hours_timeline

        jobs = [j for j in self.jobs if self._mine(j.citizen_id)]
        edu = [e for e in self.education if self._mine(e.citizen_id)]
        # days from the IPS start to the first job or education start
        first: dict[str, date] = {}
        for d_cid, d in [(j.citizen_id, j.start_date) for j in jobs] + \
                [(e.citizen_id, e.start_date) for e in edu]:
            if d_cid not in first or d < first[d_cid]:
                first[d_cid] = d
        starts = {c.id: c.start_date for c in self.citizens}
        days = []
        for cid, d in first.items():
            began = starts.get(cid)
            if self._in(d) and began is not None and d >= began:
                days.append((d - began).days)
        # follow-along after a job ended
        # (a job that ended less than the limit ago and has no contact yet is not judged)
        limit = timedelta(days=self.config.followup_after_end_days)
        ended: list[JobStart] = []
        followed = 0
        for j in jobs:
            if not self._in(j.end_date):
                continue
            assert j.end_date is not None
            lo, hi = j.end_date, min(j.end_date + limit, self.as_of)
            if any(f.citizen_id == j.citizen_id and lo <= f.contact_date <= hi
                   for f in self.followalong) or any(
                    c.citizen_id == j.citizen_id and lo <= c.date <= hi
                    for c in self.contacts):
                followed += 1
                ended.append(j)
            elif j.end_date + limit <= self.as_of:
                ended.append(j)
        # hours growth over the jobs running in the period
        growth = []
        for j in jobs:
            if j.start_date > self.as_of or (j.end_date is not None
                                             and j.end_date < self.period_from):
                continue
            line = hours_timeline(j, [h for h in self.job_hours if h.job_id == j.id])
            if not line:
                continue
            end = min(self.as_of, j.end_date) if j.end_date else self.as_of
            now = hours_on(line, end)
            if now is not None:
                growth.append(now - line[0][1])
        return {
            "education_starts": sum(1 for e in edu if self._in(e.start_date)),
            "education_ends": sum(1 for e in edu if self._in(e.end_date)),
            "first_start_citizens": len(days),
            "first_start_median_days": float(statistics.median(days)) if days else None,
            "jobs_ended": len(ended), "jobs_ended_followed_up": followed,
            "followup_after_end_share": followed / len(ended) if ended else None,
            "jobs_with_hours": len(growth), "hours_grown": sum(1 for g in growth if g > 0),
            "hours_growth_median": float(statistics.median(growth)) if growth else None,
        }
