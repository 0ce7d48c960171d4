from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipsmatch.commute import MODES, commute_minutes, haversine_km, max_distance_km
from ipsmatch.errors import UsageError
from ipsmatch.geo import distance_km


def test_documented_speeds() -> None:
    assert commute_minutes(15, "bike") == pytest.approx(15 * 1.3 / 15 * 60)
    assert commute_minutes(50, "car") == pytest.approx(50 * 1.3 / 50 * 60 + 5)
    assert commute_minutes(22, "public") == pytest.approx(22 * 1.4 / 22 * 60 + 10)
    assert commute_minutes(4.5, "walk") == pytest.approx(1.3 * 60)


def test_short_trips_count_as_a_kilometre() -> None:
    assert commute_minutes(0, "bike") == commute_minutes(1, "bike")


def test_arrays_and_nan() -> None:
    out = commute_minutes(np.array([2.0, np.nan, 10.0]), "bike")
    assert math.isnan(out[1]) and out[0] < out[2]


def test_unknown_mode() -> None:
    with pytest.raises(UsageError, match="walk"):
        commute_minutes(1, "horse")


@given(st.floats(1, 200), st.sampled_from(list(MODES)))
def test_max_distance_inverts_minutes(km: float, mode: str) -> None:
    minutes = commute_minutes(km, mode)
    assert max_distance_km(minutes, mode) == pytest.approx(km, rel=1e-6)


@given(st.floats(54.5, 57.8), st.floats(8.0, 15.2))
def test_vectorised_haversine_matches_geo(lat: float, lon: float) -> None:
    got = haversine_km(np.array([lat]), np.array([lon]), 57.05, 9.92)[0]
    assert got == pytest.approx(distance_km((lat, lon), (57.05, 9.92)), rel=1e-9, abs=1e-9)
