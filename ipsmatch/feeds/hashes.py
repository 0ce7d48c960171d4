"""The hashes of a record: its raw form (so a refresh need not read an unchanged record
again) and its content (so a refresh tells a changed ad from an unchanged one)."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from ipsmatch.domain import Vacancy


def _reader_fingerprint() -> str:
    """A digest of the code and data that turn a raw record into a Vacancy (the readers, the
    HTML and fact extraction, the postcode table). Part of every raw hash, so an ipsmatch
    whose reading changed re-reads every record once instead of trusting old results, with
    nobody having to remember to bump a number."""
    pkg = Path(__file__).resolve().parent.parent
    files = [*sorted((pkg / "feeds").glob("*.py")),
             pkg / "text" / "facts.py", pkg / "text" / "fact_rules.py", pkg / "text" / "hours.py",
             pkg / "text" / "html.py", pkg / "geo.py",
             *sorted((pkg / "data" / "geo_dk").glob("*.csv"))]
    h = hashlib.sha256()
    for f in files:
        with contextlib.suppress(OSError):
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


#: Part of every record's raw hash (see :func:`_reader_fingerprint`).
READER_VERSION = f"1+{_reader_fingerprint()}"


def raw_hash(fmt: str, raw: Any) -> str:
    """sha256 of a record's raw form (a JSON value; a CSV row as a dict) with the format and
    :data:`READER_VERSION`, so equal raw input read by the same code gives the same hash."""
    blob = json.dumps([READER_VERSION, fmt, raw], sort_keys=True, ensure_ascii=False,
                      default=str)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def combine_hashes(*hashes: str | None) -> str | None:
    """One raw hash for a record built from several raw records (Jobnet search + detail)."""
    if any(h is None for h in hashes):
        return None
    return hashlib.sha256("\x1f".join(hashes).encode()).hexdigest()  # type: ignore[arg-type]


def content_hash(v: Vacancy) -> str:
    """sha256 over the normalised content fields (not ids of the store, not first/last seen),
    so a refresh can tell a changed ad from an unchanged one."""
    emp = v.employer
    payload = {
        "source": v.source, "external_id": v.external_id, "title": v.title, "text": v.text,
        "url": v.url,
        "employer": None if emp is None else [emp.name, emp.cvr, emp.address, emp.postcode,
                                              emp.city],
        "address": v.address, "postcode": v.postcode, "city": v.city,
        "lat": None if v.lat is None else round(v.lat, 5),
        "lon": None if v.lon is None else round(v.lon, 5),
        "hours": [v.hours_min, v.hours_max],
        "schedule": {k: v.schedule[k] for k in sorted(v.schedule)},
        "employment_type": v.employment_type, "work_conditions": sorted(v.work_conditions),
        "posted": v.posted.isoformat() if v.posted else None,
        "deadline": v.deadline.isoformat() if v.deadline else None,
        "occupation_hint": v.occupation_hint, "occupation_uri": v.occupation_uri,
        "facts": sorted([f.key, f.value, f.phrase, f.source, f.implied, f.detail or ""]
                        for f in v.facts),
        "contact": v.contact or None,
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
