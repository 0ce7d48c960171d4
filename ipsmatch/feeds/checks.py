"""The field checks every feed format uses: each turns a raw value into a clean one (text,
id, postcode, date, hours, CVR, coordinates) or notes an error or a warning on the
:class:`~ipsmatch.feeds.types.Draft`, with a hint that says how to fix it."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from ipsmatch import limits
from ipsmatch.errors import UsageError
from ipsmatch.feeds.types import Draft
from ipsmatch.geo import implausible_point, normalize_postcode, postcode_info
from ipsmatch.text.clean import clean_str
from ipsmatch.text.html import html_to_text

MAX_HOURS = 80.0
#: Generous box around Denmark (incl. Bornholm); a point outside it is a data error.
DK_BBOX = (54.0, 58.2, 7.5, 15.5)

DATE_HINT = "use YYYY-MM-DD (e.g. 2021-08-27) or DD-MM-YYYY (e.g. 27-08-2021)"
POSTCODE_HINT = "a Danish postcode is 4 digits, e.g. 9000"
CVR_HINT = "a CVR number is 8 digits, e.g. 30806883 (a DK prefix and spaces are fine)"
HOURS_HINT = f"weekly hours are a number above 0 and at most {MAX_HOURS:g}, min <= max"


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


def _type_name(v: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", int: "a number",
            float: "a number", str: "text"}.get(type(v), type(v).__name__)


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
