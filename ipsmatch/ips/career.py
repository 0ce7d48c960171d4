"""The career profile ("karriereprofil") and disclosure ("åbenhed") of a citizen: plain
dataclasses and their validation from the profile file format (profile version 3).

What the citizen wants from work, the work history (what went well and badly), education,
strengths and interests, hours now and the goal, and what support helps at work. Never a
diagnosis: supports describe help at work ("fast kontaktperson"), not illness. Certificates
stay in the profile's one ``certificates`` list; the career profile refers to it.

Disclosure says what may be shared with employers and whether an employer may be contacted
about the citizen at all (consent: ``not_asked`` by default, ``yes`` or ``no``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ipsmatch.errors import InputError, ProfileError
from ipsmatch.ips.freetext import check_free_text

CONSENT_STATES: tuple[str, ...] = ("not_asked", "yes", "no")
#: what may be shared with an employer: nothing; that the citizen is in IPS; that, plus
#: the accommodations chosen in ``accommodations`` (codes from the profile's needs)
SHARE_LEVELS: tuple[str, ...] = ("nothing", "ips", "accommodations")

_CAREER_KEYS = frozenset({"wants", "work_history", "education", "strengths", "interests",
                          "hours", "supports", "special_education"})
_WORK_KEYS = frozenset({"title", "employer", "from", "to", "went_well", "went_badly"})
_EDU_KEYS = frozenset({"name", "level", "completed", "year"})
_DISCLOSURE_KEYS = frozenset({"consent", "date", "share", "accommodations", "note"})
_REFUSED = frozenset({"diagnosis", "diagnose", "diagnoser", "diagnoses", "medicine",
                      "medicin", "illness", "sygdom"})


@dataclass
class WorkItem:
    """One job in the work history."""

    title: str
    employer: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    went_well: str | None = None
    went_badly: str | None = None


@dataclass
class EducationItem:
    """One education the citizen has (or began): ``level`` from EDUCATION_LEVELS."""

    name: str
    level: str | None = None
    completed: bool = True
    year: int | None = None


@dataclass
class CareerProfile:
    """The karriereprofil. Every text is the citizen's and the consultant's own words."""

    wants: str | None = None
    work_history: list[WorkItem] = field(default_factory=list)
    education: list[EducationItem] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    hours_now: float | None = None
    hours_goal: float | None = None
    supports: list[str] = field(default_factory=list)
    #: the citizen asked to see special-education offers (STU and the like); off by default,
    #: as IPS means ordinary education
    special_education: bool = False

    def levels(self) -> set[str]:
        """The education levels completed (what admission requirements are checked on)."""
        return {e.level for e in self.education if e.completed and e.level}


@dataclass
class Disclosure:
    """What may be shared with employers, and whether one may be contacted at all."""

    consent: str = "not_asked"
    date: date | None = None
    share: str = "nothing"
    #: need codes the citizen agreed to share (only when ``share == "accommodations"``)
    accommodations: list[str] = field(default_factory=list)
    note: str | None = None


def _text(v: Any, fld: str) -> str | None:
    if v is not None and not isinstance(v, str):
        raise ProfileError(code="value.not_text", field=fld)
    try:
        return check_free_text(fld, v)
    except InputError as exc:  # the free-text gate's refusal, with its code, at this field
        raise ProfileError(exc.message, field=fld, hint=exc.hint, code=exc.code,
                           params=exc.params) from None


def _texts(v: Any, fld: str) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list):
        raise ProfileError(code="value.not_text_list", field=fld)
    out = []
    for i, x in enumerate(v):
        t = _text(x, f"{fld}[{i}]")
        if t:
            out.append(t)
    return out


def _year(v: Any, fld: str) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not 1940 <= v <= 2100:
        raise ProfileError(code="year.invalid", field=fld, params={"value": v})
    return v


def _hours(v: Any, fld: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not 0 < v <= 60:
        raise ProfileError(code="career.hours_range", field=fld, params={"value": v})
    return float(v)


def _check_keys(d: Any, known: frozenset[str], fld: str) -> dict[str, Any]:
    if not isinstance(d, dict):
        raise ProfileError(code="value.not_object", field=fld)
    refused = _REFUSED & {str(k).casefold() for k in d}
    if refused:
        raise ProfileError(code="refused.health", field=fld)
    unknown = set(d) - known
    if unknown:
        raise ProfileError(code="keys.unknown", field=fld,
                           params={"keys": ", ".join(sorted(unknown)), "count": len(unknown),
                                   "known": ", ".join(sorted(known))})
    return d


def career_from_dict(v: Any) -> CareerProfile | None:
    """Validate the profile's ``career`` object (None when absent)."""
    if v is None:
        return None
    from ipsmatch.education.model import EDUCATION_LEVELS

    d = _check_keys(v, _CAREER_KEYS, "career")
    work = []
    for i, w in enumerate(d.get("work_history") or []):
        f = f"career.work_history[{i}]"
        w = _check_keys(w, _WORK_KEYS, f)
        title = _text(w.get("title"), f"{f}.title")
        if not title:
            raise ProfileError(code="work.no_title", field=f)
        y0, y1 = _year(w.get("from"), f"{f}.from"), _year(w.get("to"), f"{f}.to")
        if y0 is not None and y1 is not None and y1 < y0:
            raise ProfileError(code="work.ends_before_start", field=f,
                               params={"start": y0, "end": y1})
        work.append(WorkItem(title, _text(w.get("employer"), f"{f}.employer"), y0, y1,
                             _text(w.get("went_well"), f"{f}.went_well"),
                             _text(w.get("went_badly"), f"{f}.went_badly")))
    edu = []
    for i, e in enumerate(d.get("education") or []):
        f = f"career.education[{i}]"
        e = _check_keys(e, _EDU_KEYS, f)
        name = _text(e.get("name"), f"{f}.name")
        if not name:
            raise ProfileError(code="education.no_name", field=f)
        level = e.get("level")
        if level is not None and level not in EDUCATION_LEVELS:
            raise ProfileError(code="education.unknown_level", field=f"{f}.level",
                               params={"value": level, "choices": ", ".join(EDUCATION_LEVELS)})
        completed = e.get("completed", True)
        if not isinstance(completed, bool):
            raise ProfileError(code="value.bool", field=f"{f}.completed")
        edu.append(EducationItem(name, level, completed, _year(e.get("year"), f"{f}.year")))
    hours = d.get("hours") or {}
    if not isinstance(hours, dict) or set(hours) - {"now", "goal"}:
        raise ProfileError(code="career.hours_shape", field="career.hours")
    now, goal = _hours(hours.get("now"), "career.hours.now"), \
        _hours(hours.get("goal"), "career.hours.goal")
    special = d.get("special_education", False)
    if not isinstance(special, bool):
        raise ProfileError(code="value.bool", field="career.special_education")
    return CareerProfile(
        wants=_text(d.get("wants"), "career.wants"), work_history=work, education=edu,
        strengths=_texts(d.get("strengths"), "career.strengths"),
        interests=_texts(d.get("interests"), "career.interests"),
        hours_now=now, hours_goal=goal, supports=_texts(d.get("supports"), "career.supports"),
        special_education=special)


def career_to_dict(c: CareerProfile) -> dict[str, Any]:
    """The file format of a career profile (round-trips through :func:`career_from_dict`)."""
    d: dict[str, Any] = {}
    if c.wants:
        d["wants"] = c.wants
    if c.work_history:
        d["work_history"] = [{k: v for k, v in {
            "title": w.title, "employer": w.employer, "from": w.year_from, "to": w.year_to,
            "went_well": w.went_well, "went_badly": w.went_badly}.items() if v is not None}
            for w in c.work_history]
    if c.education:
        d["education"] = [{k: v for k, v in {"name": e.name, "level": e.level,
                                              "completed": e.completed, "year": e.year
                                              }.items() if v is not None} for e in c.education]
    for key in ("strengths", "interests", "supports"):
        if getattr(c, key):
            d[key] = list(getattr(c, key))
    hours = {k: (int(v) if float(v).is_integer() else v) for k, v in
             (("now", c.hours_now), ("goal", c.hours_goal)) if v is not None}
    if hours:
        d["hours"] = hours
    if c.special_education:
        d["special_education"] = True
    return d


def disclosure_from_dict(v: Any, need_codes: list[str]) -> Disclosure:
    """Validate the profile's ``disclosure`` object; absent = not asked, nothing shared.

    ``accommodations`` must be among the citizen's own needs (``need_codes``)."""
    if v is None:
        return Disclosure()
    d = _check_keys(v, _DISCLOSURE_KEYS, "disclosure")
    consent = d.get("consent", "not_asked")
    if consent not in CONSENT_STATES:
        raise ProfileError(code="disclosure.unknown_consent", field="disclosure.consent",
                           params={"value": consent, "choices": ", ".join(CONSENT_STATES)})
    share = d.get("share", "nothing")
    if share not in SHARE_LEVELS:
        raise ProfileError(code="disclosure.unknown_share", field="disclosure.share",
                           params={"value": share, "choices": ", ".join(SHARE_LEVELS)})
    raw_date = d.get("date")
    day: date | None = None
    if isinstance(raw_date, date):
        day = raw_date
    elif raw_date is not None:
        try:
            day = date.fromisoformat(str(raw_date))
        except ValueError:
            raise ProfileError(code="date.invalid", field="disclosure.date",
                               params={"value": raw_date}) from None
    if consent != "not_asked" and day is None:
        raise ProfileError(code="disclosure.no_date", field="disclosure.date")
    acc = d.get("accommodations") or []
    if not isinstance(acc, list) or not all(isinstance(a, str) for a in acc):
        raise ProfileError(code="disclosure.acc_not_list", field="disclosure.accommodations")
    for i, code in enumerate(acc):
        if code not in need_codes:
            raise ProfileError(code="disclosure.acc_not_own" if need_codes
                               else "disclosure.acc_no_needs",
                               field=f"disclosure.accommodations[{i}]",
                               params={"value": code, "choices": ", ".join(need_codes)})
    if acc and share != "accommodations":
        raise ProfileError(code="disclosure.acc_without_share",
                           field="disclosure.accommodations")
    return Disclosure(consent=consent, date=day, share=share,
                      accommodations=list(dict.fromkeys(acc)),
                      note=_text(d.get("note"), "disclosure.note"))


def disclosure_to_dict(d: Disclosure) -> dict[str, Any]:
    out: dict[str, Any] = {"consent": d.consent, "share": d.share}
    if d.date:
        out["date"] = d.date.isoformat()
    if d.accommodations:
        out["accommodations"] = list(d.accommodations)
    if d.note:
        out["note"] = d.note
    return out
