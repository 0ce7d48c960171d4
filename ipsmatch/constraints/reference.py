"""The per-vacancy reference: every constraint applied to one :class:`Vacancy`, with reasons.

The rules (issue #6):

- A must-need whose fact the ad **states** as broken excludes the ad ("nattevagter" never
  reaches a citizen with ``no_night``). A must-need the ad does **not** state is not a
  violation (we cannot exclude on unknown) but gets no needs-fit credit and a concern
  "ikke oplyst – spørg arbejdsgiveren". A broken preference-need is a penalty and a concern.
- Commute (estimated with an uncertainty band, see :mod:`ipsmatch.commute`): an ad whose
  band's low end is beyond ``max_minutes`` is excluded; one whose band holds the limit is kept
  with a concern "ca. 30–40 min – tjek ruten" (:func:`~.criteria.commute`, the one rule). An
  ad without a location is kept with a concern.
- Hours beyond weekly capacity are a strong penalty ("kræver aftale om færre timer"), and an
  exclusion only when the profile marks hours as a must.
- Løntilskud/virksomhedspraktik ads are excluded unless the profile opts in
  (``accept_subsidised``); fleksjob ads only reach citizens approved for fleksjob.
- Avoid-terms penalise (never exclude) an ad that mentions them, or states a mapped fact.

:func:`evaluate` is the reference the vectorised :func:`~.vectorised.constrain` must match
(tests/test_constraints.py compares them on generated ads); the matcher calls it for the
few shown ads, to write their reasons and re-check every must-have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ipsmatch import commute as CM
from ipsmatch.constraints.criteria import (
    COMMUTE_UNKNOWN,
    H_BELOW,
    H_FIT,
    H_OVER,
    H_SLIGHTLY_OVER,
    H_UNKNOWN,
    HOURS_CODES,
    SUBSIDISED,
    Criteria,
    Point,
    avoid_fact,
    commute,
    commute_fit,
    folded_text,
    freshness,
    hours_category,
    hours_fit,
    needs_fit_value,
    term_regex,
)
from ipsmatch.domain import REQUIREMENT_CERTIFICATES, WORK_CONDITIONS, Fact, Reason, Vacancy
from ipsmatch.explain import make_reason
from ipsmatch.geo import distance_km, postcode_info
from ipsmatch.jobdev.agencies import is_temp_agency
from ipsmatch.needs import fact_state, fact_value, need_state, stated


@dataclass
class Evaluation:
    """Constraints met/missed for one vacancy: exclusion reasons, reasons, concerns, signals."""

    excluded: bool = False
    exclusions: list[Reason] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    concerns: list[Reason] = field(default_factory=list)
    signals: dict[str, float] = field(default_factory=dict)
    distance_km: float | None = None
    commute_minutes: float | None = None
    #: the estimate's band (see ipsmatch.commute.band)
    commute_low: float | None = None
    commute_high: float | None = None
    avoid_count: int = 0


def vacancy_point(v: Vacancy) -> Point | None:
    """The ad's coordinates, else its postcode's town point, else None (unknown)."""
    if v.lat is not None and v.lon is not None:
        return (v.lat, v.lon)
    info = postcode_info(v.postcode) if v.postcode else None
    return info.point if info else None


def _nan(x: float | None) -> float:
    return float("nan") if x is None else float(x)


def evaluate(v: Vacancy, c: Criteria, *, today: date, hay: str | None = None) -> Evaluation:
    """Apply every constraint to one vacancy (the reference the vectorised path must match)."""
    ev = Evaluation()
    # commute
    point = vacancy_point(v)
    if c.origin is not None:
        if point is None:
            ev.concerns.append(make_reason("unknown", "commute.unknown"))
            ev.signals["commute"] = COMMUTE_UNKNOWN
        else:
            km = distance_km(c.origin, point)
            cm = commute(km, c)
            minutes, reach = float(cm.minutes[0]), int(cm.status[0])
            low, high = float(cm.low[0]), float(cm.high[0])
            ev.distance_km, ev.commute_minutes = km, minutes
            ev.commute_low, ev.commute_high = low, high
            limit = int(c.max_minutes) if c.max_minutes is not None else None
            if reach == CM.TOO_FAR:
                ev.exclusions.append(make_reason("commute", "commute.too_far", km=km,
                                                 minutes=minutes, low=low, high=high,
                                                 mode=c.mode, max=limit))
            elif reach == CM.BEYOND_KM:
                ev.exclusions.append(make_reason("commute", "commute.beyond_km", km=km,
                                                 max_km=f"{c.max_km or 0.0:g}"))
            elif reach == CM.CHECK:
                ev.concerns.append(make_reason("commute", "commute.check", km=km,
                                               minutes=minutes, low=low, high=high,
                                               mode=c.mode, max=limit))
            else:
                ev.reasons.append(make_reason("commute", "commute.ok", km=km, minutes=minutes,
                                              mode=c.mode))
            ev.signals["commute"] = float(commute_fit(minutes, c.max_minutes))

    # hours
    if c.has_hours:
        pt_value, pt_fact = fact_state(v, "part_time_possible")
        cat = int(hours_category(_nan(v.hours_min), _nan(v.hours_max), c.hours_min,
                                 c.hours_max))
        ev.signals["hours"] = float(hours_fit(_nan(v.hours_min), _nan(v.hours_max),
                                              c.hours_min, c.hours_max, pt_value is True))
        p: dict[str, Any] = {"ad_min": v.hours_min, "ad_max": v.hours_max, "cap_min": c.hours_min,
             "cap_max": c.hours_max}
        if cat == H_OVER and c.hours_must:
            ev.exclusions.append(make_reason("hours", "hours.over_must", **p))
        elif cat == H_OVER:
            code = "hours.over_part_time" if pt_value is True else "hours.over"
            ev.concerns.append(make_reason("hours", code, **p,
                                           **(source_params((pt_fact,)) if pt_fact else {})))
        elif cat == H_SLIGHTLY_OVER:
            ev.concerns.append(make_reason("hours", "hours.slightly_over", **p))
        elif cat == H_UNKNOWN:
            ev.concerns.append(make_reason("unknown", "hours.unknown"))
        elif cat in (H_FIT, H_BELOW):
            ev.reasons.append(make_reason("hours", HOURS_CODES[cat], **p))

    # work conditions
    wc = set(v.work_conditions)
    if c.check_conditions:
        for code in sorted(wc & SUBSIDISED):
            if not c.accept_subsidised:
                ev.exclusions.append(make_reason("condition", "condition.subsidised",
                                                 label=WORK_CONDITIONS[code]))
        if "fleksjob" in wc:
            if c.fleksjob_approved:
                ev.reasons.append(make_reason("condition", "condition.fleksjob_ok"))
            else:
                ev.exclusions.append(make_reason("condition",
                                                 "condition.fleksjob_not_approved"))
        if "skaanejob" in wc:
            ev.concerns.append(make_reason("condition", "condition.skaanejob"))

    # a temp agency's ad: the workplace is its customer
    if v.employer is not None and is_temp_agency(v.employer.name, v.text):
        ev.concerns.append(make_reason("employer", "vacancy.temp_agency",
                                       name=v.employer.name))

    # Jobnet's own marks that matter for IPS
    dis = fact_value(v, "disability_friendly")
    if dis.value is True:
        ev.reasons.append(make_reason("condition", "condition.disability_friendly",
                                      **source_params(dis.facts)))

    # requirements the citizen may not meet: concerns, or reasons when the profile meets them
    if c.certificates is not None:
        req_reasons, req_concerns = requirement_reasons(v, c)
        ev.reasons += req_reasons
        ev.concerns += req_concerns

    # needs
    if c.needs:
        credit = 0.0
        for need in c.needs:
            status, facts = need_state(need.code, v)
            f = facts[0] if facts else None
            quote = f.phrase if f else None
            # where the fact came from (the ad's text or field, or an employer contact)
            src = source_params(facts)
            src.pop("quote", None)
            if status == "conflict":
                # a hint alone ("daghold og nathold": who works which?) is unclear; two
                # sources that disagree are modstridende
                what = "unclear" if len(facts) == 1 and facts[0].implied else "conflict"
                ev.concerns.append(make_reason("unknown", f"need.{need.code}.{what}",
                                               quote=quote, must=need.must, **src))
                continue
            if status == "choice":  # "You can work either day or evening": agree the shifts
                src.pop("quote2", None)
                src.pop("source2", None)
                ev.concerns.append(make_reason("unknown", f"need.{need.code}.choice",
                                               quote=quote, must=need.must, **src))
                continue
            if status == "violated":
                r = make_reason("need", f"need.{need.code}.broken", quote=quote,
                                must=need.must, **src)
                if need.must:
                    ev.exclusions.append(r)
                else:
                    ev.concerns.append(r)
                    credit -= 1.0
            elif status == "satisfied":
                ev.reasons.append(make_reason("need", f"need.{need.code}.met", quote=quote,
                                              must=need.must, **src))
                credit += 1.0
            else:
                ev.concerns.append(make_reason("unknown", f"need.{need.code}.unknown",
                                               must=need.must))
        ev.signals["needs"] = needs_fit_value(credit, len(c.needs))

    # freshness
    age = (today - v.posted).days if v.posted else None
    left = (v.deadline - today).days if v.deadline else None
    ev.signals["freshness"] = float(freshness(_nan(age), _nan(left)))
    if left is not None and left < 0:
        # past its deadline since the last refresh (which expires it): not worth a call
        ev.exclusions.append(make_reason("freshness", "freshness.deadline_passed",
                                         date=v.deadline.strftime("%d.%m.%Y")))
    elif left is not None and 0 <= left <= 3:
        ev.concerns.append(make_reason("freshness", "freshness.deadline_today" if left == 0
                                       else "freshness.deadline_soon", days=left))
    elif age is not None and 0 <= age <= 7:
        code = {0: "freshness.today", 1: "freshness.yesterday"}.get(age, "freshness.new")
        ev.reasons.append(make_reason("freshness", code, days=age))

    # avoid-terms
    hits = avoid_hits(v, c.avoid, hay=hay) if c.avoid else []
    for term, quote in hits:
        ev.concerns.append(make_reason("avoid", "avoid.hit", term=term, quote=quote))
    ev.avoid_count = len(hits)

    ev.excluded = bool(ev.exclusions)
    return ev



def avoid_hits(vacancy: Vacancy, terms: list[str], *, hay: str | None = None
               ) -> list[tuple[str, str | None]]:
    """(term, quote) for each avoid-term the ad mentions, or whose mapped fact it states.

    ``hay`` is :func:`folded_text` of the ad, when the caller has it cached.
    """
    hits: list[tuple[str, str | None]] = []
    if hay is None:
        hay = folded_text(vacancy)
    for term in terms:
        key = avoid_fact(term)
        if key:
            f = stated(vacancy, key, True)
            if f is not None:
                hits.append((term, f.phrase if isinstance(f, Fact) else None))
                continue
        m = term_regex(term).search(hay)
        if m:
            start = max(0, hay.rfind(" ", 0, max(0, m.start() - 30)) + 1)
            end = hay.find(" ", m.end() + 30)
            hits.append((term, hay[start: end if end > 0 else len(hay)]))
    return hits



def source_params(facts: tuple[Fact, ...] | list[Fact]) -> dict[str, Any]:
    """Reason params naming what a fact rests on: quote + source, and for a conflict the
    other side (quote2, source2), so the reason says where each came from."""
    out: dict[str, Any] = {}
    if facts:
        out["quote"], out["source"] = facts[0].phrase, facts[0].source
    if len(facts) > 1:
        out["quote2"], out["source2"] = facts[1].phrase, facts[1].source
    return out


def requirement_reasons(v: Vacancy, c: Criteria) -> tuple[list[Reason], list[Reason]]:
    """(reasons, concerns) for the requirements an ad states (driving licence, own car,
    truck licence, forklift certificate, criminal-record check, languages), checked against
    the citizen's certificates and languages."""
    reasons: list[Reason] = []
    concerns: list[Reason] = []
    held = set(c.certificates or ())
    for key, codes in REQUIREMENT_CERTIFICATES.items():
        st = fact_value(v, key)
        if st.value is True:
            src = source_params(st.facts)
            if held & set(codes):
                reasons.append(make_reason("condition", f"req.{key}.met", **src))
            else:
                concerns.append(make_reason("condition", f"req.{key}.unmet", **src))
        elif st.value == "conflict":
            concerns.append(make_reason("unknown", f"req.{key}.conflict",
                                        **source_params(st.facts)))
    st = fact_value(v, "language_required")
    if st.value is True and st.languages:
        spoken = set(c.languages or ())
        want = st.languages
        alts = want.split("|") if "|" in want else [want]
        ok = any(all(code in spoken for code in alt.split("+")) for alt in alts)
        src = source_params(st.facts)
        if ok:
            reasons.append(make_reason("condition", "req.language.met", langs=want, **src))
        else:
            concerns.append(make_reason("condition", "req.language.unmet", langs=want, **src))
    return reasons, concerns

