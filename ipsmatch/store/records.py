"""What the job-development record writers share: the import summary, import keys and their
de-duplication, validation located in the imported file, and the citizen checks.

Unknown citizens: ``add_contact``, ``add_job_start`` and ``add_feedback`` refuse them
(NotFoundError); ``import_contacts`` creates a stub by default, ``import_job_starts`` refuses
them (see :mod:`ipsmatch.store.contacts_repo`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from ipsmatch.errors import FeedError, NotFoundError
from ipsmatch.jobdev.model import Contact, JobStart, check_free_text
from ipsmatch.store.schema import citizens

UNKNOWN_CITIZEN_HINT = "add it with `ipsmatch citizen add`"


@dataclass
class ImportSummary:
    """What an import wrote; ``errors`` are the rows skipped (lenient mode only)."""

    added: int = 0
    #: rows that were in the database already (an earlier import of the same rows), or
    #: repeated in the file: not added again
    already: int = 0
    employers_created: int = 0
    citizens_created: list[str] = field(default_factory=list)
    errors: list[FeedError] = field(default_factory=list)
    #: contacts for citizens not asked about employer contact yet (stored, with a warning)
    warnings: list[str] = field(default_factory=list)


def import_key(parts: list[Any]) -> str:
    """The hash that identifies an imported record (so importing it again adds nothing)."""
    blob = json.dumps(parts, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def unknown_citizen(cid: str) -> NotFoundError:
    return NotFoundError(code="citizen.unknown_id", params={"id": cid})


def citizen_exists(conn: sa.Connection, cid: str) -> bool:
    return conn.execute(sa.select(citizens.c.id).where(citizens.c.id == cid)
                        ).first() is not None


def existing_citizens(conn: sa.Connection, ids: set[str]) -> set[str]:
    """The ones of ``ids`` that are stored citizens."""
    if not ids:
        return set()
    return set(conn.execute(sa.select(citizens.c.id).where(citizens.c.id.in_(ids))
                            ).scalars())


def not_there(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]
               ) -> list[dict[str, Any]]:
    """The rows whose import key is neither in ``table`` yet nor earlier in ``rows``."""
    keys = [r["import_key"] for r in rows]
    there: set[str] = set()
    for i in range(0, len(keys), 500):
        there.update(conn.execute(sa.select(table.c.import_key)
                                  .where(table.c.import_key.in_(keys[i:i + 500]))).scalars())
    new = []
    for r in rows:
        if r["import_key"] not in there:
            there.add(r["import_key"])
            new.append(r)
    return new


def located(exc: FeedError, file: str | None, lines: Sequence[int] | None, i: int
             ) -> FeedError:
    if file is not None:
        exc.file = file
    if lines is not None and i < len(lines):
        exc.line = lines[i]
    elif exc.line is None and file is not None:
        exc.record = i + 1
    return exc


def validate_all(records: Sequence[Contact | JobStart], *, today: date | None,
                  allow_health: bool, file: str | None, lines: Sequence[int] | None) -> None:
    """Check every record before anything is written; the first bad one raises FeedError,
    located by ``file`` and ``lines``."""
    for i, r in enumerate(records):
        try:
            r.validate(today=today)
            if not allow_health:
                check_free_text(r)
        except FeedError as exc:
            raise located(exc, file, lines, i) from None

