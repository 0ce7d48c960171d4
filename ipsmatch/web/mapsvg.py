"""An offline map as inline SVG: municipality outlines, a few town names, the citizen's home,
the commute limit and numbered markers. Drawn on the server from the data bundled in
``ipsmatch/data/geo_dk`` (see MAP_SOURCE.md there); nothing is fetched from a tile server.

The projection is a local equirectangular one in kilometres around the home (good to well
under 1 % over a commuting radius), so the commute circle is a true circle.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo_dk"
KM_PER_DEG_LAT = 110.57
ATTRIBUTION = ("Kommunegrænser: Indeholder data fra Styrelsen for Dataforsyning og "
               "Infrastruktur, DAGI 1:500.000 (2014). Bynavne: GeoNames (geonames.org), "
               "CC BY 4.0.")


@dataclass(frozen=True)
class Marker:
    lat: float
    lon: float
    label: str          # shown in the marker ("1", "A")
    title: str          # tooltip / accessible name
    kind: str           # "ad" or "employer"


@lru_cache(maxsize=1)
def _municipalities() -> list[tuple[str, list[tuple[tuple[float, float, float, float],
                                                    list[list[float]]]]]]:
    data = json.loads((GEO_DIR / "map_municipalities.json").read_text(encoding="utf-8"))
    out = []
    for m in data["municipalities"]:
        rings = []
        for ring in m["rings"]:
            xs = [p[0] for p in ring]
            ys = [p[1] for p in ring]
            rings.append(((min(xs), min(ys), max(xs), max(ys)), ring))
        out.append((m["navn"], rings))
    return out


@lru_cache(maxsize=1)
def _towns() -> list[tuple[str, float, float]]:
    with (GEO_DIR / "map_postcode_points.csv").open(encoding="utf-8", newline="") as fh:
        return [(r["navn"], float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh)]


def _base_name(name: str) -> str:
    # "Aalborg SV" and "Aalborg Øst" are parts of Aalborg: label the town once
    parts = name.split()
    while len(parts) > 1 and (len(parts[-1]) <= 2 or parts[-1] in ("Øst", "Vest", "Syd", "Nord")):
        parts.pop()
    return " ".join(parts)


def render_map(home: tuple[float, float], markers: Sequence[Marker], *, reach_km: float | None,
               title: str, lang: str = "da") -> str:
    """The SVG (a string of trusted markup; every text in it is escaped)."""
    lat0, lon0 = home
    kx = math.cos(math.radians(lat0)) * 111.32

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (lon - lon0) * kx, -(lat - lat0) * KM_PER_DEG_LAT

    aspect = 1.35  # wider than high: a laptop or tablet in landscape
    far = max([max(abs(x) / aspect, abs(y)) for x, y in (xy(m.lat, m.lon) for m in markers)]
              + [reach_km or 0.0, 4.0])
    r = far * 1.12
    rx = r * aspect
    # the view in degrees, to pick the outlines and towns to draw
    dlat, dlon = r / KM_PER_DEG_LAT, rx / kx
    view = (lon0 - dlon, lat0 - dlat, lon0 + dlon, lat0 + dlat)
    parts: list[str] = []
    w = r / 220  # one "pixel" at about 440 px high
    parts.append(f'<svg xmlns="http://www.w3.org/2000/svg" class="map" role="img" '
                 f'aria-labelledby="map-title" viewBox="{-rx:.2f} {-r:.2f} {2 * rx:.2f} '
                 f'{2 * r:.2f}" preserveAspectRatio="xMidYMid meet">')
    parts.append(f'<title id="map-title">{escape(title)}</title>')
    parts.append(f'<rect x="{-rx:.2f}" y="{-r:.2f}" width="{2 * rx:.2f}" height="{2 * r:.2f}" '
                 'fill="#dcebf5"/>')
    for name, rings in _municipalities():
        d = []
        for (x0, y0, x1, y1), ring in rings:
            if x1 < view[0] or x0 > view[2] or y1 < view[1] or y0 > view[3]:
                continue
            pts = [xy(p[1], p[0]) for p in ring]
            d.append("M" + " L".join(f"{x:.2f} {y:.2f}" for x, y in pts) + "Z")
        if d:
            parts.append(f'<path class="land" d="{" ".join(d)}" fill="#f4f1e8" '
                         f'stroke="#a39e8f" stroke-width="{w * 1.2:.3f}">'
                         f'<title>{escape(name)}</title></path>')
    if reach_km:
        parts.append(f'<circle class="reach" cx="0" cy="0" r="{reach_km:.2f}" fill="#2f6db5" '
                     f'fill-opacity="0.07" stroke="#2f6db5" stroke-width="{w * 2:.3f}" '
                     f'stroke-dasharray="{w * 8:.3f} {w * 5:.3f}"/>')
    # town names, spaced out so they do not collide
    placed: list[tuple[float, float]] = []
    seen: set[str] = set()
    fs = w * 11
    for name, lat, lon in _towns():
        if not (view[1] < lat < view[3] and view[0] < lon < view[2]):
            continue
        base = _base_name(name)
        x, y = xy(lat, lon)
        if base in seen or any(math.hypot(x - a, y - b) < r / 5 for a, b in placed):
            continue
        seen.add(base)
        placed.append((x, y))
        parts.append(f'<text class="town" x="{x:.2f}" y="{y:.2f}" font-size="{fs:.3f}" '
                     f'fill="#6b6658" text-anchor="middle">{escape(base)}</text>')
    # markers: one that would cover another is moved aside, with a line to its true place
    size = w * 10
    taken: list[tuple[float, float]] = [(0.0, 0.0)]  # the home
    leaders: list[str] = []   # drawn under every marker
    drawn: list[str] = []
    for m in markers:
        x0, y0 = xy(m.lat, m.lon)
        x, y, step = x0, y0, 0
        while any(math.hypot(x - a, y - b) < size * 2.1 for a, b in taken) and step < 60:
            step += 1
            ang, dist = step * 0.9, size * (1.6 + step * 0.25)
            x, y = x0 + math.cos(ang) * dist, y0 + math.sin(ang) * dist
        taken.append((x, y))
        if (x, y) != (x0, y0):
            leaders.append(f'<line x1="{x0:.2f}" y1="{y0:.2f}" x2="{x:.2f}" y2="{y:.2f}" '
                          f'stroke="#333" stroke-width="{w:.3f}"/><circle cx="{x0:.2f}" '
                          f'cy="{y0:.2f}" r="{w * 2.5:.3f}" fill="#333"/>')
        if m.kind == "employer":
            shape = (f'<rect x="{x - size:.2f}" y="{y - size:.2f}" width="{2 * size:.2f}" '
                     f'height="{2 * size:.2f}" fill="#b35a1f" stroke="#fff" '
                     f'stroke-width="{w * 1.5:.3f}"/>')
        else:
            shape = (f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{size:.2f}" fill="#1f5fa8" '
                     f'stroke="#fff" stroke-width="{w * 1.5:.3f}"/>')
        drawn.append(f'<g class="marker marker-{m.kind}"><title>{escape(m.title)}</title>'
                     f'{shape}<text x="{x:.2f}" y="{y + size * 0.42:.2f}" '
                     f'font-size="{size * 1.2:.3f}" fill="#fff" text-anchor="middle" '
                     f'font-weight="bold">{escape(m.label)}</text></g>')
    parts.extend(leaders)
    parts.extend(drawn)
    # home on top
    h = w * 13
    home_title = "Hjem" if lang == "da" else "Home"
    parts.append(f'<g class="marker marker-home"><title>{home_title}</title>'
                 f'<path d="M0 {-h:.2f} L{h:.2f} 0 L{h * 0.65:.2f} 0 L{h * 0.65:.2f} {h:.2f} '
                 f'L{-h * 0.65:.2f} {h:.2f} L{-h * 0.65:.2f} 0 L{-h:.2f} 0 Z" fill="#2b7a3d" '
                 f'stroke="#fff" stroke-width="{w * 1.5:.3f}"/></g>')
    # scale bar
    bar = _nice(r / 2.5)
    bx, by = -rx + w * 15, r - w * 18
    parts.append(f'<g class="scale"><rect x="{bx:.2f}" y="{by:.2f}" width="{bar:.2f}" '
                 f'height="{w * 3:.3f}" fill="#333"/><text x="{bx:.2f}" y="{by - w * 4:.2f}" '
                 f'font-size="{fs:.3f}" fill="#333">{_km(bar, lang)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _nice(x: float) -> float:
    p = 10 ** math.floor(math.log10(x))
    for m in (5, 2, 1):
        if m * p <= x:
            return m * p
    return p


def _km(x: float, lang: str) -> str:
    s = f"{x:g}"
    return (s.replace(".", ",") if lang == "da" else s) + " km"


def markers_for(result: Any, lang: str = "da", limit: int = 10) -> list[Marker]:
    """Numbered markers for a SuggestResult's vacancies (1, 2, ...) and employers (A, B, ...)
    that have a place."""
    out = []
    for i, s in enumerate(result.vacancies[:limit], 1):
        v = s.vacancy
        if v.lat is not None and v.lon is not None:
            who = f" – {v.employer.name}" if v.employer else ""
            out.append(Marker(v.lat, v.lon, str(i), f"{i}. {v.title}{who}", "ad"))
    for i, e in enumerate(result.employers[:limit]):
        emp = e.employer
        if emp.lat is not None and emp.lon is not None:
            letter = chr(ord("A") + i)
            out.append(Marker(emp.lat, emp.lon, letter, f"{letter}. {emp.name}", "employer"))
    return out
