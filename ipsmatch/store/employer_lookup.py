"""Finding employers for the job-development records: by CVR, then by normalised name.

:class:`EmployerResolver` finds or creates the employer of a contact or job start inside one
transaction (a contact that gives only a CVR creates ``"CVR 12345678"``, renamed by the next
``employers import``); :func:`employer_filter` and :func:`filtered` select records by employer
(CVR, id or name), citizen and date; :func:`with_employer` joins a record to its employer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from ipsmatch.identity import name_key
from ipsmatch.store.schema import employers, utc_now
from ipsmatch.store.serialize import row_id


def filtered(q: Any, t: sa.Table, day: Any, *, since: date | None, until: date | None,
              citizen: str | None, employer: str | int | None) -> Any:
    """The filters contacts and job starts share: a date range on ``day``, a citizen, and
    an employer (CVR, id or name)."""
    if since is not None:
        q = q.where(day >= since)
    if until is not None:
        q = q.where(day <= until)
    if citizen:
        q = q.where(t.c.citizen_id == citizen)
    if employer is not None:
        q = q.where(employer_filter(str(employer)))
    return q


def employer_filter(key: str) -> Any:
    """A WHERE clause matching an employer by CVR, id or (normalised) name."""
    k = key.strip()
    conds = [employers.c.cvr == k, employers.c.name_key == name_key(k)]
    rid = row_id(k)
    if rid is not None and len(k) != 8:
        conds.append(employers.c.id == rid)
    return sa.or_(*conds)


class EmployerResolver:
    """Finds or creates employers inside one transaction, remembering what it did."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.created = 0
        self.cache: dict[tuple[str | None, str | None], int] = {}

    def __call__(self, cvr: str | None, name: str | None) -> int:
        key = (cvr or None, name_key(name) if name else None)
        if key in self.cache:
            return self.cache[key]
        conn = self.conn
        found = None
        if cvr:
            found = conn.execute(sa.select(employers.c.id).where(employers.c.cvr == cvr)
                                 ).scalar()
        if found is None and name and name_key(name):
            q = sa.select(employers.c.id, employers.c.cvr) \
                .where(employers.c.name_key == name_key(name)).order_by(employers.c.id)
            if cvr:
                # a name match must not merge two employers with different CVR numbers
                q = q.where(employers.c.cvr.is_(None))
            row = conn.execute(q).first()
            if row is not None:
                found = row.id
                if cvr:
                    conn.execute(employers.update().where(employers.c.id == found),
                                 {"cvr": cvr, "updated_at": utc_now()})
        if found is None:
            label = (name or "").strip() or f"CVR {cvr}"
            now = utc_now()
            found = conn.execute(employers.insert().returning(employers.c.id), {
                "cvr": cvr or None, "name": label, "name_key": name_key(label),
                "attributes": {}, "created_at": now, "updated_at": now}).scalar_one()
            self.created += 1
        self.cache[key] = int(found)
        return int(found)

    def identity(self, employer_id: int) -> tuple[str | None, str]:
        """The stored (CVR, name) of an employer."""
        row = self.conn.execute(sa.select(employers.c.cvr, employers.c.name)
                                .where(employers.c.id == employer_id)).one()
        return row.cvr, row.name



def with_employer(table: sa.Table) -> sa.Select[Any]:
    return sa.select(table, employers.c.cvr.label("e_cvr"), employers.c.name.label("e_name")
                     ).select_from(table.outerjoin(employers,
                                                   table.c.employer_id == employers.c.id))

