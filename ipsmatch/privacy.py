"""The one place that decides what personal data ipsmatch refuses to store.

**CPR numbers** (the Danish personal id): a valid date ``DDMMYY`` followed by four digits, in
the spellings people actually type::

    010190-1234   0101901234   010190 1234   010190 - 1234   010190–1234 (en dash)
    01.01.90-1234   01/01/90-1234   01-01-90-1234   01 01 90 1234

The date's two separators must be the same (``.``, ``/``, ``-``, a space, or none); between
date and sequence number there may be spaces and one dash of any kind (hyphen, en/em dash,
minus). The number must not be part of a longer number (``2024-010190-1234``,
``01019012345``) nor sit inside a word on both sides (a phone number spliced into
``vacu0901803099uming`` in a real Jobnet ad) nor inside a hash or UUID (a run of 16 or more
hex digits and dashes with a letter: content hashes, ESCO URIs); ``cpr0101901234`` is found.
So 8-digit phone and CVR numbers never match, nor do dates with a four-digit year. Accepted
false positives (listed in PRIVACY.md): a ten-digit number whose first six digits happen to
form a date, e.g. a P-number (``1010475550``) or an order number, and a date followed by a
four-digit number (``12.11.26 1030``).

    >>> find_cpr("ring på 12 34 56 78") is None
    True
    >>> find_cpr("cpr 01.01.90-1234")
    '01.01.90-1234'

**Health details** in free text (diagnoses, admissions, treatment): :func:`find_health_terms`
looks for the words in :data:`HEALTH_TERMS`; the entry points for what consultants write about
citizens (wishes, notes, outcomes, reasons) refuse such text unless the user confirms it with
``--force`` (``allow_health=True``). Job ads and employer data are not checked: an ad for a
"psykiatrisk sygeplejerske" is an ordinary ad.

Errors never echo the refused value: messages end up in logs and terminals. The CLI also
passes every error message through :func:`redact_cpr`, so a value echoed by some other message
("no citizen …") is masked too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ipsmatch.errors import PrivacyError

_SPACE = r"[ \t\u00a0\u202f]"
#: hyphen, non-breaking hyphen, figure dash, en dash, em dash, minus sign
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_DASH = f"[{_DASHES}]"
_CPR_RE = re.compile(
    # DD, MM, YY with the same separator (or none) between them
    rf"(\d{{2}})(?P<sep>[./ {_DASHES}]?)(\d{{2}})(?P=sep)(\d{{2}})"
    # optional spaces and one dash, then the four-digit sequence number
    rf"{_SPACE}*(?:{_DASH}{_SPACE}*)?(\d{{4}})"
    # not the head of a longer number, nor of a dashed, dotted or slashed one
    rf"(?!\d)(?![{_DASHES}./]\d)")
#: a run of hex digits (and dashes) this long with a letter in it is a hash, a UUID or a
#: token written by a program (sha256 content hashes, ESCO URIs), not a typed number
_HEX_RUN = re.compile(r"[0-9a-fA-F-]{16,}")
#: what may not come just before: a digit, or a digit and a separator (checked in Python:
#: a look-behind in the pattern makes the scan of a long ad text twice as slow)
_BEFORE_RE = re.compile(rf"\d[{_DASHES}./]?$")

# Days per month; February allows 29 because the century is unknown.
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

#: what replaces a CPR-shaped number in a message (:func:`redact_cpr`)
REDACTED = "[CPR-nummer fjernet]"


def _plausible_date(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


def _matches(text: str) -> Iterator[re.Match[str]]:
    if len(text) < 10:  # most values (codes, names, postcodes): nothing to scan
        return
    for m in _CPR_RE.finditer(text):
        start, end = m.span()
        if start and _BEFORE_RE.search(text, max(0, start - 2), start):
            continue  # the tail of a longer number
        if start > 0 and end < len(text) and text[start - 1].isalpha() and text[end].isalpha():
            continue  # inside a word on both sides ("vacu0901803099uming" in a real feed)
        if _in_hex_run(text, start, end):
            continue
        if _plausible_date(int(m.group(1)), int(m.group(3))):
            yield m


def _in_hex_run(text: str, start: int, end: int) -> bool:
    """True when text[start:end] lies inside a long hex run with a letter (a hash, a UUID)."""
    lo, hi = start, end
    while lo > 0 and text[lo - 1] in _HEX_CHARS:
        lo -= 1
    while hi < len(text) and text[hi] in _HEX_CHARS:
        hi += 1
    run = text[lo:hi]
    return hi - lo >= 16 and _HEX_RUN.fullmatch(run) is not None and \
        any(c in "abcdefABCDEF" for c in run)


_HEX_CHARS = frozenset("0123456789abcdefABCDEF-")


def find_cpr(text: str) -> str | None:
    """The first substring of ``text`` that looks like a CPR number, or None."""
    if not isinstance(text, str) or len(text) < 10:
        return None
    return next((m.group(0) for m in _matches(text)), None)


def contains_cpr(text: str) -> bool:
    return find_cpr(text) is not None


def redact_cpr(text: str) -> str:
    """``text`` with every CPR-shaped number replaced by :data:`REDACTED`."""
    spans = [m.span() for m in _matches(text)]
    for start, end in reversed(spans):
        text = text[:start] + REDACTED + text[end:]
    return text


def walk_strings(obj: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield (path, text) for every string (and integer) in a nested dict/list/tuple/set."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            key = str(k)
            sub = f"{path}.{key}" if path else key
            yield (f"{sub} (key)", key)
            yield from walk_strings(v, sub)
    elif isinstance(obj, list | tuple | set | frozenset):
        for i, v in enumerate(obj):
            yield from walk_strings(v, f"{path}[{i}]")
    elif isinstance(obj, str):
        yield (path, obj)
    elif isinstance(obj, int) and not isinstance(obj, bool):
        # A CPR number read as a JSON/TOML integer loses its leading zero (010190… → 10190…).
        digits = str(obj)
        yield (path, digits.zfill(10) if len(digits) == 9 else digits)


def cpr_field(values: Any) -> str | None:
    """The path of the first value in ``values`` (nested) that looks like a CPR number, e.g.
    ``wishes[1]`` or ``needs.x (key)``; None when there is none. The same values as
    :func:`walk_strings`, but the path is only built for a hit: this runs on every write."""
    found = _cpr_path(values)
    if found is None:
        return None
    return "".join(reversed(found)).lstrip(".") or "value"


def _cpr_path(obj: Any) -> list[str] | None:
    """Path parts of the first CPR-shaped value, innermost first (None when none)."""
    if isinstance(obj, str):
        return [] if len(obj) >= 10 and find_cpr(obj) is not None else None
    if isinstance(obj, dict):
        for k, v in obj.items():
            key = str(k)
            if len(key) >= 9 and _cpr_path(key if isinstance(k, str) else k) is not None:
                return [f".{key} (key)"]
            sub = _cpr_path(v)
            if sub is not None:
                return [*sub, f".{key}"]
        return None
    if isinstance(obj, list | tuple | set | frozenset):
        for i, v in enumerate(obj):
            sub = _cpr_path(v)
            if sub is not None:
                return [*sub, f"[{i}]"]
        return None
    if isinstance(obj, int) and not isinstance(obj, bool):
        # A CPR number read as a JSON/TOML integer loses its leading zero (010190… → 10190…).
        digits = str(obj)
        return _cpr_path(digits.zfill(10) if len(digits) == 9 else digits)
    return None


def cpr_error(where: str, field: str) -> PrivacyError:
    """The refusal, naming the field but never the value."""
    return PrivacyError(code="privacy.cpr", params={"where": where, "field": field})


def assert_no_cpr(obj: Any, where: str = "input") -> None:
    """Raise :class:`PrivacyError` if any string in ``obj`` (nested) looks like a CPR number.

    The message names the field (e.g. ``profile: wishes[1]``) but never the number.
    """
    field = cpr_field(obj)
    if field is not None:
        raise cpr_error(where, field)


# --- health details -------------------------------------------------------------------------

#: Words that reveal a diagnosis, an admission or a treatment, Danish and English, as regular
#: expressions matched as whole words (case-insensitive). Curated for ipsmatch from:
#: the names of the ICD-10 chapter F groups that IPS target groups have (F20-F29 psychoses,
#: F30-F39 affective, F40-F48 anxiety/OCD/PTSD, F60 personality, F84/F90 autism/ADHD) in
#: Sundhedsdatastyrelsen's Danish SKS edition and WHO's English one; the drug classes of ATC
#: groups N05/N06 (antipsychotics, antidepressants, lithium) and their common Danish words;
#: and the Danish words for psychiatric admission and treatment used in municipal case notes
#: (indlagt, indlæggelse, psykiatrisk, behandling, misbrug). Kept short on purpose: each word
#: must rarely appear in a job wish or an employer contact. Words that are also job words
#: (psykiatrisk, medicin) are included because a note about a citizen should not hold them;
#: ``--force`` keeps a deliberate note (e.g. the wish "psykiatrisk sygeplejerske").
HEALTH_TERMS: tuple[str, ...] = (
    # diagnoses, Danish
    r"bipolar\w*", r"maniodepressiv\w*", r"skizofren\w*", r"skizotyp\w*", r"psykose\w*",
    r"psykotisk\w*", r"depression\w*", r"depressiv\w*", r"deprimeret", r"angstlidelse\w*",
    r"angstanfald\w*", r"panikangst", r"socialfobi\w*", r"ocd", r"ptsd", r"ptsd-\w+",
    r"personlighedsforstyrrels\w*", r"borderline", r"spiseforstyrrels\w*", r"anoreksi\w*",
    r"bulimi\w*", r"adhd", r"autis\w*", r"asperger\w*", r"diagnose\w*",
    r"diagnosticeret", r"selvmord\w*", r"selvskad\w*",
    r"misbrug\w*", r"alkoholiker\w*", r"alkoholmisbrug\w*", r"stofmisbrug\w*",
    # admission and treatment, Danish
    r"indlagt", r"indlæggelse\w*", r"genindlagt", r"tvangsindlagt", r"tvangsindlæggelse\w*",
    r"psykiatri", r"psykiatrien", r"psykiatrisk\w*", r"distriktspsykiatri\w*",
    r"psykiater\w*", r"medicin", r"medicinen", r"medicinering\w*", r"medicineret",
    r"antidepressiv\w*", r"antipsykoti\w*", r"lithium", r"elektrochok\w*",
    # English
    r"schizophreni\w*", r"schizoaffective", r"psychosis", r"psychoses", r"psychotic",
    r"depressed", r"anxiety disorder", r"panic disorder", r"eating disorder",
    r"personality disorder", r"autism\w*", r"autistic", r"diagnosis", r"diagnosed",
    r"suicid\w*", r"self-harm\w*", r"hospitali[sz]ed", r"admitted to hospital",
    r"psychiatric", r"psychiatrist\w*", r"psychiatry", r"medication", r"medicated",
    r"antidepressant\w*", r"antipsychotic\w*", r"substance abuse", r"addict\w*",
    r"alcoholic\w*",
)
_HEALTH_RE = re.compile(r"(?<![\w-])(?:" + "|".join(HEALTH_TERMS) + r")(?![\w-])",
                        re.IGNORECASE)

HEALTH_HINT = ("describe what the workplace should offer instead (a need such as "
               "quiet_workplace); if the text is deliberate, add --force")


def find_health_terms(text: str) -> list[str]:
    """The health words in ``text`` (as written, in order), or an empty list."""
    if not isinstance(text, str) or not text:
        return []
    return [m.group(0) for m in _HEALTH_RE.finditer(text)]


def assert_no_health_terms(fields: Iterable[tuple[str, Any]], where: str = "input") -> None:
    """Raise :class:`PrivacyError` when a (name, value) field holds health words.

    Values may be nested (a profile's wishes list). Unlike CPR numbers, the words found are
    named: they are common words, and the user needs to know what to rephrase.
    """
    for name, value in fields:
        for path, text in walk_strings(value, name):
            found = find_health_terms(text)
            if found:
                words = ", ".join(dict.fromkeys(w.lower() for w in found))
                raise PrivacyError(
                    f"{where}: {path} looks like health details ({words}); ipsmatch keeps no "
                    "diagnoses or treatment details", hint=HEALTH_HINT)
