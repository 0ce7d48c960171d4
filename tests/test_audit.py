"""``ipsmatch audit``: reads the access log with filters and formats; no profile content."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from conftest import run_cli

from ipsmatch.cli.admin import parse_since
from ipsmatch.store import Store
from ipsmatch.store.schema import access_log

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def logged(db_url: str) -> str:
    store = Store.open(db_url, create=True).init()
    store.save_citizen("c-1", {"postcode": "9000", "wishes": ["gartner"]}, "kh")
    store.log_access("kh", "suggest", "c-1", at=T0)
    store.log_access("kh", "show", "c-1", at=T0 + timedelta(days=2))
    store.log_access("ab", "suggest", "c-2", at=T0 + timedelta(days=5))
    store.close()
    return db_url


def test_list_access_filters(logged: str) -> None:
    store = Store.open(logged)
    assert [r["action"] for r in store.list_access(citizen_id="c-1")] == ["show", "suggest"]
    assert [r["citizen_id"] for r in store.list_access(consultant="ab")] == ["c-2"]
    assert len(store.list_access(since=T0 + timedelta(days=1))) == 2
    assert len(store.list_access(action="suggest", limit=1)) == 1
    store.close()


def test_audit_json_and_filters(logged: str) -> None:
    r = run_cli("audit", "--format", "json", db=logged)
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert [x["citizen_id"] for x in rows] == ["c-2", "c-1", "c-1"]  # newest first
    assert set(rows[0]) == {"id", "at", "consultant", "action", "citizen_id"}
    r = run_cli("audit", "--citizen", "c-1", "--since", "2026-11-02", "--format", "json", db=logged)
    assert [x["action"] for x in json.loads(r.output)] == ["show"]
    r = run_cli("audit", "--consultant", "kh", "--action", "suggest", "--format", "csv", db=logged)
    got = list(csv.DictReader(io.StringIO(r.output)))
    assert [(x["consultant"], x["action"], x["citizen_id"]) for x in got] == \
        [("kh", "suggest", "c-1")]


def test_audit_table_never_shows_profile_content(logged: str) -> None:
    r = run_cli("audit", db=logged)
    assert r.exit_code == 0
    assert "c-1" in r.output and "suggest" in r.output
    assert "gartner" not in r.output and "9000" not in r.output
    engine = sa.create_engine(logged)
    with engine.connect() as conn:
        assert [c.name for c in access_log.c] == ["id", "at", "consultant", "action",
                                                   "citizen_id"]
        assert conn.execute(sa.select(sa.func.count()).select_from(access_log)).scalar() == 3
    engine.dispose()


def test_audit_no_match_and_bad_date(logged: str) -> None:
    r = run_cli("audit", "--citizen", "nobody", db=logged)
    assert r.exit_code == 0 and "no access log entries" in r.output
    r = run_cli("audit", "--since", "last tuesday", db=logged)
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output


def test_audit_on_uninitialised_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("audit", db=f"sqlite:///{tmp_path / 'none.db'}")
    assert r.exit_code == 1 and "ipsmatch init" in r.output


def test_parse_since() -> None:
    assert parse_since("2026-11-02T10:00+00:00") == datetime(2026, 11, 2, 10, tzinfo=UTC)
    assert parse_since("2026-11-02").tzinfo is not None


def test_forgetting_a_citizen_leaves_no_trace_in_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The id, profile text, feedback reason and contact note are not in the database file
    (nor its WAL) after the delete; the access log keeps who/when under a random tag."""
    from datetime import date
    from pathlib import Path

    from ipsmatch.domain import Employer
    from ipsmatch.jobdev import Contact, Feedback

    path = tmp_path / "db.sqlite"
    store = Store.open(f"sqlite:///{path}", create=True).init()
    with store.engine.connect() as conn:  # many SQLite builds default to off
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    emp = store.upsert_employer(Employer("Lager A/S", cvr="12345678"))
    secrets_ = ["case-XYZQ-77", "zebrapasser", "zebrareason", "zebranote"]
    for n in range(40):  # enough rows that the deleted ones fill whole pages
        store.save_citizen(f"other-{n}", {"wishes": ["lager"] * 50}, "kh")
        store.log_access("kh", "suggest", f"other-{n}")
    store.save_citizen("case-XYZQ-77", {"wishes": ["zebrapasser"] * 200}, "kh")
    for _ in range(30):
        store.add_feedback(Feedback("case-XYZQ-77", "not_interested_employer", date(2026, 2, 1),
                                    "kh", employer_cvr="12345678", reason="zebrareason" * 20))
        store.log_access("kh", "suggest", "case-XYZQ-77")
    store.add_contact(Contact(date(2026, 2, 1), "kh", employer_cvr="12345678",
                              citizen_id="case-XYZQ-77", note="zebranote"))
    store.add_contact(Contact(date(2026, 2, 2), "kh", employer_cvr="12345678", kind="phone",
                              note="asked about case-XYZQ-77 again",
                              outcome="open to part time"))
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("db.sqlite*"))
    assert all(s.encode() in raw for s in secrets_)   # the test can see them before

    counts = store.delete_citizen("case-XYZQ-77", consultant="dpo")
    # 30 suggest entries and the contact made for a citizen never asked about employer
    # contact (disclosure.consent = not_asked, logged as such)
    assert counts["contact_texts_cleared"] == 1 and counts["access_log_pseudonymised"] == 31
    log = store.list_access()
    assert log[0]["action"] == "forget" and log[0]["consultant"] == "dpo"
    tag = log[0]["citizen_id"]
    assert tag.startswith("forgotten:") and len(store.list_access(citizen_id=tag)) == 32
    contacts = store.list_contacts(employer=emp)
    assert [c.note for c in contacts] == [None, None]
    assert contacts[1].outcome == "open to part time"  # employer knowledge kept
    store.close()
    files = list(Path(tmp_path).glob("db.sqlite*"))
    raw = b"".join(p.read_bytes() for p in files)
    left = [s for s in secrets_ if s.encode() in raw]
    assert left == [], f"{left} still in {[p.name for p in files]}"
