"""Bad values are refused on the way in, with one clear line (issue #14): a profile or feed
value of the wrong kind never becomes something else (a must-have, 5 hours, 8 hours) and never
ends in a traceback or a stored profile that later commands cannot read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from ipsmatch.errors import ProfileError
from ipsmatch.feeds import read_feeds
from ipsmatch.profile import load_profile, profile_from_dict
from ipsmatch.store import Store

BASE = {"id": "c-1", "home_postcode": "9000", "wishes": ["lager"]}


@pytest.mark.parametrize(("extra", "field"), [
    pytest.param({"needs": {"no_night": False}}, "needs"),
    pytest.param({"needs": 5}, "needs"),
    pytest.param({"needs": "no_night"}, "needs"),
    pytest.param({"travel": {"mode": {"bike": True}}}, "travel.mode"),
    pytest.param({"travel": {"mode": ["bike"]}}, "travel.mode"),
    ({"travel": 5}, "travel"),
    ({"hours": [8, 12]}, "hours"),
    ({"wishes": {"lager": True}}, "wishes"),
])
def test_a_profile_value_of_the_wrong_kind_is_refused(extra: dict[str, object],
                                                      field: str) -> None:
    with pytest.raises(ProfileError) as e:
        profile_from_dict({**BASE, **extra})
    assert e.value.field == field


def test_a_toml_datetime_where_a_date_belongs_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('id = "c-1"\nhome_postcode = "9000"\nstart_date = 2026-10-05T08:00:00\n',
                 encoding="utf-8")
    with pytest.raises(ProfileError, match="date, not a date and time") as e:
        load_profile(p)
    assert e.value.field == "start_date"
    p.write_text('id = "c-1"\nhome_postcode = "9000"\nstart_date = 2026-10-05\n',
                 encoding="utf-8")
    assert str(load_profile(p).start_date) == "2026-10-05"


@pytest.mark.parametrize("body", [
    '{"id": "c-1", "home_postcode": "9000", "hours": {"max": ' + "9" * 5000 + "}}",
    '{"id": "c-1", "needs": ' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"id": "c-1", "needs": ' + "[" * 500 + "]" * 500 + "}",
])
def test_a_huge_number_or_deep_nesting_in_a_profile_is_one_error(tmp_path: Path,
                                                                 body: str) -> None:
    p = tmp_path / "c.json"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(ProfileError):
        load_profile(p)


def test_a_huge_number_in_toml_is_one_error(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('id = "c-1"\nhome_postcode = "9000"\n[hours]\nmax = ' + "9" * 5000 + "\n",
                 encoding="utf-8")
    with pytest.raises(ProfileError):
        load_profile(p)


def test_citizen_add_of_a_bad_profile_is_one_line_and_saves_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'i.db'}"
    Store.open(db, create=True).init().close()
    p = tmp_path / "c.toml"
    p.write_text('id = "c-1"\nhome_postcode = "9000"\nstart_date = 2026-10-05T08:00:00\n',
                 encoding="utf-8")
    r = run_cli("citizen", "add", str(p), db=db)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "start_date" in r.output and len(r.output.strip().splitlines()) == 1
    with Store.open(db) as s:
        assert s.list_citizens() == []


def _posting(i: int, **kw: object) -> str:
    d = {"@type": "JobPosting", "identifier": f"a-{i}", "title": f"Kok {i}",
         "jobLocation": {"address": {"postalCode": "9000"}}}
    d.update(kw)
    return json.dumps(d)


@pytest.mark.parametrize("hours", [-5, 1e308, 0, 500])
def test_jsonld_work_hours_out_of_range_are_unknown_not_invented(tmp_path: Path,
                                                                  hours: float) -> None:
    f = tmp_path / "f.jsonl"
    f.write_text(_posting(1, workHours=hours) + "\n" + _posting(2, workHours=20) + "\n",
                 encoding="utf-8")
    batch = read_feeds([f])
    a, b = batch.vacancies
    assert (a.hours_min, a.hours_max) == (None, None)
    assert (b.hours_min, b.hours_max) == (20, 20)
    assert [(w.line, w.field) for w in batch.warnings] == [(1, "workHours")]


def test_a_huge_integer_costs_one_line_of_a_jsonl_feed(tmp_path: Path) -> None:
    f = tmp_path / "f.jsonl"
    f.write_text("\n".join([_posting(1), '{"@type": "JobPosting", "identifier": '
                            + "9" * 5000 + ', "title": "x"}', _posting(3)]) + "\n",
                 encoding="utf-8")
    batch = read_feeds([f])
    assert [v.external_id for v in batch.vacancies] == ["a-1", "a-3"]
    assert len(batch.errors) == 1 and batch.errors[0].line == 2
    assert "digits" in str(batch.errors[0])


def test_a_huge_integer_in_a_whole_json_feed_is_one_read_error(tmp_path: Path) -> None:
    f = tmp_path / "f.json"
    f.write_text('[{"@type": "JobPosting", "identifier": ' + "9" * 5000 + "}]",
                 encoding="utf-8")
    batch = read_feeds([f])
    assert batch.vacancies == [] and len(batch.read_errors) == 1
    assert "digits" in str(batch.read_errors[0])
