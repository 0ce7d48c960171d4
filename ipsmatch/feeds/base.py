"""Shared pieces of the feed readers: the result types, file reading with clear errors, the
field checks every format uses, and the enrichment step (coordinates, facts, hash).

Readers turn raw records into :class:`Draft` objects (plain field values plus where they came
from); :func:`finish` validates a draft and builds the :class:`~ipsmatch.domain.Vacancy`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ipsmatch import limits
from ipsmatch.domain import SCHEDULE_KEYS, WORK_CONDITIONS, Employer, Fact, Vacancy
from ipsmatch.errors import FeedError, FeedReadError, UsageError
from ipsmatch.geo import implausible_point, normalize_postcode, postcode_info
from ipsmatch.needs import weigh
from ipsmatch.privacy import cpr_field
from ipsmatch.text.clean import clean_str, clean_strings
from ipsmatch.text.facts import extract_facts, extract_hours
from ipsmatch.text.html import html_to_text


def _reader_fingerprint() -> str:
    """A digest of the code and data that turn a raw record into a Vacancy (the readers, the
    HTML and fact extraction, the postcode table). Part of every raw hash, so an ipsmatch
    whose reading changed re-reads every record once instead of trusting old results, with
    nobody having to remember to bump a number."""
    pkg = Path(__file__).resolve().parent.parent
    files = [*sorted((pkg / "feeds").glob("*.py")),
             pkg / "text" / "facts.py", pkg / "text" / "html.py", pkg / "geo.py",
             *sorted((pkg / "data" / "geo_dk").glob("*.csv"))]
    h = hashlib.sha256()
    for f in files:
        with contextlib.suppress(OSError):
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


#: Part of every record's raw hash (see :func:`_reader_fingerprint`).
READER_VERSION = f"1+{_reader_fingerprint()}"

MAX_RECORD_BYTES = 1_000_000
MAX_DEPTH = 50
MAX_HOURS = 80.0
#: Generous box around Denmark (incl. Bornholm); a point outside it is a data error.
DK_BBOX = (54.0, 58.2, 7.5, 15.5)

DATE_HINT = "use YYYY-MM-DD (e.g. 2021-08-27) or DD-MM-YYYY (e.g. 27-08-2021)"
POSTCODE_HINT = "a Danish postcode is 4 digits, e.g. 9000"
CVR_HINT = "a CVR number is 8 digits, e.g. 30806883 (a DK prefix and spaces are fine)"
HOURS_HINT = f"weekly hours are a number above 0 and at most {MAX_HOURS:g}, min <= max"


@dataclass
class FeedFileResult:
    """What happened to one input file."""

    path: Path
    format: str | None
    records: int = 0
    vacancies: int = 0
    ok: bool = True
    #: records skipped on purpose (JSON-LD objects whose @type is not JobPosting)
    ignored: int = 0
    #: row-level errors from this file
    errors: int = 0
    #: where the file ends in the middle of a record (a last line that does not parse): the
    #: file was not read whole, so ``--snapshot`` expires nothing from it
    cut_off: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """As JSON values (the refresh report and its log)."""
        return {**asdict(self), "path": str(self.path)}


@dataclass
class FeedBatch:
    """The result of :func:`ipsmatch.feeds.read_feeds`."""

    files: list[FeedFileResult] = field(default_factory=list)
    vacancies: list[Vacancy] = field(default_factory=list)
    #: bad records, each skipped
    errors: list[FeedError] = field(default_factory=list)
    #: whole files that could not be read; nothing from them is used
    read_errors: list[FeedReadError] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    #: (source, external_id) of records whose raw form equals the ``known`` raw hash given to
    #: ``read_feeds``: valid and unchanged, so they were neither validated nor enriched again
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    #: problems that did not cost the record (e.g. coordinates at sea were dropped and the
    #: postcode's town point used instead)
    warnings: list[FeedError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.read_errors


@dataclass
class Draft:
    """Field values of one record before validation. ``raw_*`` hold values still to check."""

    file: str
    line: int | None = None
    record: int | None = None
    kind: str = "record"  # jobnet: 'search' | 'detail'
    values: dict[str, Any] = field(default_factory=dict)
    #: facts from structured fields (source='field'); they beat text facts for the same key
    field_facts: list[Fact] = field(default_factory=list)
    errors: list[FeedError] = field(default_factory=list)
    warnings: list[FeedError] = field(default_factory=list)
    #: which input file produced it (index into FeedBatch.files)
    file_index: int = 0
    #: all input files that contributed (a merged Jobnet search + detail record has two)
    origins: list[int] = field(default_factory=list)
    #: sha256 of the raw record (see :func:`raw_hash`); None for records that failed early
    raw_hash: str | None = None
    #: the id as the full parse would normalise it, found without parsing the rest
    cheap_id: str | None = None
    #: a CSV row's ``source`` cell, normalised like the full parse does
    cheap_source: str | None = None
    #: the file's last record, and it does not parse: the file was cut off here
    cut_off: bool = False
    #: the deferred full parse of the record (fills ``values``); None once done
    parse: Callable[[], None] | None = field(default=None, repr=False)

    def parse_now(self) -> None:
        """Run the deferred full parse, once."""
        p, self.parse = self.parse, None
        if p is not None:
            p()

    def error(self, field_name: str | None, message: str, hint: str | None = None) -> None:
        self.errors.append(FeedError(message, file=self.file, line=self.line,
                                     record=self.record, field=field_name, hint=hint))

    def warn(self, field_name: str | None, message: str, hint: str | None = None) -> None:
        self.warnings.append(FeedError(message, file=self.file, line=self.line,
                                       record=self.record, field=field_name, hint=hint))


# --- reading files --------------------------------------------------------------------------

def read_text(path: Path, max_bytes: int) -> str:
    """The file's text (UTF-8, BOM dropped), or FeedReadError saying what is wrong."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise FeedReadError(f"cannot open file: {e.strerror or e}", file=name,
                            hint="check the path") from None
    if path.is_dir():
        raise FeedReadError("is a directory, not a feed file", file=name,
                            hint="give the feed files inside it")
    if size > max_bytes:
        raise FeedReadError(f"file is {size:,} bytes, more than the limit of {max_bytes:,}",
                            file=name, hint="split the feed into smaller files")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise FeedReadError(f"cannot read file: {e.strerror or e}", file=name) from None
    if not data.strip():
        raise FeedReadError("file is empty", file=name,
                            hint="export the feed again; an empty file has no vacancies")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise FeedReadError(
            f"not UTF-8: byte 0x{data[e.start]:02x} at byte offset {e.start} (line {line})",
            file=name, hint="save the file as UTF-8 (in Excel: 'CSV UTF-8')") from None
    if not text.strip():
        raise FeedReadError("file is empty", file=name, hint="export the feed again")
    return text


# A JSON escape of NUL or of an unpaired UTF-16 surrogate (see ipsmatch.text.clean).
_BAD_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def json_loads(text: str) -> Any:
    """``json.loads``; a document that escapes NUL or a surrogate gets its strings cleaned
    (:func:`clean_str`), so one broken character cannot fail a whole refresh downstream."""
    obj = json.loads(text)
    if "\\u" in text and _BAD_ESCAPE.search(text):
        return clean_strings(obj)
    return obj


def parse_json_text(text: str, name: str) -> Any:
    """Parse a whole JSON document, turning parse failures into FeedReadError with line/col."""
    try:
        return json_loads(text)
    except json.JSONDecodeError as e:
        what = "truncated JSON" if e.pos >= len(text.rstrip()) else "invalid JSON"
        raise FeedReadError(f"{what} at line {e.lineno}, column {e.colno}: {e.msg}", file=name,
                            hint="fix the JSON syntax or export the feed again") from None
    except RecursionError:
        raise FeedReadError(f"JSON nested too deeply (more than {MAX_DEPTH} levels)", file=name,
                            hint="a feed record is a flat object; check the export") from None
    except ValueError as e:  # an integer of more than 4,300 digits
        raise FeedReadError(f"invalid JSON: {e}", file=name,
                            hint="a feed's numbers are ids, hours and coordinates") from None


def record_too_big(obj: Any) -> bool:
    try:
        return len(json.dumps(obj, ensure_ascii=False)) > MAX_RECORD_BYTES
    except (TypeError, ValueError, RecursionError):
        return True


# --- field checks ---------------------------------------------------------------------------

def as_text(d: Draft, name: str, value: Any, *, required: bool = False,
            html: bool = False) -> str | None:
    """A text field: None/'' → None (error if required); a number/object → type error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            d.error(name, "missing or empty", hint=f"every record needs a {name}")
        return None
    if not isinstance(value, str):
        d.error(name, f"must be text, not {_type_name(value)}",
                hint=f"write {name} as a string, e.g. \"...\"")
        return None
    value = clean_str(value)
    return html_to_text(value) if html else " ".join(value.split()) if "\n" not in value \
        else value.strip()


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


def cheap_id(value: Any) -> str | None:
    """The id exactly as :func:`as_id` returns it, or None where it would report an error."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.strip() and len(value) <= 200:
        return clean_str(value.strip())
    return None


def cheap_text(value: Any) -> str | None:
    """A plain text field exactly as :func:`as_text` (without html) returns it, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = clean_str(value)
    return " ".join(value.split()) if "\n" not in value else value.strip()


def as_id(d: Draft, name: str, value: Any) -> str | None:
    """An id: string or integer, always returned as a string."""
    if isinstance(value, bool) or value is None:
        d.error(name, "missing id" if value is None else "id must be text or a whole number",
                hint="every record needs a unique id")
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.strip():
        if len(value) > 200:
            d.error(name, "id longer than 200 characters", hint="use the feed's short id")
            return None
        return clean_str(value.strip())
    if isinstance(value, str):
        d.error(name, "missing id", hint="every record needs a unique id")
        return None
    d.error(name, f"id must be text or a whole number, not {_type_name(value)}")
    return None


def as_postcode(d: Draft, name: str, value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()) or value == 0:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        d.error(name, f"postcode must be text, not {_type_name(value)}", hint=POSTCODE_HINT)
        return None
    code = normalize_postcode(value)
    if code is None or postcode_info(code) is None:
        d.error(name, f"{value!r} is not a known Danish postcode", hint=POSTCODE_HINT)
        return None
    return code


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")


#: Dates that mean "not stated" (Jobnet writes an unset date as 0001-01-01 and an "Ikke
#: oplyst" deadline as 1900-01-01): unknown, never a date (it would expire the ad on load).
NO_DATE_SENTINELS = ("0001-01-01", "1900-01-01", "01-01-0001", "01-01-1900")
NO_DATE_WORDS = frozenset({"ikke oplyst", "ikke angivet", "snarest", "hurtigst muligt",
                           "løbende", "not stated", "n/a", "-"})


def as_date(d: Draft, name: str, value: Any) -> date | None:
    """ISO dates and datetimes, or DD-MM-YYYY; Jobnet's no-date sentinels are unknown."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        d.error(name, f"date must be text, not {_type_name(value)}", hint=DATE_HINT)
        return None
    s = value.strip()
    # Jobnet's "no date": 0001-01-01 (unset), 1900-01-01 ("Ikke oplyst"), or the words
    if s.startswith(NO_DATE_SENTINELS) or s.casefold() in NO_DATE_WORDS:
        return None
    iso = s.replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(iso).date() if "T" in iso or " " in iso \
            else date.fromisoformat(iso)
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    d.error(name, f"{value!r} is not a date", hint=DATE_HINT)
    return None


def as_float(d: Draft, name: str, value: Any, *, hint: str | None = None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        d.error(name, "must be a number, not true/false", hint=hint)
        return None
    if isinstance(value, (int, float)):
        f = float(value)
    elif isinstance(value, str):
        try:
            f = float(value.strip().replace(",", "."))
        except ValueError:
            d.error(name, f"{value!r} is not a number", hint=hint)
            return None
    else:
        d.error(name, f"must be a number, not {_type_name(value)}", hint=hint)
        return None
    if f != f or f in (float("inf"), float("-inf")):
        d.error(name, "must be a finite number", hint=hint)
        return None
    return f


def as_hours(d: Draft, lo_name: str, lo: Any, hi_name: str, hi: Any,
             *, zero_is_unknown: bool = False) -> tuple[float | None, float | None]:
    a = as_float(d, lo_name, lo, hint=HOURS_HINT)
    b = as_float(d, hi_name, hi, hint=HOURS_HINT)
    if zero_is_unknown:
        a = None if a == 0 else a
        b = None if b == 0 else b
    bad = False
    for n, v in ((lo_name, a), (hi_name, b)):
        if v is not None and not 0 < v <= MAX_HOURS:
            d.error(n, f"{v:g} hours per week is out of range", hint=HOURS_HINT)
            bad = True
    if not bad and a is not None and b is not None and a > b:
        d.error(lo_name, f"minimum {a:g} is above maximum {b:g}", hint=HOURS_HINT)
        bad = True
    return (None, None) if bad else (a, b)


_CVR_CLEAN = re.compile(r"[\s\-.]")


def normalize_cvr(value: Any) -> str | None:
    """'DK 30 80 68 83', 30806883 → '30806883'; anything else → None."""
    if isinstance(value, bool) or value is None:
        return None
    s = _CVR_CLEAN.sub("", str(value)).upper().removeprefix("DK")
    return s if len(s) == 8 and s.isdigit() else None


def as_cvr(d: Draft, name: str, value: Any) -> str | None:
    if value is None or value == 0 or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        d.error(name, f"CVR must be text, not {_type_name(value)}", hint=CVR_HINT)
        return None
    cvr = normalize_cvr(value)
    if cvr is None:
        d.error(name, f"{value!r} is not an 8-digit CVR number", hint=CVR_HINT)
    return cvr


def as_coords(d: Draft, lat: Any, lon: Any, *, lat_name: str = "lat",
              lon_name: str = "lon") -> tuple[float | None, float | None]:
    """Coordinates inside Denmark, else (None, None) with a warning (the postcode's town
    point is used instead). (0, 0) is how some exports write 'no location'."""
    a = as_float(d, lat_name, lat, hint="decimal degrees, e.g. 56.15")
    b = as_float(d, lon_name, lon, hint="decimal degrees, e.g. 10.21")
    if a is None or b is None or (a == 0 and b == 0):
        return None, None
    lat_lo, lat_hi, lon_lo, lon_hi = DK_BBOX
    if not (lat_lo <= a <= lat_hi and lon_lo <= b <= lon_hi):
        d.warn(f"{lat_name}/{lon_name}", f"({a:g}, {b:g}) is outside Denmark; "
               "used the postcode's town point instead",
               hint=f"latitude {lat_lo}-{lat_hi} N, longitude {lon_lo}-{lon_hi} E")
        return None, None
    return a, b


def plausible_coords(d: Draft, lat: float | None, lon: float | None, postcode: str | None
                     ) -> tuple[float | None, float | None]:
    """The ad's own coordinates when they can be its workplace; (None, None) with a warning
    when they are at sea or far outside its postcode area (see
    :func:`ipsmatch.geo.implausible_point`), so the postcode's town point is used."""
    if lat is None or lon is None:
        return None, None
    why = implausible_point(lat, lon, postcode)
    if why is None:
        return lat, lon
    d.warn("lat/lon", f"({lat:g}, {lon:g}) is {why}; used the postcode's town point instead",
           hint="check the workplace address or coordinates in the feed")
    return None, None


_CONDITION_NAMES = {v.casefold(): k for k, v in WORK_CONDITIONS.items()}
_CONDITION_ALIASES = {"almindelig": "ordinary", "almindelige": "ordinary", "flexjob": "fleksjob",
                      "skånejob": "skaanejob", "løntilskud": "loentilskud",
                      "seniorjob": "senior", "efterløn": "senior", "rotationsjob": "rotation",
                      "praktik": "virksomhedspraktik"}


def work_condition_code(value: str) -> str | None:
    """A WORK_CONDITIONS code from a code or a (Danish) name; None if unknown."""
    s = value.strip().casefold()
    if s in WORK_CONDITIONS:
        return s
    return _CONDITION_NAMES.get(s) or _CONDITION_ALIASES.get(s)


# Text mentions of subsidised/adapted forms. Only for the ad itself; the Jobnet lookup lists
# of all conditions are not the ad's own.
_CONDITION_TEXT = [
    ("fleksjob", re.compile(r"\bfle[kx]sjob\w*", re.I)),
    ("skaanejob", re.compile(r"\bskånejob\w*", re.I)),
    ("loentilskud", re.compile(r"\bløntilskud\w*", re.I)),
    ("virksomhedspraktik", re.compile(r"\bvirksomhedspraktik\w*", re.I)),
    ("rotation", re.compile(r"\brotationsjob\w*", re.I)),
]
_NEG_NEAR = re.compile(r"\b(?:ikke|ingen|not|no)\b(?:\s+\S+){0,3}\s*$", re.I)


def conditions_from_text(title: str, text: str) -> list[str]:
    out: list[str] = []
    for body in (title or "", (text or "")[:200_000]):
        for code, rx in _CONDITION_TEXT:
            for m in rx.finditer(body):
                if _NEG_NEAR.search(body[max(0, m.start() - 40):m.start()]):
                    continue
                if code not in out:
                    out.append(code)
                break
    return out


SCHEDULE_ALIASES = {"day": "day", "dag": "day", "dagarbejde": "day", "evening": "evening",
                    "aften": "evening", "night": "night", "nat": "night", "weekend": "weekend",
                    "shifts": "shifts", "shift": "shifts", "skiftehold": "shifts",
                    "skift": "shifts"}
SCHEDULE_DA = {"day": "dag", "evening": "aften", "night": "nat", "weekend": "weekend",
               "shifts": "skiftehold"}


def schedule_facts(stated: dict[str, bool], label: str) -> list[Fact]:
    """Field facts for an employer-filled schedule ({'day': True, 'night': False, ...})."""
    on = [SCHEDULE_DA[k] for k in SCHEDULE_KEYS if stated.get(k)]
    phrase = f"{label}: {', '.join(on) if on else '-'}"
    return [Fact(key=k, value=bool(stated[k]), phrase=phrase, source="field")
            for k in SCHEDULE_KEYS if k in stated]


def format_phone(raw: str) -> str:
    """'004551518980' → '+45 51 51 89 80', '70277665' → '70 27 76 65'; else as given."""
    digits = re.sub(r"[^\d+]", "", raw)
    if digits.startswith("0045"):
        digits = "+45" + digits[4:]
    local = digits.removeprefix("+45")
    if len(local) == 8 and local.isdigit():
        pairs = " ".join(local[i:i + 2] for i in range(0, 8, 2))
        return f"+45 {pairs}" if digits.startswith("+45") else pairs
    return raw.strip()


_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_WEB = re.compile(r"\b(?:https?://)?www\.[\w-]+(?:\.[\w-]+)+(?:/[\w/.-]*)?", re.I)
_PHONE = re.compile(r"(?:\b(?:tlf|telefon|phone|tel|mobil|ring|kontakt\w*|call|contact)\b"
                    r"[^.\d]{0,30})((?:\+45\s?)?\d{2}\s?\d{2}\s?\d{2}\s?\d{2})\b", re.I)


def contact_from_text(text: str) -> dict[str, str]:
    """Phone, e-mail and website an ad's text gives ("kontakt os på 7027 7665",
    "www.teamvikaren.dk"): used where the feed's fields give none."""
    out: dict[str, str] = {}
    body = text[:50_000]
    if m := _PHONE.search(body):
        out["phone"] = format_phone(m.group(1))
    if m := _EMAIL.search(body):
        out["email"] = m.group(0)
    if m := _WEB.search(body):
        out["website"] = m.group(0).rstrip(".")
    return out


def _type_name(v: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", int: "a number",
            float: "a number", str: "text"}.get(type(v), type(v).__name__)


# --- finishing a draft ----------------------------------------------------------------------

#: value -> the longest the database holds (characters). A longer text is cut to fit with a
#: warning; a longer URL or ESCO URI is dropped with a warning (a cut one leads nowhere).
FIELD_LIMITS: dict[str, int] = {
    "title": limits.TITLE, "employer_name": limits.NAME, "address": limits.NAME,
    "city": limits.CITY, "employer_address": limits.NAME, "employer_city": limits.CITY,
    "employment_type": limits.ID, "occupation_hint": limits.NAME, "url": limits.URL,
    "occupation_uri": limits.NAME,
}
_DROP_WHEN_LONG = {"url", "occupation_uri"}


def fit_lengths(d: Draft, values: dict[str, Any], field_limits: dict[str, int]) -> None:
    """Make every text in ``values`` fit its column (see :data:`FIELD_LIMITS`), warning."""
    for key, limit in field_limits.items():
        value = values.get(key)
        if not isinstance(value, str) or len(value) <= limit:
            continue
        if key in _DROP_WHEN_LONG:
            values[key] = None
            d.warn(key, f"{len(value):,} characters, more than the {limit:,} the database "
                   "holds: left out", hint="a cut address would lead nowhere")
        else:
            values[key] = value[: limit - 1].rstrip() + "…"
            d.warn(key, f"{len(value):,} characters, more than the {limit:,} the database "
                   "holds: cut to fit", hint="shorten it in the feed")


def check_source(source: str | None) -> None:
    """A source name given by the caller (``--source``): None for the feed's own, else a
    short non-blank name; raises UsageError."""
    if source is None:
        return
    if not source.strip():
        raise UsageError("--source is empty", hint="give a name such as jobnet or kommune, "
                         "or leave the option out to use the feed's own source")
    if len(source) > limits.ID or source != source.strip():
        raise UsageError(f"--source must be at most {limits.ID} characters, without spaces "
                         "around it", hint="use a short name such as jobnet or kommune")


def finish(d: Draft, source: str) -> Vacancy | None:
    """Validate a draft and build the enriched Vacancy; None if the draft has errors."""
    v = d.values
    if any(e.field is None for e in d.errors):
        return None  # the record as a whole is unusable; field checks would only add noise
    if len(source) > limits.ID:
        d.error("source", f"source name of {len(source):,} characters, more than the "
                f"{limits.ID} allowed", hint="use a short name such as jobnet or kommune")
    ext_id = v.get("external_id")
    title = v.get("title")
    # Readers check id and title themselves; this catches records they could not reach.
    if ext_id is None and "external_id" not in v and not d.errors:
        d.error("id", "missing id", hint="every record needs a unique id")
    if title is None and "title" not in v and not d.errors:
        d.error("title", "missing or empty", hint="every record needs a title")
    if d.errors:
        return None
    fit_lengths(d, v, FIELD_LIMITS)
    if (bad := cpr_field(v)) is not None:
        # one ad with a CPR number is rejected, not the refresh (the store refuses it anyway)
        d.error(bad, "looks like a CPR number (ddmmyy-xxxx); the ad is not stored",
                hint="ipsmatch never stores CPR numbers")
        return None
    title = v.get("title")
    text: str = v.get("text") or ""
    postcode = v.get("postcode")
    info = postcode_info(postcode) if postcode else None
    lat, lon = plausible_coords(d, v.get("lat"), v.get("lon"), postcode)
    if (lat is None or lon is None) and info:
        lat, lon = info.lat, info.lon
    city = v.get("city") or (info.name if info else None)

    employer = None
    emp_name, emp_cvr = v.get("employer_name"), v.get("employer_cvr")
    if emp_name or emp_cvr:
        e_pc = v.get("employer_postcode") or postcode
        e_info = postcode_info(e_pc) if e_pc else None
        same_place = e_pc == postcode
        employer = Employer(
            name=emp_name or f"CVR {emp_cvr}", cvr=emp_cvr,
            address=v.get("employer_address") or (v.get("address") if same_place else None),
            postcode=e_pc, city=v.get("employer_city") or (city if same_place else
                                                           e_info.name if e_info else None),
            lat=lat if same_place else (e_info.lat if e_info else None),
            lon=lon if same_place else (e_info.lon if e_info else None))

    # Facts: every source is kept (the feed's fields, then the text); ipsmatch.needs.weigh
    # decides what they say together.
    facts = list(d.field_facts)
    facts += extract_facts(title or "", text)
    schedule: dict[str, bool | None] = {}
    for key in SCHEDULE_KEYS:
        st = weigh(facts, key).value
        if isinstance(st, bool):
            schedule[key] = st

    hours_min, hours_max = v.get("hours_min"), v.get("hours_max")
    if hours_min is None and hours_max is None:
        hours_min, hours_max, hours_fact = _hours_from(v.get("work_hours"), f"{title}\n{text}")
        if hours_fact and not any(f.key == hours_fact.key for f in facts):
            facts.append(hours_fact)

    contact = {**contact_from_text(text), **(v.get("contact") or {})} or None

    conditions = list(v.get("work_conditions") or [])
    if not conditions:
        conditions = conditions_from_text(title or "", text)

    vac = Vacancy(
        source=source, external_id=str(ext_id), title=str(title), text=text, url=v.get("url"),
        employer=employer, address=v.get("address"), postcode=postcode, city=city,
        lat=lat, lon=lon, hours_min=hours_min, hours_max=hours_max, schedule=schedule,
        employment_type=v.get("employment_type"), work_conditions=conditions,
        posted=v.get("posted"), deadline=v.get("deadline"),
        occupation_hint=v.get("occupation_hint"), occupation_uri=v.get("occupation_uri"),
        facts=facts, contact=contact)
    vac.content_hash = content_hash(vac)
    vac.raw_hash = d.raw_hash
    return vac


def _hours_from(label: str | None, text: str
                ) -> tuple[float | None, float | None, Fact | None]:
    """Weekly hours when the feed gives no numbers. Order: numbers in the feed's label
    ("8-12 timer om ugen"), numbers in the ad text, the label's word ("Fuldtid" → 37), a word
    in the text. A part-time word without numbers leaves hours unknown and yields a
    ``part_time_possible`` fact instead."""
    found = [(extract_hours(label or ""), "field"), (extract_hours(text), "text")]
    for (lo, hi, phrase), _ in found:
        if phrase and any(c.isdigit() for c in phrase):
            return lo, hi, None
    for (lo, hi, phrase), src in found:
        if phrase:
            if lo is not None or hi is not None:
                return lo, hi, None
            return None, None, Fact("part_time_possible", True, phrase,
                                    "field" if src == "field" else "text")
    return None, None, None


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


Reader = Callable[..., tuple[list[Draft], int, int]]
