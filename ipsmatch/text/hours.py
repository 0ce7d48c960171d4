"""Weekly hours stated in a job ad ("20-25 timer ugentligt", "fuldtid", "75 % af fuldtid").

    >>> extract_hours("Stillingen er på 20-25 timer ugentligt")
    (20.0, 25.0, '20-25 timer ugentligt')
"""

from __future__ import annotations

import re

#: a full-time week in Denmark (overenskomst): "fuldtid" and shares of it become hours
FULL_TIME_HOURS = 37.0

_F = re.IGNORECASE | re.UNICODE

_NUM = r"(\d{1,2}(?:[.,]\d{1,2})?)"
_RANGE_SEP = r"\s*(?:-|–|—|til|to)\s*"
_HOURS_WORD = r"(?:timer|timers|time|t\.?|hours?|hrs?\.?)"
_WEEK = (r"(?:om\s+ugen|i\s+ugen|pr\.?\s*uge\w*|per\s+uge|/\s*ugen?|/\s*u\b|ugentlig[t]?"
         r"|pr\s*\.?(?=\s*$)|(?:per|a|each|every|/)\s*week|weekly|pw\b)")
_HOURS_PATTERNS = [
    # "20-25 timer ugentligt", "mellem 25 - 37 timer om ugen", "32-37 hours per week"
    re.compile(rf"(?:mellem\s+|between\s+)?{_NUM}{_RANGE_SEP}{_NUM}\s*\+?\s*{_HOURS_WORD}\s*"
               rf"{_WEEK}", _F),
    # "ugentlig arbejdstid mellem 25 - 37 timer", "12-15 timer" after a weekly cue
    re.compile(rf"(?:ugentlig\w*|weekly|per\s+week)\D{{0,40}}?{_NUM}{_RANGE_SEP}{_NUM}\s*"
               rf"{_HOURS_WORD}", _F),
    # "30 t./uge", "37 timer om ugen", "32 hours per week", "25+ timer pr. uge"
    re.compile(rf"{_NUM}\s*\+?\s*{_HOURS_WORD}\s*{_WEEK}", _F),
    # "en 37 timers stilling", "37-timers stilling"
    re.compile(rf"{_NUM}\s*-?\s*timers?\s*(?:stilling|job|ansættelse)", _F),
    # "stillingen er på 30 timer", "vikariat på 30 timer", "lærere på 37 timer"
    re.compile(rf"(?:stilling\w*|job\w*|vikariat\w*|ansættelse|arbejdstid\w*|normeret\s+til|"
               rf"(?:på|af)(?=\s+\d))\s*(?:er\s+)?(?:på\s+|af\s+|til\s+)?{_NUM}\s*"
               rf"(?:{_RANGE_SEP}{_NUM}\s*)?timer\b(?!\s+(?:over|i\s+døgnet|om\s+dagen|dagligt"
               rf"|om\s+måneden|pr\.?\s*(?:dag|måned|døgn)))", _F),
]
_FULL_TIME = re.compile(r"\bfuld\s*tid(?:en)?\b|\bfuldtids(?:stilling|job|ansættelse|ansat)\w*"
                        r"|\bfull[- ]time\b", _F)
# "75 % af fuldtid" = a share of a 37-hour week.
_SHARE_OF_FULL = re.compile(r"\b(\d{1,3}(?:[.,]\d+)?)\s*%\s*(?:af\s+(?:en\s+)?)?(?:fuld\s*tid\w*"
                            r"|normal\s+(?:arbejds)?tid|of\s+full[- ]time)", _F)
_PART_TIME = re.compile(r"\bdeltid\w*|\bpart[- ]time\b", _F)


def _num(s: str | None) -> float | None:
    if s is None:
        return None
    try:
        return float(s.replace(",", "."))
    except ValueError:
        return None


def extract_hours(text: str) -> tuple[float | None, float | None, str | None]:
    """Weekly hours stated in ``text`` as ``(min, max, phrase)``.

    Numbers win ("20-25 timer ugentligt" → 20, 25); else "fuldtid"/"full time" → 37, 37;
    else "deltid"/"part time" → ``(None, None, phrase)`` (part-time, amount unknown);
    else ``(None, None, None)``. Text naming both full and part time without numbers is
    ambiguous and gives nothing."""
    if not text or not isinstance(text, str):
        return None, None, None
    text = text[:200_000]
    for rx in _HOURS_PATTERNS:
        for m in rx.finditer(text):
            nums = [n for n in (_num(g) for g in m.groups() if g is not None) if n is not None]
            if not nums or not all(0 < n <= 80 for n in nums):
                continue
            lo, hi = (nums[0], nums[1]) if len(nums) > 1 else (nums[0], nums[0])
            if lo > hi:
                continue
            phrase = " ".join(m.group(0).split())
            if len(nums) == 1 and re.search(r"\d\s*\+", phrase):
                return lo, None, phrase  # "25+ timer": at least 25
            return lo, hi, phrase
    share = _SHARE_OF_FULL.search(text)
    if share:
        pct = _num(share.group(1))
        if pct is not None and 0 < pct <= 100:
            h = round(FULL_TIME_HOURS * pct / 100, 1)
            return h, h, " ".join(share.group(0).split())
    full = _FULL_TIME.search(text)
    part = _PART_TIME.search(text)
    if full and not part:
        return FULL_TIME_HOURS, FULL_TIME_HOURS, full.group(0)
    if part and not full:
        return None, None, part.group(0)
    return None, None, None
