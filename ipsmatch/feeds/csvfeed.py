"""CSV vacancy feeds (UTF-8, header row, ``,`` ``;`` or tab, sniffed). See docs/feeds.md."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from functools import partial
from typing import IO

from ipsmatch.domain import SCHEDULE_KEYS, WORK_CONDITIONS
from ipsmatch.errors import FeedReadError
from ipsmatch.feeds.checks import (
    as_coords,
    as_cvr,
    as_date,
    as_hours,
    as_id,
    as_postcode,
    as_text,
    cheap_id,
    cheap_text,
)
from ipsmatch.feeds.files import MAX_RECORD_BYTES
from ipsmatch.feeds.hashes import raw_hash
from ipsmatch.feeds.text_rules import SCHEDULE_ALIASES, schedule_facts, work_condition_code
from ipsmatch.feeds.types import Draft

COLUMNS: tuple[str, ...] = (
    "id", "title", "description", "employer_name", "employer_cvr", "address", "postcode",
    "city", "lat", "lon", "hours_min", "hours_max", "work_hours", "schedule", "employment_type",
    "work_conditions", "posted", "deadline", "occupation", "url", "source",
)
REQUIRED: tuple[str, ...] = ("id", "title")

_ESCO_URI = re.compile(r"^https?://data\.europa\.eu/esco/(?:occupation|isco)/\S+$")
_LIST_SEP = re.compile(r"[;,|]")
_FIELD_LIMIT = 16 * MAX_RECORD_BYTES


def sniff_delimiter(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else ","


def csv_rows(text: str | IO[str], name: str, columns: tuple[str, ...],
             required: tuple[str, ...]
             ) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    """Rows of a CSV file (its text, or a file opened with ``newline=""``) as (start line,
    {column: value}, problem).

    Header problems (unknown or missing columns) raise FeedReadError naming them; a row
    problem (too many fields, too long) comes back as ``(line, None, message)``."""
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    lines: Iterable[str]
    if isinstance(text, str):
        first = text.split("\n", 1)[0]
        lines = io.StringIO(text, newline="")
    else:
        # The delimiter is sniffed from everything before the first "\n", as for a text.
        head: list[str] = []
        for line in text:
            head.append(line)
            if line.endswith("\n"):
                break
        first = "".join(head).split("\n", 1)[0]
        lines = itertools.chain(head, text)
    delim = sniff_delimiter(first)
    # strict: a stray or unclosed double quote is an error, not a value that silently runs
    # on into the next rows (Python's csv is lenient by default).
    reader = csv.reader(lines, delimiter=delim, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as e:
        raise FeedReadError(f"cannot read the CSV header: {e}", file=name,
                            hint="the first line must name the columns") from None
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    unknown = [h for h in names if h not in columns]
    if unknown:
        # Hostile or binary headers: name a few, shortened, not the whole first line.
        shown = ", ".join(repr(u if len(u) <= 40 else u[:40] + "…") for u in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise FeedReadError(
            f"unknown column(s): {shown}{more}", file=name,
            hint=f"valid columns are: {', '.join(columns)}")
    missing = [c for c in required if c not in names]
    if missing:
        raise FeedReadError(f"missing required column(s): {', '.join(missing)}", file=name,
                            hint=f"the header needs at least: {', '.join(required)}")
    dupes = sorted({h for h in names if names.count(h) > 1})
    if dupes:
        raise FeedReadError(f"column(s) named twice: {', '.join(dupes)}", file=name,
                            hint="each column may appear once")
    prev = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise csv_syntax_error(e, name, prev + 1, reader.line_num) from None
        start, prev = prev + 1, reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        if sum(len(c) for c in row) > MAX_RECORD_BYTES:
            yield start, None, "row longer than 1 MB"
            continue
        if len(row) > len(names):
            yield start, None, (f"{len(row)} values but the header has {len(names)} columns "
                                "(quote values that contain the separator)")
            continue
        swallowed = swallowed_row(row, names, delim, start)
        if swallowed is not None:
            yield start, None, swallowed
            continue
        yield start, {n: (row[i] if i < len(row) else "") for i, n in enumerate(names)}, None


def swallowed_row(row: list[str], names: list[str], delim: str, start: int) -> str | None:
    """Why this row looks like an unclosed double quote ran on over whole rows up to a later
    quote that happened to close a value (csv reads that as valid), or None. A line inside a
    quoted value with a separator for every column is a row, not text."""
    if len(names) < 3:
        return None
    before = 0  # line breaks in the values before this one
    for name, value in zip(names, row, strict=False):
        if "\n" in value:
            for k, line in enumerate(value.split("\n")[1:], start=1):
                if line.count(delim) >= len(names) - 1:
                    return (f"the value of {name} holds line {start + before + k}, which looks "
                            "like a whole row: is a double quote not closed? (the rows it "
                            "swallowed were not read)")
        before += value.count("\n")
    return None


def csv_syntax_error(e: csv.Error, name: str, start: int, at: int) -> FeedReadError:
    """The FeedReadError for a CSV syntax error in the row starting at line ``start``
    (the rest of the file cannot be trusted after one)."""
    if "field larger than field limit" in str(e):
        return FeedReadError(
            f"a value near line {at} is longer than {csv.field_size_limit() // 1_000_000} MB, "
            "the limit for one field", file=name,
            hint="a record is a few kB: check for an unclosed double quote")
    if "unexpected end of data" in str(e):
        return FeedReadError(
            f"the file ends inside a quoted value that starts in the row at line {start}: "
            "cut off, or a double quote is not closed", file=name,
            hint="export the file again; nothing from it was used")
    return FeedReadError(
        f"cannot parse CSV in the row starting at line {start} (at line {at}): {e}",
        file=name, hint="check quoting: a double quote that is not closed runs on into the "
                        "next rows; a value with the separator, a quote or a line break must "
                        "be in double quotes, with quotes doubled")


def read_csv(text: str, name: str, file_index: int = 0, *, lazy: bool = False
             ) -> tuple[list[Draft], int, int]:
    """Drafts from a CSV vacancy feed; (drafts, rows, 0).

    ``lazy``: leave each row's full parse in ``Draft.parse`` (id, source, raw hash are set)."""
    drafts = list(iter_csv(text, name, file_index, lazy=lazy))
    return drafts, len(drafts), 0


def iter_csv(text: str | IO[str], name: str, file_index: int = 0, *, lazy: bool = False
             ) -> Iterator[Draft]:
    """The drafts of :func:`read_csv` one row at a time (``text`` may be an open file)."""
    for line, row, problem in csv_rows(text, name, COLUMNS, REQUIRED):
        d = Draft(file=name, line=line, file_index=file_index)
        if row is None:
            d.error(None, problem or "bad row", hint="one vacancy per row")
            yield d
            continue
        d.cheap_id = cheap_id(row.get("id"))
        d.cheap_source = cheap_text(row.get("source"))
        d.raw_hash = raw_hash("csv", row)
        d.parse = partial(_row, d, row)
        if not lazy:
            d.parse_now()
        yield d


def _row(d: Draft, r: dict[str, str]) -> None:
    v = d.values
    g = r.get
    v["external_id"] = as_id(d, "id", g("id"))
    v["title"] = as_text(d, "title", g("title"), required=True)
    v["text"] = as_text(d, "description", g("description"), html="<" in (g("description") or ""))
    v["employer_name"] = as_text(d, "employer_name", g("employer_name"))
    v["employer_cvr"] = as_cvr(d, "employer_cvr", g("employer_cvr"))
    v["address"] = as_text(d, "address", g("address"))
    v["postcode"] = as_postcode(d, "postcode", g("postcode"))
    v["city"] = as_text(d, "city", g("city"))
    v["lat"], v["lon"] = as_coords(d, g("lat"), g("lon"))
    v["hours_min"], v["hours_max"] = as_hours(d, "hours_min", g("hours_min"),
                                              "hours_max", g("hours_max"))
    v["work_hours"] = as_text(d, "work_hours", g("work_hours"))
    v["employment_type"] = as_text(d, "employment_type", g("employment_type"))
    v["posted"] = as_date(d, "posted", g("posted"))
    v["deadline"] = as_date(d, "deadline", g("deadline"))
    v["url"] = as_text(d, "url", g("url"))
    v["source"] = as_text(d, "source", g("source"))
    occ = (g("occupation") or "").strip()
    if occ and _ESCO_URI.match(occ):
        v["occupation_uri"] = occ
    elif occ:
        v["occupation_hint"] = occ

    sched = (g("schedule") or "").strip()
    if sched:
        stated: dict[str, bool] = {}
        for tok in (t.strip().lower() for t in _LIST_SEP.split(sched)):
            if not tok:
                continue
            key = SCHEDULE_ALIASES.get(tok)
            if key is None:
                d.error("schedule", f"unknown schedule value {tok!r}",
                        hint="use day, evening, night, weekend, shifts (or dag, aften, nat, "
                             "weekend, skiftehold), separated by ';'")
                continue
            stated[key] = True
        # A filled-in schedule states the unlisted times of day as absent; shift work is
        # only known when listed. Rotating shifts say nothing of which times of day they
        # cover ("skiftehold" alone is not "no nights"), so with shifts listed the unlisted
        # times stay unknown.
        if stated and not stated.get("shifts"):
            for k in SCHEDULE_KEYS:
                if k != "shifts":
                    stated.setdefault(k, False)
        if stated:
            d.field_facts += schedule_facts(stated, "Arbejdstid")

    conds = (g("work_conditions") or "").strip()
    if conds:
        codes: list[str] = []
        for tok in (t.strip() for t in _LIST_SEP.split(conds)):
            if not tok:
                continue
            code = work_condition_code(tok)
            if code is None:
                d.error("work_conditions", f"unknown work condition {tok!r}",
                        hint=f"use one of: {', '.join(WORK_CONDITIONS)} (or the Danish names)")
            elif code not in codes:
                codes.append(code)
        v["work_conditions"] = codes
