"""CLI: init, index refresh/status, vacancies list/show, employers import/list/show."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import Result
from conftest import JOBNET_SAMPLE, run_cli

from ipsmatch.feeds.checks import POSTCODE_HINT

#: the CSV columns the ads below fill in (docs/feeds.md)
AD_COLUMNS = ("id", "title", "description", "employer_name", "employer_cvr", "postcode",
              "city", "hours_min", "hours_max", "schedule", "deadline", "source")


def ad(ext: str, **kw: str) -> dict[str, str]:
    """A CSV row of a plain day-time warehouse ad, 20-30 h/week, open until 2099."""
    row = {"id": ext, "title": f"Lagerjob {ext}", "description": "Et roligt lager.",
           "employer_name": "Lager A/S", "employer_cvr": "12345678", "postcode": "9000",
           "city": "Aalborg", "hours_min": "20", "hours_max": "30", "schedule": "dag",
           "deadline": "2099-01-01", "source": "jobnet"}
    row.update(kw)
    return row


def write_feed(path: Path, *rows: dict[str, str]) -> str:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, AD_COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return str(path)


def run(db: str, *args: str) -> Result:
    return run_cli(*args, db=db)


@pytest.fixture
def db(db_url: str) -> str:
    r = run(db_url, "init")
    assert r.exit_code == 0, r.output
    assert "created database" in r.output
    return db_url


@pytest.fixture
def feed(tmp_path: Path) -> str:
    """A CSV feed of two ads."""
    return write_feed(tmp_path / "feed.csv", ad("1"), ad("2"))


def test_commands_refuse_an_uninitialised_database(tmp_path: Path) -> None:
    r = run(str(tmp_path / "none.db"), "index", "status")
    assert r.exit_code == 1
    assert "database not initialised" in r.output and "ipsmatch init" in r.output


def test_init_twice_says_up_to_date(db: str) -> None:
    r = run(db, "init")
    assert r.exit_code == 0 and "up to date" in r.output


def test_refresh_summary_and_status(db: str, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "feed.dat", ad("1"), ad("2"))  # no extension to sniff
    r = run(db, "index", "refresh", feed, "--source", "kommune", "--format", "csv")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("added 2, updated 0, unchanged 0, expired 0, rejected 0 in ")
    r = run(db, "index", "status", "--format", "json")
    st = json.loads(r.stdout)
    assert st["sources"] == {"kommune": {"active": 2, "expired": 0}}
    assert st["last_refresh"]["status"] == "ok" and st["stale"] is False
    assert st["last_refresh"]["files"][0]["path"] == feed
    assert st["last_refresh"]["files"][0]["format"] == "csv"
    r = run(db, "index", "status")
    assert r.exit_code == 0 and "kommune" in r.stdout and "last refresh:" in r.stdout
    # the format given is the one read: this CSV is no JSON-LD
    r = run(db, "index", "refresh", feed, "--format", "jsonld")
    assert r.exit_code == 1 and f"{feed}: " in r.stderr


def test_row_errors_are_listed_capped_and_strict_fails(db: str, tmp_path: Path) -> None:
    bad = [ad(str(i), postcode="0042") for i in range(100, 160)]  # CSV lines 3 to 62
    feed = write_feed(tmp_path / "f.csv", ad("1"), *bad)
    r = run(db, "index", "refresh", feed)
    assert r.exit_code == 0
    assert (f"{feed}:line 3: postcode: '0042' is not a known Danish postcode "
            f"({POSTCODE_HINT})") in r.stderr
    assert f"{feed}:line 52:" in r.stderr and f"{feed}:line 53:" not in r.stderr
    assert "... 10 more" in r.stderr
    assert "rejected 60" in r.stdout
    write_feed(tmp_path / "f.csv", ad("1", title="changed"), ad("9"), bad[0])
    r = run(db, "index", "refresh", feed, "--strict")
    assert r.exit_code == 1
    assert f"{feed}:line 4: postcode" in r.stderr and "nothing was written" in r.stderr
    out = json.loads(run(db, "vacancies", "list", "--format", "json").stdout)
    assert [v["title"] for v in out] == ["Lagerjob 1"]


def test_unreadable_file_exits_1_and_snapshot_is_ignored(db: str, feed: str, tmp_path: Path
                                                         ) -> None:
    run(db, "index", "refresh", feed)
    one = write_feed(tmp_path / "one.csv", ad("1"))
    bad = tmp_path / "b.json"
    bad.write_text('{"JobPositionPostings": [{"ID": 1,', encoding="utf-8")
    r = run(db, "index", "refresh", one, str(bad), "--snapshot")
    assert r.exit_code == 1
    assert f"{bad}: truncated JSON" in r.stderr and "--snapshot ignored" in r.stderr
    assert "expired 0" in r.stdout
    assert json.loads(run(db, "index", "status", "--format", "json").stdout)["sources"] == \
        {"jobnet": {"active": 2, "expired": 0}}


def test_usage_errors_exit_2(db: str, tmp_path: Path) -> None:
    assert run(db, "index", "refresh", str(tmp_path / "missing.json")).exit_code == 2
    assert run(db, "index", "refresh").exit_code == 2
    assert run(db, "vacancies", "show", "no-such-form").exit_code == 2
    assert run(db, "vacancies", "list", "--limit", "0").exit_code == 2


def test_vacancies_list_and_show(db: str, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "feed.csv", ad("1"),
                      ad("2", postcode="8000", city="Aarhus C", employer_name="Kok",
                         employer_cvr="", deadline="2000-01-01"))
    assert run(db, "index", "refresh", feed).exit_code == 0
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


def test_employers_import_list_show(db: str, tmp_path: Path) -> None:
    f = tmp_path / "emp.csv"
    f.write_text("name,cvr,postcode,notes\n"
                 "Bageriet,11111111,9000,ring før 10\n"
                 "Kantinen,,9000,\n"
                 "Slagteren,123,9000,\n", encoding="utf-8")
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
    files = sorted(map(str, JOBNET_SAMPLE.glob("*.json")))
    if not files:
        pytest.skip(f"no Jobnet sample in {JOBNET_SAMPLE}")
    r = run(db, "index", "refresh", *files)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("added ")
    r = run(db, "index", "refresh", *files)
    assert "added 0, updated 0, unchanged" in r.stdout
