"""Conversions: domain objects <-> table rows, and the JSON records the CLI and suggest emit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from ipsmatch.domain import SCHEDULE_KEYS, Employer, Fact, Vacancy
from ipsmatch.identity import name_key

#: the largest row id either database stores (a 64-bit signed integer)
MAX_ROW_ID = 2**63 - 1


def row_id(text: str | int) -> int | None:
    """``text`` as a row id when it is one (ASCII digits, 1 to 2**63 - 1), else None, so an
    id like ``99999999999999999999999`` or ``²`` is simply not found, never a crash.

    >>> row_id("42"), row_id("²"), row_id("99999999999999999999999")
    (42, None, None)
    """
    if isinstance(text, int) and not isinstance(text, bool):
        return text if 0 < text <= MAX_ROW_ID else None
    s = str(text).strip()
    if not (s.isascii() and s.isdigit()) or len(s) > 19:
        return None
    n = int(s)
    return n if 0 < n <= MAX_ROW_ID else None


EMPLOYER_FIELDS = ("cvr", "name", "address", "postcode", "city", "lat", "lon", "industry",
                   "notes")


def employer_to_row(e: Employer) -> dict[str, Any]:
    row = {f: getattr(e, f) for f in EMPLOYER_FIELDS}
    row["cvr"] = e.cvr or None
    row["name_key"] = name_key(e.name)
    row["attributes"] = dict(e.attributes or {})
    return row


def employer_from_row(r: Mapping[Any, Any]) -> Employer:
    return Employer(id=r["id"], attributes=dict(r["attributes"] or {}),
                    **{f: r[f] for f in EMPLOYER_FIELDS})


def merge_employer(stored: Any, new: dict[str, Any]) -> dict[str, Any]:
    """The column changes that bring ``stored`` up to ``new``: empty new values never erase
    what the team knows, and attributes are merged key by key."""
    changes: dict[str, Any] = {}
    for k, v in new.items():
        if k == "attributes":
            merged = {**(stored["attributes"] or {}), **(v or {})}
            if merged != (stored["attributes"] or {}):
                changes[k] = merged
        elif v not in (None, "") and v != stored[k]:
            changes[k] = v
    return changes


VACANCY_FIELDS = ("source", "external_id", "title", "text", "url", "address", "postcode",
                  "city", "lat", "lon", "hours_min", "hours_max", "employment_type", "posted",
                  "deadline", "occupation_hint", "occupation_uri", "occupation_label",
                  "occupation_confidence", "content_hash", "first_seen", "last_seen",
                  "expired_at", "contact")

#: the columns a Vacancy is built from (employer columns are added by the loader)
VACANCY_COLUMNS = ("id", *VACANCY_FIELDS, *(f"sched_{k}" for k in SCHEDULE_KEYS),
                   "work_conditions", "facts", "employer_id")


def vacancy_to_row(v: Vacancy) -> dict[str, Any]:
    """Columns of a vacancy, without id/employer_id (the caller decides those)."""
    row = {f: getattr(v, f) for f in VACANCY_FIELDS}
    row["text"] = v.text or ""
    for k in SCHEDULE_KEYS:
        row[f"sched_{k}"] = v.schedule.get(k)
    row["work_conditions"] = list(v.work_conditions)
    row["facts"] = [f.to_dict() for f in v.facts]
    # Written, but not in VACANCY_FIELDS: loading it for every ad would only cost memory.
    row["raw_hash"] = v.raw_hash
    return row


def vacancy_from_row(r: Mapping[Any, Any], employer: Employer | None = None) -> Vacancy:
    v = Vacancy(**{f: r[f] for f in VACANCY_FIELDS})
    v.id = r["id"]
    v.schedule = {k: r[f"sched_{k}"] for k in SCHEDULE_KEYS}
    v.work_conditions = list(r["work_conditions"] or [])
    v.facts = [Fact.from_dict(d) for d in (r["facts"] or [])]
    v.employer = employer
    return v


_DATE_FIELDS = ("posted", "deadline")
_TIME_FIELDS = ("first_seen", "last_seen", "expired_at")


def vacancy_to_json(v: Vacancy) -> dict[str, Any]:
    """Every field of a vacancy as JSON values: its row (:func:`vacancy_to_row`) with ISO
    dates, plus what the table keeps elsewhere (id, the whole employer). For a vacancy that
    waits to be written (the refresh's spill file); :func:`vacancy_from_json` reads it back
    equal. People and the CLI get :func:`vacancy_to_dict` instead.
    """
    d = vacancy_to_row(v)
    for k in (*_DATE_FIELDS, *_TIME_FIELDS):
        d[k] = _iso(d[k])
    d["id"] = v.id
    d["employer"] = None if v.employer is None else asdict(v.employer)
    return d


def vacancy_from_json(d: Mapping[str, Any]) -> Vacancy:
    """The vacancy :func:`vacancy_to_json` wrote. Its schedule holds the keys the ad states
    (readers never write an unstated key)."""
    r = dict(d)
    for k in _DATE_FIELDS:
        r[k] = None if r[k] is None else date.fromisoformat(r[k])
    for k in _TIME_FIELDS:
        r[k] = None if r[k] is None else datetime.fromisoformat(r[k])
    emp = r["employer"]
    v = vacancy_from_row(r, employer=None if emp is None else Employer(**emp))
    v.schedule = {k: x for k, x in v.schedule.items() if x is not None}
    v.raw_hash = r["raw_hash"]
    return v


_POS = {c: i for i, c in enumerate(VACANCY_COLUMNS)}
_FIELD_POS = [(f, _POS[f]) for f in VACANCY_FIELDS]
_SCHED_POS = [(k, _POS[f"sched_{k}"]) for k in SCHEDULE_KEYS]
_I_ID, _I_WC, _I_FACTS = _POS["id"], _POS["work_conditions"], _POS["facts"]


def vacancy_from_tuple(r: Sequence[Any], employer: Employer | None = None,
                       facts: dict[tuple[Any, ...], Fact] | None = None) -> Vacancy:
    """Like :func:`vacancy_from_row` for a row selected in ``VACANCY_COLUMNS`` order.

    ``facts``: a cache shared over many rows. Facts are immutable and the same phrase recurs
    in many ads, so equal facts become one object (faster, and less memory for 100k ads).
    """
    v = Vacancy(**{f: r[i] for f, i in _FIELD_POS})
    v.id = r[_I_ID]
    v.schedule = {k: r[i] for k, i in _SCHED_POS}
    v.work_conditions = list(r[_I_WC] or [])
    if facts is None:
        v.facts = [Fact.from_dict(d) for d in (r[_I_FACTS] or [])]
    else:
        out = []
        for d in r[_I_FACTS] or ():
            key = (d["key"], bool(d["value"]), d.get("phrase", ""), d.get("source", "text"),
                   bool(d.get("implied", False)), d.get("detail"))
            f = facts.get(key)
            if f is None:
                f = facts[key] = Fact(*key)
            out.append(f)
        v.facts = out
    v.employer = employer
    return v


def _iso(v: date | datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


def vacancy_to_dict(v: Vacancy) -> dict[str, Any]:
    """The JSON record of a vacancy (CLI ``--format json``, suggest output).

    Keys: id, source, external_id, title, employer {name, cvr}, postcode, city, lat, lon,
    hours_min, hours_max, schedule, work_conditions, employment_type, posted, deadline,
    occupation {uri, label, confidence}, facts, contact, url, first_seen, last_seen,
    expired_at; kind ("job" or "education": an apprentice or trainee ad) and education_kind.
    """
    from ipsmatch.education.detect import education_kind

    emp = v.employer
    edu = education_kind(v.title, v.text)
    return {
        "id": v.id,
        "source": v.source,
        "external_id": v.external_id,
        "title": v.title,
        "kind": "job" if edu is None else "education",
        "education_kind": edu,
        "employer": {"name": emp.name, "cvr": emp.cvr} if emp else None,
        "postcode": v.postcode,
        "city": v.city,
        "lat": v.lat,
        "lon": v.lon,
        "hours_min": v.hours_min,
        "hours_max": v.hours_max,
        "schedule": {k: v.schedule.get(k) for k in SCHEDULE_KEYS},
        "work_conditions": list(v.work_conditions),
        "employment_type": v.employment_type,
        "posted": _iso(v.posted),
        "deadline": _iso(v.deadline),
        "occupation": {"uri": v.occupation_uri, "label": v.occupation_label,
                       "confidence": v.occupation_confidence},
        "facts": [f.to_dict() for f in v.facts],
        "contact": dict(v.contact) if v.contact else None,
        "url": v.url,
        "first_seen": _iso(v.first_seen),
        "last_seen": _iso(v.last_seen),
        "expired_at": _iso(v.expired_at),
    }


def employer_to_dict(e: Employer) -> dict[str, Any]:
    """The JSON record of an employer."""
    return {"id": e.id, "cvr": e.cvr, "name": e.name, "address": e.address,
            "postcode": e.postcode, "city": e.city, "lat": e.lat, "lon": e.lon,
            "industry": e.industry, "notes": e.notes, "attributes": dict(e.attributes)}
