"""Postcode town points and the plausibility of an ad's own coordinates (issue #13 part 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipsmatch.feeds import CSV_COLUMNS, read_employers, read_feeds
from ipsmatch.geo import (
    distance_km,
    implausible_point,
    on_land,
    postcode_info,
)


def test_town_points_not_area_centroids() -> None:
    # Nørresundby and Aalborg face each other across the Limfjord bridge.
    assert distance_km(postcode_info("9400").point, postcode_info("9000").point) == \
        pytest.approx(1.2, abs=0.05)
    # Hjørring -> Aalborg: the town points, ~46 km as the crow flies.
    assert distance_km(postcode_info("9800").point, postcode_info("9000").point) == \
        pytest.approx(46.4, abs=0.05)
    # Ranges keep working (Copenhagen K is 1000-1499), with an area box.
    k = postcode_info("1050")
    assert k is not None and k.name == "København K"
    assert k.bbox == (55.66792, 12.55807, 55.72148, 12.73393)


@pytest.mark.parametrize(("lat", "lon"), [(57.048, 9.9187), (55.6761, 12.5683),
                                          (55.10, 14.70), (57.7249, 10.5804)])
def test_on_land(lat: float, lon: float) -> None:
    assert on_land(lat, lon)  # Aalborg, København, Bornholm, Skagen


@pytest.mark.parametrize(("lat", "lon"), [(56.5, 7.9), (55.2, 11.0), (57.5, 11.5),
                                          (55.4329, 5.2422)])
def test_at_sea(lat: float, lon: float) -> None:
    # North Sea, Storebælt, Kattegat, and the sample ad 5376524's point
    assert not on_land(lat, lon)
    assert implausible_point(lat, lon, "9000") == "at sea"


def test_far_from_its_postcode() -> None:
    # Aalborg's point given for an Aarhus ad
    assert implausible_point(57.048, 9.9187, "8000") == "99 km outside 8000 Aarhus C"
    # inside its area, or a little outside its box, is fine
    assert implausible_point(57.03344, 9.82232, "9000") is None
    assert implausible_point(56.16, 10.21, "8000") is None
    assert implausible_point(56.16, 10.21, None) is None


def test_feed_falls_back_to_the_town_point_with_a_warning(tmp_path: Path) -> None:
    rows = ["1,Lagerarbejder,Lager.,Firma,,,9000,,56.5,7.9,,,,,,,,,,,",      # North Sea
            "2,Lagerarbejder,Lager.,Firma,,,9000,,56.157,10.211,,,,,,,,,,,",  # Aarhus
            "3,Lagerarbejder,Lager.,Firma,,,9000,,57.0352,9.9300,,,,,,,,,,,"]  # Aalborg
    feed = tmp_path / "f.csv"
    feed.write_text(",".join(CSV_COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    b = read_feeds([feed])
    assert not b.errors, [str(e) for e in b.errors]
    got = {v.external_id: (v.lat, v.lon) for v in b.vacancies}
    town = postcode_info("9000").point
    assert got["1"] == town and got["2"] == town and got["3"] == (57.0352, 9.93)
    assert [(w.line, w.field, w.message) for w in b.warnings] == [
        (2, "lat/lon", "(56.5, 7.9) is at sea; used the postcode's town point instead"),
        (3, "lat/lon", "(56.157, 10.211) is 96 km outside 9000 Aalborg; used the postcode's "
                       "town point instead")]


def test_employer_list_falls_back_too(tmp_path: Path) -> None:
    p = tmp_path / "e.csv"
    p.write_text("cvr,name,address,postcode,city,lat,lon,industry,notes\n"
                 "30806883,Firma,,9000,,56.5,7.9,,\n", encoding="utf-8")
    emps, errors = read_employers(p)
    assert not errors and (emps[0].lat, emps[0].lon) == postcode_info("9000").point
