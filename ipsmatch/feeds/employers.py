"""Employer lists for job development (CSV): ``cvr,name,address,postcode,city,lat,lon,
industry,notes``; only ``name`` is required."""

from __future__ import annotations

from pathlib import Path

from ipsmatch import limits
from ipsmatch.domain import Employer
from ipsmatch.errors import FeedError, FeedReadError
from ipsmatch.feeds.checks import as_coords, as_cvr, as_postcode, as_text, plausible_coords
from ipsmatch.feeds.csvfeed import csv_rows
from ipsmatch.feeds.files import read_text
from ipsmatch.feeds.types import Draft
from ipsmatch.geo import postcode_info
from ipsmatch.privacy import cpr_field

EMPLOYER_COLUMNS: tuple[str, ...] = ("cvr", "name", "address", "postcode", "city", "lat", "lon",
                                     "industry", "notes")

#: the longest each text may be (the database's columns)
_LIMITS = {"name": limits.NAME, "address": limits.NAME, "city": limits.CITY,
           "industry": limits.INDUSTRY}


def read_employers(path: Path | str, *, max_bytes: int = 200_000_000
                   ) -> tuple[list[Employer], list[FeedError]]:
    """Employers from a CSV file, and the rows that were skipped (FeedError each).

    Raises FeedReadError when the file itself cannot be read (encoding, empty, bad header)."""
    p = Path(path)
    name = str(p)
    text = read_text(p, max_bytes)
    if text.lstrip()[:1] in ("{", "["):
        raise FeedReadError("this is JSON, not a CSV employer list", file=name,
                            hint="export the list as CSV with a header row: "
                                 + ",".join(EMPLOYER_COLUMNS))
    employers: list[Employer] = []
    errors: list[FeedError] = []
    seen: dict[str, int] = {}
    for line, row, problem in csv_rows(text, name, EMPLOYER_COLUMNS, ("name",)):
        d = Draft(file=name, line=line)
        if row is None:
            d.error(None, problem or "bad row")
            errors += d.errors
            continue
        if (bad := cpr_field(row)) is not None:
            d.error(bad, "looks like a CPR number (ddmmyy-xxxx); the row is not stored",
                    hint="ipsmatch never stores CPR numbers")
            errors += d.errors
            continue
        emp_name = as_text(d, "name", row.get("name"), required=True)
        cvr = as_cvr(d, "cvr", row.get("cvr"))
        postcode = as_postcode(d, "postcode", row.get("postcode"))
        lat, lon = as_coords(d, row.get("lat"), row.get("lon"))
        texts = {k: as_text(d, k, row.get(k)) for k in _LIMITS if k != "name"}
        for k, limit in _LIMITS.items():
            value = emp_name if k == "name" else texts[k]
            if value is not None and len(value) > limit:
                d.error(k, f"{len(value):,} characters, more than the {limit:,} allowed",
                        hint="shorten it; details belong in notes")
        if cvr and cvr in seen and not d.errors:
            d.error("cvr", f"duplicate CVR {cvr} (first on line {seen[cvr]})",
                    hint="list each employer once")
        if d.errors:
            errors += d.errors
            continue
        if cvr:
            seen[cvr] = line
        lat, lon = plausible_coords(d, lat, lon, postcode)
        info = postcode_info(postcode) if postcode else None
        if (lat is None or lon is None) and info:
            lat, lon = info.lat, info.lon
        employers.append(Employer(
            name=emp_name or "", cvr=cvr, address=texts["address"],
            postcode=postcode, city=texts["city"] or (info.name if info else None),
            lat=lat, lon=lon, industry=texts["industry"],
            notes=(row.get("notes") or "").strip() or None))
    return employers, errors
