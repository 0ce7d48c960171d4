"""Suggest/search results → the JSON contract (issue #6), table/CSV rows and ``--explain`` text.

JSON shape (keys at least)::

    {"citizen": {...profile...},
     "vacancies": [{"rank", "source", "external_id", "title", "url",
                    "employer": {"name", "cvr"} | null, "postcode", "city", "distance_km",
                    "commute_minutes", "commute_band": [low, high] | null,
                    "hours_per_week": {"min", "max"} | null,
                    "work_conditions", "posted", "deadline", "occupation", "score",
                    "reasons": [str], "concerns": [str]}],
     "employers": [{"rank", "name", "cvr", "postcode", "distance_km", "score",
                    "reasons": [str], "open_vacancies": N}],
     "education": [{"rank", "id", "name", "type", "institution", "postcode", "city",
                    "distance_km", "commute_minutes", "next_start", "continuous_intake",
                    "hours_per_week", "part_time", "su", "leads_to": [label], "score",
                    "reasons": [str], "concerns": [str]}],
     "goals": [str],              # e.g. more hours with the current employer
     "excluded": [...]            # with --show-excluded
    }

A vacancy has ``"kind": "job"`` or ``"education"`` (an apprentice or trainee ad,
:func:`ipsmatch.education.education_kind`) and ``"education_kind"`` (``elev``, ``laerling``,
``trainee``, ``praktikplads`` or null).

With ``explain=True`` each vacancy/employer also has ``"explain": {"signals", "weights",
"reasons": [{"kind", "code", "params", "quote", "text"}], "concerns": [...]}``.
"""

from __future__ import annotations

import json
from typing import Any

from ipsmatch import ranking as R
from ipsmatch.commute import round_band
from ipsmatch.domain import (
    EducationSuggestion,
    EmployerSuggestion,
    Excluded,
    Reason,
    Suggestion,
    Vacancy,
)
from ipsmatch.education import education_kind
from ipsmatch.explain import fmt_num, fmt_range, km_value
from ipsmatch.matcher import SuggestResult
from ipsmatch.profile import profile_to_dict

VACANCY_COLUMNS = ("rank", "title", "employer", "km", "min", "hours", "score", "why")
EMPLOYER_COLUMNS = ("rank", "employer", "postcode", "km", "open", "score", "why")
EXCLUDED_COLUMNS = ("title", "employer", "why")
EDUCATION_COLUMNS = ("rank", "name", "institution", "km", "min", "start", "hours", "score",
                     "why")
CSV_COLUMNS = ("rank", "source", "external_id", "title", "employer", "cvr", "postcode", "km",
               "min", "hours", "score", "why", "concerns")
#: Table headers a consultant reads (the keys stay English in JSON and CSV).
HEADERS_DA = {"rank": "nr", "title": "stilling", "employer": "arbejdsgiver", "km": "km",
              "min": "min", "hours": "timer", "score": "match", "why": "hvorfor",
              "postcode": "postnr", "open": "ledige", "concerns": "forbehold"}
HEADERS_EN = {"rank": "rank", "title": "title", "employer": "employer", "km": "km",
              "min": "min", "hours": "hours", "score": "match", "why": "why",
              "postcode": "postcode", "open": "open", "concerns": "concerns"}


def headers(columns: tuple[str, ...], lang: str) -> list[str]:
    """The table header of each column in ``lang``."""
    table = HEADERS_DA if lang == "da" else HEADERS_EN
    return [table.get(c, c) for c in columns]


def _score(x: float, lang: str) -> str:
    s = f"{x:.2f}"
    return s.replace(".", ",") if lang == "da" else s


def _r(x: float | None, nd: int = 1) -> float | None:
    return None if x is None else round(float(x), nd)


def _reason_dict(r: Reason, lang: str) -> dict[str, Any]:
    return {"kind": r.kind, "code": r.code, "params": r.params, "quote": r.quote,
            "text": r.text(lang)}


def _hours(v: Vacancy) -> dict[str, float | None] | None:
    if v.hours_min is None and v.hours_max is None:
        return None
    return {"min": v.hours_min, "max": v.hours_max}


def _employer(v: Vacancy) -> dict[str, Any] | None:
    return {"name": v.employer.name, "cvr": v.employer.cvr} if v.employer else None


def vacancy_json(s: Suggestion, rank: int, *, lang: str = "da", explain: bool = False
                 ) -> dict[str, Any]:
    v = s.vacancy
    edu = education_kind(v.title, v.text)
    d: dict[str, Any] = {
        "rank": rank,
        "source": v.source,
        "external_id": v.external_id,
        "title": v.title,
        "kind": "job" if edu is None else "education",
        "education_kind": edu,
        "url": v.url,
        "employer": _employer(v),
        "postcode": v.postcode,
        "city": v.city,
        "distance_km": _r(s.distance_km),
        "commute_minutes": None if s.commute_minutes is None else round(s.commute_minutes),
        "commute_band": (None if s.commute_low is None or s.commute_high is None
                         else [round(s.commute_low), round(s.commute_high)]),
        "hours_per_week": _hours(v),
        "work_conditions": list(v.work_conditions),
        "posted": v.posted.isoformat() if v.posted else None,
        "deadline": v.deadline.isoformat() if v.deadline else None,
        "occupation": ({"uri": v.occupation_uri, "label": v.occupation_label}
                       if v.occupation_uri else None),
        "score": round(s.score, 4),
        "reasons": [r.text(lang) for r in s.reasons],
        "concerns": [r.text(lang) for r in s.concerns],
        "contact": v.contact or None,
    }
    if explain:
        d["explain"] = {"signals": s.signals, "weights": R.WEIGHTS,
                        "reasons": [_reason_dict(r, lang) for r in s.reasons],
                        "concerns": [_reason_dict(r, lang) for r in s.concerns]}
    return d


def employer_json(e: EmployerSuggestion, rank: int, *, lang: str = "da", explain: bool = False
                  ) -> dict[str, Any]:
    d: dict[str, Any] = {
        "rank": rank,
        "name": e.employer.name,
        "cvr": e.employer.cvr,
        "postcode": e.employer.postcode,
        "industry": e.employer.industry,
        "distance_km": _r(e.distance_km),
        "score": round(e.score, 4),
        "reasons": [r.text(lang) for r in e.reasons],
        "concerns": [r.text(lang) for r in e.concerns],
        "open_vacancies": e.open_vacancies,
        "contact": e.contact or None,
    }
    if explain:
        d["explain"] = {"signals": e.signals, "weights": R.EMPLOYER_WEIGHTS,
                        "reasons": [_reason_dict(r, lang) for r in e.reasons]}
    return d


def excluded_json(x: Excluded, *, lang: str = "da") -> dict[str, Any]:
    v = x.vacancy
    return {"source": v.source, "external_id": v.external_id, "title": v.title,
            "employer": _employer(v), "postcode": v.postcode,
            "reasons": [r.text(lang) for r in x.reasons]}


def suggest_json(res: SuggestResult, *, lang: str = "da", explain: bool = False,
                 show_excluded: bool = False) -> dict[str, Any]:
    """The JSON contract for ``ipsmatch suggest``."""
    d: dict[str, Any] = {
        "citizen": profile_to_dict(res.citizen),
        "vacancies": [vacancy_json(s, i, lang=lang, explain=explain)
                      for i, s in enumerate(res.vacancies, 1)],
        "employers": [employer_json(e, i, lang=lang, explain=explain)
                      for i, e in enumerate(res.employers, 1)],
    }
    d["education"] = [education_json(e, i, lang=lang, explain=explain)
                      for i, e in enumerate(res.education, 1)]
    d["goals"] = [r.text(lang) for r in res.goals]
    if show_excluded:
        d["excluded"] = [excluded_json(x, lang=lang) for x in res.excluded]
    return d


def education_json(e: EducationSuggestion, rank: int, *, lang: str = "da",
                   explain: bool = False) -> dict[str, Any]:
    o = e.offer
    d: dict[str, Any] = {
        "rank": rank, "id": o.id, "name": o.name, "type": o.type,
        "institution": o.institution, "postcode": o.postcode, "city": o.city,
        "distance_km": _r(e.distance_km),
        "commute_minutes": None if e.commute_minutes is None else round(e.commute_minutes),
        "next_start": e.next_start.isoformat() if e.next_start else None,
        "continuous_intake": o.continuous_intake, "hours_per_week": o.hours_per_week,
        "part_time": o.part_time, "su": o.su, "leads_to": list(o.leads_to_labels),
        "score": round(e.score, 4),
        "reasons": [r.text(lang) for r in e.reasons],
        "concerns": [r.text(lang) for r in e.concerns],
    }
    if explain:
        from ipsmatch.education.rank import WEIGHTS

        d["explain"] = {"signals": e.signals, "weights": WEIGHTS,
                        "reasons": [_reason_dict(r, lang) for r in e.reasons],
                        "concerns": [_reason_dict(r, lang) for r in e.concerns]}
    return d


def education_row(e: EducationSuggestion, rank: int, *, lang: str = "da") -> dict[str, Any]:
    o = e.offer
    start = ("løbende" if lang == "da" else "rolling") if o.continuous_intake and \
        e.next_start is None else (e.next_start.isoformat() if e.next_start else "?")
    return {"rank": rank, "name": o.name, "institution": o.institution,
            "km": fmt_num(e.distance_km, lang) if e.distance_km is not None else "?",
            "min": f"{e.commute_minutes:.0f}" if e.commute_minutes is not None else "?",
            "start": start,
            "hours": fmt_num(o.hours_per_week, lang) if o.hours_per_week else "?",
            "score": f"{e.score:.2f}", "why": _why(e.reasons, lang)}


def education_reason_lines(e: EducationSuggestion, rank: int, *, lang: str = "da"
                           ) -> list[str]:
    """The reasons (+) and concerns (-) of one education suggestion."""
    lines = [f"#{rank} {e.offer.name} – {e.offer.institution}"]
    lines += [f"    + {r.text(lang)}" for r in e.reasons]
    lines += [f"    - {r.text(lang)}" for r in e.concerns]
    return lines


def search_json(query: str, found: list[Suggestion], *, lang: str = "da",
                explain: bool = False) -> dict[str, Any]:
    return {"query": query,
            "vacancies": [vacancy_json(s, i, lang=lang, explain=explain)
                          for i, s in enumerate(found, 1)]}


def occupation_matches_json(query: str, matches: list[Any]) -> dict[str, Any]:
    """``ipsmatch occupations match --format json``: the query and its matches."""
    return {"query": query,
            "matches": [{"uri": m.uri, "label": m.label, "score": m.score, "kind": m.kind}
                        for m in matches]}


def contact_json(c: Any) -> dict[str, Any]:
    """One employer contact (``contacts add|list --format json``)."""
    return {**c.to_dict(), "employer": c.employer_name, "cvr": c.employer_cvr,
            "citizen": c.citizen_id, "learned": ";".join(c.learned)}


def job_start_json(j: Any) -> dict[str, Any]:
    """One job start (``outcomes start|end|list --format json``)."""
    return {**j.to_dict(), "citizen": j.citizen_id, "employer": j.employer_name,
            "cvr": j.employer_cvr, "wage_form": j.wage}


def feedback_json(fb: Any) -> dict[str, Any]:
    """One verdict on a suggestion (``feedback add|list --format json``)."""
    return {**fb.to_dict(), "citizen": fb.citizen_id,
            "vacancy": ":".join(fb.vacancy) if fb.vacancy else None,
            "employer": fb.employer_name}


def citizen_row(rec: Any) -> dict[str, Any]:
    """One stored citizen in ``citizen list`` (a CitizenRecord, or a plain profile dict)."""
    prof = getattr(rec, "profile", rec)
    return {"id": getattr(rec, "id", None) or prof.get("id"),
            "home_postcode": prof.get("home_postcode"),
            "wishes": ", ".join(prof.get("wishes", [])),
            "needs": ", ".join(n if isinstance(n, str) else n.get("code", "")
                               for n in prof.get("needs", [])),
            "consultant": getattr(rec, "consultant", None)}


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """The JSON text of a contract dict: the CLI prints it, the HTTP API sends it."""
    return json.dumps(obj, ensure_ascii=False, indent=indent, default=str)


# -- rows for table / CSV -----------------------------------------------------------------

def _why(reasons: list[Reason], lang: str, n: int = 2) -> str:
    return "; ".join(r.text(lang) for r in reasons[:n])


def vacancy_row(s: Suggestion, rank: int, *, lang: str = "da") -> dict[str, Any]:
    v = s.vacancy
    return {
        "rank": rank,
        "source": v.source,
        "external_id": v.external_id,
        "title": v.title,
        "employer": v.employer.name if v.employer else "",
        "cvr": v.employer.cvr if v.employer else "",
        "postcode": v.postcode or "",
        "km": km_value(s.distance_km, lang) if s.distance_km is not None else "?",
        "min": _minutes_cell(s),
        "hours": fmt_range(v.hours_min, v.hours_max, lang),
        "score": _score(s.score, lang),
        "why": _why(s.reasons, lang),
        "concerns": "; ".join(r.text(lang) for r in s.concerns),
    }


def _minutes_cell(s: Suggestion) -> str:
    """The estimate; the band as the reason words it ("25–40") when the limit falls inside."""
    if s.commute_minutes is None:
        return "?"
    for r in s.concerns:
        if r.code == "commute.check":
            lo, hi = round_band(r.params["low"], r.params["high"], r.params.get("max"))
            return f"{lo}–{hi}"
    return f"{s.commute_minutes:.0f}"


def employer_row(e: EmployerSuggestion, rank: int, *, lang: str = "da") -> dict[str, Any]:
    return {
        "rank": rank,
        "employer": e.employer.name,
        "postcode": e.employer.postcode or "",
        "km": km_value(e.distance_km, lang) if e.distance_km is not None else "?",
        "open": e.open_vacancies,
        "score": _score(e.score, lang),
        "why": _why(e.reasons, lang),
    }


def excluded_row(x: Excluded, *, lang: str = "da") -> dict[str, Any]:
    v = x.vacancy
    return {"title": v.title, "employer": v.employer.name if v.employer else "",
            "why": "; ".join(r.text(lang) for r in x.reasons)}


def reason_lines(s: Suggestion, rank: int, *, lang: str = "da") -> list[str]:
    """What a consultant reads aloud: the reasons (+) and concerns (-) of one suggestion."""
    v = s.vacancy
    who = f" – {v.employer.name}" if v.employer else ""
    lines = [f"#{rank} {v.title}{who}"]
    lines += [f"    + {r.text(lang)}" for r in s.reasons]
    lines += [f"    - {r.text(lang)}" for r in s.concerns]
    if v.contact:
        lines.append(f"    {contact_line(v.contact, lang)}")
    return lines


_CONTACT_LABELS = {"da": {"person": "", "phone": "tlf. ", "email": "", "website": "",
                          "apply_url": "ansøg: "},
                   "en": {"person": "", "phone": "phone ", "email": "", "website": "",
                          "apply_url": "apply: "}}


def contact_line(contact: dict[str, str], lang: str = "da") -> str:
    """'Kontakt: Emil Daniel Christensen, tlf. +45 51 51 89 80, edc@keepit.com, ...'."""
    labels = _CONTACT_LABELS["da" if lang == "da" else "en"]
    parts = [f"{labels[k]}{contact[k]}" for k in labels if contact.get(k)
             and not (k == "apply_url" and contact[k] == contact.get("website"))]
    return ("Kontakt: " if lang == "da" else "Contact: ") + ", ".join(parts)


def employer_reason_lines(e: EmployerSuggestion, rank: int, *, lang: str = "da") -> list[str]:
    """The reasons an employer is worth a visit (+) and the warnings (-), one per line."""
    lines = ([f"#{rank} {e.employer.name}"] + [f"    + {r.text(lang)}" for r in e.reasons]
             + [f"    - {r.text(lang)}" for r in e.concerns])
    if e.contact:
        lines.append(f"    {contact_line(e.contact, lang)}")
    return lines


def explain_lines(s: Suggestion, rank: int, *, lang: str = "da") -> list[str]:
    """The per-signal breakdown of one suggestion (``--explain`` in table mode)."""
    active = {k: w for k, w in R.WEIGHTS.items() if k in s.signals}
    total = sum(active.values()) or 1.0
    def n(x: float) -> str:
        return _score(x, lang)

    parts = [f"{k} {n(s.signals[k])}×{n(w / total)}" for k, w in active.items()]
    lines = [f"#{rank} {s.vacancy.title}: score {n(s.score)} = " + " + ".join(parts)]
    if s.signals.get("avoid_hits"):
        lines[0] += f" − {n(R.AVOID_PENALTY)}×{int(s.signals['avoid_hits'])} (avoid)"
    subs = {k: v for k, v in s.signals.items() if k.startswith("wish.")}
    if subs:
        lines.append("    wish parts: " + ", ".join(f"{k[5:]} {n(v)}" for k, v in subs.items()))
    lines += [f"    + {r.text(lang)}" for r in s.reasons]
    lines += [f"    - {r.text(lang)}" for r in s.concerns]
    return lines
