"""Shaping library results for the templates: no matching here, only presentation.

Reasons and concerns are the library's :class:`ipsmatch.domain.Reason` rendered in the user's
language (``Reason.text``), the same sentences the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ipsmatch.errors import InputError
from ipsmatch.explain import fmt_km, fmt_num, fmt_range
from ipsmatch.jobdev.attributes import attributes_from_json, danish_date
from ipsmatch.needs import NEEDS
from ipsmatch.output import vacancy_row

MODE_CHOICES: tuple[tuple[str, str], ...] = (
    ("public", "med offentlig transport"), ("bike", "på cykel"), ("walk", "til fods"),
    ("car", "i bil"))
KIND_CHOICES: tuple[tuple[str, str], ...] = (
    ("face-to-face", "Personligt møde"), ("phone", "Telefon"), ("email", "Mail"),
    ("other", "Andet"))
PURPOSE_CHOICES: tuple[tuple[str, str], ...] = (
    ("learn_business", "Lære virksomheden at kende"),
    ("present_candidate", "Præsentere en kandidat"), ("follow_up", "Opfølgning"))
#: what a consultant can learn at a contact (codes of ipsmatch.jobdev.LEARNED_KEYS)
LEARNED_LABELS: dict[str, tuple[str, str]] = {
    "open_to_part_time": ("Åben for deltid", "Open to part-time"),
    "open_to_flexible_start": ("Åben for fleksibel mødetid", "Open to a flexible start time"),
    "quiet_workplace_available": ("Rolige omgivelser mulige", "A quiet workplace is possible"),
    "hired_through_ips_before": ("Har ansat via IPS før", "Has hired through IPS before"),
    "mentor_available": ("Mentor eller fast kontaktperson mulig", "A mentor is possible"),
    "no_openings_now": ("Ingen åbninger lige nu", "No openings right now"),
}


# --- the profile form -----------------------------------------------------------------------

def need_choices(lang: str) -> list[tuple[str, str]]:
    return [(code, nd.label_da if lang != "en" else nd.label_en) for code, nd in NEEDS.items()]


def profile_form(profile: dict[str, Any] | None) -> dict[str, Any]:
    """Form values from a stored profile dict (file format)."""
    p = profile or {}
    travel = p.get("travel") or {}
    hours = p.get("hours") or {}
    needs: dict[str, str] = {}
    for n in p.get("needs") or []:
        if isinstance(n, str):
            needs[n] = "must"
        elif isinstance(n, dict) and "code" in n:
            needs[str(n["code"])] = "must" if n.get("must", True) else "prefer"
    return {
        "home_postcode": p.get("home_postcode", ""),
        "mode": travel.get("mode", "public"),
        "max_minutes": travel.get("max_minutes", 45),
        "hours_min": _num(hours.get("min")),
        "hours_max": _num(hours.get("max")),
        "hours_must": bool(hours.get("must")),
        "wishes": "\n".join(p.get("wishes") or []),
        "avoid": "\n".join(p.get("avoid") or []),
        "needs": needs,
        "languages": ", ".join(p.get("languages") or ["da"]),
        "fleksjob_approved": bool(p.get("fleksjob_approved")),
        "accept_subsidised": bool(p.get("accept_subsidised")),
        "start_date": p.get("start_date", ""),
    }


def _num(x: Any) -> str:
    if x is None:
        return ""
    return f"{x:g}" if isinstance(x, int | float) else str(x)


def form_echo(form: dict[str, str]) -> dict[str, Any]:
    """What the user typed, to show again next to an error."""
    return {
        "home_postcode": form.get("home_postcode", ""), "mode": form.get("mode", "public"),
        "max_minutes": form.get("max_minutes", ""), "hours_min": form.get("hours_min", ""),
        "hours_max": form.get("hours_max", ""), "hours_must": bool(form.get("hours_must")),
        "wishes": form.get("wishes", ""), "avoid": form.get("avoid", ""),
        "needs": {c: form.get(f"need_{c}", "") for c in NEEDS},
        "languages": form.get("languages", ""),
        "fleksjob_approved": bool(form.get("fleksjob_approved")),
        "accept_subsidised": bool(form.get("accept_subsidised")),
        "start_date": form.get("start_date", ""),
    }


def _lines(text: str) -> list[str]:
    return [x.strip() for x in text.replace("\r", "").split("\n") if x.strip()]


def _number_or_text(text: str) -> Any:
    """A number if it reads as one (decimal comma too); else the text, so the profile
    validation says what is wrong with it, as for a file."""
    t = text.strip().replace(",", ".")
    try:
        return int(t) if t.isdigit() else float(t)
    except ValueError:
        return text.strip()


def profile_from_form(stored: dict[str, Any] | None, cid: str, form: dict[str, str]
                      ) -> dict[str, Any]:
    """A profile dict (file format) from the form, on top of the stored one, so keys the
    form does not show are kept. Validated by ``profile_from_dict`` afterwards."""
    d: dict[str, Any] = dict(stored or {})
    d["id"] = cid
    d["home_postcode"] = form.get("home_postcode", "").strip()
    d["travel"] = {"mode": form.get("mode", "public"),
                   "max_minutes": _number_or_text(form.get("max_minutes", "") or "45")}
    hours: dict[str, Any] = {}
    if form.get("hours_min", "").strip():
        hours["min"] = _number_or_text(form["hours_min"])
    if form.get("hours_max", "").strip():
        hours["max"] = _number_or_text(form["hours_max"])
    if form.get("hours_must"):
        hours["must"] = True
    d["hours"] = hours
    d["wishes"] = _lines(form.get("wishes", ""))
    d["avoid"] = _lines(form.get("avoid", ""))
    needs: list[Any] = []
    for code in NEEDS:
        v = form.get(f"need_{code}", "")
        if v == "must":
            needs.append(code)
        elif v == "prefer":
            needs.append({"code": code, "must": False})
    d["needs"] = needs
    d["languages"] = [x.strip() for x in form.get("languages", "").replace(";", ",").split(",")
                      if x.strip()] or ["da"]
    d["fleksjob_approved"] = bool(form.get("fleksjob_approved"))
    d["accept_subsidised"] = bool(form.get("accept_subsidised"))
    start = form.get("start_date", "").strip()
    if start:
        d["start_date"] = start
    else:
        d.pop("start_date", None)
    return d


# --- suggestions ----------------------------------------------------------------------------

@dataclass
class VacancyView:
    rank: int
    title: str
    source: str
    external_id: str
    url: str | None
    employer: str | None
    employer_id: int | None
    employer_cvr: str | None
    place: str
    distance: str
    minutes: str
    #: None when the ad does not say
    hours: str | None
    deadline: date | None
    lat: float | None
    lon: float | None
    reasons: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    #: the feedback codes behind ``status`` (e.g. ``feedback.interested``)
    marks: list[str] = field(default_factory=list)


def vacancy_view(s: Any, rank: int, lang: str) -> VacancyView:
    v = s.vacancy
    emp = v.employer
    place = " ".join(x for x in (v.postcode, v.city) if x)
    return VacancyView(
        rank=rank, title=v.title, source=v.source, external_id=v.external_id,
        url=v.url if v.url and v.url.startswith(("https://", "http://")) else None,
        employer=emp.name if emp else None, employer_id=emp.id if emp else None,
        employer_cvr=emp.cvr if emp else None, place=place,
        distance=fmt_km(s.distance_km, lang) if s.distance_km is not None else "?",
        # the CLI table's cell: the band the reason says when the limit falls inside it
        minutes=vacancy_row(s, rank, lang=lang)["min"],
        hours=(fmt_range(v.hours_min, v.hours_max, lang)
               if v.hours_min is not None or v.hours_max is not None else None),
        deadline=v.deadline,
        lat=v.lat, lon=v.lon,
        reasons=[r.text(lang) for r in s.reasons if r.kind != "feedback"],
        status=[r.text(lang) for r in s.reasons if r.kind == "feedback"],
        marks=[r.code for r in s.reasons if r.kind == "feedback"],
        concerns=[r.text(lang) for r in s.concerns if r.kind != "unknown"],
        questions=[_topic(r, lang) for r in s.concerns if r.kind == "unknown"],
    )


@dataclass
class EducationView:
    rank: int
    name: str
    institution: str
    place: str
    distance: str
    minutes: str
    next_start: date | None
    reasons: list[str]
    concerns: list[str]


def education_view(s: Any, rank: int, lang: str) -> EducationView:
    """An education suggestion (``SuggestResult.education``), reasons rendered as the CLI's."""
    o = s.offer
    return EducationView(
        rank=rank, name=o.name, institution=o.institution,
        place=" ".join(x for x in (o.postcode, o.city) if x),
        distance=fmt_km(s.distance_km, lang) if s.distance_km is not None else "?",
        minutes=f"{s.commute_minutes:.0f}" if s.commute_minutes is not None else "?",
        next_start=s.next_start,
        reasons=[r.text(lang) for r in s.reasons],
        concerns=[r.text(lang) for r in s.concerns])


def _topic(r: Any, lang: str) -> str:
    """What to ask about, from an "ikke oplyst – spørg arbejdsgiveren" concern."""
    if r.code.startswith("need.") and r.code.endswith(".unknown"):
        nd = NEEDS[r.code.split(".")[1]]
        return nd.topic_da if lang != "en" else nd.topic_en
    text: str = r.text(lang)
    return text.split(":", 1)[0] if ":" in text else text


@dataclass
class EmployerView:
    rank: int
    letter: str
    name: str
    id: int | None
    cvr: str | None
    place: str
    distance: str
    open_vacancies: int
    reasons: list[str]


def employer_view(e: Any, rank: int, lang: str) -> EmployerView:
    emp = e.employer
    return EmployerView(rank=rank, letter=chr(ord("A") + rank - 1), name=emp.name, id=emp.id,
                        cvr=emp.cvr,
                        place=" ".join(x for x in (emp.postcode, emp.city) if x),
                        distance=fmt_km(e.distance_km, lang) if e.distance_km is not None
                        else "?", open_vacancies=e.open_vacancies,
                        reasons=[r.text(lang) for r in e.reasons])


@dataclass
class Question:
    employer: str
    title: str
    topics: list[str]


def questions(result: Any, lang: str) -> list[Question]:
    """The "ikke oplyst – spørg arbejdsgiveren" concerns of the shown ads, one entry per ad."""
    out = []
    for i, s in enumerate(result.vacancies, 1):
        vv = vacancy_view(s, i, lang)
        if vv.questions:
            out.append(Question(employer=vv.employer or "", title=vv.title,
                                topics=vv.questions))
    return out


def print_items(result: Any, lang: str) -> list[VacancyView]:
    """The printable list: the ads marked interested, else all shown ads."""
    views = [vacancy_view(s, i, lang) for i, s in enumerate(result.vacancies, 1)]
    marked = [v for v in views if "feedback.interested" in v.marks]
    return marked or views


# --- the 30-day clock -----------------------------------------------------------------------

def clock(rec: Any, web: Any) -> Any:
    from ipsmatch.jobdev.caseload import caseload

    rows = caseload([rec], web.store.list_contacts(citizen=rec.id), today=web.today())
    return rows[0] if rows else None


# --- employers ------------------------------------------------------------------------------

@dataclass
class LearnedView:
    label: str
    value: bool
    date: str
    consultant: str


def learned_view(emp: Any, lang: str) -> list[LearnedView]:
    out = []
    for key, a in attributes_from_json(emp.attributes or {}).items():
        da, en = LEARNED_LABELS.get(key, (key, key))
        out.append(LearnedView(da if lang != "en" else en, a.value, danish_date(a.date),
                               a.consultant))
    return out


def learned_choices(lang: str) -> list[tuple[str, str]]:
    return [(k, da if lang != "en" else en) for k, (da, en) in LEARNED_LABELS.items()]


def learned_from_form(form: dict[str, str]) -> tuple[str, ...]:
    items = []
    for key in LEARNED_LABELS:
        v = form.get(f"learned_{key}", "")
        if v == "yes":
            items.append(key)
        elif v == "no" and key != "no_openings_now":
            items.append(f"not_{key}")
    return tuple(items)


def parse_day(text: str | None, field_name: str) -> date | None:
    if not text or not text.strip():
        return None
    from ipsmatch.jobdev.contacts_csv import parse_date

    return parse_date(text.strip(), field_name)


def parse_float(text: str | None, field_name: str) -> float | None:
    if not text or not text.strip():
        return None
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise FormValueError(code="form.not_number", field=field_name,
                             params={"field": field_name, "value": text.strip()}) from None


class FormValueError(InputError):
    """A form field's value that is not what the field takes (:func:`parse_float`); its
    English message names the field, as it always has; ``field`` lets a Danish page name the
    field by its label."""

    def __init__(self, *, code: str, field: str, params: dict[str, Any]) -> None:
        super().__init__(code=code, params=params)
        self.field = field


# --- fidelity -------------------------------------------------------------------------------

#: The fidelity page's column headers, in words (the terminal table abbreviates to fit):
#: column -> (Danish, English).
FIDELITY_HEADERS: dict[str, tuple[str, str]] = {
    "consultant": ("Konsulent", "Consultant"),
    "caseload_active": ("Aktive sager", "Active cases"),
    "f2f_contacts": ("Personlige møder", "Face-to-face meetings"),
    "f2f_per_consultant_week": ("Møder pr. uge", "Meetings per week"),
    "first_contact_median_days": ("Dage til første kontakt (median)",
                                  "Days to first contact (median)"),
    "first_contact_late": ("Første kontakt for sent", "First contact late"),
    "first_contact_overdue": ("Første kontakt overskredet", "First contact overdue"),
    "job_starts": ("Jobstarter", "Job starts"),
    "competitive_share": ("Ordinære job", "Competitive jobs"),
    "fleksjob_starts": ("Fleksjob", "Flex jobs"),
    "education_starts": ("Uddannelsesstarter", "Education starts"),
    "first_start_median_days": ("Dage til første start (median)",
                                "Days to first start (median)"),
    "hours_grown": ("Flere timer", "More hours"),
    "employer_diversity": ("Forskellige arbejdsgivere", "Different employers"),
    "job_type_diversity": ("Forskellige jobtyper", "Different job types"),
}


def fidelity_headers(lang: str) -> list[tuple[str, str]]:
    """(column, header) for the page's table, every column named in ``lang``."""
    from ipsmatch.jobdev.fidelity_report import TEXT_COLUMNS

    which = 1 if lang == "en" else 0
    return [(c, FIDELITY_HEADERS[c][which]) for c in TEXT_COLUMNS]


def fidelity_rows(report: Any) -> list[dict[str, str]]:
    """The report's team and consultant rows as display strings (decimal comma)."""
    from ipsmatch.jobdev.fidelity_report import TEXT_COLUMNS

    out = []
    for f in [report.team, *report.consultants]:
        row = {}
        for c in TEXT_COLUMNS:
            v = getattr(f, c)
            if isinstance(v, float):
                row[c] = (f"{round(v * 100)} %" if c.endswith(("share", "diversity"))
                          else fmt_num(v))
            elif v is None:
                row[c] = "–"
            else:
                row[c] = str(v)
        out.append(row)
    return out
