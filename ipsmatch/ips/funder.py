"""The monthly funder export: per citizen and month, the paid hours by wage form and the
education, and whether the citizen counts under the rule (:class:`ipsmatch.config.FunderRule`).

Columns (documented in docs/jobdev.md)::

    month,citizen_id,consultant,ordinary_hours,fleksjob_hours,other_hours,education,counts,basis

``*_hours`` are the month's hours (weekly hours from each job's hours timeline, turned into
monthly hours by the rule's ``weeks_per_month``, a part month by its days); ``education`` is
the name of an education the citizen was enrolled in during the month (empty: none);
``counts`` is 1 when the citizen counts; ``basis`` says why: ``paid_hours``, ``education``,
``below_minimum`` (paid, but fewer hours than the minimum) or ``none``.
"""

from __future__ import annotations

import calendar
import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from ipsmatch.config import FunderRule
from ipsmatch.errors import UsageError
from ipsmatch.ips.followalong import JobFollowUp, hours_on

COLUMNS: tuple[str, ...] = ("month", "citizen_id", "consultant", "ordinary_hours",
                            "fleksjob_hours", "other_hours", "education", "counts", "basis")


@dataclass
class FunderRow:
    month: str
    citizen_id: str
    consultant: str
    ordinary_hours: float
    fleksjob_hours: float
    other_hours: float
    education: str
    counts: int
    basis: str


def _month(text: str) -> date:
    """``"2026-09"`` → its first day; UsageError (naming the text) for anything else."""
    try:
        y, m = (int(x) for x in text.split("-"))
        return date(y, m, 1)
    except ValueError:
        raise UsageError(code="period.not_month", params={"value": text}) from None


def months(first: str, last: str) -> list[tuple[date, date]]:
    """``("2026-09", "2026-11")`` → the first and last day of each month, in order."""
    start, end = _month(first), _month(last)
    if end < start:
        raise UsageError(code="period.months_reversed", params={"first": first, "last": last})
    out = []
    while start <= end:
        last_day = date(start.year, start.month, calendar.monthrange(start.year,
                                                                     start.month)[1])
        out.append((start, last_day))
        start = last_day + timedelta(days=1)
    return out


def month_hours(u: JobFollowUp, first: date, last: date, rule: FunderRule,
                as_of: date | None = None) -> float:
    """The job's hours in [first, last] up to ``as_of``: each day worked counts weekly hours
    × weeks_per_month / days in the month."""
    j = u.job
    days = (last - first).days + 1
    lo = max(first, j.start_date)
    hi = min(last, j.end_date) if j.end_date else last
    if as_of is not None:
        hi = min(hi, as_of)
    total = 0.0
    d = lo
    while d <= hi:
        h = hours_on(u.timeline, d)
        if h:
            total += h * rule.weeks_per_month / days
        d += timedelta(days=1)
    return round(total, 1)


def funder_rows(jobs: Iterable[JobFollowUp], education: Iterable[Any],
                consultants: dict[str, str | None], month_ranges: Sequence[tuple[date, date]],
                rule: FunderRule, *, as_of: date | None = None) -> list[FunderRow]:
    """One row per citizen and month in which they had a job or an education; days after
    ``as_of`` (today) are not counted, so the running month shows the hours so far."""
    jobs = list(jobs)
    education = list(education)
    cids = sorted({u.job.citizen_id for u in jobs} | {e.citizen_id for e in education})
    out: list[FunderRow] = []
    for first, last in month_ranges:
        for cid in cids:
            hours = {"ordinary": 0.0, "fleksjob": 0.0, "other": 0.0}
            for u in jobs:
                if u.job.citizen_id == cid:
                    hours[u.job.wage] += month_hours(u, first, last, rule, as_of)
            enrolled = [e.name for e in education if e.citizen_id == cid
                        and e.start_date <= min(last, as_of or last)
                        and (e.end_date is None
                                                      or e.end_date >= first)]
            if not any(hours.values()) and not enrolled:
                continue
            paid = hours["ordinary"] + (hours["fleksjob"] if rule.count_fleksjob else 0.0)
            if paid > 0 and paid >= rule.min_hours:
                basis = "paid_hours"
            elif enrolled:
                basis = "education"
            elif paid > 0:
                basis = "below_minimum"
            else:
                basis = "none"
            out.append(FunderRow(f"{first.year}-{first.month:02d}", cid,
                                 consultants.get(cid) or "", round(hours["ordinary"], 1),
                                 round(hours["fleksjob"], 1), round(hours["other"], 1),
                                 "; ".join(enrolled), int(basis in ("paid_hours", "education")),
                                 basis))
    return out


def to_csv(rows: Iterable[FunderRow]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    for r in rows:  # decimal point, not comma: the file is for the funder's systems
        w.writerow({k: (f"{v:.1f}" if isinstance(v, float) else v)
                    for k, v in asdict(r).items()})
    return buf.getvalue()
