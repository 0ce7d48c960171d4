"""Read an education catalogue (CSV or JSON) into validated :class:`EducationOffer` records.

Every bad record raises :class:`~ipsmatch.errors.FeedError` as ``file:line N: field: what is
wrong (how to fix)`` (JSON: ``record #N``); a file that cannot be read, or a CSV without a
required column, raises FeedReadError. Nothing is stored by reading: the store imports the
whole file in one transaction (:meth:`ipsmatch.store.Store.import_education`).

CSV columns (``;`` separates list items; lines starting with ``#`` before the header are
comments; see docs/jobdev.md)::

    id,name,type,institution,address,postcode,city,lat,lon,start_dates,continuous_intake,
    duration_weeks,hours_per_week,part_time,requirements,admission,su,leads_to,
    special_education,url,description

JSON: a list of objects with the same keys (lists as arrays, booleans as true/false), or
``{"offers": [...]}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ipsmatch.education.model import EDUCATION_TYPES, REQUIREMENTS, TYPE_ALIASES, EducationOffer
from ipsmatch.errors import FeedError, FeedReadError, InputError
from ipsmatch.feeds.csvfeed import csv_rows
from ipsmatch.geo import normalize_postcode, postcode_info
from ipsmatch.ips.freetext import check_free_text
from ipsmatch.limits import read_at_most
from ipsmatch.text.clean import clean_str

COLUMNS: tuple[str, ...] = (
    "id", "name", "type", "institution", "address", "postcode", "city", "lat", "lon",
    "start_dates", "continuous_intake", "duration_weeks", "hours_per_week", "part_time",
    "requirements", "admission", "su", "leads_to", "special_education", "url", "description",
)
REQUIRED: tuple[str, ...] = ("id", "name", "type", "institution", "postcode")
MAX_FILE_BYTES = 20_000_000
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_TRUE = {"true", "yes", "ja", "1", "y", "j", "x"}
_FALSE = {"false", "no", "nej", "0", "n", ""}
ESCO_PREFIX = "http://data.europa.eu/esco/occupation/"


def read_catalogue(path: str | Path, *, resolve: Callable[[str], tuple[str, str] | None]
                   | None = None) -> list[EducationOffer]:
    """All offers of a ``.csv`` or ``.json`` catalogue, validated; the first bad record raises.

    ``resolve`` maps a ``leads_to`` item (an ESCO URI or a Danish occupation label) to
    ``(uri, label)``; default: the bundled ESCO taxonomy (:func:`esco_resolver`).
    """
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise FeedReadError(f"larger than {MAX_FILE_BYTES // 1_000_000} MB", file=str(p),
                                hint="an education catalogue is a few hundred kB")
        raw = read_at_most(p, MAX_FILE_BYTES)
        if len(raw) > MAX_FILE_BYTES:  # a pipe or device: stat said 0
            raise FeedReadError(f"larger than {MAX_FILE_BYTES // 1_000_000} MB", file=str(p),
                                hint="an education catalogue is a few hundred kB")
    except OSError as exc:
        raise FeedReadError(f"cannot read: {exc.strerror}", file=str(p)) from None
    text = raw.decode("utf-8-sig", errors="replace")
    resolve = resolve or esco_resolver()
    if p.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        records = _json_records(text, str(p))
    else:
        records = _csv_records(text, str(p))
    out: list[EducationOffer] = []
    seen: dict[str, int] = {}
    for where, rec in records:
        try:
            offer = offer_from_record(rec, resolve=resolve)
            if offer.id in seen:
                raise FeedError(f"id {offer.id!r} is used twice (first in record/line "
                                 f"{seen[offer.id]})",
                                field="id", hint="every offer needs its own id")
        except FeedError as exc:
            raise _located(exc, str(p), where) from None
        except InputError as exc:  # a CPR number or over-long text in a free-text field
            raise _located(FeedError(exc.message, hint=exc.hint), str(p), where) from None
        seen[offer.id] = where
        out.append(offer)
    return out


def _csv_records(text: str, name: str) -> list[tuple[Any, dict[str, Any]]]:
    # Lines starting with '#' before the header are comments (the demo catalogue says there
    # which attributes are illustrative); line numbers in errors still count them. The rows
    # are read by the feeds' strict CSV reader (unclosed quotes, unknown columns, swallowed
    # rows are errors there too).
    lines = text.splitlines(keepends=True)
    skip = 0
    while skip < len(lines) and lines[skip].lstrip().startswith("#"):
        skip += 1
    out: list[tuple[Any, dict[str, Any]]] = []
    try:
        for line, row, problem in csv_rows("".join(lines[skip:]), name, COLUMNS, REQUIRED):
            if row is None:
                raise FeedError(problem or "unreadable row", file=name, line=line + skip)
            out.append((line + skip, {k: clean_str(v) for k, v in row.items()}))
    except FeedReadError as exc:  # its message counts lines from the header: count the file's
        exc.message = re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + skip}",
                             exc.message)
        raise
    return out


def _json_records(text: str, name: str) -> list[tuple[Any, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedReadError(f"not valid JSON: {exc}", file=name) from None
    if isinstance(data, dict):
        data = data.get("offers")
    if not isinstance(data, list):
        raise FeedReadError("must be a list of offers or {\"offers\": [...]}", file=name)
    out: list[tuple[Any, dict[str, Any]]] = []
    for i, rec in enumerate(data, 1):
        if not isinstance(rec, dict):
            raise FeedError("an offer must be an object", file=name, record=i)
        out.append((i, rec))
    # JSON records are numbered, not lined: marked so errors say "record #N".
    return [(_Rec(i), r) for i, r in out]


class _Rec(int):
    """A JSON record number (errors say ``record #N`` rather than ``line N``)."""


def _located(exc: FeedError, file: str, where: int) -> FeedError:
    exc.file = file
    if isinstance(where, _Rec):
        exc.record = int(where)
    else:
        exc.line = where
    return exc


# --- one record -------------------------------------------------------------------------------

def offer_from_record(rec: dict[str, Any], *,
                      resolve: Callable[[str], tuple[str, str] | None]) -> EducationOffer:
    """Validate one record (CSV strings or JSON values) into an offer; FeedError names the
    field."""
    unknown = set(rec) - set(COLUMNS)
    if unknown:
        raise FeedError(f"unknown key(s): {', '.join(sorted(unknown))}",
                        hint="known keys: " + ", ".join(COLUMNS))
    for key in ("admission", "description", "name", "institution", "address"):
        check_free_text(key, _s(rec.get(key)))
    oid = _s(rec.get("id"))
    if not oid or not _ID_RE.match(oid):
        raise FeedError("must be an id of letters, digits, '.', '_', ':' or '-' "
                        "(at most 64 characters)", field="id", hint="e.g. eucnord-kok-eud")
    name = _required(rec, "name")
    raw_type = (_s(rec.get("type")) or "").casefold()
    etype = TYPE_ALIASES.get(raw_type, raw_type)
    if etype not in EDUCATION_TYPES:
        raise FeedError(f"unknown type {rec.get('type')!r}", field="type",
                        hint="use one of: " + ", ".join(EDUCATION_TYPES))
    institution = _required(rec, "institution")
    raw_pc = _s(rec.get("postcode"))
    pc = normalize_postcode(raw_pc)
    if pc is None or postcode_info(pc) is None:
        raise FeedError(f"{raw_pc!r} is not a known Danish postcode", field="postcode",
                        hint="four digits, e.g. 9000")
    lat = _float(rec.get("lat"), "lat", 54.4, 57.9)
    lon = _float(rec.get("lon"), "lon", 7.7, 15.3)
    if (lat is None) != (lon is None):
        raise FeedError("give both lat and lon, or neither", field="lat" if lat is None
                        else "lon")
    starts = sorted({_date(x, "start_dates") for x in _list(rec.get("start_dates"))})
    continuous = _bool(rec.get("continuous_intake"), "continuous_intake", False)
    if not starts and not continuous:
        raise FeedError("no start date", field="start_dates",
                        hint="give ';'-separated dates (YYYY-MM-DD), or set "
                             "continuous_intake for admission all year")
    requirements = []
    from ipsmatch.profile import CERTIFICATES

    for item in _list(rec.get("requirements")):
        code = item.casefold()
        if code not in REQUIREMENTS and code not in CERTIFICATES:
            raise FeedError(f"unknown requirement {item!r}", field="requirements",
                            hint="use codes from: " + ", ".join([*REQUIREMENTS, *CERTIFICATES]))
        if code not in requirements:
            requirements.append(code)
    leads_to, labels = [], []
    for item in _list(rec.get("leads_to")):
        got = resolve(item)
        if got is None:
            raise FeedError(f"{item!r} is not an ESCO occupation (URI or Danish label)",
                            field="leads_to",
                            hint="see `ipsmatch occupations match TEXT` for the label")
        if got[0] not in leads_to:
            leads_to.append(got[0])
            labels.append(got[1])
    su_raw = rec.get("su")
    return EducationOffer(
        id=oid, name=name, type=etype, institution=institution, postcode=pc,
        city=_s(rec.get("city")), address=_s(rec.get("address")), lat=lat, lon=lon,
        start_dates=starts, continuous_intake=continuous,
        duration_weeks=_float(rec.get("duration_weeks"), "duration_weeks", 0.1, 520),
        hours_per_week=_float(rec.get("hours_per_week"), "hours_per_week", 0.5, 60),
        part_time=_bool(rec.get("part_time"), "part_time", False),
        requirements=requirements, admission=check_free_text("admission",
                                                             _s(rec.get("admission"))),
        su=None if _s(su_raw) is None and not isinstance(su_raw, bool)
        else _bool(su_raw, "su", False),
        leads_to=leads_to, leads_to_labels=labels,
        special_education=_bool(rec.get("special_education"), "special_education", False),
        url=_s(rec.get("url")), description=check_free_text("description",
                                                            _s(rec.get("description"))),
    )


def _s(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool | int | float):
        return str(v)
    if not isinstance(v, str):
        return None
    v = v.strip()
    return v or None


def _required(rec: dict[str, Any], key: str) -> str:
    v = _s(rec.get(key))
    if not v:
        raise FeedError("is required", field=key)
    return v


def _list(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, list):
        return [str(x).strip() for x in v if str(x).strip()]
    return [x.strip() for x in str(v).split(";") if x.strip()]


def _float(v: Any, key: str, lo: float, hi: float) -> float | None:
    s = _s(v)
    if s is None:
        return None
    try:
        x = float(s.replace(",", ".")) if isinstance(v, str) else float(v)
    except (TypeError, ValueError):
        raise FeedError(f"{s!r} is not a number", field=key) from None
    if not lo <= x <= hi:
        raise FeedError(f"{x:g} is outside {lo:g}–{hi:g}", field=key)
    return x


def _bool(v: Any, key: str, default: bool) -> bool:
    if isinstance(v, bool):
        return v
    s = (_s(v) or "").casefold()
    if not s:
        return default
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise FeedError(f"{v!r} is not yes/no", field=key, hint="write true or false (ja/nej)")


def _date(v: str, key: str) -> date:
    from ipsmatch.jobdev.contacts_csv import parse_date

    return parse_date(v, key)


def esco_resolver() -> Callable[[str], tuple[str, str] | None]:
    """``leads_to`` item -> (URI, Danish label) by the bundled ESCO occupations: a URI, or a
    preferred or alternative Danish label (case-insensitive)."""
    from ipsmatch.taxonomy.concepts import load_taxonomy

    tax = load_taxonomy()
    by_label: dict[str, tuple[str, str]] = {}
    for c in tax.concepts:
        if c.kind != "occupation":
            continue
        by_label.setdefault(c.label.casefold(), (c.uri, c.label))
    for c in tax.concepts:  # alternative labels only where no preferred label is the same
        if c.kind == "occupation":
            for a in c.alt_da:
                by_label.setdefault(a.casefold(), (c.uri, c.label))

    def resolve(item: str) -> tuple[str, str] | None:
        s = item.strip()
        if s.startswith("http"):
            c = tax.get(s)
            return (c.uri, c.label) if c is not None and c.kind == "occupation" else None
        got = by_label.get(s.casefold())
        # the catalogue's own word is kept as the label ("lastbilchauffør" is an alternative
        # label of ESCO's "bagagevognschauffør": the citizen knows the first)
        return (got[0], s) if got is not None else None
    return resolve
