"""Danish postcodes → a town point, area box, municipality and region (bundled data), and
whether an ad's own coordinates are plausible.

The point of a postcode is its town (GeoNames, CC BY 4.0; see data/geo_dk/SOURCE.md), not the
centroid of its area: Nørresundby's and Aalborg's points are 1.2 km apart across the Limfjord,
where the area centroids were 6 km apart.

    >>> from ipsmatch.geo import postcode_info, distance_km
    >>> postcode_info("9400").name
    'Nørresundby'
    >>> round(distance_km(postcode_info("9000").point, postcode_info("9400").point), 1)
    1.2
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

Point = tuple[float, float]

#: An ad's own point further than this outside its postcode area's bounding box is not its
#: workplace (a typo, or a geocoder's guess): the postcode's town point is used instead.
PLAUSIBLE_MARGIN_KM = 3.0
#: A point this close to the coastline still counts as on land (harbours, piers, and the
#: outline is simplified to ~50 m).
COAST_TOLERANCE_KM = 1.0


@dataclass(frozen=True)
class PostcodeInfo:
    postcode: str
    name: str
    lat: float
    lon: float
    municipality: str | None = None
    region: str | None = None
    #: the postcode area's bounding box (min lat, min lon, max lat, max lon)
    bbox: tuple[float, float, float, float] | None = None

    @property
    def point(self) -> Point:
        return (self.lat, self.lon)


def _data_file(name: str) -> str:
    return resources.files("ipsmatch").joinpath("data", "geo_dk", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _table() -> dict[str, PostcodeInfo]:
    muni: dict[str, tuple[str, str]] = {}
    for row in csv.DictReader(_data_file("postcode_municipality_region.csv").splitlines(),
                              delimiter=";"):
        code = row["POSTNR"].strip().zfill(4)
        muni.setdefault(code, (row["ADRESSERINGSNAVN_1"], row["ADRESSERINGSNAVN"]))
    boxes: dict[str, tuple[float, float, float, float]] = {
        row["postnr"].strip(): (float(row["bbox_minlat"]), float(row["bbox_minlon"]),
                                float(row["bbox_maxlat"]), float(row["bbox_maxlon"]))
        for row in csv.DictReader(_data_file("postcode_centroids.csv").splitlines())}
    table: dict[str, PostcodeInfo] = {}
    # The town point per postcode area (same keys and ranges as the centroid file).
    for row in csv.DictReader(_data_file("postcode_points.csv").splitlines()):
        key = row["postnr"].strip()
        lo, _, hi = key.partition("-")
        codes = range(int(lo), int(hi or lo) + 1)
        for c in codes:
            code = f"{c:04d}"
            m = muni.get(code) or muni.get(lo.zfill(4))
            table[code] = PostcodeInfo(code, row["navn"], float(row["lat"]), float(row["lon"]),
                                       m[0] if m else None, m[1] if m else None,
                                       boxes.get(key))
    return table


def normalize_postcode(value: object) -> str | None:
    """'9400', 9400, ' 9400 ', 'DK-9400' → '9400'; anything else → None."""
    if value is None:
        return None
    s = str(value).strip().upper().removeprefix("DK-").removeprefix("DK").strip()
    if len(s) == 4 and s.isdigit():
        return s
    if len(s) == 3 and s.isdigit():  # 800 Høje Taastrup, 900 København C are written 3-digit
        return s.zfill(4)
    return None


def postcode_info(value: object) -> PostcodeInfo | None:
    """The bundled facts for a Danish postcode, or None when it is not a known postcode."""
    code = normalize_postcode(value)
    return _table().get(code) if code else None


def town_names() -> list[str]:
    """The town name of every postcode ("Nørresundby", "København K")."""
    return sorted({info.name for info in _table().values() if info.name})


def is_known_postcode(value: object) -> bool:
    return postcode_info(value) is not None


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance in km (haversine)."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


# --- is an ad's own point plausible? ------------------------------------------------------

#: The land grid: Denmark's box in cells of 0.005° latitude × 0.008° longitude (~550 × 500 m).
_GRID = (54.0, 58.2, 7.5, 15.5, 0.005, 0.008)


@lru_cache(maxsize=1)
def _land_mask() -> np.ndarray:
    """Cells whose centre is on land (data/geo_dk/denmark_outline.geojson, even-odd scanline
    fill), widened by COAST_TOLERANCE_KM. Built once per process (~0.2 s)."""
    lat0, lat1, lon0, lon1, dlat, dlon = _GRID
    rows, cols = round((lat1 - lat0) / dlat), round((lon1 - lon0) / dlon)
    edges: list[np.ndarray] = []
    for feat in json.loads(_data_file("denmark_outline.geojson"))["features"]:
        geom = feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in polys:
            for ring in poly:
                r = np.asarray(ring, dtype=np.float64)
                edges.append(np.column_stack([r[:-1], r[1:]]))  # x1, y1, x2, y2
    e = np.concatenate(edges)
    x1, y1, x2, y2 = e[:, 0], e[:, 1], e[:, 2], e[:, 3]
    xs = lon0 + (np.arange(cols) + 0.5) * dlon
    land = np.zeros((rows, cols), dtype=bool)
    for i in range(rows):
        y = lat0 + (i + 0.5) * dlat
        cross = (y1 <= y) != (y2 <= y)
        if not cross.any():
            continue
        cx = np.sort(x1[cross] + (y - y1[cross]) * (x2[cross] - x1[cross])
                     / (y2[cross] - y1[cross]))
        land[i] = np.searchsorted(cx, xs) % 2 == 1
    # Widen by the tolerance (in cells, per axis).
    ki = max(1, round(COAST_TOLERANCE_KM / 111.2 / dlat))
    kj = max(1, round(COAST_TOLERANCE_KM / (111.2 * math.cos(math.radians(56.0))) / dlon))
    wide = land.copy()
    for di in range(-ki, ki + 1):
        for dj in range(-kj, kj + 1):
            wide[max(0, di): rows + min(0, di), max(0, dj): cols + min(0, dj)] |= \
                land[max(0, -di): rows + min(0, -di), max(0, -dj): cols + min(0, -dj)]
    return wide


def on_land(lat: float, lon: float) -> bool:
    """Whether a point is on Danish land or within COAST_TOLERANCE_KM of it."""
    lat0, lat1, lon0, lon1, dlat, dlon = _GRID
    if not (lat0 <= lat < lat1 and lon0 <= lon < lon1):
        return False
    mask = _land_mask()
    return bool(mask[int((lat - lat0) / dlat), int((lon - lon0) / dlon)])


def _km_outside_box(lat: float, lon: float, box: tuple[float, float, float, float]) -> float:
    """How far a point lies outside a bounding box (0 inside), in km."""
    min_lat, min_lon, max_lat, max_lon = box
    dy = max(min_lat - lat, 0.0, lat - max_lat) * 111.2
    dx = max(min_lon - lon, 0.0, lon - max_lon) * 111.2 * math.cos(math.radians(lat))
    return math.hypot(dx, dy)


def implausible_point(lat: float, lon: float, postcode: str | None) -> str | None:
    """Why an ad's own coordinates cannot be where it is ("at sea", "12 km outside 9000
    Aalborg"), or None when they are plausible. Without a known postcode only the sea is
    checked."""
    if not on_land(lat, lon):
        return "at sea"
    info = postcode_info(postcode) if postcode else None
    if info is not None and info.bbox is not None:
        km = _km_outside_box(lat, lon, info.bbox)
        if km > PLAUSIBLE_MARGIN_KM:
            return f"{km:.0f} km outside {info.postcode} {info.name}"
    return None
