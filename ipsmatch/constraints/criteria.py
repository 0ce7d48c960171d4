"""What the constraints need (:class:`Criteria`) and the formulas both paths share.

The per-vacancy reference (:mod:`.reference`) and the vectorised path (:mod:`.vectorised`)
call these same functions: the numeric signals (:func:`hours_fit`, :func:`commute_fit`,
:func:`freshness`, :func:`needs_fit_value`) work on scalars and NumPy arrays alike, and
:func:`commute` is the one commute rule for ads and employers. Avoid-terms are matched in
:func:`~ipsmatch.text.normalize.fold_for_terms`-ed text by :func:`term_regex`, or stand
for a fact (:func:`avoid_fact`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ipsmatch import commute as CM
from ipsmatch.domain import CitizenProfile, Need, Vacancy
from ipsmatch.errors import UsageError
from ipsmatch.geo import postcode_info
from ipsmatch.needs import NEEDS
from ipsmatch.text.normalize import fold_for_terms

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

    @classmethod
    def from_search(cls, *, near: str | None = None, within_km: float | None = None,
                    max_hours: float | None = None, needs: Sequence[str] = ()) -> Criteria:
        """Criteria for a free-text search: by car from a postcode, a km limit, an hours
        ceiling and must-needs; no citizen, so no work-condition filter. UsageError for
        an unknown postcode or need, or a km limit without a postcode."""
        origin = None
        if near is not None:
            info = postcode_info(near)
            if info is None:
                raise UsageError(code="search.postcode_unknown", params={"value": near})
            origin = info.point
        elif within_km is not None:
            raise UsageError(code="search.km_without_near")
        for code in needs:
            if code not in NEEDS:
                raise UsageError(code="search.need_unknown",
                                 params={"code": code, "choices": ", ".join(NEEDS)})
        return cls(origin=origin, mode="car", max_km=within_km, hours_max=max_hours,
                   hours_must=max_hours is not None, needs=[Need(code) for code in needs],
                   check_conditions=False)

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


def commute(distance_km: Any, c: Criteria) -> CM.Commute:
    """The commute rule for distances from ``c.origin`` (NaN = unknown place): estimate, band
    and status per ad or employer (:func:`ipsmatch.commute.assess` with the criteria's mode
    and limits). The reference, the vectorised path and the employer ranking all use it."""
    return CM.assess(distance_km, c.mode, c.max_minutes, c.max_km)

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

@lru_cache(maxsize=256)
def term_regex(term: str) -> re.Pattern[str]:
    # Prefix match on word boundaries: "butik" also hits "butikken", "butiksassistent".
    return re.compile(r"(?<!\w)" + re.escape(fold_for_terms(term)))


def folded_text(vacancy: Vacancy) -> str:
    """The ad's title and text in the form avoid-terms are matched in."""
    return folded_ad(vacancy.title, vacancy.text)


def folded_ad(title: str, text: str) -> str:
    """:func:`folded_text` from an ad's title and text (as the store reads them)."""
    return fold_for_terms(f"{title}\n{text}")


def avoid_fact(term: str) -> str | None:
    """The fact an avoid-term stands for (AVOID_FACTS, matched folded), or None."""
    return AVOID_FACTS.get(fold_for_terms(term))


def needs_fit_value(credit: Any, n: int) -> Any:
    """(satisfied − broken preferences) / number of needs, clipped to [0, 1]."""
    return np.clip(np.asarray(credit, dtype=np.float64) / max(n, 1), 0.0, 1.0).item() \
        if np.ndim(credit) == 0 else np.clip(credit / max(n, 1), 0.0, 1.0)

