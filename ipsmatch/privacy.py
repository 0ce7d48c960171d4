"""Refuse CPR numbers (the Danish personal id) anywhere in data we store or match on.

A CPR number is ``ddmmyy-xxxx`` (dash optional): six digits that form a plausible date, then
four digits. We look for exactly ten digits not embedded in a longer run of digits, so phone
numbers (8 digits), postcodes and longer ids do not trigger it, and a ten-digit string whose
first six digits are not a date is not taken for a CPR number either.

    >>> find_cpr("ring på 12 34 56 78") is None
    True
    >>> find_cpr("cpr 010190-1234")
    '010190-1234'

Errors never echo the number itself: that would copy it into logs and terminals.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ipsmatch.errors import PrivacyError

# Not preceded/followed by a digit, nor by "digit-" / "-digit" (so "12-010190-1234-5" and
# ISO dates like 2024-010190 do not match partially).
# A dash or one space may separate date and sequence number: both are common in free text.
_CPR_RE = re.compile(r"(?<!\d)(?<!\d-)(\d{2})(\d{2})(\d{2})([-\s]?)(\d{4})(?!\d)(?!-\d)")

# Days per month; February allows 29 because the century is unknown.
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _plausible_date(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


def find_cpr(text: str) -> str | None:
    """The first substring of ``text`` that looks like a CPR number, or None."""
    for m in _CPR_RE.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        if _plausible_date(day, month):
            return m.group(0)
    return None


def contains_cpr(text: str) -> bool:
    return find_cpr(text) is not None


def _walk(obj: Any, path: str) -> Iterator[tuple[str, str]]:
    """Yield (path, text) for every string (and integer) in a nested dict/list/tuple/set."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            key = str(k)
            sub = f"{path}.{key}" if path else key
            yield (f"{sub} (key)", key)
            yield from _walk(v, sub)
    elif isinstance(obj, list | tuple | set | frozenset):
        for i, v in enumerate(obj):
            yield from _walk(v, f"{path}[{i}]")
    elif isinstance(obj, str):
        yield (path, obj)
    elif isinstance(obj, int) and not isinstance(obj, bool):
        # A CPR number read as a JSON/TOML integer loses its leading zero (010190… → 10190…).
        digits = str(obj)
        yield (path, digits.zfill(10) if len(digits) == 9 else digits)


def assert_no_cpr(obj: Any, where: str = "input") -> None:
    """Raise :class:`PrivacyError` if any string in ``obj`` (nested) looks like a CPR number.

    The message names the field (e.g. ``profile: wishes[1]``) but never the number.
    """
    for path, text in _walk(obj, ""):
        if find_cpr(text) is not None:
            field = path or "value"
            raise PrivacyError(
                f"{where}: {field} looks like a CPR number (ddmmyy-xxxx); ipsmatch never "
                "stores or matches on CPR numbers",
                hint="remove it; identify the citizen by a pseudonymous case reference "
                     "such as c-0042",
            )
