"""schema.org JobPosting as JSON-LD: one object, an array, an ``@graph``, or JSON Lines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from ipsmatch.errors import FeedReadError
from ipsmatch.feeds.checks import (
    HOURS_HINT,
    MAX_HOURS,
    as_coords,
    as_cvr,
    as_date,
    as_id,
    as_postcode,
    as_text,
    cheap_id,
)
from ipsmatch.feeds.files import (
    MAX_DEPTH,
    MAX_RECORD_BYTES,
    json_loads,
    parse_json_text,
    record_too_big,
)
from ipsmatch.feeds.hashes import raw_hash
from ipsmatch.feeds.types import Draft
from ipsmatch.text.clean import depth_exceeds

_ESCO_URI = re.compile(r"^https?://data\.europa\.eu/esco/(?:occupation|isco)/\S+$")
_EMPLOYMENT_HOURS = {"FULL_TIME": "full time", "PART_TIME": "part time"}


def is_job_posting(obj: Any) -> bool:
    t = obj.get("@type") if isinstance(obj, dict) else None
    types = t if isinstance(t, list) else [t]
    return any(isinstance(x, str) and x.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "JobPosting"
               for x in types)


def _expand(obj: Any) -> list[Any]:
    if isinstance(obj, dict) and isinstance(obj.get("@graph"), list):
        return list(obj["@graph"])
    return [obj]


def read_jsonld(text: str, name: str, file_index: int = 0, *, lazy: bool = False
                ) -> tuple[list[Draft], int, int]:
    """Drafts from a JSON-LD file; returns (drafts, records seen, non-JobPosting objects).

    ``lazy``: leave each record's full parse in ``Draft.parse`` (id and raw hash are set)."""
    stripped = text.lstrip()
    try:
        doc = json_loads(text)
        jsonl = False
    except json.JSONDecodeError as e:
        # "Extra data" after a complete first value = JSON Lines.
        jsonl = e.msg == "Extra data" and stripped.startswith("{")
        if not jsonl:
            parse_json_text(text, name)  # raises with line/column
            raise  # pragma: no cover - parse_json_text always raises here
    except RecursionError:
        raise FeedReadError(f"JSON nested too deeply (more than {MAX_DEPTH} levels)",
                            file=name, hint="a feed record is a flat object") from None
    except ValueError:  # an integer of more than 4,300 digits
        parse_json_text(text, name)  # raises with the reason
        raise  # pragma: no cover - parse_json_text always raises here

    if jsonl:
        counts = [0, 0]
        drafts = list(iter_jsonl(text.splitlines(), name, file_index, lazy=lazy,
                                 counts=counts))
        return drafts, counts[0], counts[1]
    objs = [x for o in (doc if isinstance(doc, list) else [doc]) for x in _expand(o)]
    if isinstance(doc, dict) and "\n" not in text.strip() and len(objs) == 1:
        # A one-line file: JSON Lines with a single line; "line 1" is exact either way.
        items: list[tuple[Any, int | None, int | None]] = [(objs[0], 1, None)]
    else:
        items = [(o, None, i) for i, o in enumerate(objs, start=1)]
    drafts = []
    ignored = 0
    for obj, line, rec in items:
        d = _item_draft(obj, name, file_index, line=line, record=rec, lazy=lazy)
        if d is None:
            ignored += 1
        else:
            drafts.append(d)
    return drafts, len(items), ignored


def iter_jsonl(lines: Iterable[str], name: str, file_index: int = 0, *, lazy: bool = False,
               counts: list[int] | None = None) -> Iterator[Draft]:
    """Drafts from JSON Lines, one line at a time (``lines`` as ``str.splitlines`` gives them,
    numbered from 1). ``counts`` ([records, ignored]) is kept up to date as drafts come out,
    so a caller streaming a big file knows the totals once the iterator is exhausted."""
    counts = counts if counts is not None else [0, 0]
    for lineno, raw_line, last in _numbered(lines):
        problem: tuple[str, str | None] | None = None
        # chars <= UTF-8 bytes <= 4 * chars: encode only the lines that could be too long
        if len(raw_line) * 4 > MAX_RECORD_BYTES and \
                len(raw_line.encode("utf-8", "surrogatepass")) > MAX_RECORD_BYTES:
            problem = ("line longer than 1 MB", "a job ad is a few kB; check the export")
        else:
            try:
                obj = json_loads(raw_line)
            except json.JSONDecodeError as e:
                problem = (f"invalid JSON at column {e.colno}: {e.msg}",
                           "each line must be one complete JSON object")
            except RecursionError:
                problem = (f"nested too deeply (more than {MAX_DEPTH} levels)", None)
            except ValueError as e:  # an integer of more than 4,300 digits
                problem = (f"invalid JSON: {e}", "a feed's numbers are ids, hours and "
                           "coordinates")
        if problem is not None:
            bad = Draft(file=name, line=lineno, file_index=file_index, cut_off=last)
            if last:
                problem = (f"{problem[0]}; the file ends here, cut off in the middle of a "
                           "record", "export the feed again; --snapshot expires nothing "
                           "from a file that was not read whole")
            bad.error(None, problem[0], hint=problem[1])
            counts[0] += 1
            yield bad
            continue
        for o in _expand(obj):
            counts[0] += 1
            d = _item_draft(o, name, file_index, line=lineno, record=None, lazy=lazy)
            if d is None:
                counts[1] += 1
            else:
                yield d


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str, bool]]:
    """(line number, line, is the last non-blank line) for the non-blank lines."""
    held: tuple[int, str] | None = None
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if held is not None:
            yield held[0], held[1], False
        held = (lineno, line)
    if held is not None:
        yield held[0], held[1], True


def _item_draft(obj: Any, name: str, file_index: int, *, line: int | None, record: int | None,
                lazy: bool) -> Draft | None:
    """The draft of one JSON-LD object; None for an object that is not a JobPosting."""
    d = Draft(file=name, line=line, record=record, file_index=file_index)
    if not isinstance(obj, dict):
        d.error(None, f"expected a JSON object, got {type(obj).__name__}",
                hint="each record is a schema.org JobPosting object")
        return d
    if "@type" in obj and not is_job_posting(obj):
        return None
    if "@type" not in obj and not ("title" in obj or "identifier" in obj):
        return None
    if depth_exceeds(obj):
        d.error(None, f"record nested too deeply (more than {MAX_DEPTH} levels)")
        return d
    if line is None and record_too_big(obj):
        d.error(None, "record larger than 1 MB", hint="a job ad is a few kB")
        return d
    ident = _ident(obj.get("identifier"))
    d.cheap_id = cheap_id(obj.get("@id") if ident is None else ident)
    d.raw_hash = raw_hash("jsonld", obj)
    d.parse = partial(_posting, d, obj)
    if not lazy:
        d.parse_now()
    return d


def _first(x: Any) -> Any:
    return x[0] if isinstance(x, list) and x else (None if isinstance(x, list) else x)


def _ident(x: Any) -> Any:
    """identifier as string/number, PropertyValue {value}, or a list of those."""
    x = _first(x)
    if isinstance(x, dict):
        return x.get("value", x.get("@value", x.get("name")))
    return x


def _posting(d: Draft, o: dict[str, Any]) -> None:
    v = d.values
    ident = _ident(o.get("identifier"))
    if ident is None:
        ident = o.get("@id")
    v["external_id"] = as_id(d, "identifier", ident)
    v["title"] = as_text(d, "title", o.get("title"), required=True)
    parts = []
    for key in ("description", "responsibilities", "qualifications", "jobBenefits"):
        t = as_text(d, key, o.get(key), html=True)
        if t:
            parts.append(t)
    v["text"] = "\n\n".join(parts)
    v["url"] = as_text(d, "url", _first(o.get("url")))
    v["posted"] = as_date(d, "datePosted", o.get("datePosted"))
    v["deadline"] = as_date(d, "validThrough", o.get("validThrough"))

    et = o.get("employmentType")
    ets = et if isinstance(et, list) else [et] if et is not None else []
    if any(not isinstance(x, str) for x in ets):
        d.error("employmentType", "must be text or a list of text",
                hint="e.g. \"FULL_TIME\" or [\"PART_TIME\", \"TEMPORARY\"]")
        ets = []
    codes = [x.strip().upper().replace("-", "_").replace(" ", "_") for x in ets if x.strip()]
    v["employment_type"] = ", ".join(codes) or None
    hours_words = {_EMPLOYMENT_HOURS[c] for c in codes if c in _EMPLOYMENT_HOURS}
    wh = o.get("workHours")
    if isinstance(wh, (int, float)) and not isinstance(wh, bool):
        # A number is weekly hours; one out of range is unknown, not read as "5 timer"
        # (-5) or a word-derived 8 hours (1e308).
        if 0 < wh <= MAX_HOURS:
            wh = f"{wh:g} timer om ugen"
        else:
            d.warn("workHours", f"{wh:g} hours per week is out of range; hours left unknown",
                   hint=HOURS_HINT)
            wh = None
    work_hours = as_text(d, "workHours", wh)
    label = work_hours or ""
    if len(hours_words) == 1:
        label = f"{label} {hours_words.pop()}".strip()
    v["work_hours"] = label or None

    org = o.get("hiringOrganization")
    org = _first(org)
    if isinstance(org, str):
        v["employer_name"] = as_text(d, "hiringOrganization", org)
    elif isinstance(org, dict):
        v["employer_name"] = as_text(d, "hiringOrganization.name", org.get("name"))
        cvr = _ident(org.get("taxID") or org.get("vatID") or org.get("identifier"))
        v["employer_cvr"] = as_cvr(d, "hiringOrganization.identifier", cvr)
    elif org is not None:
        d.error("hiringOrganization", "must be an object with a name",
                hint="e.g. {\"@type\": \"Organization\", \"name\": \"...\"}")

    loc = _first(o.get("jobLocation"))
    if isinstance(loc, dict):
        addr = loc.get("address")
        addr = _first(addr)
        if isinstance(addr, dict):
            v["address"] = as_text(d, "jobLocation.address.streetAddress",
                                   addr.get("streetAddress"))
            v["postcode"] = as_postcode(d, "jobLocation.address.postalCode",
                                        addr.get("postalCode"))
            v["city"] = as_text(d, "jobLocation.address.addressLocality",
                                addr.get("addressLocality"))
        elif isinstance(addr, str):
            v["address"] = as_text(d, "jobLocation.address", addr)
        geo = loc.get("geo")
        if isinstance(geo, dict):
            v["lat"], v["lon"] = as_coords(d, geo.get("latitude"), geo.get("longitude"),
                                           lat_name="geo.latitude", lon_name="geo.longitude")
    elif loc is not None:
        d.error("jobLocation", "must be an object (Place)",
                hint="e.g. {\"address\": {\"postalCode\": \"9000\"}}")

    occ = _first(o.get("occupationalCategory"))
    if isinstance(occ, dict):
        code, label_ = occ.get("codeValue"), occ.get("name")
        if isinstance(code, str) and _ESCO_URI.match(code.strip()):
            v["occupation_uri"] = code.strip()
        v["occupation_hint"] = as_text(d, "occupationalCategory.name", label_)
    elif isinstance(occ, str):
        if _ESCO_URI.match(occ.strip()):
            v["occupation_uri"] = occ.strip()
        else:
            v["occupation_hint"] = as_text(d, "occupationalCategory", occ)
    elif occ is not None:
        d.error("occupationalCategory", "must be text or a CategoryCode object")
