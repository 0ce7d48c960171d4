"""CLI: init, index refresh/status, vacancies list/show, employers import/list/show."""

from __future__ import annotations

import csv
import io
import json
import sys
import types
from datetime import date
from pathlib import Path
from typing import Any

import click
import pytest
from _feed_fakes import Batch, FileResult
from click.testing import CliRunner, Result
from conftest import JOBNET_SAMPLE

from ipsmatch.cli import main
from ipsmatch.domain import Employer, Fact, Vacancy
from ipsmatch.errors import FeedError, FeedReadError


@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def entry(args: tuple[str, ...]) -> None:
    main(list(args))  # through run_main, so exit codes are the real ones


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(entry, ["--db", db, *args])




def vac(ext: str, **kw: Any) -> Vacancy:
    base: dict[str, Any] = dict(
        source="jobnet", external_id=ext, title=f"Lagerjob {ext}", text="Et roligt lager.",
        postcode="9000", city="Aalborg", hours_min=20.0, hours_max=30.0,
        schedule={"day": True, "night": False}, deadline=date(2099, 1, 1),
        facts=[Fact("quiet_workplace", True, "roligt lager")], content_hash=f"h{ext}",
        employer=Employer("Lager A/S", cvr="12345678"))
    base.update(kw)
    return Vacancy(**base)


@pytest.fixture
def fake_feeds(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A stand-in ipsmatch.feeds: the test sets what the next read returns."""
    state: dict[str, Any] = {"batch": Batch([vac("1"), vac("2")]), "employers": ([], [])}

    def read_feeds(paths: list[Any], *, fmt: str | None = None, source: str | None = None,
                   known: Any = None) -> Batch:
        state["call"] = (list(map(str, paths)), fmt, source)
        b = state["batch"]
        if not b.files:
            b.files = [FileResult(str(p), records=len(b.vacancies),
                                  vacancies=len(b.vacancies)) for p in paths]
        return b

    def read_employers(path: Any) -> tuple[list[Employer], list[FeedError]]:
        return state["employers"]

    mod = types.ModuleType("ipsmatch.feeds")
    mod.read_feeds = read_feeds  # type: ignore[attr-defined]
    mod.iter_feeds = lambda paths, **kw: iter([read_feeds(paths, **kw)])  # type: ignore[attr-defined]
    mod.read_employers = read_employers  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ipsmatch.feeds", mod)
    return state


@pytest.fixture
def db(db_url: str) -> str:
    r = run(db_url, "init")
    assert r.exit_code == 0, r.output
    assert "created database" in r.output
    return db_url


@pytest.fixture
def feed(tmp_path: Path) -> str:
    p = tmp_path / "feed.json"
    p.write_text("[]")
    return str(p)


def test_commands_refuse_an_uninitialised_database(tmp_path: Path) -> None:
    r = run(str(tmp_path / "none.db"), "index", "status")
    assert r.exit_code == 1
    assert "database not initialised" in r.output and "ipsmatch init" in r.output


def test_init_twice_says_up_to_date(db: str) -> None:
    r = run(db, "init")
    assert r.exit_code == 0 and "up to date" in r.output


def test_refresh_summary_and_status(db: str, feed: str, fake_feeds: dict[str, Any]) -> None:
    r = run(db, "index", "refresh", feed, "--source", "kommune", "--format", "jobnet")
    assert r.exit_code == 0, r.output
    assert fake_feeds["call"] == ([feed], "jobnet", "kommune")
    assert r.stdout.startswith("added 2, updated 0, unchanged 0, expired 0, rejected 0 in ")
    r = run(db, "index", "status", "--format", "json")
    st = json.loads(r.stdout)
    assert st["sources"] == {"kommune": {"active": 2, "expired": 0}}
    assert st["last_refresh"]["status"] == "ok" and st["stale"] is False
    r = run(db, "index", "status")
    assert r.exit_code == 0 and "kommune" in r.stdout and "last refresh:" in r.stdout


def test_row_errors_are_listed_capped_and_strict_fails(db: str, feed: str,
                                                       fake_feeds: dict[str, Any]) -> None:
    errs = [FeedError("not a postcode", file="f.csv", line=i, field="postcode",
                      hint="4 digits") for i in range(2, 62)]
    fake_feeds["batch"] = Batch([vac("1")], errors=errs)
    r = run(db, "index", "refresh", feed)
    assert r.exit_code == 0
    assert "f.csv:line 2: postcode: not a postcode (4 digits)" in r.stderr
    assert "... 10 more" in r.stderr and "f.csv:line 52:" not in r.stderr
    assert "rejected 60" in r.stdout
    fake_feeds["batch"] = Batch([vac("1", title="changed", content_hash="x"), vac("9")],
                                errors=errs[:1])
    r = run(db, "index", "refresh", feed, "--strict")
    assert r.exit_code == 1
    assert "f.csv:line 2" in r.stderr and "nothing was written" in r.stderr
    out = json.loads(run(db, "vacancies", "list", "--format", "json").stdout)
    assert [v["title"] for v in out] == ["Lagerjob 1"]


def test_unreadable_file_exits_1_and_snapshot_is_ignored(db: str, feed: str,
                                                         fake_feeds: dict[str, Any]) -> None:
    run(db, "index", "refresh", feed)
    fake_feeds["batch"] = Batch([vac("1")], read_errors=[FeedReadError("bad JSON", file="b")],
                                files=[FileResult(feed, records=1, vacancies=1),
                                       FileResult("b", ok=False)])
    r = run(db, "index", "refresh", feed, "--snapshot")
    assert r.exit_code == 1
    assert "b: bad JSON" in r.stderr and "--snapshot ignored" in r.stderr
    assert "expired 0" in r.stdout


def test_usage_errors_exit_2(db: str, tmp_path: Path) -> None:
    assert run(db, "index", "refresh", str(tmp_path / "missing.json")).exit_code == 2
    assert run(db, "index", "refresh").exit_code == 2
    assert run(db, "vacancies", "show", "no-such-form").exit_code == 2
    assert run(db, "vacancies", "list", "--limit", "0").exit_code == 2


def test_vacancies_list_and_show(db: str, feed: str, fake_feeds: dict[str, Any]) -> None:
    fake_feeds["batch"] = Batch([vac("1"), vac("2", postcode="8000", employer=Employer("Kok"),
                                             deadline=date(2000, 1, 1))])
    run(db, "index", "refresh", feed)
    r = run(db, "vacancies", "list")
    assert r.exit_code == 0 and "Lagerjob 1" in r.stdout and "Lagerjob 2" not in r.stdout
    assert "20-30" in r.stdout
    rows = list(csv.DictReader(io.StringIO(run(db, "vacancies", "list", "--all",
                                               "--format", "csv").stdout)))
    assert {row["external_id"]: row["status"] for row in rows} == {"1": "active",
                                                                    "2": "expired"}
    recs = json.loads(run(db, "vacancies", "list", "--employer", "12345678",
                          "--format", "json").stdout)
    assert len(recs) == 1
    rec = recs[0]
    assert set(rec) >= {"id", "source", "external_id", "title", "employer", "postcode", "city",
                        "lat", "lon", "hours_min", "hours_max", "schedule", "work_conditions",
                        "employment_type", "posted", "deadline", "occupation", "facts", "url",
                        "first_seen", "last_seen", "expired_at"}
    assert rec["employer"] == {"name": "Lager A/S", "cvr": "12345678"}
    assert rec["schedule"]["night"] is False
    r = run(db, "vacancies", "show", "jobnet:1")
    assert r.exit_code == 0 and "roligt lager" in r.stdout and "CVR 12345678" in r.stdout
    shown = json.loads(run(db, "vacancies", "show", str(rec["id"]), "--format", "json").stdout)
    assert shown["external_id"] == "1" and shown["text"] == "Et roligt lager."
    r = run(db, "vacancies", "show", "jobnet:404")
    assert r.exit_code == 2 and "no vacancy jobnet:404" in r.stderr


def test_employers_import_list_show(db: str, tmp_path: Path, fake_feeds: dict[str, Any]
                                    ) -> None:
    f = tmp_path / "emp.csv"
    f.write_text("name\n")
    fake_feeds["employers"] = (
        [Employer("Bageriet", cvr="11111111", postcode="9000", notes="ring før 10"),
         Employer("Kantinen", postcode="9000")],
        [FeedError("not a CVR number", file=str(f), line=4, field="cvr")])
    r = run(db, "employers", "import", str(f))
    assert r.exit_code == 0, r.output
    assert "added 2, updated 0, rejected 1" in r.stdout and "line 4: cvr" in r.stderr
    r = run(db, "employers", "import", str(f))
    assert "added 0, updated 2" in r.stdout
    recs = json.loads(run(db, "employers", "list", "--format", "json").stdout)
    assert [e["name"] for e in recs] == ["Bageriet", "Kantinen"]
    r = run(db, "employers", "show", "11111111")
    assert r.exit_code == 0 and "ring før 10" in r.stdout
    assert run(db, "employers", "show", "99999999").exit_code == 2


def test_refresh_with_the_real_jobnet_sample(db: str) -> None:
    pytest.importorskip("ipsmatch.feeds.jobnet", reason="feed readers not in this checkout")
    files = sorted(map(str, JOBNET_SAMPLE.glob("*.json")))
    if not files:
        pytest.skip(f"no Jobnet sample in {JOBNET_SAMPLE}")
    r = run(db, "index", "refresh", *files)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("added ")
    r = run(db, "index", "refresh", *files)
    assert "added 0, updated 0, unchanged" in r.stdout
