"""Education suggestions: which catalogue offers to show a citizen, in what order, and why.

Who gets them: a citizen with an *education wish* ("uddannelse som kok", "tage hf"), or with an
occupation wish that an offer leads to (its ``leads_to`` ESCO occupations) when the career
profile shows no education in that trade yet.

The same must-haves as for vacancies, as far as an offer states them:

- the commute limit (``travel``), estimated by :mod:`ipsmatch.commute` from the home (its
  coordinates, else the postcode) to the school (its coordinates, else its postcode);
- a hard hours limit (``hours.must``): a weekly load above it, without reduced load, is out;
- a start ahead: an offer whose every start date has passed (and no rolling admission) is out;
- special-education offers only when the citizen asked (``career.special_education`` or a
  wish that names it): IPS means ordinary education.

Score (all parts in [0, 1]; documented in docs/jobdev.md)::

    0.55 relevance + 0.20 commute + 0.15 start + 0.10 load  − 0.05 per lacking requirement
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ipsmatch import constraints as C
from ipsmatch import ranking as R
from ipsmatch.commute import commute_minutes, haversine_km
from ipsmatch.domain import CitizenProfile, EducationSuggestion, Reason
from ipsmatch.education.detect import education_terms
from ipsmatch.education.model import (
    EDUCATION_TYPES,
    LEVEL_SATISFIES,
    REQUIREMENTS,
    EducationOffer,
)
from ipsmatch.explain import make_reason
from ipsmatch.geo import postcode_info
from ipsmatch.retrieval.lexical import strip_head, words
from ipsmatch.text.normalize import fold_for_search

WEIGHTS = {"relevance": 0.55, "commute": 0.20, "start": 0.15, "load": 0.10}
REQUIREMENT_PENALTY = 0.05
#: an education wish shows offers at least this relevant; a bare "en uddannelse" gets this
EDU_MIN_RELEVANCE = 0.3
GENERIC_RELEVANCE = 0.3
#: an occupation wish (not about education) shows only offers that clearly lead to it
OCCUPATION_MIN_RELEVANCE = 0.5
#: an offer found through an occupation wish counts this share of its relevance: a wish for
#: the work is not a wish for the education, so an explicit education wish comes first
OCCUPATION_PATH_SHARE = 0.8
#: occupation matches below this share of the wish's best match are not what it means
OCC_TAIL_CUT = 0.7
#: an occupation match score from which the credit is full
OCC_FULL = 0.6
#: the share of an offer's relevance that comes from its name naming the wished trade
NAME_SHARE = 0.25
#: a start within this many days is "soon"; beyond LATE_DAYS it counts little
SOON_DAYS, LATE_DAYS = 60, 270
#: words in a wish that ask for special education
_SPECIAL = re.compile(r"\bstu\b|særligt tilrettelagt|specialundervisning", re.IGNORECASE)
#: requirements no profile field can answer: said as "check with the citizen"
_ASK = frozenset({"age_25", "danish_level", "interview"})

Occupations = Callable[[str], Iterable[Any]]


@dataclass
class _Query:
    wish: str
    education: bool
    type: str | None
    subject: str


def suggest_education(profile: CitizenProfile, offers: Sequence[EducationOffer], *,
                      today: date, occupations: Occupations | None = None,
                      limit: int = 10) -> list[EducationSuggestion]:
    """Ranked education offers for ``profile`` (an empty list when no wish calls for one).

    ``occupations`` maps a text to ESCO occupation matches (objects with ``uri`` and
    ``score``; :meth:`ipsmatch.taxonomy.OccupationMatcher.match`); without it, offers are
    matched on the words of their name and the labels of what they lead to.
    """
    queries = [_Query(w, *education_terms(w)) for w in profile.wishes]
    if not queries or not offers:
        return []
    special_ok = bool(profile.career and profile.career.special_education) or any(
        _SPECIAL.search(w) for w in profile.wishes)
    crit = C.Criteria.from_profile(profile)
    origin = ((profile.home_lat, profile.home_lon)
              if profile.home_lat is not None and profile.home_lon is not None
              else crit.origin)
    occ_cache: dict[str, list[Any]] = {}

    def matches(text: str) -> list[Any]:
        if occupations is None or not text.strip():
            return []
        if text not in occ_cache:
            occ_cache[text] = list(occupations(text))
        return occ_cache[text]

    out: list[EducationSuggestion] = []
    for offer in offers:
        if offer.special_education and not special_ok:
            continue
        nxt = offer.next_start(today)
        if nxt is None and not offer.continuous_intake:
            continue
        best, q_best, how, label = 0.0, queries[0], "", None
        for q in queries:
            rel, why, lab = _relevance(q, offer, matches)
            if not q.education:
                if rel < OCCUPATION_MIN_RELEVANCE or _has_education(profile, offer):
                    continue
                rel *= OCCUPATION_PATH_SHARE
            elif rel < EDU_MIN_RELEVANCE:
                continue
            if rel > best:
                best, q_best, how, label = rel, q, why, lab
        if best <= 0:
            continue
        dist = minutes = None
        point = _offer_point(offer)
        if origin is not None and point is not None:
            dist = float(haversine_km(point[0], point[1], origin[0], origin[1]))
            minutes = float(commute_minutes(dist, crit.mode))
            if crit.max_minutes is not None and minutes > crit.max_minutes:
                continue
        load = offer.hours_per_week
        cap = profile.hours_max
        if (profile.hours_must and cap is not None and load is not None and load > cap
                and not offer.part_time):
            continue
        reasons, concerns = _explain(profile, offer, q_best, how, label, today=today, nxt=nxt,
                                     dist=dist, minutes=minutes, mode=crit.mode)
        lacking = sum(1 for c in concerns if c.code == "requirement.lacking")
        avoided = [t for t in profile.avoid if C.term_regex(t).search(
            fold_for_search(f"{offer.name} {offer.description or ''}"))]
        concerns += [make_reason("avoid", "edu.avoid", term=t) for t in avoided]
        signals = {
            "relevance": best,
            "commute": float(C.commute_fit(minutes if minutes is not None else float("nan"),
                                           crit.max_minutes)),
            "start": _start_fit(offer, nxt, today),
            "load": _load_fit(load, cap, offer.part_time),
        }
        score = sum(WEIGHTS[k] * v for k, v in signals.items()) \
            - REQUIREMENT_PENALTY * lacking - R.AVOID_PENALTY * len(avoided)
        out.append(EducationSuggestion(
            offer=offer, score=round(max(0.0, score), 4),
            signals={k: round(v, 4) for k, v in signals.items()}, distance_km=dist,
            commute_minutes=minutes, next_start=nxt, reasons=reasons, concerns=concerns))
    out.sort(key=lambda s: (-s.score, s.distance_km if s.distance_km is not None else 1e9,
                            s.offer.id))
    return out[:limit]


# --- relevance ------------------------------------------------------------------------------

def _relevance(q: _Query, offer: EducationOffer, matches: Callable[[str], list[Any]]
               ) -> tuple[float, str, str | None]:
    """How well ``offer`` answers one wish, how ("type", "subject", "generic", "leads_to"),
    and the occupation it leads to that matched (None if none did)."""
    subject = q.subject if q.education else q.wish
    subj, label = _subject_relevance(subject, offer, matches) if subject else (0.0, None)
    if not q.education:
        return subj, "leads_to", label
    type_ok = 1.0 if q.type and offer.type == q.type else 0.0
    if q.type and subject:
        return 0.6 * type_ok + 0.4 * subj, "type" if type_ok else "subject", label
    if q.type:
        return type_ok, "type", None
    if subject:
        return subj, "subject", label
    return GENERIC_RELEVANCE, "generic", None


def _subject_relevance(subject: str, offer: EducationOffer,
                       matches: Callable[[str], list[Any]]) -> tuple[float, str | None]:
    occ = 0.0
    label: str | None = None
    found = matches(subject)
    top = max((float(m.score) for m in found), default=0.0)
    leads = dict(zip(offer.leads_to, offer.leads_to_labels, strict=False))
    for m in found:
        s = float(m.score)
        if s >= OCC_TAIL_CUT * top and m.uri in leads and min(1.0, s / OCC_FULL) > occ:
            occ, label = min(1.0, s / OCC_FULL), leads[m.uri]
    hay = fold_for_search(" ".join([offer.name, *offer.leads_to_labels]))
    ws = [strip_head(w) for w in words(subject) if len(w) >= 3]
    text = sum(1 for w in ws if w in hay) / len(ws) if ws else 0.0
    if text > occ or label is None:
        label = next((lab for lab in offer.leads_to_labels
                      if ws and any(w in fold_for_search(lab) for w in ws)), label)
    # An offer named after the trade ("Gastronom (kok)") is the education for it; one that
    # only lists it among what it leads to (a hygiene course -> kok) helps towards it.
    name = fold_for_search(offer.name)
    named = 1.0 if ws and all(w in name for w in ws) else 0.0
    return (1 - NAME_SHARE) * max(occ, text) + NAME_SHARE * named, label


def _has_education(profile: CitizenProfile, offer: EducationOffer) -> bool:
    """Does the career profile already show a completed education in the offer's trade?"""
    if profile.career is None:
        return False
    hay = fold_for_search(" ".join([offer.name, *offer.leads_to_labels]))
    for e in profile.career.education:
        if not e.completed:
            continue
        ws = [strip_head(w) for w in words(e.name) if len(w) >= 3]
        if ws and all(w in hay for w in ws):
            return True
    return False


def _education_named(profile: CitizenProfile, offer: EducationOffer) -> str | None:
    if profile.career is None:
        return None
    hay = fold_for_search(" ".join([offer.name, *offer.leads_to_labels]))
    for e in profile.career.education:
        ws = [strip_head(w) for w in words(e.name) if len(w) >= 3]
        if e.completed and ws and all(w in hay for w in ws):
            return e.name
    return None


# --- the parts of the score -----------------------------------------------------------------

def _offer_point(offer: EducationOffer) -> tuple[float, float] | None:
    if offer.lat is not None and offer.lon is not None:
        return offer.lat, offer.lon
    info = postcode_info(offer.postcode)
    return info.point if info else None


def _start_fit(offer: EducationOffer, nxt: date | None, today: date) -> float:
    if nxt is None:
        return 1.0 if offer.continuous_intake else 0.0
    days = (nxt - today).days
    if offer.continuous_intake or days <= SOON_DAYS:
        return 1.0
    return max(0.2, 1.0 - 0.8 * (days - SOON_DAYS) / (LATE_DAYS - SOON_DAYS))


def _load_fit(load: float | None, cap: float | None, part_time: bool) -> float:
    if load is None or cap is None:
        return 0.5
    if load <= cap:
        return 1.0
    return 0.8 if part_time else 0.3


# --- reasons --------------------------------------------------------------------------------

def _explain(p: CitizenProfile, offer: EducationOffer, q: _Query, how: str,
             matched: str | None, *, today: date,
             nxt: date | None, dist: float | None, minutes: float | None, mode: str
             ) -> tuple[list[Reason], list[Reason]]:
    reasons: list[Reason] = []
    concerns: list[Reason] = []
    type_da, type_en = EDUCATION_TYPES[offer.type]
    label = matched or (offer.leads_to_labels[0] if offer.leads_to_labels else offer.name)
    if how == "leads_to":
        reasons.append(make_reason("education", "edu.leads_to", wish=q.wish, label=label))
        if p.career is not None:
            reasons.append(make_reason("career", "edu.no_education_yet"))
    elif how == "type":
        reasons.append(make_reason("education", "edu.wish_type", wish=q.wish,
                                   type_da=type_da, type_en=type_en))
    elif how == "generic":
        reasons.append(make_reason("education", "edu.wish_any", wish=q.wish))
    else:
        reasons.append(make_reason("education", "edu.wish", wish=q.wish, label=label))
    if how != "leads_to":
        named = _education_named(p, offer)
        if named:
            concerns.append(make_reason("career", "edu.has_education", name=named))
    if offer.duration_weeks:
        reasons.append(make_reason("education", "edu.what", type_da=type_da, type_en=type_en,
                                   institution=offer.institution, weeks=offer.duration_weeks))
    else:
        reasons.append(make_reason("education", "edu.what_open", type_da=type_da,
                                   type_en=type_en, institution=offer.institution))
    if dist is not None and minutes is not None:
        reasons.append(make_reason("commute", "commute.ok", km=dist, minutes=minutes,
                                   mode=mode))
    else:
        concerns.append(make_reason("commute", "commute.unknown"))
    if offer.continuous_intake:
        reasons.append(make_reason("education", "edu.continuous"))
    elif nxt is not None:
        days = (nxt - today).days
        code = ("edu.start_soon" if days <= SOON_DAYS else "edu.start" if days <= LATE_DAYS
                else "edu.start_late")
        (concerns if code == "edu.start_late" else reasons).append(
            make_reason("education", code, date=nxt.isoformat(), days=days))
    load, cap = offer.hours_per_week, p.hours_max
    if load is None:
        concerns.append(make_reason("hours", "edu.load_unknown"))
    elif cap is None or load <= cap:
        if cap is not None:
            reasons.append(make_reason("hours", "edu.load_fit", load=load, cap=cap))
    elif offer.part_time:
        reasons.append(make_reason("hours", "edu.load_part_time", load=load, cap=cap))
    else:
        concerns.append(make_reason("hours", "edu.load_over", load=load, cap=cap))
    met, lacking = requirement_reasons(p, offer.requirements)
    reasons += met
    concerns += lacking
    if offer.su is True:
        reasons.append(make_reason("education", "edu.su"))
    elif offer.su is False and offer.type not in ("amu", "fvu"):
        concerns.append(make_reason("education", "edu.no_su"))
    return reasons, concerns


def requirement_reasons(p: CitizenProfile, requirements: Iterable[str]
                        ) -> tuple[list[Reason], list[Reason]]:
    """Admission requirements met (reasons) and lacking or unknown (concerns).

    Certificates are checked against the profile's one ``certificates`` list; education
    levels against the career profile's completed education (unknown without a career
    profile)."""
    from ipsmatch.profile import CERTIFICATES

    met: list[Reason] = []
    other: list[Reason] = []
    levels = p.career.levels() if p.career is not None else None
    for code in requirements:
        da, en = REQUIREMENTS.get(code) or CERTIFICATES[code]
        kw = {"requirement": code, "requirement_da": da, "requirement_en": en}
        if code in CERTIFICATES:
            status = "met" if code in p.certificates else "lacking"
        elif code == "uddannelsesaftale":
            other.append(make_reason("requirement", "requirement.agreement", **kw))
            continue
        elif code in _ASK or levels is None:
            status = "unknown"
        else:
            status = "met" if levels & LEVEL_SATISFIES.get(code, frozenset({code})) \
                else "lacking"
        (met if status == "met" else other).append(
            make_reason("requirement", f"requirement.{status}", **kw))
    return met, other
