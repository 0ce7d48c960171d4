"""Must-haves as filters, preferences as scores, and the reasons for both (pure functions).

The rules (issue #6):

- A must-need whose fact the ad **states** as broken excludes the ad ("nattevagter" never
  reaches a citizen with ``no_night``). A must-need the ad does **not** state is not a
  violation (we cannot exclude on unknown) but gets no needs-fit credit and a concern
  "ikke oplyst – spørg arbejdsgiveren". A broken preference-need is a penalty and a concern.
- Commute (estimated with an uncertainty band, see :mod:`ipsmatch.commute`): an ad whose
  band's low end is beyond ``max_minutes`` is excluded; one whose band holds the limit is kept
  with a concern "ca. 30–40 min – tjek ruten". :func:`commute` is the one rule for the
  vectorised matcher, this reference and the employer ranking. An ad without a location is
  kept with a concern.
- Hours beyond weekly capacity are a strong penalty ("kræver aftale om færre timer"), and an
  exclusion only when the profile marks hours as a must.
- Løntilskud/virksomhedspraktik ads are excluded unless the profile opts in
  (``accept_subsidised``); fleksjob ads only reach citizens approved for fleksjob.
- Avoid-terms penalise (never exclude) an ad that mentions them, or states a mapped fact.

The numeric signals (:func:`hours_fit`, :func:`commute_fit`, :func:`freshness`) work on
scalars and NumPy arrays alike, so the matcher's vectorised path and the per-vacancy
reference :func:`evaluate` use the very same formulas.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np

from ipsmatch import commute as CM
from ipsmatch.domain import (
    REQUIREMENT_CERTIFICATES,
    WORK_CONDITIONS,
    CitizenProfile,
    Fact,
    Need,
    Reason,
    Vacancy,
)
from ipsmatch.explain import make_reason
from ipsmatch.geo import postcode_info
from ipsmatch.jobdev.agencies import is_temp_agency
from ipsmatch.needs import NEEDS, fact_state, fact_value, need_state, stated

Point = tuple[float, float]

#: Work conditions that are not ordinary paid work; excluded unless the profile opts in.
SUBSIDISED = frozenset({"loentilskud", "virksomhedspraktik"})

#: Hours-fit values (0..1). Unknown hours score below any stated fit, never as a match.
HOURS_FIT = 1.0          # ad hours within the citizen's capacity
HOURS_BELOW = 0.8        # fewer hours than the citizen's minimum: room to grow
HOURS_SLIGHTLY_OVER = 0.6  # ad range starts within capacity but reaches above it
HOURS_OVER_MAX = 0.3     # ad minimum above capacity: decays with the excess (×e^(-excess/10))
HOURS_OVER_PART_TIME = 0.4  # ... unless the ad mentions part time
HOURS_UNKNOWN = 0.4
#: Commute fit: 1 at the door, falling linearly to COMMUTE_FLOOR at max_minutes.
COMMUTE_FLOOR = 0.2
COMMUTE_UNKNOWN = 0.3
#: Freshness: e^(-age/FRESH_DAYS) blended with time left to the deadline.
FRESH_DAYS = 21.0
DEADLINE_DAYS = 14.0
FRESH_UNKNOWN = 0.5

# Hours categories (shared by the scalar and the array path)
H_NONE, H_UNKNOWN, H_FIT, H_BELOW, H_SLIGHTLY_OVER, H_OVER = range(6)
HOURS_CODES = {H_FIT: "hours.fit", H_BELOW: "hours.below",
               H_SLIGHTLY_OVER: "hours.slightly_over", H_OVER: "hours.over",
               H_UNKNOWN: "hours.unknown"}

#: Avoid-terms that also stand for a stated fact: avoiding "kundekontakt" penalises an ad
#: stating customer_contact=True even when it words it differently ("betjene gæster").
AVOID_FACTS: dict[str, str] = {
    "kundekontakt": "customer_contact", "kunder": "customer_contact",
    "kundeservice": "customer_contact", "customer contact": "customer_contact",
    "nat": "night", "natarbejde": "night", "nattevagt": "night", "nattevagter": "night",
    "aften": "evening", "aftenarbejde": "evening", "aftenvagter": "evening",
    "weekend": "weekend", "weekendarbejde": "weekend",
    "skiftehold": "shifts", "skifteholdsarbejde": "shifts", "vagtarbejde": "shifts",
    "tunge løft": "heavy_lifting", "tungt arbejde": "heavy_lifting",
    "løft": "heavy_lifting", "stående arbejde": "standing",
    "højt tempo": "high_tempo", "stress": "high_tempo", "travlhed": "high_tempo",
}


@dataclass
class Criteria:
    """What the constraints need, built from a profile or from ``search`` options."""

    origin: Point | None = None
    mode: str = "public"
    max_minutes: float | None = None
    max_km: float | None = None
    hours_min: float | None = None
    hours_max: float | None = None
    hours_must: bool = False
    needs: list[Need] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    fleksjob_approved: bool = False
    accept_subsidised: bool = False
    #: False for free-text search: no citizen, so no work-condition filter
    check_conditions: bool = True
    #: what the citizen holds and speaks (profile codes); None = no citizen (search): the
    #: ad's requirements are not checked
    certificates: list[str] | None = None
    languages: list[str] | None = None

    @classmethod
    def from_profile(cls, p: CitizenProfile) -> Criteria:
        """The home coordinates when the profile gives them, else the postcode's town point."""
        if p.home_lat is not None and p.home_lon is not None:
            origin: Point | None = (p.home_lat, p.home_lon)
        else:
            info = postcode_info(p.home_postcode)
            origin = info.point if info else None
        return cls(origin=origin, mode=p.travel_mode,
                   max_minutes=float(p.max_minutes), hours_min=p.hours_min,
                   hours_max=p.hours_max, hours_must=p.hours_must, needs=list(p.needs),
                   avoid=list(p.avoid), fleksjob_approved=p.fleksjob_approved,
                   accept_subsidised=p.accept_subsidised,
                   certificates=list(p.certificates), languages=list(p.languages))

    @property
    def has_hours(self) -> bool:
        return self.hours_max is not None or self.hours_min is not None


# --- numeric signals (scalar or array) -------------------------------------------------------

def ad_hours_range(hmin: Any, hmax: Any) -> tuple[np.ndarray, np.ndarray]:
    """Fill a missing side of an ad's hours range from the other (NaN = not stated)."""
    lo = np.asarray(hmin, dtype=np.float64)
    hi = np.asarray(hmax, dtype=np.float64)
    lo2 = np.where(np.isnan(lo), hi, lo)
    hi2 = np.where(np.isnan(hi), lo, hi)
    return np.minimum(lo2, hi2), np.maximum(lo2, hi2)


def hours_category(hmin: Any, hmax: Any, cap_min: float | None, cap_max: float | None
                   ) -> np.ndarray:
    """H_* category per ad (array) for a capacity; H_NONE when the citizen gave no hours."""
    lo, hi = ad_hours_range(hmin, hmax)
    cat = np.full(lo.shape, H_NONE, dtype=np.int8)
    if cap_min is None and cap_max is None:
        return cat
    cmin = 0.0 if cap_min is None else cap_min
    cmax = np.inf if cap_max is None else cap_max
    known = ~np.isnan(lo)
    cat[~known] = H_UNKNOWN
    with np.errstate(invalid="ignore"):
        cat[known & (hi <= cmax) & (hi >= cmin)] = H_FIT
        cat[known & (hi < cmin)] = H_BELOW
        cat[known & (hi > cmax) & (lo <= cmax)] = H_SLIGHTLY_OVER
        cat[known & (lo > cmax)] = H_OVER
    return cat


def hours_fit(hmin: Any, hmax: Any, cap_min: float | None, cap_max: float | None,
              part_time: Any = False) -> np.ndarray:
    """Hours fit in [0, 1] per ad; see the HOURS_* constants."""
    cat = hours_category(hmin, hmax, cap_min, cap_max)
    lo, _ = ad_hours_range(hmin, hmax)
    out = np.ones(cat.shape, dtype=np.float64)
    out[cat == H_UNKNOWN] = HOURS_UNKNOWN
    out[cat == H_BELOW] = HOURS_BELOW
    out[cat == H_SLIGHTLY_OVER] = HOURS_SLIGHTLY_OVER
    over = cat == H_OVER
    if over.any():
        excess = np.where(over, lo - (cap_max if cap_max is not None else 0.0), 0.0)
        val = HOURS_OVER_MAX * np.exp(-excess / 10.0)
        pt = np.broadcast_to(np.asarray(part_time, dtype=bool), cat.shape)
        val = np.where(pt, np.maximum(val, HOURS_OVER_PART_TIME), val)
        out = np.where(over, val, out)
    return out


def commute(distance_km: Any, c: Criteria, *, by_km: bool = True) -> CM.Commute:
    """The commute rule for distances from ``c.origin`` (NaN = unknown place): estimate, band
    and status per ad (:func:`ipsmatch.commute.assess` with the criteria's mode and limits;
    ``by_km=False`` ignores ``max_km``, as the employer ranking does)."""
    return CM.assess(distance_km, c.mode, c.max_minutes, c.max_km if by_km else None)


def commute_fit(minutes: Any, max_minutes: float | None) -> np.ndarray:
    """1 next door → COMMUTE_FLOOR at the limit; COMMUTE_UNKNOWN where minutes is NaN."""
    m = np.asarray(minutes, dtype=np.float64)
    limit = max_minutes if max_minutes else 60.0
    fit = 1.0 - (1.0 - COMMUTE_FLOOR) * np.clip(m / limit, 0.0, 1.0)
    return np.where(np.isnan(m), COMMUTE_UNKNOWN, fit)


def freshness(age_days: Any, days_left: Any) -> np.ndarray:
    """Newer and further from the deadline is better; NaN = not stated."""
    age = np.asarray(age_days, dtype=np.float64)
    left = np.asarray(days_left, dtype=np.float64)
    a = np.where(np.isnan(age), FRESH_UNKNOWN, np.exp(-np.clip(age, 0, None) / FRESH_DAYS))
    d = np.where(np.isnan(left), 0.7, np.clip(left / DEADLINE_DAYS, 0.2, 1.0))
    return 0.7 * a + 0.3 * d


# --- text helpers ------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lowercase, NFKC, collapse whitespace: the form avoid-terms are matched in."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=256)
def term_regex(term: str) -> re.Pattern[str]:
    # Prefix match on word boundaries: "butik" also hits "butikken", "butiksassistent".
    return re.compile(r"(?<!\w)" + re.escape(fold(term)))


def folded_text(vacancy: Vacancy) -> str:
    """The ad's title and text in the form avoid-terms are matched in."""
    return fold(f"{vacancy.title}\n{vacancy.text}")


def avoid_hits(vacancy: Vacancy, terms: list[str], *, hay: str | None = None
               ) -> list[tuple[str, str | None]]:
    """(term, quote) for each avoid-term the ad mentions, or whose mapped fact it states.

    ``hay`` is :func:`folded_text` of the ad, when the caller has it cached.
    """
    hits: list[tuple[str, str | None]] = []
    if hay is None:
        hay = folded_text(vacancy)
    for term in terms:
        key = AVOID_FACTS.get(fold(term))
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


# --- the per-vacancy reference ---------------------------------------------------------------

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
    from ipsmatch.geo import distance_km as _dist

    ev = Evaluation()
    # commute
    point = vacancy_point(v)
    if c.origin is not None:
        if point is None:
            ev.concerns.append(make_reason("unknown", "commute.unknown"))
            ev.signals["commute"] = COMMUTE_UNKNOWN
        else:
            km = _dist(c.origin, point)
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
                                                 max_km=fmt_limit(c.max_km or 0.0)))
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
                ev.concerns.append(make_reason("unknown", f"need.{need.code}.conflict",
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
    if left is not None and 0 <= left <= 3:
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


def needs_fit_value(credit: Any, n: int) -> Any:
    """(satisfied − broken preferences) / number of needs, clipped to [0, 1]."""
    return np.clip(np.asarray(credit, dtype=np.float64) / max(n, 1), 0.0, 1.0).item() \
        if np.ndim(credit) == 0 else np.clip(credit / max(n, 1), 0.0, 1.0)


def fmt_limit(x: float) -> str:
    return f"{x:g}"


def need_codes() -> list[str]:
    return list(NEEDS)
