"""Distance → estimated travel minutes per mode, with an uncertainty band, and the commute rule.

These are *estimates* from the straight-line distance between two points (the ad's own
coordinates or its postcode's town point, the citizen's home coordinates or postcode's town
point), not route planning. The model per mode:

    route km   = straight km × detour(straight km)
    minutes    = fixed + waiting(straight km) + 60 × route km / speed(route km)

where the detour factor falls and the average speed rises with the distance (a 2 km trip is all
town streets; a 50 km drive is mostly motorway). Each falls or rises exponentially between a
"near" and a "far" value::

    f(x) = far + (near − far) × exp(−x / scale)

    ======  =============  ============  ===========  ====================  ==========
    mode    speed km/h     detour        fixed min    waiting min           band
            near→far       near→far                   near→far
    ======  =============  ============  ===========  ====================  ==========
    walk    4.8            1.3→1.2       0            –                     ±20 %
    bike    16             1.25→1.15     1            –                     ±25 %
    car     30→95 (25 km)  1.35→1.15     5            –                     ±25 %
    public  18→95 (15 km)  1.3→1.15      10           4→10 (15 km)          ±30 %
    ======  =============  ============  ===========  ====================  ==========

Where the numbers come from (general public figures, rounded; set before the trip check below
and not tuned to it, except ``SPREAD_KM``, see there):

- **walk 4.8 km/h**: ordinary adult walking pace (about 5 km/h in road-planning guidance).
- **bike 16 km/h**: the average cycling speed in Copenhagen's *Cykelregnskab* (the City of
  Copenhagen's bicycle account, about 16 km/h including stops) for an ordinary (not
  electric) bicycle. No slower "average" on top of a big detour: the speed already includes
  lights and junctions, and cyclists take paths and bridges cars cannot, so the detour is
  only 1.25 near and 1.15 far.
- **car**: in town the limit is 50 km/h and a trip with junctions and lights averages about
  30 km/h; on longer trips most of the route is country road (80 km/h) or motorway
  (110–130 km/h), so the average approaches ~95 km/h. 5 fixed minutes: walking to the car,
  parking at work.
- **public transport**: 10 minutes walking to and from the stops (400–800 m each end), waiting
  of half the typical interval (city buses every ~10 min → 4 min; regional trains and buses
  every 20–30 min → 10 min), and in-vehicle speeds from ~18 km/h (city bus with stops) to
  ~95 km/h (regional/InterCity train average between stations).
- **detour** (road km per straight km): network "circuity" factors in the literature are
  about 1.2–1.4, higher for short urban trips and lower for long ones (Ballou et al. 2002,
  *Selected country circuity factors for road travel distance estimation*).
- **band**: the points are a town point per postcode (not an address) and the model knows no
  timetable: a real trip may differ by a quarter either way (30 % for public transport, where
  a missed connection or a town without a train decides), and by at least ``BAND_MIN_MINUTES``.

The straight-line distance ``d`` is first widened to ``sqrt(d² + SPREAD_KM²)``: a home and a
workplace lie *around* their town points, so two neighbouring towns whose points are 1.2 km apart
(Nørresundby and Aalborg, across the Limfjord) are a ~2.5 km ride, and two points in the same
postcode are still a trip. This term was added after the first check against known trips put
Nørresundby–Aalborg C by bike at 6.6 min (band 4–10) against the typical 10; it replaced the
earlier rule "trips under 1 km count as 1 km". The check against 14 well-known trips is in
docs/profile.md (and tests/test_commute.py).

**The rule** (:func:`assess`, used by the vectorised matcher, the per-ad reference and the
employer ranking alike): with a limit of ``max_minutes``, an estimate whose band's *low* end is
above the limit is too far (excluded); one whose *high* end is above the limit is shown with a
concern "ca. 30–40 min – tjek ruten"; the rest is within reach.

    >>> round(commute_minutes(4, "bike"))
    19
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ipsmatch.errors import UsageError

#: Homes and workplaces lie around their town points, not on them: this spread is added to
#: the straight-line distance in quadrature (next door counts as 1 km, 1.2 km as 1.6 km,
#: 20 km as 20.02 km).
SPREAD_KM = 1.0
#: The band is never narrower than this either side (the town points' own uncertainty).
BAND_MIN_MINUTES = 3.0

#: Commute status per ad (:func:`assess`)
UNKNOWN, OK, CHECK, TOO_FAR, BEYOND_KM = range(5)


@dataclass(frozen=True)
class Mode:
    code: str
    label_da: str
    label_en: str
    speed_near: float
    speed_far: float
    speed_scale_km: float
    detour_near: float
    detour_far: float
    detour_scale_km: float
    fixed_minutes: float
    wait_near: float
    wait_far: float
    wait_scale_km: float
    band: float


MODES: dict[str, Mode] = {
    "walk": Mode("walk", "til fods", "on foot", 4.8, 4.8, 1.0, 1.3, 1.2, 2.0, 0.0,
                 0.0, 0.0, 1.0, 0.20),
    "bike": Mode("bike", "på cykel", "by bike", 16.0, 16.0, 1.0, 1.25, 1.15, 5.0, 1.0,
                 0.0, 0.0, 1.0, 0.25),
    "car": Mode("car", "i bil", "by car", 30.0, 95.0, 25.0, 1.35, 1.15, 10.0, 5.0,
                0.0, 0.0, 1.0, 0.25),
    "public": Mode("public", "med offentlig transport", "by public transport", 18.0, 95.0,
                   15.0, 1.3, 1.15, 10.0, 10.0, 4.0, 10.0, 15.0, 0.30),
}


def mode(code: str) -> Mode:
    try:
        return MODES[code]
    except KeyError:
        raise UsageError(f"unknown travel mode {code!r}",
                         hint=f"use one of {', '.join(MODES)}") from None


def _ramp(x: np.ndarray, near: float, far: float, scale: float) -> np.ndarray | float:
    """far + (near − far) × exp(−x / scale), computed in place (x is not changed)."""
    if near == far:
        return far
    out = np.multiply(x, -1.0 / scale)
    np.exp(out, out=out)
    out *= near - far
    out += far
    return out


def effective_km(distance_km: Any) -> Any:
    """The straight-line distance with the points' spread added in quadrature:
    sqrt(d² + SPREAD_KM²)."""
    d = np.asarray(distance_km, dtype=np.float64)
    return np.sqrt(d * d + SPREAD_KM * SPREAD_KM)


def commute_minutes(distance_km: Any, mode_code: str) -> Any:
    """Estimated minutes for ``distance_km`` (a number or a NumPy array; NaN stays NaN)."""
    m = mode(mode_code)
    d = np.atleast_1d(effective_km(distance_km))
    route = d * _ramp(d, m.detour_near, m.detour_far, m.detour_scale_km)
    speed = _ramp(route, m.speed_near, m.speed_far, m.speed_scale_km)
    minutes = np.divide(route, speed, out=route)
    minutes *= 60.0
    minutes += m.fixed_minutes
    minutes += _ramp(d, m.wait_near, m.wait_far, m.wait_scale_km)
    if np.ndim(distance_km) == 0:
        return float(minutes[0])
    return minutes.reshape(np.shape(distance_km))


def band(minutes: Any, mode_code: str) -> tuple[Any, Any]:
    """(low, high) minutes around an estimate: ± the mode's share, at least BAND_MIN_MINUTES."""
    m = mode(mode_code)
    est = np.asarray(minutes, dtype=np.float64)
    half = np.maximum(est * m.band, BAND_MIN_MINUTES)
    low = np.maximum(est - half, 1.0)
    half += est
    if est.ndim == 0:
        return float(low), float(half)
    return low, half


@dataclass
class Commute:
    """Distance, estimate, band and status (OK/CHECK/TOO_FAR/BEYOND_KM/UNKNOWN) per ad."""

    distance_km: np.ndarray
    minutes: np.ndarray
    low: np.ndarray
    high: np.ndarray
    status: np.ndarray

    @property
    def excluded(self) -> np.ndarray:
        return (self.status == TOO_FAR) | (self.status == BEYOND_KM)


def assess(distance_km: Any, mode_code: str, max_minutes: float | None = None,
           max_km: float | None = None) -> Commute:
    """The commute rule for an array of straight-line distances (NaN = place unknown).

    TOO_FAR when the band's low end is above ``max_minutes``, CHECK when only its high end is,
    BEYOND_KM when the distance is above ``max_km`` (free-text search's ``--within-km``)."""
    dist = np.atleast_1d(np.asarray(distance_km, dtype=np.float64))
    minutes = np.asarray(commute_minutes(dist, mode_code), dtype=np.float64)
    low, high = band(minutes, mode_code)
    # Arithmetic, not masked assignment (3x faster at 100k ads). low > limit implies
    # high > limit; NaN compares False, so an unknown place is never CHECK or excluded.
    status = np.full(dist.shape, OK, dtype=np.int8)
    if max_minutes is not None:
        status += (high > max_minutes).view(np.int8) * np.int8(CHECK - OK)
        status += (low > max_minutes).view(np.int8) * np.int8(TOO_FAR - CHECK)
    if max_km is not None:
        status = np.where((dist > max_km) & (status != TOO_FAR), np.int8(BEYOND_KM), status)
    status = np.where(np.isnan(dist), np.int8(UNKNOWN), status)
    return Commute(dist, minutes, low, high, status)


@lru_cache(maxsize=1024)
def reach_km(max_minutes: float, mode_code: str) -> float:
    """The longest straight-line distance :func:`assess` does not call TOO_FAR for a limit of
    ``max_minutes`` (the band's low end at the limit): the radius of the matcher's prefilter.
    Estimates grow with distance, so a bisection finds it."""
    def low(d: float) -> float:
        return band(commute_minutes(d, mode_code), mode_code)[0]

    if low(0.0) > max_minutes:
        return 0.0
    lo, hi = 0.0, 1.0
    while low(hi) <= max_minutes and hi < 5000.0:
        lo, hi = hi, hi * 2
    for _ in range(60):
        mid = (lo + hi) / 2
        if low(mid) <= max_minutes:
            lo = mid
        else:
            hi = mid
    return hi


def max_distance_km(minutes: float, mode_code: str) -> float:
    """The straight-line distance whose central estimate is ``minutes`` (the inverse of
    :func:`commute_minutes`; 0 when even next door takes longer)."""
    if commute_minutes(0.0, mode_code) >= minutes:
        return 0.0
    lo, hi = 0.0, 1.0
    while commute_minutes(hi, mode_code) < minutes and hi < 5000.0:
        lo, hi = hi, hi * 2
    for _ in range(60):
        mid = (lo + hi) / 2
        if commute_minutes(mid, mode_code) < minutes:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def round_band(low: float, high: float, limit: float | None = None) -> tuple[int, int]:
    """A band as a consultant reads it: to the nearest 5 minutes (1 minute below 10), and
    widened to hold ``limit`` when the unrounded band does (rounding must not hide that the
    limit falls inside it)."""
    def r(x: float) -> int:
        return max(1, round(x)) if x < 10 else int(5 * round(x / 5.0))

    lo, hi = r(low), r(high)
    if limit is not None and low <= limit <= high:
        lo, hi = min(lo, math.floor(limit)), max(hi, math.ceil(limit))
    if hi <= lo:  # a band, not one number
        hi = lo + (5 if lo >= 10 else 1)
    return lo, hi


def haversine_km(lat: Any, lon: Any, lat0: float, lon0: float) -> np.ndarray:
    """Great-circle distance from one point to arrays of points (NaN where unknown)."""
    lat1 = np.radians(np.asarray(lat, dtype=np.float64))
    lon1 = np.radians(np.asarray(lon, dtype=np.float64))
    la0, lo0 = np.radians(lat0), np.radians(lon0)
    h = (np.sin((lat1 - la0) / 2) ** 2
         + np.cos(lat1) * np.cos(la0) * np.sin((lon1 - lo0) / 2) ** 2)
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(1.0, h)))
