"""CLI: contacts, outcomes, feedback and fidelity (through ipsmatch.cli.main: real exit codes)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES

from ipsmatch.cli import main
from ipsmatch.domain import Employer, Vacancy
from ipsmatch.store import Store
from ipsmatch.store.schema import vacancies
from ipsmatch.store.serialize import vacancy_to_row

TODAY = date.today()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()


@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def entry(args: tuple[str, ...]) -> None:
    main(list(args))


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ipsmatch.db'}"
    with Store.open(url, create=True).init() as s:
        s.save_citizen("B-1", {"id": "B-1"}, "AB", TODAY - timedelta(days=40))
        s.save_citizen("B-2", {"id": "B-2"}, "CD", TODAY - timedelta(days=10))
        emp = Employer("Lager A/S", cvr="12345678")
        v = Vacancy(source="jobnet", external_id="7", title="Lagerjob", employer=emp)
        now = datetime.now(UTC)
        with s.engine.begin() as conn:
            eid = s.upsert_employer(emp, conn=conn)
            conn.execute(vacancies.insert(), {**vacancy_to_row(v), "employer_id": eid,
                                              "first_seen": now, "last_seen": now})
    return url


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(entry, ["--db", db, *args])


def add(db: str, *args: str) -> Result:
    return run(db, "contacts", "add", "--consultant", "AB", *args)


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
    r = run(db, "contacts", "list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert [x["employer"] for x in rows] == ["Lager A/S", "Café Sol"]
    assert [x["kind"] for x in rows] == ["face-to-face", "phone"]
    r = run(db, "contacts", "list", "--citizen", "B-1")
    assert "Lager A/S" in r.output and "Café Sol" not in r.output
    r = run(db, "contacts", "list", "--from", TODAY.isoformat(), "--format", "json")
    assert [x["employer"] for x in json.loads(r.output)] == ["Café Sol"]
    shown = run(db, "employers", "show", "12345678", "--format", "json")
    attrs = json.loads(shown.output)["attributes"]
    assert attrs["open_to_flexible_start"]["value"] is True
    assert attrs["open_to_part_time"]["value"] is False


def test_contact_for_unknown_citizen_is_refused(db: str) -> None:
    r = add(db, "--cvr", "12345678", "--citizen", "X-42")
    assert r.exit_code == 2
    assert "Error: unknown citizen ID 'X-42' (add it with `ipsmatch citizen add`)" in r.output
    assert json.loads(run(db, "contacts", "list", "--format", "json").output) == []


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
    assert json.loads(run(db, "contacts", "list", "--format", "json").output) == []


def test_contact_needs_an_employer_and_known_kind(db: str) -> None:
    r = add(db)
    assert r.exit_code == 1 and "--cvr: no employer given" in r.output
    r = add(db, "--cvr", "12345678", "--kind", "brevdue")
    assert r.exit_code == 1 and "--kind: unknown kind 'brevdue'" in r.output
    r = add(db, "--cvr", "1234", "--kind", "phone")
    assert r.exit_code == 1 and "--cvr: a CVR number has exactly 8 digits" in r.output


def test_contacts_import_demo_log_and_bad_rows(db: str, tmp_path: Path) -> None:
    r = run(db, "contacts", "import", str(FIXTURES / "contacts.csv"))
    assert r.exit_code == 0, r.output
    assert "contacts: added 237, rejected 0" in r.output
    assert "stubs" in r.output and "sag-1001" in r.output
    bad = tmp_path / "log.csv"
    bad.write_text("date,consultant,employer_cvr,employer_name,kind,note\n"
                   f"{YESTERDAY},AB,12345678,,phone,ok\n"
                   f"{YESTERDAY},AB,12345678,,brevdue,\n"
                   f"{YESTERDAY},AB,12345678,,phone,cpr 0101901234\n", encoding="utf-8")
    r = run(db, "contacts", "import", str(bad))
    assert r.exit_code == 1
    assert f"{bad}:line 3: kind: unknown kind 'brevdue'" in r.output
    r = run(db, "contacts", "import", str(bad), "--lenient")
    assert r.exit_code == 0
    assert f"{bad}:line 4: note: contains what looks like a CPR number" in r.output
    assert "contacts: added 1, rejected 2" in r.output
    stub = tmp_path / "stub.csv"
    stub.write_text(f"date,consultant,employer_cvr,citizen_id,kind\n{YESTERDAY},AB,12345678,"
                    "nobody,phone\n", encoding="utf-8")
    r = run(db, "contacts", "import", str(stub), "--no-stubs")
    assert r.exit_code == 1
    assert f"{stub}:line 2: citizen_id: unknown citizen ID 'nobody'" in r.output
    r = run(db, "contacts", "import", str(tmp_path / "missing.csv"))
    assert r.exit_code == 1 and "file not found" in r.output


# --- outcomes -------------------------------------------------------------------------------

def test_outcomes_start_end_list(db: str) -> None:
    r = run(db, "outcomes", "start", "--citizen", "B-1", "--cvr", "12345678", "--title",
            "Lagermedarbejder", "--hours", "15", "--date", YESTERDAY, "--format", "json")
    assert r.exit_code == 0, r.output
    job = json.loads(r.output)[0]
    assert job["competitive"] is True and job["employer"] == "Lager A/S"
    r = run(db, "outcomes", "start", "--citizen", "B-2", "--employer", "Café Sol", "--title",
            "Opvasker", "--not-competitive")
    assert r.exit_code == 0, r.output
    r = run(db, "outcomes", "start", "--citizen", "nope", "--employer", "X", "--title", "Y")
    assert r.exit_code == 2 and "unknown citizen ID 'nope'" in r.output
    r = run(db, "outcomes", "start", "--citizen", "B-1", "--employer", "X", "--title", "Y",
            "--hours", "200")
    assert r.exit_code == 1 and "--hours: 200 hours is not a working week" in r.output
    r = run(db, "outcomes", "end", "--citizen", "B-1", "--reason", "quit", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)[0]["end_reason"] == "quit"
    r = run(db, "outcomes", "list", "--open", "--format", "json")
    assert [x["title"] for x in json.loads(r.output)] == ["Opvasker"]
    r = run(db, "outcomes", "end", "999")
    assert r.exit_code == 2 and "no job start 999" in r.output


def test_outcomes_import(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "js.csv"
    bad.write_text("citizen_id,employer_cvr,title,start_date,competitive\n"
                   f"B-1,12345678,Lager,{YESTERDAY},ja\n"
                   f"sag-9,12345678,Lager,{YESTERDAY},fleksjob\n", encoding="utf-8")
    r = run(db, "outcomes", "import", str(bad))
    assert r.exit_code == 1
    assert f"{bad}:line 3: citizen_id: unknown citizen ID 'sag-9'" in r.output
    assert run(db, "contacts", "import", str(FIXTURES / "contacts.csv")).exit_code == 0
    r = run(db, "outcomes", "import", str(FIXTURES / "job_starts.csv"))
    assert r.exit_code == 0, r.output
    assert "job starts: added 10, rejected 0" in r.output


# --- feedback -------------------------------------------------------------------------------

def test_feedback_add_and_list(db: str) -> None:
    r = run(db, "feedback", "add", "--citizen", "B-1", "--vacancy", "jobnet:7", "--verdict",
            "not_interested_employer", "--reason", "for langt", "--consultant", "AB",
            "--format", "json")
    assert r.exit_code == 0, r.output
    rec = json.loads(r.output)[0]
    assert rec["employer_cvr"] == "12345678" and rec["vacancy"] == "jobnet:7"
    r = run(db, "feedback", "list", "--citizen", "B-1", "--format", "json")
    assert [x["verdict"] for x in json.loads(r.output)] == ["not_interested_employer"]
    r = run(db, "feedback", "add", "--citizen", "B-1", "--verdict", "applied")
    assert r.exit_code == 2 and "--vacancy" in r.output
    r = run(db, "feedback", "add", "--citizen", "B-1", "--vacancy", "7", "--verdict", "applied")
    assert r.exit_code == 2 and "not SOURCE:ID" in r.output
    r = run(db, "feedback", "add", "--citizen", "B-1", "--vacancy", "jobnet:8", "--verdict",
            "applied")
    assert r.exit_code == 2 and "no vacancy jobnet:8" in r.output
    r = run(db, "feedback", "add", "--citizen", "B-9", "--cvr", "12345678", "--verdict",
            "not_interested_employer")
    assert r.exit_code == 2 and "unknown citizen ID 'B-9'" in r.output


# --- fidelity -------------------------------------------------------------------------------

def test_fidelity_formats(db: str, tmp_path: Path) -> None:
    for day in (1, 2, 3):
        d = (TODAY - timedelta(days=day)).isoformat()
        assert add(db, "--cvr", "12345678", "--date", d, "--citizen", "B-1").exit_code == 0
    r = run(db, "fidelity")
    assert r.exit_code == 0, r.output
    assert "IPS fidelity" in r.output and "team" in r.output
    assert "B-1" in r.output  # first contact after 37 days: listed as late
    data = json.loads(run(db, "fidelity", "--format", "json").output)
    assert data["team"]["f2f_contacts"] == 3 and data["team"]["caseload_active"] == 2
    assert data["period_to"] == TODAY.isoformat()
    assert data["period_from"] == (TODAY - timedelta(days=28)).isoformat()
    rows = list(csv.DictReader(io.StringIO(run(db, "fidelity", "--format", "csv").output)))
    assert [x["consultant"] for x in rows] == ["AB", "CD", "team"]
    r = run(db, "fidelity", "--consultant", "CD", "--format", "csv")
    assert [x["consultant"] for x in csv.DictReader(io.StringIO(r.output))] == ["CD", "team"]
    out = tmp_path / "report.html"
    r = run(db, "fidelity", "--format", "html", "--out", str(out))
    assert r.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    r = run(db, "fidelity", "--from", "2026-11-10", "--to", "2026-11-01")
    assert r.exit_code == 2 and "swap --from and --to" in r.output


def test_commands_are_listed() -> None:
    r = CliRunner().invoke(entry, ["--help"])
    for name in ("contacts", "outcomes", "feedback", "fidelity"):
        assert name in r.output


# --- suggest shows what job development knows ----------------------------------------------

def test_suggest_after_feedback_and_contacts(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from _suggest_data import PROFILE, FakeOccupationMatcher
    from _suggest_data import vacancies as demo_vacancies

    import ipsmatch.matcher as matcher_mod

    monkeypatch.setattr(matcher_mod, "load_text_models",
                        lambda settings: (FakeOccupationMatcher(), None))
    now = datetime.now(UTC)
    with Store.open(db) as s, s.engine.begin() as conn:
        for v in demo_vacancies():
            eid = s.upsert_employer(v.employer, conn=conn) if v.employer else None
            conn.execute(vacancies.insert(), {**vacancy_to_row(replace(v, deadline=None)),
                                              "employer_id": eid, "first_seen": now,
                                              "last_seen": now})
    with Store.open(db) as s:
        s.save_citizen(PROFILE["id"], PROFILE, "AB")

    def suggest() -> dict:  # type: ignore[type-arg]
        r = run(db, "suggest", PROFILE["id"], "--format", "json", "--show-excluded")
        assert r.exit_code == 0, r.output
        return json.loads(r.output[r.output.index("{"):])

    first = suggest()
    top = first["vacancies"][0]
    ref = f"{top['source']}:{top['external_id']}"
    r = run(db, "feedback", "add", "--citizen", PROFILE["id"], "--vacancy", ref, "--verdict",
            "not_interested", "--reason", "for langt", "--consultant", "AB")
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
    r = run(db, "contacts", "import", str(FIXTURES / "contacts.csv"))
    r = run(db, "suggest", "sag-1001")
    assert r.exit_code == 1 and "has no profile yet" in r.output
