"""Make text safe to store and to hand to C code.

Two kinds of character can come out of a feed or profile that a database or a C library
cannot take: NUL (PostgreSQL refuses it in text; C strings end at it) and lone UTF-16
surrogates, which only a JSON escape without its pair (``"\\ud800"``) produces and which
cannot be written as UTF-8 at all (SQLite's driver fails on them). A valid surrogate pair
decodes to one character and is left alone.

>>> clean_str("lager\\x00medarbejder")
'lager medarbejder'
>>> clean_str("caf\\ud800e") == "caf\\ufffde"
True
"""

from __future__ import annotations

import re
from typing import Any

_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")


def clean_str(s: str) -> str:
    """``s`` with NUL → space and a lone surrogate → U+FFFD (the replacement character)."""
    if not _BAD_CHAR.search(s):
        return s
    return _BAD_CHAR.sub(lambda m: " " if m.group() == "\x00" else "\ufffd", s)


def clean_strings(obj: Any) -> Any:
    """``obj`` (parsed JSON) with :func:`clean_str` applied to every string and key."""
    if isinstance(obj, str):
        return clean_str(obj)
    if isinstance(obj, list):
        return [clean_strings(v) for v in obj]
    if isinstance(obj, dict):
        return {clean_str(k) if isinstance(k, str) else k: clean_strings(v)
                for k, v in obj.items()}
    return obj


def depth_exceeds(obj: Any, limit: int = 50) -> bool:
    """True when ``obj`` nests dicts/lists more than ``limit`` levels (iterative, no recursion)."""
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        cur, d = stack.pop()
        if d > limit:
            return True
        if isinstance(cur, dict):
            stack.extend((v, d + 1) for v in cur.values() if isinstance(v, (dict, list)))
        elif isinstance(cur, list):
            stack.extend((v, d + 1) for v in cur if isinstance(v, (dict, list)))
    return False
