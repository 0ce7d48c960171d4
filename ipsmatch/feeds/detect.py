"""Guess a feed file's format from its content (not its name)."""

from __future__ import annotations

import re
from pathlib import Path

from ipsmatch.errors import FeedReadError

FORMATS: tuple[str, ...] = ("jobnet", "jsonld", "csv")
_SNIFF_BYTES = 1_000_000
_FORMAT_HINT = "name the format with --format jobnet|jsonld|csv (see docs/feeds.md)"


def sniff_text(head: str, name: str) -> str:
    """The format of a file whose first characters are ``head`` (BOM already removed)."""
    s = head.lstrip()
    if not s:
        raise FeedReadError("file is empty", file=name, hint="export the feed again")
    if s[0] in "{[":
        if re.search(r'"JobPositionPostings?"\s*:', s):
            return "jobnet"
        if re.search(r'"@(?:type|context|graph)"\s*:', s) or '"JobPosting"' in s:
            return "jsonld"
        if re.search(r'"HiringOrgName"\s*:', s):
            return "jobnet"
        raise FeedReadError(
            "JSON, but neither Jobnet (JobPositionPostings/JobPositionPosting) nor schema.org "
            "JobPosting (@type)", file=name, hint=_FORMAT_HINT)
    first = s.split("\n", 1)[0].strip().lower()
    cells = [c.strip().strip('"').lstrip("\ufeff") for c in re.split(r"[,;\t]", first)]
    if "id" in cells or "title" in cells or "name" in cells or "cvr" in cells:
        return "csv"
    if s.startswith("<"):
        raise FeedReadError("looks like HTML/XML, not a feed", file=name,
                            hint="export the feed as JSON or CSV")
    raise FeedReadError("unknown feed format: not JSON, and the first line is not a CSV "
                        "header with id and title columns", file=name, hint=_FORMAT_HINT)


def detect_format(path: Path | str) -> str:
    """'jobnet', 'jsonld' or 'csv', sniffed from the file's first megabyte.

    Raises FeedReadError (with a fix hint) when the file cannot be read or the format is not
    recognised."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(_SNIFF_BYTES)
    except OSError as e:
        raise FeedReadError(f"cannot open file: {e.strerror or e}", file=str(p),
                            hint="check the path") from None
    head = raw.decode("utf-8-sig", errors="replace")
    return sniff_text(head, str(p))
