"""CLI: ``suggest``, ``search`` and the citizen life-cycle on a temporary SQLite database, through
the real console entry (``run_cli``: real exit codes and one-line errors)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from _suggest_data import PROFILE, TODAY
from conftest import run_cli, vacancy

from ipsmatch.cli.citizen import apply_set
from ipsmatch.domain import Employer, Fact
from ipsmatch.errors import UsageError
from ipsmatch.feeds.types import FeedBatch
from ipsmatch.refresh import apply_batch
from ipsmatch.store import Store

LAGERHUSET = Employer("Lagerhuset A/S", cvr="11111111", postcode="9380")
KANTINEN = Employer("Kantinen ApS", cvr="33333333", postcode="9400")
BUTIKKEN = Employer("Butikken", cvr="44444444", postcode="9220")


def ads() -> list[Any]:
    """Four ads around Nørresundby: a day job in a warehouse that fits the citizen, a night
    shift, a canteen cook, and a warehouse-and-shop job with the customer contact they
    avoid."""
    return [
        vacancy(external_id="v1", title="Lagermedarbejder til pluk og pak",
                text="Vi søger en lagermedarbejder til pluk og pak. Kun dagarbejde.",
                employer=LAGERHUSET, postcode="9380", hours_min=10, hours_max=15,
                facts=[Fact("night", False, "Kun dagarbejde")]),
        vacancy(external_id="v2", title="Lagermedarbejder nathold",
                text="Lagerarbejde på nathold.", employer=LAGERHUSET, postcode="9380",
                hours_min=37, hours_max=37, facts=[Fact("night", True, "nathold")]),
        vacancy(external_id="v3", title="Kok til kantine", text="Kantinekøkken, dagarbejde.",
                employer=KANTINEN, postcode="9400", hours_min=30, hours_max=37),
        vacancy(external_id="v4", title="Lager- og butiksmedarbejder",
                text="Lager og butik med meget kundekontakt.", employer=BUTIKKEN,
                postcode="9220",
                hours_min=15, hours_max=20,
                facts=[Fact("customer_contact", True, "meget kundekontakt")]),
    ]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with :func:`ads`; lexical text models only, the test's reference date."""
    monkeypatch.setenv("IPSMATCH_SEMANTIC", "off")
    monkeypatch.setenv("IPSMATCH_TODAY", TODAY.isoformat())
    monkeypatch.setenv("IPSMATCH_CONSULTANT", "kons-test")
    url = f"sqlite:///{tmp_path / 'ipsmatch.db'}"
    assert run_cli("init", db=url).exit_code == 0
    with Store.open(url) as store:
        apply_batch(store, FeedBatch(vacancies=ads()), source="test",
                    now=datetime(2026, 11, 20, 12, tzinfo=UTC))
    return url


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    f = tmp_path / "c.json"
    f.write_text(json.dumps(PROFILE, ensure_ascii=False), encoding="utf-8")
    return f


def json_out(*args: str, db: str) -> Any:
    r = run_cli(*args, db=db)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def ids(vacancies: list[dict[str, Any]]) -> list[str]:
    return [v["external_id"] for v in vacancies]


def test_suggest_json_contract(db: str, profile_file: Path) -> None:
    d = json_out("suggest", "--profile", str(profile_file), "--format", "json", db=db)
    assert d["citizen"]["id"] == "c-0042"
    assert ids(d["vacancies"]) == ["v1", "v4"]
    v = d["vacancies"][0]
    assert set(v) >= {"source", "external_id", "title", "employer", "postcode",
                      "distance_km", "commute_minutes", "hours_per_week", "score", "reasons",
                      "concerns"}
    assert v["employer"]["name"] == "Lagerhuset A/S" and v["employer"]["cvr"] == "11111111"
    assert v["hours_per_week"] == {"min": 10.0, "max": 15.0}
    assert v["reasons"] == ["Matcher ønsket 'lagerarbejde' (Lagermedarbejder til pluk og pak)",
                            "Ingen nattevagter: 'Kun dagarbejde' (annoncen)"]
    assert "Borgeren vil helst undgå 'kundekontakt': nævnt i annoncen: 'meget kundekontakt'" \
        in d["vacancies"][1]["concerns"]
    assert [e["name"] for e in d["employers"]] == ["Butikken", "Lagerhuset A/S"]
    e = d["employers"][0]
    assert set(e) >= {"name", "cvr", "postcode", "distance_km", "score", "reasons",
                      "open_vacancies"}
    assert "excluded" not in d and "explain" not in v


def test_suggest_json_explain_and_excluded(db: str, profile_file: Path) -> None:
    d = json_out("suggest", "--profile", str(profile_file), "--format", "json", "--explain",
                 "--show-excluded", db=db)
    assert {"signals", "weights", "reasons", "concerns"} <= set(d["vacancies"][0]["explain"])
    assert ids(d["excluded"]) == ["v2"]
    assert d["excluded"][0]["reasons"] == ["Natarbejde nævnes: 'nathold' (annoncen)"]


def test_suggest_table_explain_excluded_english(db: str, profile_file: Path) -> None:
    r = run_cli("suggest", "--profile", str(profile_file), "--format", "table", "--explain",
                "--show-excluded", "--lang", "en", "--limit", "3", db=db)
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "Vacancies (2)" in out and "Employers for job development (2)" in out
    assert "Excluded (1)" in out and "Night work is mentioned: 'nathold' (the ad)" in out
    assert "Matches the wish 'lagerarbejde'" in out
    assert "×" in out  # the per-signal breakdown


def test_suggest_csv(db: str, profile_file: Path) -> None:
    r = run_cli("suggest", "--profile", str(profile_file), "--format", "csv", db=db)
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(row["rank"], row["external_id"]) for row in rows] == [("1", "v1"), ("2", "v4")]


def test_suggest_is_json_when_piped(db: str, profile_file: Path) -> None:
    r = run_cli("suggest", "--profile", str(profile_file), db=db)
    assert ids(json.loads(r.stdout)["vacancies"]) == ["v1", "v4"]


def test_suggest_usage_errors(db: str, profile_file: Path) -> None:
    r = run_cli("suggest", db=db)
    assert r.exit_code == 2 and r.stderr.startswith("Error: give either CITIZEN_ID or")
    r = run_cli("suggest", "c-1", "--profile", str(profile_file), db=db)
    assert r.exit_code == 2 and r.stderr.startswith("Error: give either CITIZEN_ID or")
    r = run_cli("suggest", "--profile", str(profile_file.parent / "nope.json"), db=db)
    assert r.exit_code == 2 and "does not exist" in r.stderr
    r = run_cli("citizen", "add", str(profile_file.parent / "nope.json"), db=db)
    assert r.exit_code == 2 and "does not exist" in r.stderr


def test_suggest_refuses_cpr_in_profile(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**PROFILE, "wishes": ["lager", "1201851234"]}), encoding="utf-8")
    r = run_cli("suggest", "--profile", str(bad), db=db)
    assert r.exit_code == 1 and "wishes[1]" in r.stderr
    assert "1201851234" not in r.output


def test_a_bad_need_is_one_line_naming_the_field(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**PROFILE, "needs": ["no_mondays"]}), encoding="utf-8")
    r = run_cli("suggest", "--profile", str(bad), db=db)
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: ") and len(r.stderr.splitlines()) == 1
    assert "needs[0]" in r.stderr and "no_night" in r.stderr


def test_citizen_lifecycle_and_suggest_by_id(db: str, profile_file: Path) -> None:
    r = run_cli("citizen", "add", str(profile_file), db=db)
    assert (r.exit_code, r.stdout) == (0, "Saved citizen c-0042.\n")
    listed = json_out("citizen", "list", "--format", "json", db=db)
    assert listed == [{"id": "c-0042", "home_postcode": "9400",
                       "wishes": "lagerarbejde, arbejde på en byggeplads",
                       "needs": "no_night, flexible_start", "consultant": "kons-test"}]
    assert json_out("citizen", "show", "c-0042", db=db)["travel"] == {"mode": "bike",
                                                                      "max_minutes": 45}
    r = run_cli("citizen", "edit", "c-0042", "--set", "travel.max_minutes=20",
                "--set", "wishes=kok,kantine", db=db)
    assert (r.exit_code, r.stdout) == (0, "Updated citizen c-0042.\n")
    shown = json_out("citizen", "show", "c-0042", db=db)
    assert shown["travel"]["max_minutes"] == 20 and shown["wishes"] == ["kok", "kantine"]
    d = json_out("suggest", "c-0042", "--format", "json", db=db)
    assert ids(d["vacancies"])[0] == "v3"
    log = [(e["consultant"], e["action"], e["citizen_id"])
           for e in reversed(json_out("audit", "--format", "json", db=db))]
    assert log == [("kons-test", "save", "c-0042"), ("kons-test", "show", "c-0042"),
                   ("kons-test", "save", "c-0042"), ("kons-test", "show", "c-0042"),
                   ("kons-test", "suggest", "c-0042")]
    r = run_cli("citizen", "edit", "c-0042", "--set", "needs=no_mondays", db=db)
    assert r.exit_code == 1 and "needs[0]" in r.stderr
    r = run_cli("citizen", "forget", "c-0042", "--yes", db=db)
    assert r.exit_code == 0 and r.stdout.startswith("Forgot citizen c-0042.")
    r = run_cli("suggest", "c-0042", db=db)
    assert r.exit_code == 2 and r.stderr.startswith("Error: no citizen c-0042")
    assert json_out("citizen", "list", "--format", "json", db=db) == []


def test_citizen_add_refuses_cpr(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**PROFILE, "id": "010190-1234"}), encoding="utf-8")
    r = run_cli("citizen", "add", str(bad), db=db)
    assert r.exit_code == 1 and "010190-1234" not in r.output
    assert json_out("citizen", "list", "--format", "json", db=db) == []


def test_apply_set() -> None:
    d: dict[str, Any] = {"hours": {"max": 12}}
    apply_set(d, "hours.max=15")
    apply_set(d, "fleksjob_approved=true")
    apply_set(d, 'avoid=["butik"]')
    assert d == {"hours": {"max": 15}, "fleksjob_approved": True, "avoid": ["butik"]}
    with pytest.raises(UsageError):
        apply_set(d, "nothing")
    with pytest.raises(UsageError):
        apply_set(d, "id=c-2")


def test_search(db: str) -> None:
    d = json_out("search", "lager", "--format", "json", db=db)
    assert d["query"] == "lager" and sorted(ids(d["vacancies"])) == ["v1", "v2", "v4"]
    d = json_out("search", "lager", "--needs", "no_night", "--format", "json", db=db)
    assert sorted(ids(d["vacancies"])) == ["v1", "v4"]
    d = json_out("search", "lager", "--near", "9400", "--within-km", "6", "--format", "json",
                 db=db)
    assert ids(d["vacancies"]) == ["v4"]  # 5 km away; the others are 8 km
    r = run_cli("search", "kok", "--format", "table", "--explain", db=db)
    assert r.exit_code == 0 and "Kok til kantine" in r.stdout
    r = run_cli("search", "kok", "--needs", "no_mondays", db=db)
    assert r.exit_code == 2 and "no_mondays" in r.stderr
