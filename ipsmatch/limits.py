"""The lengths (in characters) of the database's text columns, in one place.

``ipsmatch/store/schema.py`` declares its columns with these, and the validators (feed
readers, contact logs, job starts, options) check against the same numbers, so SQLite, which
does not enforce a length, takes exactly the records PostgreSQL takes, and one over-long value
is one record's problem, never a failed refresh or import (see docs/feeds.md).
"""

from __future__ import annotations

import os

POSTCODE = 8
CVR = 16
STATUS = 16
CODE = 32  # contact kind, feedback verdict
ID = 64  # citizen ids, feed source names, access-log actions, employment types, hashes
CITY = 120
CONSULTANT = 120
EXTERNAL_ID = 200
INDUSTRY = 200
NAME = 300  # employer names; addresses, occupations, contact outcome/next step, job titles
TITLE = 500  # vacancy titles
URL = 1000

# --- caps on what a consultant types (far above any real use; each refused with a clear error)

#: wishes (and avoids) in one profile
MAX_WISHES = 30
#: characters in one wish or avoid
MAX_WISH_CHARS = 200
#: characters in one search query
MAX_QUERY_CHARS = 500


def read_at_most(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a file: a caller that gets more than ``max_bytes``
    refuses the file. A file's size from ``stat`` is not enough: a pipe, ``/dev/zero`` or
    ``/dev/full`` reports 0 and never ends (read whole, it fills the memory)."""
    with open(path, "rb") as fh:
        return fh.read(max_bytes + 1)
