from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsmatch.commute import (
    CHECK,
    MODES,
    OK,
    SPREAD_KM,
    TOO_FAR,
    UNKNOWN,
    assess,
    band,
    commute_minutes,
    haversine_km,
    max_distance_km,
    reach_km,
    round_band,
)
from ipsmatch.errors import UsageError
from ipsmatch.geo import distance_km, postcode_info
from tests.conftest import REPO

#: Trips whose typical door-to-door duration is general knowledge (rounded; in-vehicle times
#: from the DSB/bus timetables and motorway distances everyone in the region knows, plus
#: walking and waiting where it is public transport). Each must fall inside the estimate's
#: band. The same table is in docs/profile.md.
TRIPS = [
    ("9400", "9000", "bike", 10, "Nørresundby – Aalborg C over Limfjordsbroen (~2.5 km)"),
    ("9000", "9400", "walk", 25, "Aalborg C – Nørresundby on foot (~2 km)"),
    ("2000", "1000", "bike", 12, "Frederiksberg – København K (~3 km)"),
    ("8000", "8200", "bike", 15, "Aarhus C – Aarhus N (~4 km)"),
    ("9000", "9220", "public", 25, "Aalborg C – Aalborg Øst: city bus ~15 min + walking, waiting"),
    ("9800", "9000", "car", 45, "Hjørring – Aalborg on the E39 motorway (~50 km)"),
    ("7100", "6000", "car", 25, "Vejle – Kolding on the E45 (~30 km)"),
    ("8700", "8000", "car", 40, "Horsens – Aarhus C on the E45 (~50 km)"),
    ("4000", "1000", "car", 35, "Roskilde – København K on Holbækmotorvejen (~35 km)"),
    ("7400", "8000", "car", 60, "Herning – Aarhus C, mostly motorway (~85 km)"),
    ("8000", "8660", "public", 35, "Aarhus C – Skanderborg: train ~15 min + walking, waiting"),
    ("1000", "4000", "public", 45, "København K – Roskilde: train ~25 min + walking, waiting"),
    ("9800", "9000", "public", 60, "Hjørring – Aalborg: train ~40 min + walking, waiting"),
    ("5000", "1000", "public", 100, "Odense C – København K: InterCity ~75 min + walking, waiting"),
]


def _trip(a: str, b: str, mode: str) -> tuple[float, float, float, float]:
    pa, pb = postcode_info(a), postcode_info(b)
    assert pa is not None and pb is not None
    km = distance_km(pa.point, pb.point)
    est = commute_minutes(km, mode)
    lo, hi = band(est, mode)
    return km, est, lo, hi


def trip_rows() -> list[str]:
    """The docs table's rows, from the model as it is."""
    rows = []
    for a, b, mode, typical, what in TRIPS:
        km, est, lo, hi = _trip(a, b, mode)
        rows.append(f"| {what} | {mode} | {km:.1f} | {typical} | {est:.0f} | "
                    f"{lo:.0f}–{hi:.0f} |")
    return rows


@pytest.mark.parametrize(("a", "b", "mode", "typical", "what"), TRIPS,
                         ids=[f"{t[0]}-{t[1]}-{t[2]}" for t in TRIPS])
def test_known_trips_fall_inside_the_band(a: str, b: str, mode: str, typical: int,
                                          what: str) -> None:
    km, est, lo, hi = _trip(a, b, mode)
    assert lo <= typical <= hi, f"{what}: {km:.1f} km, estimate {est:.0f} [{lo:.0f}, {hi:.0f}]"


def test_the_trip_table_in_the_docs_is_current() -> None:
    doc = (REPO / "docs" / "profile.md").read_text(encoding="utf-8")
    missing = [r for r in trip_rows() if r not in doc]
    assert not missing, "update docs/profile.md's commute table:\n" + "\n".join(trip_rows())


def test_issue_examples() -> None:
    # Nørresundby -> Aalborg by bike: minutes, not the 37 min of the old area centroids.
    km, _, _, hi = _trip("9400", "9000", "bike")
    assert km < 2 and hi < 30
    # Hjørring -> Aalborg by car: about 45 min, not over 80.
    _, est, _, _ = _trip("9800", "9000", "car")
    assert 35 < est < 55


def test_speed_rises_with_distance() -> None:
    # A 50 km drive is mostly motorway: far faster on average than a 5 km one.
    assert 50 / commute_minutes(50, "car") > 1.8 * 5 / commute_minutes(5, "car")
    # A 2 km bike ride: no big detour on top of a slow average (~10 min, not 14+).
    assert commute_minutes(2, "bike") < 12


def test_next_door_is_still_a_trip() -> None:
    # Two points in one postcode are the same town point: still a SPREAD_KM trip.
    assert SPREAD_KM == 1.0
    assert 3 < commute_minutes(0, "bike") < 8
    assert commute_minutes(0, "bike") < commute_minutes(0.5, "bike") < commute_minutes(1, "bike")


def test_arrays_and_nan() -> None:
    out = commute_minutes(np.array([2.0, np.nan, 10.0]), "bike")
    assert math.isnan(out[1]) and out[0] < out[2]
    cm = assess(np.array([2.0, np.nan]), "bike", 30)
    assert cm.status.tolist() == [OK, UNKNOWN] and not cm.excluded.any()


def test_unknown_mode() -> None:
    with pytest.raises(UsageError, match="walk"):
        commute_minutes(1, "horse")


def test_status_follows_the_band() -> None:
    est = commute_minutes(7.0, "bike")
    lo, hi = band(est, "bike")
    assert assess(7.0, "bike", hi + 0.1).status[0] == OK
    assert assess(7.0, "bike", (lo + hi) / 2).status[0] == CHECK
    assert assess(7.0, "bike", lo - 0.1).status[0] == TOO_FAR
    assert assess(7.0, "bike", lo - 0.1).excluded[0]


def test_round_band_keeps_the_limit_inside() -> None:
    assert round_band(31.2, 52.4) == (30, 50)
    assert round_band(24.3, 33.4, 30) == (25, 35)
    assert round_band(24.3, 29.9, 30) == (25, 30)
    assert round_band(28.0, 30.4, 30) == (30, 35)
    assert round_band(5.2, 11.2) == (5, 10)


#: no per-example deadline: on a shared 2-core machine one example can take 200 ms
NO_DEADLINE = settings(deadline=None)


@NO_DEADLINE
@given(st.floats(0, 300), st.sampled_from(list(MODES)))
def test_estimates_grow_with_distance(km: float, mode: str) -> None:
    a, b = commute_minutes(km, mode), commute_minutes(km + 0.5, mode)
    assert b > a
    assert band(b, mode)[0] >= band(a, mode)[0]


@NO_DEADLINE
@given(st.floats(1, 200), st.sampled_from(list(MODES)))
def test_max_distance_inverts_minutes(km: float, mode: str) -> None:
    minutes = commute_minutes(km, mode)
    assert max_distance_km(minutes, mode) == pytest.approx(km, rel=1e-6, abs=1e-6)


@NO_DEADLINE
@given(st.floats(0, 300), st.integers(5, 120), st.sampled_from(list(MODES)))
def test_reach_holds_everything_not_too_far(km: float, limit: int, mode: str) -> None:
    """The matcher's prefilter radius: nothing within reach is outside it."""
    r = reach_km(limit, mode)
    if assess(km, mode, limit).status[0] != TOO_FAR:
        assert km <= r + 1e-6
    else:
        assert km >= r - 1e-6


@NO_DEADLINE
@given(st.floats(54.5, 57.8), st.floats(8.0, 15.2))
def test_vectorised_haversine_matches_geo(lat: float, lon: float) -> None:
    got = haversine_km(np.array([lat]), np.array([lon]), 57.05, 9.92)[0]
    assert got == pytest.approx(distance_km((lat, lon), (57.05, 9.92)), rel=1e-9, abs=1e-9)
