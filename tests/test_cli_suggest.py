from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from _suggest_data import PROFILE, TODAY, FakeOccupationMatcher, employers, vacancies
from click.testing import CliRunner

import ipsmatch.cli.suggest as cli_suggest
import ipsmatch.matcher as matcher_mod
from ipsmatch.cli import cli
from ipsmatch.cli.citizen import apply_set
from ipsmatch.errors import NotFoundError, PrivacyError, ProfileError, UsageError
from ipsmatch.matcher import Matcher
from ipsmatch.store.people import PeopleMixin


class FakeStore:
    """The slice of ipsmatch.store.Store the citizen/suggest commands use."""

    citizens: ClassVar[dict[str, dict[str, Any]]] = {}

    @classmethod
    def open(cls, url: str) -> FakeStore:
        return cls()

    access: ClassVar[list[tuple[str | None, str, str | None]]] = []

    def get_citizen(self, cid: str) -> SimpleNamespace:
        if cid not in self.citizens:
            raise NotFoundError(f"no citizen {cid!r}", hint="see `ipsmatch citizen list`")
        return SimpleNamespace(**self.citizens[cid])

    def save_citizen(self, cid: str, profile: dict[str, Any], consultant: str | None = None,
                     start_date: Any = None, *, allow_health: bool = False) -> SimpleNamespace:
        self.citizens[cid] = {"id": cid, "profile": profile, "consultant": consultant,
                              "start_date": start_date}
        return self.get_citizen(cid)

    def list_citizens(self) -> list[SimpleNamespace]:
        return [SimpleNamespace(**c) for c in self.citizens.values()]

    def delete_citizen(self, cid: str, *, consultant: str | None = None) -> dict[str, int]:
        if self.citizens.pop(cid, None) is None:
            raise NotFoundError(f"no citizen {cid!r}")
        return {"citizens": 1, "suggestion_feedback": 0}

    def log_access(self, consultant: str | None, action: str, citizen_id: str | None = None
                   ) -> None:
        self.access.append((consultant, action, citizen_id))

    # the real method, over this class's citizens and access list
    read_profile = PeopleMixin.read_profile


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    m = Matcher.from_vacancies(vacancies(), employers(), FakeOccupationMatcher(), today=TODAY)
    monkeypatch.setattr(cli_suggest, "open_matcher", lambda cfg: m)
    FakeStore.citizens = {}
    FakeStore.access = []
    monkeypatch.setattr(matcher_mod, "open_store", lambda url: FakeStore())
    f = tmp_path / "c.json"
    f.write_text(json.dumps(PROFILE, ensure_ascii=False), encoding="utf-8")
    return f


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input, standalone_mode=False)


def test_suggest_json_contract(env: Path) -> None:
    r = run("suggest", "--profile", str(env), "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["citizen"]["id"] == "c-0042"
    v = d["vacancies"][0]
    for k in ("source", "external_id", "title", "employer", "postcode", "distance_km",
              "commute_minutes", "hours_per_week", "score", "reasons", "concerns"):
        assert k in v
    assert set(v["employer"]) >= {"name", "cvr"}
    assert set(v["hours_per_week"]) == {"min", "max"}
    assert v["reasons"][0].startswith("Matcher ønsket 'lagerarbejde'")
    e = d["employers"][0]
    for k in ("name", "cvr", "postcode", "distance_km", "score", "reasons", "open_vacancies"):
        assert k in e
    assert "excluded" not in d and "explain" not in v


def test_suggest_table_explain_excluded_english(env: Path) -> None:
    r = run("suggest", "--profile", str(env), "--format", "table", "--explain",
            "--show-excluded", "--lang", "en", "--limit", "3")
    assert r.exit_code == 0, r.output
    out = r.output
    assert "Vacancies (3)" in out and "Employers for job development" in out
    assert "Excluded" in out and "Night work is mentioned" in out
    assert "score" in out and "wish" in out and "×" in out  # the breakdown
    assert "Matches the wish 'lagerarbejde'" in out


def test_suggest_json_explain_and_excluded(env: Path) -> None:
    r = run("suggest", "--profile", str(env), "--format", "json", "--explain",
            "--show-excluded", "--per-employer", "1")
    d = json.loads(r.output)
    assert {"signals", "weights", "reasons", "concerns"} <= set(d["vacancies"][0]["explain"])
    assert any(x["external_id"] == "v2" for x in d["excluded"])
    top10 = [v["employer"]["cvr"] for v in d["vacancies"][:10] if v["employer"]]
    assert len(top10) == len(set(top10)) or len(d["vacancies"]) < 10


def test_suggest_csv(env: Path) -> None:
    r = run("suggest", "--profile", str(env), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert rows and rows[0]["rank"] == "1" and rows[0]["external_id"]


def test_suggest_defaults_to_json_when_piped(env: Path) -> None:
    r = run("suggest", "--profile", str(env))
    assert json.loads(r.output)["vacancies"]


def test_suggest_usage_errors(env: Path) -> None:
    r = run("suggest")
    assert isinstance(r.exception, UsageError)
    r = run("suggest", "c-1", "--profile", str(env))
    assert isinstance(r.exception, UsageError)


def test_suggest_refuses_cpr_in_profile(env: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**PROFILE, "wishes": ["lager", "1201851234"]}), encoding="utf-8")
    r = run("suggest", "--profile", str(bad))
    assert isinstance(r.exception, PrivacyError)
    assert "1201851234" not in str(r.exception) and "wishes[1]" in str(r.exception)


def test_error_mapping_through_main(env: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    from ipsmatch.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**PROFILE, "needs": ["no_mondays"]}), encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        main(["suggest", "--profile", str(bad)])
    assert e.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "needs[0]" in err and "no_night" in err


def test_citizen_lifecycle_and_suggest_by_id(env: Path) -> None:
    r = run("citizen", "add", str(env))
    assert r.exit_code == 0 and "c-0042" in r.output
    r = run("citizen", "list", "--format", "json")
    assert json.loads(r.output)[0]["id"] == "c-0042"
    r = run("citizen", "show", "c-0042")
    assert json.loads(r.output)["travel"]["mode"] == "bike"
    r = run("citizen", "edit", "c-0042", "--set", "travel.max_minutes=20",
            "--set", "wishes=kok,kantine")
    assert r.exit_code == 0, r.output
    shown = json.loads(run("citizen", "show", "c-0042").output)
    assert shown["travel"]["max_minutes"] == 20 and shown["wishes"] == ["kok", "kantine"]
    r = run("suggest", "c-0042", "--format", "json")
    assert json.loads(r.output)["vacancies"][0]["title"] == "Kok til kantine"
    assert [a[1:] for a in FakeStore.access if a[1] == "suggest"] == [("suggest", "c-0042")]
    r = run("citizen", "edit", "c-0042", "--set", "needs=no_mondays")
    assert isinstance(r.exception, ProfileError)
    r = run("citizen", "forget", "c-0042", "--yes")
    assert r.exit_code == 0
    assert isinstance(run("suggest", "c-0042").exception, NotFoundError)


def test_citizen_add_refuses_cpr(env: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**PROFILE, "id": "010190-1234"}), encoding="utf-8")
    assert isinstance(run("citizen", "add", str(bad)).exception, PrivacyError)
    assert FakeStore.citizens == {}


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


def test_search_cli(env: Path) -> None:
    r = run("search", "lager", "--near", "9380", "--within-km", "6", "--needs", "no_night",
            "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["query"] == "lager"
    got = [v["external_id"] for v in d["vacancies"]]
    assert "v3" in got and "v2" not in got and "v12" not in got
    r = run("search", "kok", "--format", "table", "--explain")
    assert "Kok til kantine" in r.output
    r = run("search", "kok", "--needs", "no_mondays")
    assert isinstance(r.exception, UsageError)


def test_missing_profile_file_is_a_usage_error(env: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["suggest", "--profile", str(tmp_path / "nope.json")])
    assert r.exit_code == 2 and "does not exist" in r.output
    r = CliRunner().invoke(cli, ["citizen", "add", str(tmp_path / "nope.json")])
    assert r.exit_code == 2
