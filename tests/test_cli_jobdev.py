"""CLI: contacts, outcomes, feedback and fidelity (through ipsmatch.cli.main: real exit codes)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import FIXTURES, run_cli, vacancy

from ipsmatch.domain import Employer
from ipsmatch.feeds.types import FeedBatch
from ipsmatch.refresh import apply_batch
from ipsmatch.store import Store

TODAY = date.today()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()


def store_ads(db: str, ads: list[Any]) -> None:
    """Refresh the database with these ads (one feed batch), as ``index refresh`` does."""
    with Store.open(db) as s:
        apply_batch(s, FeedBatch(vacancies=ads), now=datetime.now(UTC))


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Two citizens (B-1 started 40 days ago, B-2 10 days ago) and one ad, jobnet:7, of
    Lager A/S (CVR 12345678)."""
    url = f"sqlite:///{tmp_path / 'ipsmatch.db'}"
    with Store.open(url, create=True).init() as s:
        s.save_citizen("B-1", {"id": "B-1"}, "AB", TODAY - timedelta(days=40))
        s.save_citizen("B-2", {"id": "B-2"}, "CD", TODAY - timedelta(days=10))
    store_ads(url, [vacancy(source="jobnet", external_id="7", title="Lagerjob",
                            employer=Employer("Lager A/S", cvr="12345678"))])
    return url


def add(db: str, *args: str) -> Result:
    """``contacts add`` by consultant AB."""
    return run_cli("contacts", "add", "--consultant", "AB", *args, db=db)


# --- contacts -------------------------------------------------------------------------------

def test_contacts_add_and_list(db: str) -> None:
    r = add(db, "--date", YESTERDAY, "--cvr", "12345678", "--citizen", "B-1", "--kind",
            "personligt møde", "--purpose", "present_candidate", "--learned",
            "open_to_flexible_start", "--learned", "not_open_to_part_time", "--note",
            "Leder: Mette", "--format", "json")
    assert r.exit_code == 0, r.output
    rec = json.loads(r.stdout)[0]
    # B-1 was never asked about employer contact (a profile from before disclosure)
    assert "Warning: B-1 has not been asked about employer contact" in r.stderr
    assert rec["kind"] == "face-to-face" and rec["employer"] == "Lager A/S"
    assert rec["learned"] == "open_to_flexible_start;not_open_to_part_time"
    assert add(db, "--employer", "Café Sol", "--kind", "telefon").exit_code == 0
    r = run_cli("contacts", "list", "--format", "csv", db=db)
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert [x["employer"] for x in rows] == ["Lager A/S", "Café Sol"]
    assert [x["kind"] for x in rows] == ["face-to-face", "phone"]
    r = run_cli("contacts", "list", "--citizen", "B-1", db=db)
    assert "Lager A/S" in r.output and "Café Sol" not in r.output
    r = run_cli("contacts", "list", "--from", TODAY.isoformat(), "--format", "json", db=db)
    assert [x["employer"] for x in json.loads(r.output)] == ["Café Sol"]
    shown = run_cli("employers", "show", "12345678", "--format", "json", db=db)
    attrs = json.loads(shown.output)["attributes"]
    assert attrs["open_to_flexible_start"]["value"] is True
    assert attrs["open_to_part_time"]["value"] is False


def test_contact_for_unknown_citizen_is_refused(db: str) -> None:
    r = add(db, "--cvr", "12345678", "--citizen", "X-42")
    assert r.exit_code == 2
    assert "Error: unknown citizen ID 'X-42' (add it with `ipsmatch citizen add`)" in r.output
    assert json.loads(run_cli("contacts", "list", "--format", "json", db=db).output) == []


def test_contact_dated_in_the_future_is_refused(db: str) -> None:
    future = (TODAY + timedelta(days=3)).isoformat()
    r = add(db, "--cvr", "12345678", "--date", future)
    assert r.exit_code == 1
    assert f"Error: --date: {future} is in the future" in r.output
    r = add(db, "--cvr", "12345678", "--date", "i morgen")
    assert r.exit_code == 2 and "is not a date" in r.output


def test_cpr_number_in_a_note_is_refused_without_echoing_it(db: str) -> None:
    r = add(db, "--cvr", "12345678", "--note", "Borgerens cpr er 010190-1234")
    assert r.exit_code == 1
    assert "Error: --note: contains what looks like a CPR number" in r.output
    assert "010190" not in r.output
    assert json.loads(run_cli("contacts", "list", "--format", "json", db=db).output) == []


def test_contact_needs_an_employer_and_known_kind(db: str) -> None:
    r = add(db)
    assert r.exit_code == 1 and "--cvr: no employer given" in r.output
    r = add(db, "--cvr", "12345678", "--kind", "brevdue")
    assert r.exit_code == 1 and "--kind: unknown kind 'brevdue'" in r.output
    r = add(db, "--cvr", "1234", "--kind", "phone")
    assert r.exit_code == 1 and "--cvr: a CVR number has exactly 8 digits" in r.output


def test_contacts_import_demo_log_and_bad_rows(db: str, tmp_path: Path) -> None:
    r = run_cli("contacts", "import", str(FIXTURES / "contacts.csv"), db=db)
    assert r.exit_code == 0, r.output
    assert "contacts: added 237, rejected 0" in r.output
    assert "stubs" in r.output and "sag-1001" in r.output
    bad = tmp_path / "log.csv"
    bad.write_text("date,consultant,employer_cvr,employer_name,kind,note\n"
                   f"{YESTERDAY},AB,12345678,,phone,ok\n"
                   f"{YESTERDAY},AB,12345678,,brevdue,\n"
                   f"{YESTERDAY},AB,12345678,,phone,cpr 0101901234\n", encoding="utf-8")
    r = run_cli("contacts", "import", str(bad), db=db)
    assert r.exit_code == 1
    assert f"{bad}:line 3: kind: unknown kind 'brevdue'" in r.output
    r = run_cli("contacts", "import", str(bad), "--lenient", db=db)
    assert r.exit_code == 0
    assert f"{bad}:line 4: note: contains what looks like a CPR number" in r.output
    assert "contacts: added 1, rejected 2" in r.output
    stub = tmp_path / "stub.csv"
    stub.write_text(f"date,consultant,employer_cvr,citizen_id,kind\n{YESTERDAY},AB,12345678,"
                    "nobody,phone\n", encoding="utf-8")
    r = run_cli("contacts", "import", str(stub), "--no-stubs", db=db)
    assert r.exit_code == 1
    assert f"{stub}:line 2: citizen_id: unknown citizen ID 'nobody'" in r.output
    r = run_cli("contacts", "import", str(tmp_path / "missing.csv"), db=db)
    assert r.exit_code == 1 and "file not found" in r.output


# --- outcomes -------------------------------------------------------------------------------

def test_outcomes_start_end_list(db: str) -> None:
    r = run_cli("outcomes", "start", "--citizen", "B-1", "--cvr", "12345678", "--title",
                "Lagermedarbejder", "--hours", "15", "--date", YESTERDAY, "--format", "json", db=db)
    assert r.exit_code == 0, r.output
    job = json.loads(r.output)[0]
    assert job["competitive"] is True and job["employer"] == "Lager A/S"
    r = run_cli("outcomes", "start", "--citizen", "B-2", "--employer", "Café Sol", "--title",
                "Opvasker", "--not-competitive", db=db)
    assert r.exit_code == 0, r.output
    r = run_cli("outcomes", "start", "--citizen", "nope", "--employer", "X", "--title", "Y", db=db)
    assert r.exit_code == 2 and "unknown citizen ID 'nope'" in r.output
    r = run_cli("outcomes", "start", "--citizen", "B-1", "--employer", "X", "--title", "Y",
                "--hours", "200", db=db)
    assert r.exit_code == 1 and "--hours: 200 hours is not a working week" in r.output
    r = run_cli("outcomes", "end", "--citizen", "B-1", "--reason", "quit", "--format", "json",
                db=db)
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)[0]["end_reason"] == "quit"
    r = run_cli("outcomes", "list", "--open", "--format", "json", db=db)
    assert [x["title"] for x in json.loads(r.output)] == ["Opvasker"]
    r = run_cli("outcomes", "end", "999", db=db)
    assert r.exit_code == 2 and "no job start 999" in r.output


def test_outcomes_import(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "js.csv"
    bad.write_text("citizen_id,employer_cvr,title,start_date,competitive\n"
                   f"B-1,12345678,Lager,{YESTERDAY},ja\n"
                   f"sag-9,12345678,Lager,{YESTERDAY},fleksjob\n", encoding="utf-8")
    r = run_cli("outcomes", "import", str(bad), db=db)
    assert r.exit_code == 1
    assert f"{bad}:line 3: citizen_id: unknown citizen ID 'sag-9'" in r.output
    assert run_cli("contacts", "import", str(FIXTURES / "contacts.csv"), db=db).exit_code == 0
    r = run_cli("outcomes", "import", str(FIXTURES / "job_starts.csv"), db=db)
    assert r.exit_code == 0, r.output
    assert "job starts: added 10, rejected 0" in r.output


# --- feedback -------------------------------------------------------------------------------

def test_feedback_add_and_list(db: str) -> None:
    r = run_cli("feedback", "add", "--citizen", "B-1", "--vacancy", "jobnet:7", "--verdict",
                "not_interested_employer", "--reason", "for langt", "--consultant", "AB",
                "--format", "json", db=db)
    assert r.exit_code == 0, r.output
    rec = json.loads(r.output)[0]
    assert rec["employer_cvr"] == "12345678" and rec["vacancy"] == "jobnet:7"
    r = run_cli("feedback", "list", "--citizen", "B-1", "--format", "json", db=db)
    assert [x["verdict"] for x in json.loads(r.output)] == ["not_interested_employer"]
    r = run_cli("feedback", "add", "--citizen", "B-1", "--verdict", "applied", db=db)
    assert r.exit_code == 2 and "--vacancy" in r.output
    r = run_cli("feedback", "add", "--citizen", "B-1", "--vacancy", "7", "--verdict", "applied",
                db=db)
    assert r.exit_code == 2 and "not SOURCE:ID" in r.output
    r = run_cli("feedback", "add", "--citizen", "B-1", "--vacancy", "jobnet:8", "--verdict",
                "applied", db=db)
    assert r.exit_code == 2 and "no vacancy jobnet:8" in r.output
    r = run_cli("feedback", "add", "--citizen", "B-9", "--cvr", "12345678", "--verdict",
                "not_interested_employer", db=db)
    assert r.exit_code == 2 and "unknown citizen ID 'B-9'" in r.output


# --- fidelity -------------------------------------------------------------------------------

def test_fidelity_formats(db: str, tmp_path: Path) -> None:
    for day in (1, 2, 3):
        d = (TODAY - timedelta(days=day)).isoformat()
        assert add(db, "--cvr", "12345678", "--date", d, "--citizen", "B-1").exit_code == 0
    r = run_cli("fidelity", db=db)
    assert r.exit_code == 0, r.output
    assert "IPS fidelity" in r.output and "team" in r.output
    assert "B-1" in r.output  # first contact after 37 days: listed as late
    data = json.loads(run_cli("fidelity", "--format", "json", db=db).output)
    assert data["team"]["f2f_contacts"] == 3 and data["team"]["caseload_active"] == 2
    assert data["period_to"] == TODAY.isoformat()
    assert data["period_from"] == (TODAY - timedelta(days=28)).isoformat()
    rows = list(csv.DictReader(io.StringIO(run_cli("fidelity", "--format", "csv", db=db).output)))
    assert [x["consultant"] for x in rows] == ["AB", "CD", "team"]
    r = run_cli("fidelity", "--consultant", "CD", "--format", "csv", db=db)
    assert [x["consultant"] for x in csv.DictReader(io.StringIO(r.output))] == ["CD", "team"]
    out = tmp_path / "report.html"
    r = run_cli("fidelity", "--format", "html", "--out", str(out), db=db)
    assert r.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    r = run_cli("fidelity", "--from", "2026-11-10", "--to", "2026-11-01", db=db)
    assert r.exit_code == 2 and "swap --from and --to" in r.output


def test_commands_are_listed() -> None:
    r = run_cli("--help")
    for name in ("contacts", "outcomes", "feedback", "fidelity"):
        assert name in r.output


# --- suggest shows what job development knows ----------------------------------------------

def test_suggest_after_feedback_and_contacts(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from _suggest_data import PROFILE
    from _suggest_data import vacancies as demo_vacancies

    monkeypatch.setenv("IPSMATCH_SEMANTIC", "off")
    store_ads(db, [replace(v, deadline=None) for v in demo_vacancies()])
    with Store.open(db) as s:
        s.save_citizen(PROFILE["id"], PROFILE, "AB")

    def suggest() -> dict[str, Any]:
        r = run_cli("suggest", PROFILE["id"], "--format", "json", "--show-excluded", db=db)
        assert r.exit_code == 0, r.output
        out: dict[str, Any] = json.loads(r.stdout)
        return out

    first = suggest()
    top = first["vacancies"][0]
    ref = f"{top['source']}:{top['external_id']}"
    r = run_cli("feedback", "add", "--citizen", PROFILE["id"], "--vacancy", ref, "--verdict",
                "not_interested", "--reason", "for langt", "--consultant", "AB", db=db)
    assert r.exit_code == 0, r.output
    # Lagerhuset (CVR 11111111) told a consultant it is open to a flexible start
    assert add(db, "--cvr", "11111111", "--learned", "open_to_flexible_start").exit_code == 0
    again = suggest()
    shown = [v["external_id"] for v in again["vacancies"]]
    assert top["external_id"] not in shown
    hidden = next(x for x in again["excluded"] if x["external_id"] == top["external_id"])
    assert any("Ikke interesseret" in why and "for langt" in why for why in hidden["reasons"])
    lager_ads = [v for v in again["vacancies"] if (v["employer"] or {}).get("cvr") == "11111111"]
    # the team's contact is quoted as such, never as the ad (#13)
    assert lager_ads and all(any(
        why.startswith("Fleksibel mødetid: '") and "(teamet ved kontakt " in why and "AB)" in why
        for why in v["reasons"]) for v in lager_ads)
    lager = next(e for e in again["employers"] if e["cvr"] == "11111111")
    # "contacted recently – agree before calling again" is a warning, not a plus
    assert lager["concerns"][0].startswith("Kontaktet ") and "AB" in lager["concerns"][0]
    r = run_cli("contacts", "import", str(FIXTURES / "contacts.csv"), db=db)
    r = run_cli("suggest", "sag-1001", db=db)
    assert r.exit_code == 1 and "has no profile yet" in r.output
