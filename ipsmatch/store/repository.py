"""The Store: one object over the database, returning domain objects.

    >>> store = Store.open("sqlite:///ipsmatch.db", create=True).init()   # doctest: +SKIP
    >>> [v.title for v in store.list_vacancies(postcode="9000", limit=5)]  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ipsmatch.domain import Employer, Vacancy
from ipsmatch.errors import InputError, NotFoundError
from ipsmatch.identity import name_key
from ipsmatch.store import bulk, migrate, runs
from ipsmatch.store.engine import LOCK_TIMEOUT, guard_personal_data, make_engine, write_lock
from ipsmatch.store.ips_repo import IpsMixin
from ipsmatch.store.jobdev_repo import JobDevMixin
from ipsmatch.store.people import PeopleMixin
from ipsmatch.store.schema import (
    access_log,
    citizens,
    employer_contacts,
    employers,
    job_starts,
    suggestion_feedback,
    utc_now,
    vacancies,
)
from ipsmatch.store.serialize import (
    VACANCY_COLUMNS,
    employer_from_row,
    employer_to_row,
    merge_employer,
    row_id,
    vacancy_from_tuple,
)

#: a refresh older than this makes ``index status`` report the index as stale
STALE_AFTER = timedelta(hours=36)

VacancyKey = int | tuple[str, str]
_EMP_COLS = tuple(c.name for c in employers.c)


class Store(PeopleMixin, JobDevMixin, IpsMixin):
    """Repository over an ipsmatch database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.engine = engine
        self.lock_timeout = lock_timeout
        guard_personal_data(engine)  # no CPR number in any column, whoever made the engine

    @classmethod
    def open(cls, url: str, *, create: bool = False, lock_timeout: float = LOCK_TIMEOUT
             ) -> Store:
        """Open ``url``. Unless ``create``, the schema must be at head (else SchemaError)."""
        store = cls(make_engine(url, create=create, lock_timeout=lock_timeout),
                    lock_timeout=lock_timeout)
        if not create:
            store.check_schema()
        return store

    def init(self) -> Store:
        """Create or upgrade the schema to this code's head revision (idempotent)."""
        self.upgrade()
        return self

    def upgrade(self) -> tuple[str | None, str]:
        """Like :meth:`init`, returning (revision before, revision after); None = empty DB."""
        return migrate.upgrade(self.engine)

    def check_schema(self) -> str:
        return migrate.check_schema(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- vacancies ------------------------------------------------------------------------

    def _vacancy_select(self) -> sa.Select[Any]:
        cols = [vacancies.c[c] for c in VACANCY_COLUMNS]
        ecols = [employers.c[c].label(f"e_{c}") for c in _EMP_COLS]
        return sa.select(*cols, *ecols).select_from(
            vacancies.outerjoin(employers, vacancies.c.employer_id == employers.c.id))

    @staticmethod
    def _rows_to_vacancies(rows: Any) -> Iterator[Vacancy]:
        # Positional access: the matcher loads every active ad, and this loop is the cost.
        n = len(VACANCY_COLUMNS)
        i_emp = VACANCY_COLUMNS.index("employer_id")
        emp_cache: dict[int, Employer] = {}
        for r in rows:
            emp = None
            eid = r[i_emp]
            if eid is not None:
                emp = emp_cache.get(eid)
                if emp is None:
                    emp = employer_from_row(dict(zip(_EMP_COLS, r[n:], strict=True)))
                    emp_cache[eid] = emp
            yield vacancy_from_tuple(r, emp)

    def get_vacancy(self, key: VacancyKey) -> Vacancy:
        """A vacancy by numeric id or by ``(source, external_id)``; NotFoundError if absent."""
        q = self._vacancy_select()
        if isinstance(key, tuple):
            q = q.where(vacancies.c.source == key[0], vacancies.c.external_id == key[1])
        else:
            q = q.where(vacancies.c.id == (row_id(key) or 0))  # no row has id 0
        with self.engine.connect() as conn:
            found = list(self._rows_to_vacancies(conn.execute(q)))
        if not found:
            label = ":".join(key) if isinstance(key, tuple) else str(key)
            raise NotFoundError(code="vacancy.unknown", params={"key": label})
        return found[0]

    def list_vacancies(self, *, source: str | None = None, postcode: str | None = None,
                       employer: str | int | None = None, active: bool = True,
                       occupation: str | None = None, limit: int | None = None
                       ) -> list[Vacancy]:
        """Vacancies, newest first. ``employer`` is a CVR, an id or a name (normalised match);
        ``occupation`` matches the occupation URI exactly or the label/hint as a substring."""
        q = self._vacancy_select()
        if source:
            q = q.where(vacancies.c.source == source)
        if postcode:
            q = q.where(vacancies.c.postcode == postcode)
        if active:
            q = q.where(vacancies.c.expired_at.is_(None))
        if employer is not None:
            e = str(employer).strip()
            conds = [employers.c.cvr == e, employers.c.name_key == name_key(e)]
            if row_id(e) is not None:
                conds.append(employers.c.id == row_id(e))
            q = q.where(sa.or_(*conds))
        if occupation:
            occ = occupation.lower()
            q = q.where(sa.or_(vacancies.c.occupation_uri == occupation,
                               # contains(autoescape): '_' and '%' are what was typed
                               sa.func.lower(vacancies.c.occupation_label).contains(
                                   occ, autoescape=True),
                               sa.func.lower(vacancies.c.occupation_hint).contains(
                                   occ, autoescape=True)))
        q = q.order_by(vacancies.c.posted.desc().nulls_last(), vacancies.c.id.desc())
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return list(self._rows_to_vacancies(conn.execute(q)))

    def iter_active_vacancies(self) -> Iterator[Vacancy]:
        """Every active vacancy with its employer, streamed with plain column selects (fast
        enough for the matcher to load 100k ads)."""
        # Employers are read once, not joined into every row: a join decodes each employer's
        # JSON attributes and timestamps again for each of its ads (a third of the load time).
        q = sa.select(*(vacancies.c[c] for c in VACANCY_COLUMNS)) \
            .where(vacancies.c.expired_at.is_(None)).order_by(vacancies.c.id)
        i_emp = VACANCY_COLUMNS.index("employer_id")
        facts: dict[tuple[Any, ...], Any] = {}
        with self.engine.connect() as conn:
            emps = {r["id"]: employer_from_row(r)
                    for r in conn.execute(sa.select(employers)).mappings()}
            result = conn.execution_options(yield_per=5000).execute(q)
            for r in result:
                eid = r[i_emp]
                emp = None
                if eid is not None:
                    emp = emps.get(eid)
                    if emp is None:  # added by a refresh that committed between the two reads
                        emp = emps[eid] = self.get_employer_by_id(eid)
                yield vacancy_from_tuple(r, emp, facts)

    def iter_active_vacancy_docs(self) -> Iterator[tuple[str, str]]:
        """(title + occupation label, text) of every active vacancy, in the order of
        :meth:`iter_active_vacancies`: what the search indexes are built from."""
        c = vacancies.c
        q = sa.select(c.title, c.occupation_label, c.text).where(c.expired_at.is_(None)) \
            .order_by(c.id)
        with self.engine.connect() as conn:
            for title, label, text in conn.execution_options(yield_per=5000).execute(q):
                yield f"{title} {label or ''}".strip(), text or ""

    def vacancies_by_ids(self, ids: Iterable[int]) -> dict[int, Vacancy]:
        """The vacancies with these ids (active or not), each with its employer; ids that do
        not exist are left out. The matcher fetches its few shown results this way."""
        want = sorted({int(i) for i in ids})
        out: dict[int, Vacancy] = {}
        if not want:
            return out
        i_emp = VACANCY_COLUMNS.index("employer_id")
        facts: dict[tuple[Any, ...], Any] = {}
        with self.engine.connect() as conn:
            rows = [r for part in bulk.chunks(want) for r in conn.execute(
                sa.select(*(vacancies.c[c] for c in VACANCY_COLUMNS))
                .where(vacancies.c.id.in_(part)))]
            emps = self._employers_by_ids(conn, {r[i_emp] for r in rows} - {None})
            for r in rows:
                v = vacancy_from_tuple(r, emps.get(r[i_emp]), facts)
                out[int(v.id)] = v  # type: ignore[arg-type]
        return out

    def vacancy_texts(self, ids: Iterable[int]) -> dict[int, tuple[str, str, Any]]:
        """(title, text, contact) of the vacancies with these ids: what ranking needs of its
        ~80 candidates and of the employers it shows, without decoding whole records."""
        want = sorted({int(i) for i in ids})
        c = vacancies.c
        with self.engine.connect() as conn:
            return {int(r[0]): (r[1], r[2] or "", r[3]) for part in bulk.chunks(want)
                    for r in conn.execute(sa.select(c.id, c.title, c.text, c.contact)
                                          .where(c.id.in_(part)))}

    def employers_by_ids(self, ids: Iterable[int]) -> dict[int, Employer]:
        """The employers with these ids; ids that do not exist are left out."""
        with self.engine.connect() as conn:
            return self._employers_by_ids(conn, {int(i) for i in ids})

    @staticmethod
    def _employers_by_ids(conn: sa.Connection, ids: set[int]) -> dict[int, Employer]:
        return {int(r["id"]): employer_from_row(r) for part in bulk.chunks(sorted(ids))
                for r in conn.execute(sa.select(employers).where(employers.c.id.in_(part))
                                      ).mappings()}

    def employers_for_matcher(self) -> list[Employer]:
        """Every employer with what ranking needs (no address, notes or timestamps), in the
        order of :meth:`list_employers`. Cheap enough to read on every matcher open:
        attributes are decoded only where there are any."""
        c = employers.c
        q = sa.select(c.id, c.cvr, c.name, c.postcode, c.lat, c.lon, c.industry,
                      sa.cast(c.attributes, sa.Text)).order_by(c.name_key, c.id)
        with self.engine.connect() as conn:
            return [Employer(name=name, cvr=cvr, postcode=pc, lat=lat, lon=lon, industry=ind,
                             id=eid, attributes=json.loads(attrs)
                             if attrs and attrs not in ("{}", "null") else {})
                    for eid, cvr, name, pc, lat, lon, ind, attrs
                    in conn.execution_options(yield_per=10_000).execute(q)]

    def data_stamp(self) -> str:
        """A cheap fingerprint of the active vacancies.

        Every write to vacancies happens in a refresh that records an ``ok`` run in the same
        transaction, so the newest run, the counts, id sums and newest timestamps change
        whenever the ads change. The matcher keys its saved per-ad columns on it instead of
        reading every ad. Employers are not in it: contacts change them all day, and the
        matcher reads them afresh on every open (:meth:`employers_for_matcher`).
        """
        active = vacancies.c.expired_at.is_(None)
        with self.engine.connect() as conn:
            run = runs.last_ok_run_id(conn)
            v = conn.execute(sa.select(sa.func.count(), sa.func.sum(vacancies.c.id),
                                       sa.func.max(vacancies.c.last_seen))
                             .where(active)).one()
            vmax = conn.execute(sa.select(sa.func.max(vacancies.c.id),
                                          sa.func.max(vacancies.c.expired_at))).one()
        parts = [run, *v, *vmax]
        return "|".join("" if x is None else x.isoformat() if isinstance(x, datetime)
                        else str(x) for x in parts)

    def get_employer_by_id(self, employer_id: int) -> Employer:
        """An employer by its numeric id only; NotFoundError if absent."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(employers).where(employers.c.id == employer_id)
                               ).mappings().first()
        if row is None:
            raise NotFoundError(code="employer.unknown", params={"key": employer_id})
        return employer_from_row(row)

    def count_vacancies(self, *, active: bool = True) -> int:
        q = sa.select(sa.func.count()).select_from(vacancies)
        if active:
            q = q.where(vacancies.c.expired_at.is_(None))
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    # --- employers ------------------------------------------------------------------------

    def upsert_employer(self, employer: Employer, *, conn: sa.Connection | None = None) -> int:
        """Insert or update an employer; identity is the CVR, else the normalised name.
        Fields the new record leaves empty keep their stored value. Returns the id."""
        if conn is None:
            with self.engine.begin() as c:
                return self.upsert_employer(employer, conn=c)
        row = employer_to_row(employer)
        if not row["name_key"]:
            raise InputError("an employer needs a name", hint="add a name column")
        found = None
        if row["cvr"]:
            found = conn.execute(sa.select(employers).where(employers.c.cvr == row["cvr"])
                                 ).mappings().first()
        if found is None:
            q = sa.select(employers).where(employers.c.name_key == row["name_key"])
            if row["cvr"]:
                q = q.where(employers.c.cvr.is_(None))
            found = conn.execute(q.order_by(employers.c.id)).mappings().first()
        now = utc_now()
        if found is None:
            row.update(created_at=now, updated_at=now)
            return int(conn.execute(employers.insert().returning(employers.c.id), row
                                    ).scalar_one())
        changes = merge_employer(found, row)
        if changes:
            changes["updated_at"] = now
            conn.execute(employers.update().where(employers.c.id == found["id"]), changes)
        return int(found["id"])

    def import_employers(self, emps: list[Employer]) -> dict[str, int]:
        """Upsert many employers in one transaction. Returns counts: added, merged."""
        with write_lock(self.engine, self.lock_timeout) as conn:
            before = conn.execute(sa.select(sa.func.count()).select_from(employers)).scalar_one()
            ids = bulk.upsert_employers(conn, emps, utc_now())
            after = conn.execute(sa.select(sa.func.count()).select_from(employers)).scalar_one()
        for e, i in zip(emps, ids, strict=True):
            e.id = i
        added = int(after - before)
        return {"added": added, "merged": len(set(ids)) - added}

    def get_employer(self, key: str | int) -> Employer:
        """An employer by id or CVR number; NotFoundError if absent."""
        k = str(key).strip()
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(employers).where(employers.c.cvr == k)
                               ).mappings().first()
            if row is None and row_id(k) is not None:
                row = conn.execute(sa.select(employers).where(employers.c.id == row_id(k))
                                   ).mappings().first()
        if row is None:
            raise NotFoundError(code="employer.unknown", params={"key": k})
        return employer_from_row(row)

    def list_employers(self, *, postcode: str | None = None, name: str | None = None,
                       limit: int | None = None) -> list[Employer]:
        q = sa.select(employers).order_by(employers.c.name_key, employers.c.id)
        if postcode:
            q = q.where(employers.c.postcode == postcode)
        if name:
            key = name_key(name)
            # contains(autoescape): '_' and '%' are what was typed; a name of signs only
            # ('%') has an empty key, so it is matched as written
            q = q.where(employers.c.name_key.contains(key, autoescape=True) if key else
                        sa.func.lower(employers.c.name).contains(name.lower(),
                                                                 autoescape=True))
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [employer_from_row(r) for r in conn.execute(q).mappings()]

    def open_vacancy_counts(self) -> dict[int, int]:
        """employer id -> number of active vacancies."""
        q = (sa.select(vacancies.c.employer_id, sa.func.count())
             .where(vacancies.c.expired_at.is_(None), vacancies.c.employer_id.is_not(None))
             .group_by(vacancies.c.employer_id))
        with self.engine.connect() as conn:
            return {int(e): int(n) for e, n in conn.execute(q)}

    # --- status ---------------------------------------------------------------------------

    def last_refresh(self, *, ok_only: bool = False) -> dict[str, Any] | None:
        """The newest refresh run (or the newest ``ok`` one); None before any."""
        with self.engine.connect() as conn:
            return runs.last_run(conn, ok_only=ok_only)

    def status(self, *, now: datetime | None = None) -> dict[str, Any]:
        """Counts per source, employers, citizens, the last refresh and a stale flag."""
        now = now or utc_now()
        q = (sa.select(vacancies.c.source, vacancies.c.expired_at.is_(None).label("active"),
                       sa.func.count())
             .group_by(vacancies.c.source, sa.literal_column("active")))
        sources: dict[str, dict[str, int]] = {}
        with self.engine.connect() as conn:
            for src, active, n in conn.execute(q):
                d = sources.setdefault(src, {"active": 0, "expired": 0})
                d["active" if active else "expired"] += int(n)
            n_emp = conn.execute(sa.select(sa.func.count()).select_from(employers)).scalar_one()
            n_cit = conn.execute(sa.select(sa.func.count()).select_from(citizens)).scalar_one()
            n_contacts = conn.execute(
                sa.select(sa.func.count()).select_from(employer_contacts)).scalar_one()
            n_fb = conn.execute(
                sa.select(sa.func.count()).select_from(suggestion_feedback)).scalar_one()
            n_starts = conn.execute(
                sa.select(sa.func.count()).select_from(job_starts)).scalar_one()
            n_access = conn.execute(sa.select(sa.func.count()).select_from(access_log)
                                    ).scalar_one()
            revision = migrate.current_revision(conn)
        last = self.last_refresh()
        last_ok = self.last_refresh(ok_only=True)
        ok_at = last_ok["finished_at"] if last_ok else None
        return {
            "db": self.engine.url.render_as_string(hide_password=True),
            "schema_revision": revision,
            "sources": dict(sorted(sources.items())),
            "vacancies_active": sum(d["active"] for d in sources.values()),
            "vacancies_expired": sum(d["expired"] for d in sources.values()),
            "employers": int(n_emp),
            "citizens": int(n_cit),
            "employer_contacts": int(n_contacts),
            "suggestion_feedback": int(n_fb),
            "job_starts": int(n_starts),
            "access_log": int(n_access),
            "last_refresh": _run_summary(last),
            "last_successful_refresh_at": ok_at.isoformat() if ok_at else None,
            "stale": ok_at is None or now - ok_at > STALE_AFTER,
        }


def _run_summary(run: dict[str, Any] | None) -> dict[str, Any] | None:
    if run is None:
        return None
    out = dict(run)
    for k in ("started_at", "finished_at"):
        out[k] = out[k].isoformat() if out[k] else None
    return out
