"""CSV output that a spreadsheet cannot run: every ``--format csv`` writer goes through here.

Feed text is untrusted: an ad titled ``=HYPERLINK("http://…")`` or ``=cmd|' /C calc'!A0``
becomes a live formula when a consultant opens the CSV in Excel or LibreOffice (CSV/formula
injection, OWASP). A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is written with a leading apostrophe, which spreadsheets show as text. Numbers are not
text and are written as they are (``-1.5`` stays a number).

    >>> safe_cell("=1+2"), safe_cell("Lager"), safe_cell(-1.5)
    ("'=1+2", 'Lager', -1.5)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: first characters that make a spreadsheet read a cell as a formula (or hide one)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *,
              lineterminator: str = "\r\n") -> str:
    """``rows`` (only ``columns``, in that order) as CSV text with a header, cells made safe."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore",
                       lineterminator=lineterminator)
    w.writeheader()
    for r in rows:
        w.writerow({k: safe_cell(r.get(k)) for k in columns})
    return buf.getvalue()
