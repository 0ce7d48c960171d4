"""Education offers (the catalogue) and education starts (an outcome, like a job start).

Plain dataclasses with ``validate``; validation raises :class:`~ipsmatch.errors.FeedError`
naming the field (the catalogue reader adds file and line).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ipsmatch.errors import FeedError
from ipsmatch.ips.freetext import check_free_text

#: type code -> (Danish, English) label. IPS means ordinary education: every type here is one
#: a citizen can enter on ordinary terms; special-education offers (STU, særligt tilrettelagt
#: undervisning) carry ``special_education`` and are never suggested unless asked for.
EDUCATION_TYPES: dict[str, tuple[str, str]] = {
    "eud": ("erhvervsuddannelse (EUD)", "vocational education (EUD)"),
    "eux": ("erhvervsuddannelse med studiekompetence (EUX)",
            "vocational education with upper-secondary exam (EUX)"),
    "amu": ("AMU-kursus", "adult vocational training course (AMU)"),
    "vuc": ("almen voksenuddannelse (AVU) på VUC", "general adult education (AVU, VUC)"),
    "fvu": ("forberedende voksenundervisning (FVU)", "preparatory adult education (FVU)"),
    "hf": ("hf", "higher preparatory exam (HF)"),
    "kvu": ("kort videregående uddannelse", "short-cycle higher education"),
    "erhvervsakademi": ("erhvervsakademiuddannelse", "academy profession programme"),
    "university": ("universitetsuddannelse", "university programme"),
}
#: Danish words a catalogue may use for a type.
TYPE_ALIASES: dict[str, str] = {
    "avu": "vuc", "vuc/avu": "vuc", "erhvervsuddannelse": "eud", "ea": "erhvervsakademi",
    "akademi": "erhvervsakademi", "universitet": "university", "uni": "university",
    "professionsbachelor": "university", "bachelor": "university",
}

#: What an offer may require at admission. code -> (Danish, English). Certificate codes from
#: :data:`ipsmatch.profile.CERTIFICATES` are accepted too (checked against the profile's
#: ``certificates``); education codes are checked against the career profile's education.
REQUIREMENTS: dict[str, tuple[str, str]] = {
    "folkeskole": ("folkeskolens afgangsprøve (9. klasse)", "lower-secondary exam (9th grade)"),
    "grundforloeb": ("bestået grundforløb", "a completed basic course (grundforløb)"),
    "gymnasial": ("en gymnasial eksamen (fx stx, hf, hhx)",
                  "an upper-secondary exam (e.g. stx, hf, hhx)"),
    "uddannelsesaftale": ("en uddannelsesaftale med en praktikvirksomhed",
                          "a training agreement with an employer"),
    "age_25": ("at man er fyldt 25 år (euv)", "being 25 or older (EUV)"),
    "danish_level": ("dansk på et bestemt niveau", "Danish at a set level"),
    "interview": ("en optagelsessamtale", "an admission interview"),
}
#: education levels a career profile may record (what admission requirements are checked
#: against); code -> (Danish, English)
EDUCATION_LEVELS: dict[str, tuple[str, str]] = {
    "none": ("ingen afsluttet skolegang", "no completed schooling"),
    "folkeskole": ("folkeskolens afgangsprøve", "lower-secondary exam"),
    "grundforloeb": ("grundforløb på en erhvervsuddannelse", "vocational basic course"),
    "eud": ("erhvervsuddannelse", "vocational education"),
    "gymnasial": ("gymnasial eksamen", "upper-secondary exam"),
    "kvu": ("kort videregående uddannelse", "short-cycle higher education"),
    "mvu": ("mellemlang videregående uddannelse", "bachelor-level education"),
    "lvu": ("lang videregående uddannelse", "master-level education"),
    "course": ("kursus (fx AMU)", "course (e.g. AMU)"),
}
#: which recorded levels satisfy a requirement (a higher level satisfies the lower ones)
LEVEL_SATISFIES: dict[str, frozenset[str]] = {
    "folkeskole": frozenset({"folkeskole", "grundforloeb", "eud", "gymnasial", "kvu", "mvu",
                             "lvu"}),
    "grundforloeb": frozenset({"grundforloeb", "eud"}),
    "gymnasial": frozenset({"gymnasial", "kvu", "mvu", "lvu"}),
}
#: why an education start ended
EDUCATION_END_REASONS: tuple[str, ...] = ("completed", "dropped_out", "paused", "moved_to_job",
                                          "other")


@dataclass
class EducationOffer:
    """One ordinary education offer of the catalogue (see docs/jobdev.md for the format)."""

    id: str
    name: str
    type: str
    institution: str
    postcode: str
    city: str | None = None
    address: str | None = None
    lat: float | None = None
    lon: float | None = None
    start_dates: list[date] = field(default_factory=list)
    #: admission all year round ("løbende optag"), with or without fixed start dates
    continuous_intake: bool = False
    duration_weeks: float | None = None
    #: the weekly load in hours (class + homework/practice); None = not stated
    hours_per_week: float | None = None
    #: can be taken part time / at reduced load
    part_time: bool = False
    #: codes from REQUIREMENTS or profile CERTIFICATES
    requirements: list[str] = field(default_factory=list)
    #: the admission requirements in the institution's words
    admission: str | None = None
    #: SU (the state education grant) can be had; None = not stated
    su: bool | None = None
    #: ESCO occupation URIs it leads to, and their Danish labels (resolved at import)
    leads_to: list[str] = field(default_factory=list)
    leads_to_labels: list[str] = field(default_factory=list)
    special_education: bool = False
    url: str | None = None
    description: str | None = None

    def next_start(self, today: date) -> date | None:
        """The first start date on or after ``today``; None when none is ahead."""
        ahead = [d for d in self.start_dates if d >= today]
        return min(ahead) if ahead else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start_dates"] = [x.isoformat() for x in self.start_dates]
        return d


@dataclass(frozen=True)
class EducationStart:
    """A citizen started an education (an IPS outcome beside job starts)."""

    citizen_id: str
    start_date: dt.date
    name: str
    type: str
    institution: str | None = None
    offer_id: str | None = None
    hours_per_week: float | None = None
    end_date: dt.date | None = None
    #: one of EDUCATION_END_REASONS
    end_reason: str | None = None
    end_note: str | None = None
    id: int | None = None

    def validate(self, *, today: dt.date | None = None) -> EducationStart:
        """Raise FeedError (or PrivacyError for free text) if it cannot be stored; else self."""
        today = today or date.today()
        for name in ("citizen_id", "name", "institution", "end_note"):
            check_free_text(name, getattr(self, name))
        if not self.citizen_id.strip():
            raise FeedError("is required", field="citizen_id")
        if not self.name.strip():
            raise FeedError("is required", field="name")
        if self.type not in EDUCATION_TYPES:
            raise FeedError(f"unknown type {self.type!r}", field="type",
                            hint="use one of: " + ", ".join(EDUCATION_TYPES))
        if self.start_date > today:
            raise FeedError(f"{self.start_date.isoformat()} is in the future", field="start_date",
                            hint="record a start once it has happened")
        if self.end_date is not None:
            if self.end_date < self.start_date:
                raise FeedError("is before start_date", field="end_date")
            if self.end_date > today:
                raise FeedError(f"{self.end_date.isoformat()} is in the future",
                                field="end_date")
        if self.end_reason is not None and self.end_reason not in EDUCATION_END_REASONS:
            raise FeedError(f"unknown end reason {self.end_reason!r}", field="end_reason",
                            hint="use one of: " + ", ".join(EDUCATION_END_REASONS))
        if self.hours_per_week is not None and not 0 < self.hours_per_week <= 60:
            raise FeedError(f"{self.hours_per_week:g} hours is not a week's load",
                            field="hours_per_week")
        return self

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("start_date", "end_date"):
            d[k] = d[k].isoformat() if d[k] else None
        return d
