"""Importing the same contact log or job starts twice changes nothing (issue #14): each row has
a key (a hash of its content, or of the file's contact_id), so the second import adds nothing
and says how many were already there; identical rows in one file are one contact unless a
contact_id column tells them apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import FIXTURES, run_cli

from ipsmatch.jobdev.contacts_csv import read_contacts_csv, read_job_starts_csv
from ipsmatch.store import Store

TODAY = date(2026, 12, 1)


def _import_contacts(store: Store, path: Path):  # type: ignore[no-untyped-def]
    read = read_contacts_csv(path, today=TODAY)
    return store.import_contacts(read.records, today=TODAY, file=str(path), lines=read.lines)


def test_the_same_contact_log_twice_is_imported_once(store: Store) -> None:
    path = FIXTURES / "contacts.csv"
    first = _import_contacts(store, path)
    contacts = store.list_contacts()
    fid = store.fidelity(date(2026, 9, 1), date(2026, 11, 30))
    second = _import_contacts(store, path)
    assert first.added == len(contacts) > 200 and first.already == 0
    assert second.added == 0 and second.already == first.added
    assert second.employers_created == 0 and second.citizens_created == []
    assert len(store.list_contacts()) == len(contacts)
    again = store.fidelity(date(2026, 9, 1), date(2026, 11, 30))
    assert again.to_dict() == fid.to_dict()


def test_identical_rows_in_one_file_are_one_contact(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    row = "2026-11-12,AB,12345678,,phone,Ring igen\n"
    p.write_text("date,consultant,employer_cvr,citizen_id,kind,note\n" + row * 3,
                 encoding="utf-8")
    s = _import_contacts(store, p)
    assert (s.added, s.already) == (1, 2)
    assert len(store.list_contacts()) == 1


def test_a_contact_id_column_tells_identical_rows_apart(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text("contact_id,date,consultant,employer_cvr,kind\n"
                 "k-1,2026-11-12,AB,12345678,phone\nk-2,2026-11-12,AB,12345678,phone\n"
                 "k-2,2026-11-12,AB,12345678,phone\n", encoding="utf-8")
    s = _import_contacts(store, p)
    assert (s.added, s.already) == (2, 1)
    # The same contact id again, its text corrected: still the one contact.
    q = tmp_path / "d.csv"
    q.write_text("contact_id,date,consultant,employer_cvr,kind,note\n"
                 "k-1,2026-11-12,AB,12345678,phone,rettet\n", encoding="utf-8")
    assert (_import_contacts(store, q).added, len(store.list_contacts())) == (0, 2)


def test_contacts_added_by_hand_are_never_merged(store: Store) -> None:
    from ipsmatch.jobdev import Contact

    c = Contact(date=date(2026, 11, 12), consultant="AB", employer_cvr="12345678",
                kind="phone")
    store.add_contact(c, today=TODAY)
    store.add_contact(c, today=TODAY)  # two calls on one day are two contacts
    assert len(store.list_contacts()) == 2


def test_the_same_job_starts_twice_are_imported_once(store: Store) -> None:
    _import_contacts(store, FIXTURES / "contacts.csv")
    path = FIXTURES / "job_starts.csv"
    read = read_job_starts_csv(path, today=TODAY)
    first = store.import_job_starts(read.records, today=TODAY)
    n = len(store.list_job_starts())
    second = store.import_job_starts(read.records, today=TODAY)
    assert first.added == n > 5 and (second.added, second.already) == (0, n)
    assert len(store.list_job_starts()) == n


def test_the_cli_says_how_many_were_already_there(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'i.db'}"
    Store.open(db, create=True).init().close()
    args = ("contacts", "import", str(FIXTURES / "contacts.csv"))
    assert run_cli(*args, db=db).exit_code == 0
    r = run_cli(*args, db=db)
    assert r.exit_code == 0 and "added 0" in r.output and "already there" in r.output


def test_upgrade_keys_existing_contacts(tmp_path: Path) -> None:
    """A database from before the keys, holding a log imported twice: the upgrade keys the
    old rows (of a row there twice, one is keyed, both are kept), and a re-import adds
    nothing."""
    import sqlalchemy as sa
    from alembic import command

    from ipsmatch.store import migrate
    from ipsmatch.store.schema import employer_contacts

    db = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store.open(db, create=True).init()
    path = FIXTURES / "contacts.csv"
    n = _import_contacts(store, path).added
    with store.engine.begin() as conn:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
        cols = [c for c in sa.inspect(conn).get_columns("employer_contacts")
                if c["name"] != "id"]
        names = ", ".join(c["name"] for c in cols)
        conn.exec_driver_sql(f"INSERT INTO employer_contacts ({names}) "
                             f"SELECT {names} FROM employer_contacts")
    migrate.upgrade(store.engine)
    with store.engine.connect() as conn:
        keyed = conn.execute(sa.select(sa.func.count()).select_from(employer_contacts)
                             .where(employer_contacts.c.import_key.is_not(None))).scalar_one()
    assert keyed == n and len(store.list_contacts()) == 2 * n
    assert _import_contacts(store, path).added == 0
