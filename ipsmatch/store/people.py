"""Store methods for citizens and the access log (job development: ``jobdev_repo.py``).

Citizen ids are pseudonymous case references; the profile is kept as the caller's dict. The
access log records who looked at which case and when, never profile content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ipsmatch.errors import InputError, NotFoundError
from ipsmatch.store.schema import (
    access_log,
    citizens,
    employer_contacts,
    job_starts,
    suggestion_feedback,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass
class CitizenRecord:
    """A stored citizen: the profile dict exactly as saved, plus bookkeeping."""

    id: str
    profile: dict[str, Any]
    consultant: str | None
    start_date: date | None
    created_at: datetime
    updated_at: datetime
    #: False once the citizen has left IPS (no longer in the active caseload)
    active: bool = True


def _now() -> datetime:
    return datetime.now(UTC)


def _citizen(r: Any) -> CitizenRecord:
    return CitizenRecord(id=r["id"], profile=dict(r["profile"]), consultant=r["consultant"],
                         start_date=r["start_date"], created_at=r["created_at"],
                         updated_at=r["updated_at"], active=bool(r["active"]))


class PeopleMixin:
    engine: Engine

    # --- citizens -------------------------------------------------------------------------

    def save_citizen(self, citizen_id: str, profile: dict[str, Any],
                     consultant: str | None = None, start_date: date | None = None
                     ) -> CitizenRecord:
        """Insert or replace a citizen's profile (``created_at`` is kept on update)."""
        cid = (citizen_id or "").strip()
        if not cid:
            raise InputError("a citizen needs an id (a pseudonymous case reference)")
        now = _now()
        values = {"profile": dict(profile), "consultant": consultant, "start_date": start_date,
                  "updated_at": now}
        with self.engine.begin() as conn:
            exists = conn.execute(sa.select(citizens.c.id).where(citizens.c.id == cid)).first()
            if exists:
                conn.execute(citizens.update().where(citizens.c.id == cid), values)
            else:
                conn.execute(citizens.insert(), {"id": cid, "created_at": now, **values})
        return self.get_citizen(cid)

    def get_citizen(self, citizen_id: str) -> CitizenRecord:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(citizens).where(citizens.c.id == citizen_id)
                             ).mappings().first()
        if r is None:
            raise NotFoundError(f"no citizen {citizen_id}", hint="see `ipsmatch citizen list`")
        return _citizen(r)

    def list_citizens(self, *, consultant: str | None = None) -> list[CitizenRecord]:
        q = sa.select(citizens).order_by(citizens.c.id)
        if consultant:
            q = q.where(citizens.c.consultant == consultant)
        with self.engine.connect() as conn:
            return [_citizen(r) for r in conn.execute(q).mappings()]

    def set_citizen_active(self, citizen_id: str, active: bool) -> CitizenRecord:
        """Mark a citizen as in (True) or out of (False) the active caseload."""
        with self.engine.begin() as conn:
            n = conn.execute(citizens.update().where(citizens.c.id == citizen_id),
                             {"active": active, "updated_at": _now()}).rowcount
        if not n:
            raise NotFoundError(f"no citizen {citizen_id}", hint="see `ipsmatch citizen list`")
        return self.get_citizen(citizen_id)

    def delete_citizen(self, citizen_id: str) -> dict[str, int]:
        """Delete a citizen with their feedback and job starts; contacts keep the employer side
        but lose the link. The access log is kept (it holds no profile content). Returns
        counts."""
        with self.engine.begin() as conn:
            if conn.execute(sa.select(citizens.c.id).where(citizens.c.id == citizen_id)
                            ).first() is None:
                raise NotFoundError(f"no citizen {citizen_id}")
            # Done explicitly (not only by ON DELETE rules) so the counts are exact and a
            # database without enforced foreign keys ends in the same state.
            fb = conn.execute(suggestion_feedback.delete()
                              .where(suggestion_feedback.c.citizen_id == citizen_id)).rowcount
            js = conn.execute(job_starts.delete()
                              .where(job_starts.c.citizen_id == citizen_id)).rowcount
            ct = conn.execute(employer_contacts.update()
                              .where(employer_contacts.c.citizen_id == citizen_id),
                              {"citizen_id": None}).rowcount
            conn.execute(citizens.delete().where(citizens.c.id == citizen_id))
        return {"citizens": 1, "suggestion_feedback": int(fb), "job_starts": int(js),
                "employer_contacts_unlinked": int(ct)}

    # --- access log -----------------------------------------------------------------------

    def log_access(self, consultant: str | None, action: str, citizen_id: str | None = None,
                   *, at: datetime | None = None) -> None:
        """Note that ``consultant`` did ``action`` (e.g. "suggest") on a case."""
        with self.engine.begin() as conn:
            conn.execute(access_log.insert(), {"at": at or _now(), "consultant": consultant,
                                               "action": action, "citizen_id": citizen_id})

    def list_access(self, *, citizen_id: str | None = None, limit: int | None = None
                    ) -> list[dict[str, Any]]:
        q = sa.select(access_log).order_by(access_log.c.id.desc())
        if citizen_id is not None:
            q = q.where(access_log.c.citizen_id == citizen_id)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]
