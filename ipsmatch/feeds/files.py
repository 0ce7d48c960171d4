"""Reading feed files: a file's text and its JSON, with errors that say what is wrong
(:class:`~ipsmatch.errors.FeedReadError`), and the limits on size and depth."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ipsmatch.errors import FeedReadError
from ipsmatch.limits import read_at_most
from ipsmatch.text.clean import clean_strings

MAX_RECORD_BYTES = 1_000_000
MAX_DEPTH = 50


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
        data = read_at_most(path, max_bytes)
    except OSError as e:
        raise FeedReadError(f"cannot read file: {e.strerror or e}", file=name) from None
    if len(data) > max_bytes:  # a pipe or device whose size stat does not tell
        raise FeedReadError(f"file is more than the limit of {max_bytes:,} bytes", file=name,
                            hint="split the feed into smaller files")
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
