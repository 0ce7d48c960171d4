"""What a fidelity report holds and how it renders: the figures per consultant and for the
team (:class:`Figures`), the weekly counts and first-contact rows, and :class:`FidelityReport`,
which serialises to JSON (``to_dict``), flattens to CSV rows (``rows``, ``to_csv``) and prints as
a text table (``to_text``). The figures are computed in :mod:`ipsmatch.jobdev.fidelity`; the HTML
report is :mod:`ipsmatch.jobdev.report`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ipsmatch.jobdev.fidelity import FidelityConfig


@dataclass
class WeekCount:
    """Face-to-face contacts in one ISO week; ``partial`` when the period cuts the week."""

    week: str
    week_start: date
    count: int
    partial: bool = False


@dataclass
class FirstContact:
    """Days from a citizen's start to the first employer contact made for them.

    ``status``: ``on_time`` (≤ limit), ``late`` (> limit), ``overdue`` (none yet and more than
    the limit since start), ``pending`` (none yet, still within the limit).
    """

    citizen_id: str
    consultant: str
    start_date: date
    first_contact: date | None
    days: int | None
    status: str


@dataclass
class Figures:
    """All figures for one consultant, or for the team (``consultant == "team"``)."""

    consultant: str
    consultants: int
    caseload_active: int
    contacts: int
    f2f_contacts: int
    f2f_per_week: float
    #: f2f_per_week divided by the number of consultants: the figure the target applies to
    f2f_per_consultant_week: float
    f2f_weekly: list[WeekCount]
    citizens: int
    first_contact_median_days: float | None
    first_contact_on_time: int
    first_contact_late: int
    first_contact_overdue: int
    first_contact_pending: int
    job_starts: int
    competitive_starts: int
    competitive_share: float | None
    distinct_employers: int
    employer_diversity: float | None
    employer_entropy: float | None
    distinct_job_types: int
    job_type_diversity: float | None
    job_type_entropy: float | None
    # --- issue #17 (defaults so older callers keep working) ---
    #: active cases per consultant; ``caseload_ok``: within FidelityConfig.target_caseload
    caseload_per_consultant: float | None = None
    caseload_ok: bool | None = None
    #: job starts by wage form (fleksjob is its own category: not ordinary, and not in the
    #: denominator of competitive_share either; see docs/jobdev.md)
    ordinary_starts: int = 0
    fleksjob_starts: int = 0
    other_starts: int = 0
    education_starts: int = 0
    education_ends: int = 0
    #: citizens whose first job or education start fell in the period, and the median days
    #: from their IPS start to it
    first_start_citizens: int = 0
    first_start_median_days: float | None = None
    #: jobs that ended in the period; of those, followed up within followup_after_end_days
    jobs_ended: int = 0
    jobs_ended_followed_up: int = 0
    followup_after_end_share: float | None = None
    #: jobs running in the period with known hours; of those, with more hours at the end of
    #: the period (or of the job) than at the start, and the median growth in hours/week
    jobs_with_hours: int = 0
    hours_grown: int = 0
    hours_growth_median: float | None = None


#: Columns of the flat rows (CSV / table), in order.
ROW_COLUMNS: tuple[str, ...] = (
    "consultant", "caseload_active", "f2f_contacts", "f2f_per_consultant_week", "contacts",
    "citizens", "first_contact_median_days", "first_contact_on_time", "first_contact_late",
    "first_contact_overdue", "job_starts", "competitive_share", "employer_diversity",
    "employer_entropy", "job_type_diversity", "job_type_entropy",
    "caseload_per_consultant", "caseload_ok", "ordinary_starts", "fleksjob_starts",
    "other_starts", "education_starts", "education_ends", "first_start_citizens",
    "first_start_median_days", "jobs_ended", "jobs_ended_followed_up",
    "followup_after_end_share", "jobs_with_hours", "hours_grown", "hours_growth_median",
)
#: The narrower set the terminal table shows, with short Danish headers.
TEXT_COLUMNS: tuple[str, ...] = (
    "consultant", "caseload_active", "f2f_contacts", "f2f_per_consultant_week",
    "first_contact_median_days", "first_contact_late", "first_contact_overdue", "job_starts",
    "competitive_share", "fleksjob_starts", "education_starts", "first_start_median_days",
    "hours_grown", "employer_diversity", "job_type_diversity",
)
TABLE_HEADERS: dict[str, str] = {
    "consultant": "konsulent", "caseload_active": "sager", "f2f_contacts": "møder",
    "f2f_per_consultant_week": "møder/uge", "first_contact_median_days": "1.kontakt dage",
    "first_contact_late": "for sent", "first_contact_overdue": "ingen endnu",
    "job_starts": "jobstart", "competitive_share": "ordinære",
    "employer_diversity": "forsk.arbg.", "job_type_diversity": "forsk.typer",
    "fleksjob_starts": "fleksjob", "education_starts": "udd.start",
    "first_start_median_days": "dage t. start", "hours_grown": "flere timer",
}


@dataclass
class FidelityReport:
    """Figures for a period [period_from, period_to], evaluated as of ``as_of``."""

    period_from: date
    period_to: date
    as_of: date
    weeks: float
    config: FidelityConfig
    team: Figures
    consultants: list[Figures]
    first_contacts: list[FirstContact] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        return _jsonable(asdict(self))

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per consultant, then the team row (ROW_COLUMNS keys)."""
        out = []
        for f in [*self.consultants, self.team]:
            d = asdict(f)
            out.append({c: _round(d[c]) for c in ROW_COLUMNS})
        return out

    def to_csv(self) -> str:
        from ipsmatch.csvout import write_csv

        return write_csv(self.rows(), ROW_COLUMNS, lineterminator="\n")

    def to_text(self) -> str:
        """A plain text table with a heading, for the terminal."""
        cfg = self.config
        weeks = f"{self.weeks:.1f}".replace(".", ",")
        target = f"{cfg.target_f2f_per_week:g}".replace(".", ",")
        head = (f"IPS fidelity {self.period_from.isoformat()} – {self.period_to.isoformat()} "
                f"({weeks} uger; mål: {target} møder/uge pr. "
                f"konsulent, 1. kontakt ≤ {cfg.first_contact_days} dage)")
        rows = self.rows()
        cols = list(TEXT_COLUMNS)
        cells = [[_cell(r[c], c) for c in cols] for r in rows]
        heads = [TABLE_HEADERS[c] for c in cols]
        widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(heads)]
        lines = [head, "", "  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True))
                  for row in cells]
        flagged = [fc for fc in self.first_contacts if fc.status in ("late", "overdue")]
        if flagged:
            lines += ["", f"Borgere over {cfg.first_contact_days} dage til første "
                          "arbejdsgiverkontakt:"]
            for fc in flagged:
                days = fc.days if fc.days is not None else (self.as_of - fc.start_date).days
                what = ("ingen kontakt endnu" if fc.first_contact is None
                        else f"første kontakt {fc.first_contact.isoformat()}")
                lines.append(f"  {fc.citizen_id}  ({fc.consultant})  start "
                             f"{fc.start_date.isoformat()}, {days} dage, {what}")
        return "\n".join(lines)


def _round(v: Any) -> Any:
    return round(v, 3) if isinstance(v, float) else v


def _cell(v: Any, column: str = "") -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        # the text table is Danish: decimal comma
        return (f"{v:g}" if column.endswith("_days") else f"{v:.2f}").replace(".", ",")
    return str(v)


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, date):
        return v.isoformat()
    return v

