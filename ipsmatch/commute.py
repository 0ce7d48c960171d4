"""Distance → estimated travel minutes per mode.

These are deliberately simple *estimates* from straight-line distance between postcode
centroids (good to a few km), not route planning. Each mode has an average door-to-door speed,
a detour factor (roads are longer than the straight line) and fixed minutes (parking, waiting
for and changing between buses/trains):

    ======  ===========  ======  =============  ======================================
    mode    speed km/h   detour  fixed minutes  why
    ======  ===========  ======  =============  ======================================
    walk    4.5          1.3     0              calm walking pace
    bike    15           1.3     0              ordinary bicycle, not e-bike
    car     50           1.3     5              mixed town/country roads, parking
    public  22           1.4     10             bus/train average incl. walking to stop;
                                                10 min waiting and changing
    ======  ===========  ======  =============  ======================================

Distances below ``MIN_DISTANCE_KM`` count as 1 km: two points in the same postcode are
centroids, and the real trip is rarely shorter.

    >>> round(commute_minutes(4, "bike"))
    21
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ipsmatch.errors import UsageError

MIN_DISTANCE_KM = 1.0


@dataclass(frozen=True)
class Mode:
    code: str
    speed_kmh: float
    detour: float
    fixed_minutes: float
    label_da: str
    label_en: str


MODES: dict[str, Mode] = {
    "walk": Mode("walk", 4.5, 1.3, 0.0, "til fods", "on foot"),
    "bike": Mode("bike", 15.0, 1.3, 0.0, "på cykel", "by bike"),
    "car": Mode("car", 50.0, 1.3, 5.0, "i bil", "by car"),
    "public": Mode("public", 22.0, 1.4, 10.0, "med offentlig transport", "by public transport"),
}


def mode(code: str) -> Mode:
    try:
        return MODES[code]
    except KeyError:
        raise UsageError(f"unknown travel mode {code!r}",
                         hint=f"use one of {', '.join(MODES)}") from None


def commute_minutes(distance_km: Any, mode_code: str) -> Any:
    """Estimated minutes for ``distance_km`` (a number or a NumPy array; NaN stays NaN)."""
    m = mode(mode_code)
    d = np.maximum(np.asarray(distance_km, dtype=np.float64), MIN_DISTANCE_KM)
    minutes = d * m.detour / m.speed_kmh * 60.0 + m.fixed_minutes
    # Next door is still a trip: the fixed part applies, but nothing below a minute.
    minutes = np.maximum(minutes, 1.0)
    return float(minutes) if minutes.ndim == 0 else minutes


def max_distance_km(minutes: float, mode_code: str) -> float:
    """The straight-line distance reachable in ``minutes`` (the inverse of commute_minutes)."""
    m = mode(mode_code)
    return max(0.0, (minutes - m.fixed_minutes) * m.speed_kmh / 60.0 / m.detour)


def haversine_km(lat: Any, lon: Any, lat0: float, lon0: float) -> np.ndarray:
    """Great-circle distance from one point to arrays of points (NaN where unknown)."""
    lat1 = np.radians(np.asarray(lat, dtype=np.float64))
    lon1 = np.radians(np.asarray(lon, dtype=np.float64))
    la0, lo0 = np.radians(lat0), np.radians(lon0)
    h = (np.sin((lat1 - la0) / 2) ** 2
         + np.cos(lat1) * np.cos(la0) * np.sin((lon1 - lo0) / 2) ** 2)
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(1.0, h)))
