"""Read a contact log CSV and a job-starts CSV into validated records.

Each bad row raises (``strict=True``) or is collected and skipped (``strict=False``) as a
:class:`~ipsmatch.errors.FeedError` saying ``file:line N: field: what is wrong (how to fix)``.
A file that cannot be read at all, or lacks a required column, raises FeedReadError.

Contact log columns::

    date,consultant,employer_cvr,employer_name,citizen_id,kind,purpose,learned,outcome,
    next_step,next_date,note[,contact_id]

Importing is idempotent: a row already in the database (same content, or same
``contact_id``) is not added again (see ``Store.import_contacts``).

Job starts columns (``employer_name``, ``wage_form`` and ``contact_person`` optional)::

    citizen_id,employer_cvr,employer_name,title,start_date,hours_per_week,competitive,
    end_date,end_reason,wage_form,contact_person
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Generic, TypeVar

from ipsmatch.errors import FeedError, FeedReadError
from ipsmatch.feeds.csvfeed import csv_syntax_error, swallowed_row
from ipsmatch.jobdev.model import (
    KIND_ALIASES,
    PURPOSE_ALIASES,
    Contact,
    JobStart,
    _check_no_cpr,
)
from ipsmatch.limits import read_at_most
from ipsmatch.text.clean import clean_str

T = TypeVar("T")

CONTACT_COLUMNS: tuple[str, ...] = (
    "date", "consultant", "employer_cvr", "employer_name", "citizen_id", "kind", "purpose",
    "learned", "outcome", "next_step", "next_date", "note", "contact_id",
)
CONTACT_REQUIRED: tuple[str, ...] = ("date", "consultant", "kind")
JOB_START_COLUMNS: tuple[str, ...] = (
    "citizen_id", "employer_cvr", "employer_name", "title", "start_date", "hours_per_week",
    "competitive", "end_date", "end_reason", "wage_form", "contact_person",
)
JOB_START_REQUIRED: tuple[str, ...] = ("citizen_id", "title", "start_date")

#: a contact log of many years is a few MB; refuse anything far bigger before reading it
MAX_FILE_BYTES = 50_000_000
#: one CSV value (a note); Python's csv default is 128 kB
MAX_FIELD_BYTES = 1_000_000

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")
_TRUE = {"true", "yes", "ja", "1", "y", "j", "ordinary", "ordinær", "almindelig",
         "ordinært job", "ordinaert"}
_FALSE = {"false", "no", "nej", "0", "n", "fleksjob", "løntilskud", "loentilskud",
          "skånejob", "skaanejob", "virksomhedspraktik", "praktik", "rotation", "rotationsjob"}


@dataclass
class ReadResult(Generic[T]):
    """Records read, and (lenient mode) the errors of the rows that were skipped."""

    records: list[T] = field(default_factory=list)
    errors: list[FeedError] = field(default_factory=list)
    #: the file's line number of each record (so the store can name the line of a record it
    #: refuses, e.g. an unknown citizen)
    lines: list[int] = field(default_factory=list)


def parse_date(value: str, field_name: str) -> date:
    """ISO ``2026-11-12`` or Danish ``12-11-2026`` / ``12.11.2026`` / ``12/11/2026``."""
    value = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise FeedError(code="record.date_invalid", field=field_name, params={"value": value})


def _opt(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _opt_date(value: str | None, field_name: str) -> date | None:
    v = _opt(value)
    return parse_date(v, field_name) if v else None


def parse_kind(value: str) -> str:
    """Canonical contact kind; Danish labels ("personligt møde", "telefon", "mail") accepted."""
    key = " ".join(value.strip().casefold().replace("_", " ").split())
    # "face-to-face" written with underscores or spaces
    return KIND_ALIASES.get(key, KIND_ALIASES.get(key.replace(" ", "-"), value.strip()))


def parse_purpose(value: str | None) -> str:
    v = _opt(value)
    if v is None:
        return "learn_business"
    key = " ".join(v.casefold().split())
    return PURPOSE_ALIASES.get(key, PURPOSE_ALIASES.get(key.replace(" ", "_").replace("-", "_"),
                                                        v))


def parse_learned(value: str | None) -> tuple[str, ...]:
    """``"open_to_part_time; not mentor_available"`` → canonical codes (validated later)."""
    items = []
    for raw in (value or "").split(";"):
        item = "_".join(raw.strip().casefold().replace("-", "_").split())
        if not item:
            continue
        for neg in ("!", "ikke_"):
            if item.startswith(neg):
                item = "not_" + item[len(neg):].lstrip("_")
        items.append(item)
    return tuple(items)


def parse_bool(value: str, field_name: str) -> bool:
    v = value.strip().casefold()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise FeedError(f"{value!r} is not yes/no", field=field_name,
                    hint="write yes for an ordinary paid job, no for fleksjob, løntilskud, "
                         "virksomhedspraktik or skånejob")


def parse_hours(value: str | None, field_name: str) -> float | None:
    v = _opt(value)
    if v is None:
        return None
    try:
        return float(v.replace(",", "."))
    except ValueError:
        raise FeedError(f"{v!r} is not a number", field=field_name,
                        hint="hours per week, e.g. 15 or 18,5") from None


def contact_from_row(row: dict[str, str], *, today: date | None = None) -> Contact:
    """One CSV row (column → text) to a validated Contact; raises FeedError without location."""
    cvr = _opt(row.get("employer_cvr"))
    contact = Contact(
        date=parse_date(row.get("date") or "", "date"),
        consultant=(row.get("consultant") or "").strip(),
        employer_cvr=cvr.replace(" ", "") if cvr else None,
        employer_name=_opt(row.get("employer_name")),
        citizen_id=_opt(row.get("citizen_id")),
        kind=parse_kind(row.get("kind") or ""),
        purpose=parse_purpose(row.get("purpose")),
        learned=parse_learned(row.get("learned")),
        outcome=_opt(row.get("outcome")),
        next_step=_opt(row.get("next_step")),
        next_date=_opt_date(row.get("next_date"), "next_date"),
        note=_opt(row.get("note")),
        source_id=_opt(row.get("contact_id")),
    )
    return contact.validate(today=today)


def job_start_from_row(row: dict[str, str], *, today: date | None = None) -> JobStart:
    """One CSV row to a validated JobStart; raises FeedError without location."""
    cvr = _opt(row.get("employer_cvr"))
    competitive = _opt(row.get("competitive"))
    wage_form = _opt(row.get("wage_form"))
    wage_form = wage_form.casefold() if wage_form else None
    if competitive is None and wage_form is not None:  # the wage form says it
        competitive = "yes" if wage_form == "ordinary" else "no"
    job = JobStart(
        citizen_id=(row.get("citizen_id") or "").strip(),
        start_date=parse_date(row.get("start_date") or "", "start_date"),
        title=(row.get("title") or "").strip(),
        employer_cvr=cvr.replace(" ", "") if cvr else None,
        employer_name=_opt(row.get("employer_name")),
        hours_per_week=parse_hours(row.get("hours_per_week"), "hours_per_week"),
        competitive=parse_bool(competitive, "competitive") if competitive else True,
        end_date=_opt_date(row.get("end_date"), "end_date"),
        end_reason=_opt(row.get("end_reason")),
        wage_form=wage_form,
        contact_person=_opt(row.get("contact_person")),
    )
    return job.validate(today=today)


def _read(path: str | Path, required: tuple[str, ...], known: tuple[str, ...],
          convert: Callable[[dict[str, str]], T], strict: bool) -> ReadResult[T]:
    path = Path(path)
    name = str(path)
    try:
        if path.is_dir():
            raise FeedReadError("is a directory, not a CSV file", file=name)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FeedReadError(f"file is {size:,} bytes, more than the limit of "
                                f"{MAX_FILE_BYTES:,}", file=name,
                                hint="split the file, e.g. one file per year")
        # utf-8-sig: Excel writes a BOM in front of the first header
        raw = read_at_most(path, MAX_FILE_BYTES)
        if len(raw) > MAX_FILE_BYTES:  # a pipe or device: stat said 0
            raise FeedReadError(f"file is more than the limit of {MAX_FILE_BYTES:,} bytes",
                                file=name, hint="split the file, e.g. one file per year")
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise FeedReadError("file not found", file=name) from None
    except UnicodeDecodeError:
        raise FeedReadError("not UTF-8 text", file=name,
                            hint="save the file as CSV UTF-8 (in Excel: 'CSV UTF-8')") from None
    except OSError as e:
        raise FeedReadError(f"cannot read file: {e.strerror or e}", file=name) from None
    # Above the per-value limit, so an over-long value is one bad row (checked below), not a
    # file that cannot be read; csv's limit is process-wide, so only ever raise it.
    if csv.field_size_limit() < 16 * MAX_FIELD_BYTES:
        csv.field_size_limit(16 * MAX_FIELD_BYTES)
    text = clean_str(text)  # a NUL byte would fail the write on PostgreSQL
    sample = text.split("\n", 1)[0]
    # Danish Excel writes ';' as the separator
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    # strict: an unclosed double quote is an error, not a note that swallows the next rows
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as e:
        raise FeedReadError(f"cannot read the CSV header: {e}", file=name,
                            hint="the first line must name the columns") from None
    reader.fieldnames = header
    unknown = [h for h in header if h not in known]
    missing = [c for c in required if c not in header]
    if unknown and not missing:
        # As the feed reader does: a misspelt column ('notes') would silently lose its values.
        shown = ", ".join(repr(u if len(u) <= 40 else u[:40] + "…") for u in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise FeedReadError(f"unknown column(s): {shown}{more}", file=name,
                            hint="valid columns are: " + ", ".join(known))
    if missing:
        also = f"; unknown column(s): {', '.join(map(repr, unknown[:5]))}" if unknown else ""
        raise FeedReadError(f"missing column(s): {', '.join(missing)}{also}", file=name,
                            hint="the first line must name the columns: " + ",".join(known))
    if not any(c in header for c in ("employer_cvr", "employer_name")) and "employer_cvr" in known:
        raise FeedReadError("no employer column", file=name,
                            hint="add employer_cvr and/or employer_name")
    result: ReadResult[T] = ReadResult()
    rows = iter(reader)
    last = 1  # the line the previous row ended on
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as e:
            raise csv_syntax_error(e, name, last + 1, reader.line_num) from None
        # csv.DictReader counts physical lines, so quoted multi-line notes keep numbers right
        line = reader.line_num
        start, last = last + 1, line
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        try:
            swallowed = swallowed_row([v if isinstance(v, str) else "" for v in
                                       (row.get(h) for h in header)], header, delimiter, start)
            if swallowed is not None:
                raise FeedError(swallowed, hint="close the quote, or double a quote inside "
                                                "a value (\"\")")
            cells = {k: v for k, v in row.items() if k is not None}
            # csv's field limit is process-wide (the feed reader raises it), so check here.
            for k, v in cells.items():
                if isinstance(v, str) and len(v) > MAX_FIELD_BYTES:
                    raise FeedError(f"value longer than {MAX_FIELD_BYTES // 1_000_000} MB",
                                    field=k, hint="a note is a few lines; check the quoting")
            # Before any parsing, so no "not a date" message can echo a CPR number.
            for k, v in cells.items():
                _check_no_cpr(k, v if isinstance(v, str) else None)
            result.records.append(convert(cells))
            result.lines.append(line)
        except FeedError as e:
            e.file, e.line = name, line
            if strict:
                raise
            result.errors.append(e)
    return result


def read_contacts_csv(path: str | Path, *, today: date | None = None,
                      strict: bool = True) -> ReadResult[Contact]:
    """Read a contact log. ``strict``: raise on the first bad row; else skip and collect."""
    return _read(path, CONTACT_REQUIRED, CONTACT_COLUMNS,
                 lambda row: contact_from_row(row, today=today), strict)


def read_job_starts_csv(path: str | Path, *, today: date | None = None,
                        strict: bool = True) -> ReadResult[JobStart]:
    """Read job starts. ``strict``: raise on the first bad row; else skip and collect."""
    return _read(path, JOB_START_REQUIRED, JOB_START_COLUMNS,
                 lambda row: job_start_from_row(row, today=today), strict)
