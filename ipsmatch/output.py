"""Suggest/search results → the JSON contract (issue #6), table/CSV rows and ``--explain`` text.

JSON shape (keys at least)::

    {"citizen": {...profile...},
     "vacancies": [{"rank", "source", "external_id", "title", "url",
                    "employer": {"name", "cvr"} | null, "postcode", "city", "distance_km",
                    "commute_minutes", "hours_per_week": {"min", "max"} | null,
                    "work_conditions", "posted", "deadline", "occupation", "score",
                    "reasons": [str], "concerns": [str]}],
     "employers": [{"rank", "name", "cvr", "postcode", "distance_km", "score",
                    "reasons": [str], "open_vacancies": N}],
     "excluded": [...]            # with --show-excluded
    }

With ``explain=True`` each vacancy/employer also has ``"explain": {"signals", "weights",
"reasons": [{"kind", "code", "params", "quote", "text"}], "concerns": [...]}``.
"""

from __future__ import annotations

import json
from typing import Any

from ipsmatch import ranking as R
from ipsmatch.domain import EmployerSuggestion, Excluded, Reason, Suggestion, Vacancy
from ipsmatch.explain import fmt_num, fmt_range
from ipsmatch.matcher import SuggestResult
from ipsmatch.profile import profile_to_dict

VACANCY_COLUMNS = ("rank", "title", "employer", "km", "min", "hours", "score", "why")
EMPLOYER_COLUMNS = ("rank", "employer", "postcode", "km", "open", "score", "why")
EXCLUDED_COLUMNS = ("title", "employer", "why")
CSV_COLUMNS = ("rank", "source", "external_id", "title", "employer", "cvr", "postcode", "km",
               "min", "hours", "score", "why", "concerns")


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
    d: dict[str, Any] = {
        "rank": rank,
        "source": v.source,
        "external_id": v.external_id,
        "title": v.title,
        "url": v.url,
        "employer": _employer(v),
        "postcode": v.postcode,
        "city": v.city,
        "distance_km": _r(s.distance_km),
        "commute_minutes": None if s.commute_minutes is None else round(s.commute_minutes),
        "hours_per_week": _hours(v),
        "work_conditions": list(v.work_conditions),
        "posted": v.posted.isoformat() if v.posted else None,
        "deadline": v.deadline.isoformat() if v.deadline else None,
        "occupation": ({"uri": v.occupation_uri, "label": v.occupation_label}
                       if v.occupation_uri else None),
        "score": round(s.score, 4),
        "reasons": [r.text(lang) for r in s.reasons],
        "concerns": [r.text(lang) for r in s.concerns],
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
        "open_vacancies": e.open_vacancies,
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
    if show_excluded:
        d["excluded"] = [excluded_json(x, lang=lang) for x in res.excluded]
    return d


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
            "cvr": j.employer_cvr}


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
        "km": fmt_num(s.distance_km, lang) if s.distance_km is not None else "?",
        "min": f"{s.commute_minutes:.0f}" if s.commute_minutes is not None else "?",
        "hours": fmt_range(v.hours_min, v.hours_max, lang),
        "score": f"{s.score:.2f}",
        "why": _why(s.reasons, lang),
        "concerns": "; ".join(r.text(lang) for r in s.concerns),
    }


def employer_row(e: EmployerSuggestion, rank: int, *, lang: str = "da") -> dict[str, Any]:
    return {
        "rank": rank,
        "employer": e.employer.name,
        "postcode": e.employer.postcode or "",
        "km": fmt_num(e.distance_km, lang) if e.distance_km is not None else "?",
        "open": e.open_vacancies,
        "score": f"{e.score:.2f}",
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
    return lines


def employer_reason_lines(e: EmployerSuggestion, rank: int, *, lang: str = "da") -> list[str]:
    """The reasons an employer is worth a visit, one per line."""
    return [f"#{rank} {e.employer.name}"] + [f"    + {r.text(lang)}" for r in e.reasons]


def explain_lines(s: Suggestion, rank: int, *, lang: str = "da") -> list[str]:
    """The per-signal breakdown of one suggestion (``--explain`` in table mode)."""
    active = {k: w for k, w in R.WEIGHTS.items() if k in s.signals}
    total = sum(active.values()) or 1.0
    parts = [f"{k} {s.signals[k]:.2f}×{w / total:.2f}" for k, w in active.items()]
    lines = [f"#{rank} {s.vacancy.title}: score {s.score:.2f} = " + " + ".join(parts)]
    if s.signals.get("avoid_hits"):
        lines[0] += f" − {R.AVOID_PENALTY:.2f}×{int(s.signals['avoid_hits'])} (avoid)"
    subs = {k: v for k, v in s.signals.items() if k.startswith("wish.")}
    if subs:
        lines.append("    wish parts: " + ", ".join(f"{k[5:]} {v:.2f}" for k, v in subs.items()))
    lines += [f"    + {r.text(lang)}" for r in s.reasons]
    lines += [f"    - {r.text(lang)}" for r in s.concerns]
    return lines
