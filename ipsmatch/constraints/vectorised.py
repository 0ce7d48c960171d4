"""The constraints over all ads at once: the fast path beside the reference.

:func:`constrain` applies to arrays what :func:`~.reference.evaluate` applies to one
vacancy, with the same formulas (:mod:`.criteria`): the commute, hours, work conditions and
needs as an exclusion mask and per-ad signals. tests/test_constraints.py checks the two
against each other on generated ads and criteria.

    >>> arrays = ConstraintArrays.from_columns(cols)              # doctest: +SKIP
    >>> got = constrain(arrays, Criteria.from_profile(p), today=date.today())
    >>> got.excluded.sum(), sorted(got.signals)                   # doctest: +SKIP
    (12, ['commute', 'freshness', 'hours', 'needs'])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from ipsmatch import commute as CM
from ipsmatch.columns import FACT_INDEX, Columns, fact_states
from ipsmatch.constraints.criteria import (
    H_OVER,
    Criteria,
    avoid_fact,
    commute,
    commute_fit,
    freshness,
    hours_category,
    hours_fit,
    needs_fit_value,
    term_regex,
)
from ipsmatch.domain import Need
from ipsmatch.needs import need_def

#: A commute limit restricts scoring to the ads it can reach, unless they are most of them.
REACH_MAX_SHARE = 0.5


@dataclass(frozen=True)
class ConstraintArrays:
    """What the constraints read per ad: the matcher's columns, and the fact states weighed
    once over all sources (:func:`ipsmatch.columns.fact_states`, the vectorised
    :func:`ipsmatch.needs.weigh`): ``fact_true[FACT_INDEX[key], i]`` says ad ``i`` states
    ``key`` as true."""

    cols: Columns
    fact_true: np.ndarray
    fact_false: np.ndarray
    fact_conflict: np.ndarray

    @classmethod
    def from_columns(cls, c: Columns) -> ConstraintArrays:
        return cls(c, *fact_states(c.fact_true, c.fact_false, c.fact_ask, c.fact_weak))

    @property
    def n(self) -> int:
        return self.cols.n

    def fact(self, key: str, value: bool = True, rows: np.ndarray | None = None
             ) -> np.ndarray:
        """Ads (of ``rows``) stating ``key`` as ``value``."""
        return sub((self.fact_true if value else self.fact_false)[FACT_INDEX[key]], rows)


@dataclass
class Reach:
    """The commute from ``origin`` to points: great-circle km, the rule's verdict, the fit."""

    distance_km: np.ndarray
    commute: CM.Commute
    fit: np.ndarray


@dataclass
class Constrained:
    """The constraints over the ads of ``rows``: arrays indexed by position in ``rows``."""

    excluded: np.ndarray
    #: per-signal scores in [0, 1]: commute, hours, needs (when asked for), freshness
    signals: dict[str, np.ndarray]
    distance_km: np.ndarray
    minutes: np.ndarray
    #: avoid-terms per ad whose mapped fact the ad states (text hits: :func:`avoid_counts`)
    avoid_facts: np.ndarray


def sub(a: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """``a`` over the ads of ``rows`` (all ads when None)."""
    return a if rows is None else a[..., rows]


def reach(lat: np.ndarray, lon: np.ndarray, c: Criteria) -> Reach:
    """The commute rule (:func:`~.criteria.commute`) for points, from ``c.origin`` (set)."""
    assert c.origin is not None
    dist = CM.haversine_km(lat, lon, *c.origin)
    cm = commute(dist, c)
    return Reach(dist, cm, commute_fit(cm.minutes, c.max_minutes))


def constrain(arrays: ConstraintArrays, c: Criteria, *, today: date,
              rows: np.ndarray | None = None) -> Constrained:
    """Every constraint over the ads of ``rows`` (default all): the vectorised
    :func:`~.reference.evaluate` (exclusions and signals; the reasons are the reference's)."""
    n = arrays.n if rows is None else len(rows)
    excluded = np.zeros(n, dtype=bool)
    signals: dict[str, np.ndarray] = {}
    dist = np.full(n, np.nan)
    minutes = np.full(n, np.nan)
    if c.origin is not None:
        r = reach(sub(arrays.cols.lat, rows), sub(arrays.cols.lon, rows), c)
        dist, minutes = r.distance_km, r.commute.minutes
        excluded |= r.commute.excluded
        signals["commute"] = r.fit
    hmin, hmax = sub(arrays.cols.hmin, rows), sub(arrays.cols.hmax, rows)
    if c.has_hours:
        signals["hours"] = hours_fit(hmin, hmax, c.hours_min, c.hours_max,
                                     arrays.fact("part_time_possible", rows=rows))
        if c.hours_must:
            excluded |= hours_category(hmin, hmax, c.hours_min, c.hours_max) == H_OVER
    if c.check_conditions:
        if not c.accept_subsidised:
            excluded |= sub(arrays.cols.subsidised, rows)
        if not c.fleksjob_approved:
            excluded |= sub(arrays.cols.fleksjob, rows)
    if c.needs:
        credit = np.zeros(n, dtype=np.float64)
        for need in c.needs:
            violated, satisfied = need_masks(arrays, need, rows)
            if need.must:
                excluded |= violated
            else:
                credit -= violated
            credit += satisfied
        signals["needs"] = needs_fit_value(credit, len(c.needs))
    day = today.toordinal()
    left = sub(arrays.cols.deadline, rows) - day
    signals["freshness"] = freshness(day - sub(arrays.cols.posted, rows), left)
    excluded |= left < 0  # NaN (no deadline) is never < 0
    avoid_facts = np.zeros(n, dtype=np.int64)
    for term in c.avoid:
        key = avoid_fact(term)
        if key:
            avoid_facts += arrays.fact(key, rows=rows)
    return Constrained(excluded, signals, dist, minutes, avoid_facts)


def need_masks(arrays: ConstraintArrays, need: Need, rows: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """(violated, satisfied) per ad for one need, as :func:`ipsmatch.needs.need_state`:
    a violation wins unless chosen away (neither then), then a conflict (never a pass)."""
    nd = need_def(need.code)
    n = arrays.n if rows is None else len(rows)
    violated = np.zeros(n, dtype=bool)
    satisfied = np.zeros(n, dtype=bool)
    conflict = np.zeros(n, dtype=bool)
    for key, value in nd.violated_by:
        violated |= arrays.fact(key, value, rows)
    chosen = np.zeros(n, dtype=bool)
    for key, value in nd.chosen_by:  # the ad lets the employee choose the violation away
        chosen |= arrays.fact(key, value, rows)
    for key, value in nd.satisfied_by:
        satisfied |= arrays.fact(key, value, rows)
    for key, _ in (*nd.violated_by, *nd.satisfied_by):
        conflict |= sub(arrays.fact_conflict[FACT_INDEX[key]], rows)
    return violated & ~chosen, satisfied & ~violated & ~conflict


def avoid_counts(arrays: ConstraintArrays, avoid: Sequence[str], ads: np.ndarray,
                 folded: Callable[[int], str]) -> np.ndarray:
    """Avoid-term hits per ad of ``ads`` (ad indices): a stated mapped fact, else the term
    in the ad's :func:`~.criteria.folded_text` (``folded(i)``), as the reference counts them.
    The text is read per ad, so the matcher asks only for its candidates."""
    counts = np.zeros(len(ads), dtype=np.int64)
    for term in avoid:
        key = avoid_fact(term)
        fact_hit = arrays.fact(key)[ads] if key else np.zeros(len(ads), dtype=bool)
        rx = term_regex(term)
        text_hit = np.array([not fh and rx.search(folded(i)) is not None
                             for i, fh in zip(ads.tolist(), fact_hit.tolist(), strict=True)],
                            dtype=bool)
        counts += fact_hit | text_hit
    return counts


def in_box(lat: np.ndarray, lon: np.ndarray, origin: tuple[float, float], km: float
           ) -> np.ndarray:
    """Points inside a lat/lon box holding every point within ``km`` (great circle) of
    ``origin``, plus points with no known place (those are never excluded by distance)."""
    r = (km * 1.01 + 0.05) / 6371.0088  # angular radius, with a margin for rounding
    lat0, lon0 = origin
    dlat = np.degrees(r)
    cos0 = np.cos(np.radians(lat0))
    dlon = 180.0 if r >= np.pi / 2 or np.sin(r) >= cos0 else np.degrees(
        np.arcsin(np.sin(r) / cos0))
    dl = np.abs(lon - lon0)
    dl = np.minimum(dl, 360.0 - dl)
    with np.errstate(invalid="ignore"):
        inside = (np.abs(lat - lat0) <= dlat) & (dl <= dlon)
    return inside | np.isnan(lat) | np.isnan(lon)


def reach_rows(arrays: ConstraintArrays, c: Criteria, *, employers: bool
               ) -> np.ndarray | None:
    """The ads worth scoring for a commute limit: those inside a box around the home that
    holds every point within reach, those with no known place, and (``employers``) every
    ad of an employer placed in that box. None (= all ads) when there is no limit or the
    box holds most ads anyway. Everything outside would be excluded by the commute
    limit, so results are the same; a suggestion at 1M ads scores a few per cent."""
    if c.origin is None:
        return None
    if c.max_minutes is not None:  # the band's low end at the limit (criteria.commute)
        km = CM.reach_km(c.max_minutes, c.mode)
    elif c.max_km is not None:
        km = c.max_km
    else:
        return None
    inside = in_box(arrays.cols.lat, arrays.cols.lon, c.origin, km)
    if employers and arrays.cols.emp_lat.size:
        emp_in = in_box(arrays.cols.emp_lat, arrays.cols.emp_lon, c.origin, km)
        has = arrays.cols.emp_idx >= 0
        inside[has] |= emp_in[arrays.cols.emp_idx[has]]
    if not inside.size or inside.mean() > REACH_MAX_SHARE:
        return None
    return np.flatnonzero(inside)
