"""The caseload overview and the week's job-development plan (the workspace's pages use these;
nothing here is web-specific).

- :func:`caseload`: each citizen with days since start and the 30-day first-employer-contact
  clock (the same rule as the fidelity figures: :func:`ipsmatch.jobdev.fidelity.first_contacts`).
- :func:`week_plan`: which employers to visit this week and for which citizens: the next steps
  agreed for this week, and the top job-development employers of each active citizen
  (``Matcher.suggest``), grouped by employer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ipsmatch.domain import Employer, Reason
from ipsmatch.identity import employer_key
from ipsmatch.jobdev.fidelity import FidelityConfig, first_contacts
from ipsmatch.jobdev.model import CitizenRecord, Contact


@dataclass
class CaseRow:
    """One citizen on the caseload page."""

    id: str
    consultant: str | None
    start_date: date | None
    active: bool
    has_profile: bool
    #: days since the start (None without a start date)
    days: int | None
    #: on_time / late / overdue / pending (None without a start date)
    first_contact_status: str | None = None
    first_contact: date | None = None
    #: days from start to the first contact, once there is one
    first_contact_days: int | None = None
    #: pending: days left of the limit
    days_left: int | None = None


def caseload(citizens: Iterable[Any], contacts: Iterable[Contact], *, today: date,
             config: FidelityConfig | None = None) -> list[CaseRow]:
    """Rows for stored citizens (``CitizenRecord`` of the store: id, profile, consultant,
    start_date, active), active first, then by start date."""
    config = config or FidelityConfig()
    cits = list(citizens)
    records = [CitizenRecord(c.id, c.consultant, c.start_date, c.active) for c in cits]
    firsts = {f.citizen_id: f for f in first_contacts(records, contacts, period_from=date.min,
                                                      as_of=today, config=config)}
    rows = []
    for c in cits:
        days = (today - c.start_date).days if c.start_date else None
        row = CaseRow(id=c.id, consultant=c.consultant, start_date=c.start_date,
                      active=c.active, has_profile=bool(c.profile), days=days)
        f = firsts.get(c.id)
        if f is not None:
            row.first_contact_status = f.status
            row.first_contact = f.first_contact
            row.first_contact_days = f.days
            if f.status == "pending" and days is not None:
                row.days_left = config.first_contact_days - days
        rows.append(row)
    rows.sort(key=lambda r: (not r.active, r.start_date or date.max, r.id))
    return rows


@dataclass
class PlannedVisit:
    """An employer worth a visit this week, and for whom."""

    employer: Employer
    #: (citizen id, the reasons the employer suits them)
    citizens: list[tuple[str, list[Reason]]] = field(default_factory=list)
    #: next steps agreed for this week with the employer
    due: list[Contact] = field(default_factory=list)
    open_vacancies: int = 0


def week_bounds(today: date) -> tuple[date, date]:
    """Monday and Sunday of ``today``'s ISO week."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


#: a next step overdue by more than this is not put on this week's plan
OVERDUE_DAYS = 14


def _key(e: Employer) -> str:
    """The employer's :func:`~ipsmatch.identity.employer_key`; one without a CVR number or a
    name (never stored) is only itself."""
    return employer_key(e.cvr, e.name) or f"id:{e.id}"


def week_plan(matcher: Any, profiles: Sequence[Any], contacts: Iterable[Contact],
              employers: Iterable[Employer], *, today: date, per_citizen: int = 3
              ) -> list[PlannedVisit]:
    """Visits for the week of ``today``: employers whose latest contact set a next step for
    this week (or one overdue by at most OVERDUE_DAYS), and each citizen's top
    ``per_citizen`` job-development employers. Employers wanted for citizens come first.

    ``profiles`` are the active citizens' profiles (:class:`CitizenProfile` or dicts);
    ``employers`` the stored employers (to resolve the next steps' employers)."""
    monday, sunday = week_bounds(today)
    oldest = monday - timedelta(days=OVERDUE_DAYS)
    by_key = {_key(e): e for e in employers}
    plan: dict[str, PlannedVisit] = {}

    def visit(e: Employer) -> PlannedVisit:
        k = _key(e)
        if k not in plan:
            plan[k] = PlannedVisit(employer=e)
        return plan[k]

    latest: dict[str, Contact] = {}
    for c in sorted(contacts, key=lambda c: c.date):
        latest[c.employer_key] = c
    for k, c in latest.items():
        if c.next_date is not None and oldest <= c.next_date <= sunday and k in by_key:
            visit(by_key[k]).due.append(c)
    for p in profiles:
        res = matcher.suggest(p, limit=per_citizen)
        cid = res.citizen.id
        for es in res.employers[:per_citizen]:
            v = visit(es.employer)
            v.citizens.append((cid, list(es.reasons)))
            v.open_vacancies = max(v.open_vacancies, es.open_vacancies)
    return sorted(plan.values(), key=lambda v: (not v.citizens, not v.due, -len(v.citizens),
                                                v.employer.name.casefold()))
