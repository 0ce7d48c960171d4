"""The refresh log (``refresh_runs``): one row a refresh, ok or failed, read by ``index
status`` and by :meth:`~ipsmatch.store.Store.data_stamp`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ipsmatch.store.schema import refresh_runs


def record_run(conn: sa.Connection, *, started_at: datetime, finished_at: datetime,
               sources: list[str], files: list[dict[str, Any]], added: int, updated: int,
               unchanged: int, expired: int, rejected: int, status: str,
               message: str | None) -> int:
    """Note one refresh; returns its id. A file name or message that looks like a CPR number
    (jobs_161126-1030.csv: a date and a time) is masked, since the store refuses those."""
    from ipsmatch.privacy import redact_cpr

    files = [{**f, "path": redact_cpr(f["path"])} if isinstance(f.get("path"), str) else f
             for f in files]
    values = {"started_at": started_at, "finished_at": finished_at, "sources": sources,
              "files": files, "added": added, "updated": updated, "unchanged": unchanged,
              "expired": expired, "rejected": rejected, "status": status,
              "message": redact_cpr(message) if message else message}
    return int(conn.execute(refresh_runs.insert().returning(refresh_runs.c.id), values
                            ).scalar_one())


def last_run(conn: sa.Connection, *, ok_only: bool = False) -> dict[str, Any] | None:
    """The newest run (or the newest ``ok`` one) as a dict of its columns; None before any."""
    q = sa.select(refresh_runs).order_by(refresh_runs.c.id.desc()).limit(1)
    if ok_only:
        q = q.where(refresh_runs.c.status == "ok")
    row = conn.execute(q).mappings().first()
    return dict(row) if row else None


def last_ok_run_id(conn: sa.Connection) -> int | None:
    """The id of the newest ``ok`` run; None before any."""
    return conn.execute(sa.select(sa.func.max(refresh_runs.c.id))
                        .where(refresh_runs.c.status == "ok")).scalar()
