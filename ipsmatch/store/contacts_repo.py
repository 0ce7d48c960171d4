"""Store methods for the employer-contact log: add, import and list contacts.

Contacts go in and come out as :class:`ipsmatch.jobdev.Contact` and are validated again on the
way in (a date in the future or a CPR number in a note never reaches the database). Their
employers are resolved by :class:`~ipsmatch.store.employer_lookup.EmployerResolver`.

After contacts are written, each touched employer's ``attributes`` are recomputed from all its
contacts (:func:`ipsmatch.jobdev.attributes.derive_attributes`), so the ranking reads them
without the contact log.

``import_contacts`` creates a *stub* for an unknown citizen by default (id and consultant,
empty profile, no start date): a contact log exported from another system names cases that
have no ipsmatch profile yet, and the contacts still count for the consultant. A stub enters
the caseload and first-contact figures once its profile with a start date is saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ipsmatch.errors import ConsentError, FeedError
from ipsmatch.jobdev.attributes import attributes_to_json, derive_attributes
from ipsmatch.jobdev.model import LEARNED_KEYS, Contact, check_free_text
from ipsmatch.store.employer_lookup import EmployerResolver, filtered, with_employer
from ipsmatch.store.engine import write_lock
from ipsmatch.store.records import (
    UNKNOWN_CITIZEN_HINT,
    ImportSummary,
    citizen_exists,
    existing_citizens,
    import_key,
    located,
    not_there,
    unknown_citizen,
    validate_all,
)
from ipsmatch.store.schema import citizens, employer_contacts, employers, utc_now

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def contact_import_key(row: dict[str, Any], source_id: str | None = None) -> str:
    """The import key of an ``employer_contacts`` row (column -> value): the log's own
    contact id when it has one, else a hash of everything the contact says."""
    if source_id:
        return import_key(["contact_id", source_id])
    return import_key(["contact", *(row.get(c) for c in (
        "contact_date", "consultant", "employer_id", "citizen_id", "kind", "purpose")),
        list(row.get("learned") or []),
        *(row.get(c) for c in ("outcome", "next_step", "next_date", "note"))])



def contact_from_row(r: Any) -> Contact:
    return Contact(date=r["contact_date"], consultant=r["consultant"] or "",
                   employer_cvr=r["e_cvr"], employer_name=r["e_name"],
                   citizen_id=r["citizen_id"], kind=r["kind"] or "other",
                   purpose=r["purpose"] or "learn_business",
                   learned=tuple(r["learned"] or ()), outcome=r["outcome"],
                   next_step=r["next_step"], next_date=r["next_date"], note=r["note"],
                   id=r["id"])



class ContactsMixin:
    engine: Engine
    lock_timeout: float

    def add_contact(self, contact: Contact, *, today: date | None = None,
                    warnings: list[str] | None = None, allow_health: bool = False) -> Contact:
        """Store one contact (its citizen, if given, must exist); returns it with its id.

        A contact for a citizen follows their disclosure choice
        (:func:`ipsmatch.ips.disclosure.check_contact_consent`): refused (ConsentError) when
        they said no; stored with a warning (appended to ``warnings``) and an access-log
        entry ``contact_consent_not_asked`` when they were not asked yet. Health words in its
        free text are refused unless ``allow_health``."""
        contact.validate(today=today)
        if not allow_health:
            check_free_text(contact)
        with write_lock(self.engine, self.lock_timeout) as conn:
            if contact.citizen_id and not citizen_exists(conn, contact.citizen_id):
                raise unknown_citizen(contact.citizen_id)
            if contact.citizen_id:
                self._consent_check(conn, contact, warnings)
            resolve = EmployerResolver(conn)
            eid = resolve(contact.employer_cvr, contact.employer_name)
            cid = self._insert_contact(conn, contact, eid)
            self._refresh_attributes(conn, {eid}, today or date.today())
            cvr, name = resolve.identity(eid)
            return replace(contact, id=cid, employer_cvr=cvr, employer_name=name)

    def import_contacts(self, contacts: Sequence[Contact], *, today: date | None = None,
                        create_citizens: bool = True, file: str | None = None,
                        lines: Sequence[int] | None = None, allow_health: bool = False
                        ) -> ImportSummary:
        """Store many contacts in one transaction (all or nothing).

        Unknown citizens get a stub when ``create_citizens`` (the consultant of their first
        contact, no start date); otherwise the first one raises FeedError located by ``file``
        and ``lines`` (the CSV line of each record).
        """
        today = today or date.today()
        summary = ImportSummary()
        validate_all(contacts, today=today, allow_health=allow_health, file=file, lines=lines)
        with write_lock(self.engine, self.lock_timeout) as conn:
            known = existing_citizens(conn, {c.citizen_id for c in contacts
                                                   if c.citizen_id})
            for i, c in enumerate(contacts):
                if c.citizen_id and c.citizen_id in known:
                    try:
                        self._consent_check(conn, c, summary.warnings)
                    except ConsentError as exc:
                        raise located(FeedError(exc.message, field="citizen_id",
                                                 hint=exc.hint), file, lines, i) from None
            now = utc_now()
            for i, c in sorted(enumerate(contacts), key=lambda ic: ic[1].date):
                if not c.citizen_id or c.citizen_id in known:
                    continue
                if not create_citizens:
                    raise located(FeedError(f"unknown citizen ID {c.citizen_id!r}",
                                             field="citizen_id", hint=UNKNOWN_CITIZEN_HINT),
                                   file, lines, i)
                conn.execute(citizens.insert(), {
                    "id": c.citizen_id, "profile": {}, "consultant": c.consultant,
                    "start_date": None, "active": True, "created_at": now, "updated_at": now})
                known.add(c.citizen_id)
                summary.citizens_created.append(c.citizen_id)
            resolve = EmployerResolver(conn)
            rows = [self._contact_row(c, resolve(c.employer_cvr, c.employer_name))
                    for c in contacts]
            for r, c in zip(rows, contacts, strict=True):
                r["import_key"] = contact_import_key(r, c.source_id)
            new = not_there(conn, employer_contacts, rows)
            if new:
                conn.execute(employer_contacts.insert(), new)
            self._refresh_attributes(conn, {r["employer_id"] for r in new}, today)
        summary.added = len(new)
        summary.already = len(rows) - len(new)
        summary.employers_created = resolve.created
        return summary

    def list_contacts(self, *, since: date | None = None, until: date | None = None,
                      consultant: str | None = None, employer: str | int | None = None,
                      citizen: str | None = None) -> list[Contact]:
        """Contacts in date order; ``employer`` is a CVR, an id or a name."""
        t = employer_contacts
        q = filtered(with_employer(t).order_by(t.c.contact_date, t.c.id), t, t.c.contact_date,
                      since=since, until=until, citizen=citizen, employer=employer)
        if consultant:
            q = q.where(t.c.consultant == consultant)
        with self.engine.connect() as conn:
            return [contact_from_row(r) for r in conn.execute(q).mappings()]

    def _consent_check(self, conn: sa.Connection, c: Contact,
                       warnings: list[str] | None) -> None:
        """Refuse a contact for a citizen who said no; warn (and log) for one not asked."""
        from ipsmatch.ips.disclosure import check_contact_consent
        from ipsmatch.store.schema import access_log

        profile = conn.execute(sa.select(citizens.c.profile)
                               .where(citizens.c.id == c.citizen_id)).scalar()
        warning = check_contact_consent(str(c.citizen_id), profile)
        if warning is not None:
            conn.execute(access_log.insert(), {"at": utc_now(), "consultant": c.consultant,
                                               "action": "contact_consent_not_asked",
                                               "citizen_id": c.citizen_id})
            if warnings is not None and warning not in warnings:
                warnings.append(warning)

    def _insert_contact(self, conn: sa.Connection, c: Contact, employer_id: int) -> int:
        return int(conn.execute(employer_contacts.insert().returning(employer_contacts.c.id),
                                self._contact_row(c, employer_id)).scalar_one())

    @staticmethod
    def _contact_row(c: Contact, employer_id: int) -> dict[str, Any]:
        return {
            "employer_id": employer_id, "contact_date": c.date, "consultant": c.consultant,
            "citizen_id": c.citizen_id, "kind": c.kind, "purpose": c.purpose,
            "learned": list(c.learned), "outcome": c.outcome, "next_step": c.next_step,
            "next_date": c.next_date, "note": c.note, "created_at": utc_now()}

    def _refresh_attributes(self, conn: sa.Connection, employer_ids: set[int], today: date
                            ) -> None:
        """Recompute the contact-derived attributes of these employers from all their
        contacts; attributes from other sources (e.g. an employer import) are kept."""
        if not employer_ids:
            return
        t = employer_contacts
        q = (with_employer(t).where(t.c.employer_id.in_(employer_ids))
             .order_by(t.c.contact_date, t.c.id))
        by_emp: dict[int, list[Contact]] = {e: [] for e in employer_ids}
        for r in conn.execute(q).mappings():
            by_emp[r["employer_id"]].append(contact_from_row(r))
        stored = dict(conn.execute(sa.select(employers.c.id, employers.c.attributes)
                                   .where(employers.c.id.in_(employer_ids))).all())
        for eid, cs in by_emp.items():
            derived = attributes_to_json(derive_attributes(cs, today=today))
            other = {k: v for k, v in (stored.get(eid) or {}).items() if k not in LEARNED_KEYS}
            new = {**other, **derived}
            if new != (stored.get(eid) or {}):
                conn.execute(employers.update().where(employers.c.id == eid),
                             {"attributes": new, "updated_at": utc_now()})
