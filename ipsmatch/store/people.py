"""Store methods for citizens and the access log (job development: ``jobdev_repo.py``
and the mixins it composes).

Citizen ids are pseudonymous case references; the profile is kept as the caller's dict. The
access log records who looked at which case and when, never profile content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ipsmatch.errors import InputError, NotFoundError, StoreError
from ipsmatch.store.schema import (
    access_log,
    citizens,
    education_starts,
    employer_contacts,
    followalong_contacts,
    job_starts,
    suggestion_feedback,
    utc_now,
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


def _citizen(r: Any) -> CitizenRecord:
    return CitizenRecord(id=r["id"], profile=dict(r["profile"]), consultant=r["consultant"],
                         start_date=r["start_date"], created_at=r["created_at"],
                         updated_at=r["updated_at"], active=bool(r["active"]))


class PeopleMixin:
    engine: Engine

    # --- citizens -------------------------------------------------------------------------

    def save_citizen(self, citizen_id: str, profile: dict[str, Any],
                     consultant: str | None = None, start_date: date | None = None,
                     *, allow_health: bool = False) -> CitizenRecord:
        """Insert or replace a citizen's profile (``created_at`` is kept on update).

        Refuses (PrivacyError) a CPR number anywhere in the id, profile or consultant field,
        whatever path the data came by: the store is the last line of defence. Health words
        in the profile's text (wishes, avoid ...) are refused unless ``allow_health``.
        """
        from ipsmatch.privacy import assert_no_cpr, assert_no_health_terms

        cid = (citizen_id or "").strip()
        if not cid:
            raise InputError("a citizen needs an id (a pseudonymous case reference)")
        assert_no_cpr({"id": cid, "consultant": consultant, "profile": profile}, "citizen")
        if not allow_health:
            assert_no_health_terms(((k, v) for k, v in profile.items() if k != "id"),
                                   f"citizen {cid}")
        now = utc_now()
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
            raise NotFoundError(code="citizen.unknown", params={"id": citizen_id})
        return _citizen(r)

    def read_profile(self, citizen_id: str, *, who: str | None, action: str
                     ) -> dict[str, Any]:
        """A stored citizen's profile dict, noting ``who`` did ``action`` in the access log.

        A stub the contact log import added (a case id, no profile yet) is a ProfileError."""
        from ipsmatch.errors import ProfileError

        profile = self.get_citizen(citizen_id).profile
        if not profile:
            raise ProfileError(code="citizen.no_profile", params={"id": citizen_id})
        self.log_access(who, action, citizen_id)
        return profile

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
                             {"active": active, "updated_at": utc_now()}).rowcount
        if not n:
            raise NotFoundError(code="citizen.unknown", params={"id": citizen_id})
        return self.get_citizen(citizen_id)

    def delete_citizen(self, citizen_id: str, *, consultant: str | None = None
                       ) -> dict[str, int]:
        """Delete a citizen and everything that names them; returns what was done (counts).

        Removed: the profile and their suggestion feedback. Contacts linked to them keep the
        employer side (date, kind, purpose, what was learned) but lose the link and what the
        consultant wrote (note, outcome, next step); a contact note, outcome or next step that
        names the case id elsewhere is cleared too. The access log keeps its entries (who
        looked, when) with the case id replaced by a random ``forgotten:`` tag, plus one
        ``forget`` entry by ``consultant``.
        On SQLite the freed space is zeroed and the WAL is checkpointed, so the removed text
        is not left in the database file; when another process's read transaction blocks the
        checkpoint (after retries) StoreError says so: the rows are gone, the old text is
        still in the ``-wal`` file until :meth:`checkpoint` succeeds.
        """
        import re
        import secrets

        from ipsmatch.privacy import find_cpr

        with self.engine.begin() as conn:
            if conn.execute(sa.select(citizens.c.id).where(citizens.c.id == citizen_id)
                            ).first() is None:
                raise NotFoundError(code="citizen.unknown", params={"id": citizen_id})
            # Done explicitly (not only by ON DELETE rules) so the counts are exact and a
            # database without enforced foreign keys ends in the same state.
            fb = conn.execute(suggestion_feedback.delete()
                              .where(suggestion_feedback.c.citizen_id == citizen_id)).rowcount
            fa = conn.execute(followalong_contacts.delete()
                              .where(followalong_contacts.c.citizen_id == citizen_id)).rowcount
            es = conn.execute(education_starts.delete()
                              .where(education_starts.c.citizen_id == citizen_id)).rowcount
            # a job's hours timeline and support plan go with it (ON DELETE CASCADE; done
            # explicitly for databases that do not enforce foreign keys)
            from ipsmatch.store.schema import job_hours, support_plans

            job_ids = sa.select(job_starts.c.id).where(job_starts.c.citizen_id == citizen_id)
            conn.execute(job_hours.delete().where(job_hours.c.job_id.in_(job_ids)))
            conn.execute(support_plans.delete().where(support_plans.c.job_id.in_(job_ids)))
            js = conn.execute(job_starts.delete()
                              .where(job_starts.c.citizen_id == citizen_id)).rowcount
            # what the consultant wrote at a contact about this case goes too; the employer
            # facts (date, kind, purpose, what was learned) stay: they are about the employer
            ct = conn.execute(employer_contacts.update()
                              .where(employer_contacts.c.citizen_id == citizen_id),
                              {"citizen_id": None, "note": None, "outcome": None,
                               "next_step": None}).rowcount
            named = re.compile(rf"(?<![\w-]){re.escape(citizen_id)}(?![\w-])")
            text_cols = ("note", "outcome", "next_step", "purpose")
            cleared = 0
            for row in conn.execute(
                    sa.select(employer_contacts.c.id, *(employer_contacts.c[c] for c in text_cols))
                    .where(sa.or_(*(employer_contacts.c[c].contains(citizen_id, autoescape=True)
                                    for c in text_cols)))).mappings():
                changes = {c: None for c in text_cols if row[c] and named.search(row[c])}
                if changes:
                    conn.execute(employer_contacts.update()
                                 .where(employer_contacts.c.id == row["id"]), changes)
                    cleared += 1
            tag = f"forgotten:{secrets.token_hex(6)}"
            while find_cpr(tag):  # twelve random hex digits can look like a CPR number
                tag = f"forgotten:{secrets.token_hex(6)}"
            al = conn.execute(access_log.update().where(access_log.c.citizen_id == citizen_id),
                              {"citizen_id": tag}).rowcount
            conn.execute(access_log.insert(), {"at": utc_now(), "consultant": consultant,
                                               "action": "forget", "citizen_id": tag})
            conn.execute(citizens.delete().where(citizens.c.id == citizen_id))
        if not self.checkpoint():
            raise StoreError(
                f"citizen {citizen_id} is deleted from the database, but the removed text is "
                f"still in {self._wal_name()}: another program is reading the database",
                hint="close other ipsmatch windows (and any database viewer), then run "
                     "`ipsmatch citizen forget --checkpoint`")
        return {"citizens": 1, "suggestion_feedback": int(fb), "job_starts": int(js),
                "education_starts": int(es), "followalong_contacts": int(fa),
                "employer_contacts_unlinked": int(ct), "contact_texts_cleared": cleared,
                "access_log_pseudonymised": int(al)}

    def checkpoint(self, *, attempts: int = 3) -> bool:
        """SQLite: move the write-ahead log into the database file and empty it, so deleted
        text is not left in the ``-wal`` file; True when done (always on PostgreSQL).

        A reader holding an old snapshot blocks it; it is retried ``attempts`` times, each
        waiting up to the store's lock timeout (capped at 5 s) for readers to finish.
        """
        if self.engine.dialect.name != "sqlite":
            return True
        import time

        wait_ms = int(min(getattr(self, "lock_timeout", 5.0), 5.0) * 1000)
        for attempt in range(attempts):
            with self.engine.connect() as conn:
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {wait_ms}")
                busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
            if busy is None or not busy[0]:
                return True
            if attempt + 1 < attempts:
                time.sleep(0.1 * (attempt + 1))
        return False

    def _wal_name(self) -> str:
        return f"{self.engine.url.database}-wal"

    # --- access log -----------------------------------------------------------------------

    def log_access(self, consultant: str | None, action: str, citizen_id: str | None = None,
                   *, at: datetime | None = None) -> None:
        """Note that ``consultant`` did ``action`` (e.g. "suggest") on a case."""
        with self.engine.begin() as conn:
            conn.execute(access_log.insert(), {"at": at or utc_now(), "consultant": consultant,
                                               "action": action, "citizen_id": citizen_id})

    def list_access(self, *, citizen_id: str | None = None, limit: int | None = None,
                    consultant: str | None = None, since: datetime | None = None,
                    action: str | None = None) -> list[dict[str, Any]]:
        """Access log entries, newest first, filtered by case, consultant, action and time."""
        q = sa.select(access_log).order_by(access_log.c.id.desc())
        if citizen_id is not None:
            q = q.where(access_log.c.citizen_id == citizen_id)
        if consultant is not None:
            q = q.where(access_log.c.consultant == consultant)
        if action is not None:
            q = q.where(access_log.c.action == action)
        if since is not None:
            q = q.where(access_log.c.at >= since)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]
