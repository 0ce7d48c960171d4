"""``ipsmatch audit``: reads the access log with filters and formats; no profile content."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import click
import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from ipsmatch.cli import main
from ipsmatch.cli.admin import parse_since
from ipsmatch.store import Store
from ipsmatch.store.schema import access_log

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def entry(args: tuple[str, ...]) -> None:
    main(list(args))


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(entry, ["--db", db, *args])


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
    r = run(logged, "audit", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert [x["citizen_id"] for x in rows] == ["c-2", "c-1", "c-1"]  # newest first
    assert set(rows[0]) == {"id", "at", "consultant", "action", "citizen_id"}
    r = run(logged, "audit", "--citizen", "c-1", "--since", "2026-11-02", "--format", "json")
    assert [x["action"] for x in json.loads(r.output)] == ["show"]
    r = run(logged, "audit", "--consultant", "kh", "--action", "suggest", "--format", "csv")
    got = list(csv.DictReader(io.StringIO(r.output)))
    assert [(x["consultant"], x["action"], x["citizen_id"]) for x in got] == \
        [("kh", "suggest", "c-1")]


def test_audit_table_never_shows_profile_content(logged: str) -> None:
    r = run(logged, "audit")
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
    r = run(logged, "audit", "--citizen", "nobody")
    assert r.exit_code == 0 and "no access log entries" in r.output
    r = run(logged, "audit", "--since", "last tuesday")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output


def test_audit_on_uninitialised_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = run(f"sqlite:///{tmp_path / 'none.db'}", "audit")
    assert r.exit_code == 1 and "ipsmatch init" in r.output


def test_parse_since() -> None:
    assert parse_since("2026-11-02T10:00+00:00") == datetime(2026, 11, 2, 10, tzinfo=UTC)
    assert parse_since("2026-11-02").tzinfo is not None
