"""Danish postcodes → approximate coordinates, municipality and region (bundled data).

    >>> from ipsmatch.geo import postcode_info, distance_km
    >>> postcode_info("9400").name
    'Nørresundby'
    >>> round(distance_km(postcode_info("9000").point, postcode_info("9400").point))
    6
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

Point = tuple[float, float]


@dataclass(frozen=True)
class PostcodeInfo:
    postcode: str
    name: str
    lat: float
    lon: float
    municipality: str | None = None
    region: str | None = None

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
    table: dict[str, PostcodeInfo] = {}
    for row in csv.DictReader(_data_file("postcode_centroids.csv").splitlines()):
        key = row["postnr"].strip()
        lo, _, hi = key.partition("-")
        codes = range(int(lo), int(hi or lo) + 1)
        for c in codes:
            code = f"{c:04d}"
            m = muni.get(code) or muni.get(lo.zfill(4))
            table[code] = PostcodeInfo(code, row["navn"], float(row["lat"]), float(row["lon"]),
                                       m[0] if m else None, m[1] if m else None)
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


def is_known_postcode(value: object) -> bool:
    return postcode_info(value) is not None


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance in km (haversine)."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))
