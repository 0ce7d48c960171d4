from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _suggest_data import PROFILE

from ipsmatch.domain import CitizenProfile, Need
from ipsmatch.errors import PrivacyError, ProfileError
from ipsmatch.profile import as_profile, load_profile, profile_from_dict, profile_to_dict

TOML = """
id = "c-0042"
home_postcode = "9400"
wishes = ["lagerarbejde", "arbejde på en byggeplads"]
avoid = ["kundekontakt"]
needs = ["no_night", { code = "flexible_start", must = false }]
fleksjob_approved = true
start_date = 2026-11-01

[travel]
mode = "bike"
max_minutes = 30

[hours]
min = 8
max = 12
"""


def test_issue_example_loads() -> None:
    p = profile_from_dict(PROFILE)
    assert p.id == "c-0042" and p.home_postcode == "9400"
    assert p.travel_mode == "bike" and p.max_minutes == 45
    assert (p.hours_min, p.hours_max, p.hours_must) == (8, 12, False)
    assert p.needs == [Need("no_night"), Need("flexible_start")]
    assert p.accept_subsidised is False and p.fleksjob_approved is False


def test_json_and_toml_files(tmp_path: Path) -> None:
    j = tmp_path / "c.json"
    j.write_text(json.dumps(PROFILE, ensure_ascii=False), encoding="utf-8")
    assert load_profile(j).wishes == PROFILE["wishes"]
    t = tmp_path / "c.toml"
    t.write_text(TOML, encoding="utf-8")
    p = load_profile(t)
    assert p.needs == [Need("no_night"), Need("flexible_start", must=False)]
    assert p.fleksjob_approved and str(p.start_date) == "2026-11-01"


def test_round_trip() -> None:
    p = profile_from_dict({**PROFILE, "needs": ["no_night", {"code": "low_tempo", "must": False}],
                           "hours": {"min": 8, "max": 12, "must": True}})
    assert profile_from_dict(profile_to_dict(p)) == p


def test_as_profile_accepts_objects_and_dicts() -> None:
    p = as_profile(PROFILE)
    assert as_profile(p) is p
    with pytest.raises(PrivacyError):
        as_profile(CitizenProfile(id="c-1", home_postcode="9400", wishes=["010190-1234"]))


@pytest.mark.parametrize("field", ["id", "wishes", "avoid", "consultant", "languages"])
def test_cpr_anywhere_is_refused(field: str) -> None:
    d: dict[str, Any] = {**PROFILE}
    d[field] = ["lager 0101901234"] if field in ("wishes", "avoid", "languages") \
        else "0101901234"
    with pytest.raises(PrivacyError) as e:
        profile_from_dict(d)
    where = field if field in ("id", "consultant") else f"{field}[0]"
    assert str(e.value).startswith(f"profile: {where} looks like a CPR number")
    assert "0101901234" not in str(e.value)


@pytest.mark.parametrize(("patch", "field"), [
    ({"id": ""}, "id"),
    ({"id": "c 42"}, "id"),
    ({"home_postcode": "0000"}, "home_postcode"),
    ({"home_postcode": None}, "home_postcode"),
    ({"travel": {"mode": "horse"}}, "travel.mode"),
    ({"travel": {"mode": "bike", "max_minutes": 0}}, "travel.max_minutes"),
    ({"hours": {"min": 20, "max": 10}}, "hours"),
    ({"hours": {"max": "ten"}}, "hours.max"),
    ({"hours": {"must": True}}, "hours"),
    ({"needs": ["no_mondays"]}, "needs[0]"),
    ({"needs": ["no_night", "no_night"]}, "needs[1]"),
    ({"needs": [{"code": "no_night", "must": "yes"}]}, "needs[0].must"),
    ({"wishes": "lager"}, None),  # a single string is accepted as one wish
    ({"fleksjob_approved": "ja"}, "fleksjob_approved"),
    ({"start_date": "i morgen"}, "start_date"),
])
def test_validation_names_the_field(patch: dict[str, Any], field: str | None) -> None:
    d = {**PROFILE, **patch}
    if field is None:
        assert profile_from_dict(d).wishes == ["lager"]
        return
    with pytest.raises(ProfileError) as e:
        profile_from_dict(d)
    assert e.value.field == field


def test_unknown_and_refused_keys() -> None:
    with pytest.raises(ProfileError, match="unknown key"):
        profile_from_dict({**PROFILE, "wishez": []})
    with pytest.raises(ProfileError, match="diagnos") as e:
        profile_from_dict({**PROFILE, "diagnosis": "x"})
    assert e.value.field == "diagnosis"


def test_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid JSON") as e:
        load_profile(bad)
    assert "bad.json" in str(e.value)
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "missing.json")
    lst = tmp_path / "list.json"
    lst.write_text("[]", encoding="utf-8")
    with pytest.raises(ProfileError, match="object"):
        load_profile(lst)


def test_postcode_forms() -> None:
    assert profile_from_dict({**PROFILE, "home_postcode": 9400}).home_postcode == "9400"
    assert profile_from_dict({**PROFILE, "home_postcode": "DK-9400"}).home_postcode == "9400"


# --- profile version 2: home coordinates, certificates, languages -------------------------

def test_version_1_dict_is_upgraded_and_written_as_current() -> None:
    from ipsmatch.profile import PROFILE_VERSION

    v1 = {k: v for k, v in PROFILE.items() if k != "version"}
    p = profile_from_dict(v1)
    assert p.certificates == []
    assert (p.home_lat, p.home_lon) == (None, None)
    assert profile_to_dict(p)["version"] == PROFILE_VERSION == 3


def test_version_2_fields_round_trip() -> None:
    d = {**PROFILE, "version": 2, "certificates": ["Driving_Licence_B", "own_car", "own_car"],
         "languages": ["da", "EN"], "home": {"lat": 57.0553, "lon": 9.9193}}
    p = profile_from_dict(d)
    assert p.certificates == ["driving_licence_b", "own_car"]
    assert p.languages == ["da", "en"]
    assert (p.home_lat, p.home_lon) == (57.0553, 9.9193)
    assert profile_from_dict(profile_to_dict(p)) == p


@pytest.mark.parametrize(("patch", "field", "words"), [
    ({"version": 4}, "version", "newer ipsmatch"),
    ({"version": "2"}, "version", "whole number"),
    ({"certificates": ["pilot"]}, "certificates[0]", "unknown code"),
    ({"languages": ["dansk"]}, "languages[0]", "unknown code"),
    ({"home": {"lat": 48.85, "lon": 2.35}}, "home.lat", "between"),
    ({"home": {"lat": 57.0}}, "home", "{lat, lon}"),
    ({"home": [57.0, 9.9]}, "home", "{lat, lon}"),
])
def test_version_2_validation(patch: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(ProfileError) as ei:
        profile_from_dict({**PROFILE, **patch})
    assert ei.value.field == field
    assert words in str(ei.value)


# --- profile version 3: the career profile and disclosure -----------------------------------

CAREER = {
    "wants": "faste opgaver og gode kolleger",
    "work_history": [{"title": "Lagermedarbejder", "employer": "Lager A/S", "from": 2019,
                      "to": 2021, "went_well": "orden på hylderne",
                      "went_badly": "for mange timer i starten"}],
    "education": [{"name": "Folkeskolens afgangsprøve", "level": "folkeskole", "year": 2015}],
    "strengths": ["stabil", "god til at holde orden"], "interests": ["værktøj"],
    "hours": {"now": 8, "goal": 15}, "supports": ["fast kontaktperson"],
}


def test_upgrade_chain_1_to_3_and_2_to_3() -> None:
    from ipsmatch.profile import UPGRADES, upgrade_profile_dict

    v1 = {k: v for k, v in PROFILE.items() if k != "version"}
    assert upgrade_profile_dict(v1)["version"] == 3
    assert upgrade_profile_dict({**PROFILE, "version": 2})["version"] == 3
    assert sorted(UPGRADES) == [1, 2]
    p = profile_from_dict({**PROFILE, "version": 2})
    assert p.career is None
    assert (p.disclosure.consent, p.disclosure.share) == ("not_asked", "nothing")
    assert "disclosure" not in profile_to_dict(p) and "career" not in profile_to_dict(p)


def test_version_3_career_and_disclosure_round_trip() -> None:
    d = {**PROFILE, "version": 3, "needs": ["no_night", "flexible_start"], "career": CAREER,
         "disclosure": {"consent": "yes", "date": "2026-11-02", "share": "accommodations",
                        "accommodations": ["flexible_start"]}}
    p = profile_from_dict(d)
    assert p.career is not None and p.career.hours_goal == 15
    assert p.career.work_history[0].went_well == "orden på hylderne"
    assert p.career.levels() == {"folkeskole"}
    assert p.disclosure.accommodations == ["flexible_start"]
    again = profile_from_dict(profile_to_dict(p))
    assert again == p


@pytest.mark.parametrize(("patch", "field", "words"), [
    ({"career": {"diagnosis": "x"}}, "career", "diagnoses"),
    ({"career": {"hours": {"now": 80}}}, "career.hours.now", "between"),
    ({"career": {"work_history": [{"title": "x", "from": 2020, "to": 2019}]}},
     "career.work_history[0]", "before"),
    ({"career": {"education": [{"name": "x", "level": "phd"}]}}, "career.education[0].level",
     "unknown level"),
    ({"disclosure": {"consent": "maybe"}}, "disclosure.consent", "unknown consent"),
    ({"disclosure": {"consent": "yes"}}, "disclosure.date", "date"),
    ({"disclosure": {"share": "accommodations", "accommodations": ["mentor"]}},
     "disclosure.accommodations[0]", "not one of the citizen's needs"),
    ({"disclosure": {"share": "ips", "accommodations": ["no_night"]}},
     "disclosure.accommodations", "only shared"),
])
def test_version_3_validation(patch: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(ProfileError) as err:
        profile_from_dict({**PROFILE, "needs": ["no_night"], **patch})
    assert err.value.field == field
    assert words in str(err.value)


def test_version_3_free_text_with_a_cpr_number_is_refused() -> None:
    with pytest.raises(PrivacyError, match=r"career\.strengths"):
        profile_from_dict({**PROFILE, "career": {"strengths": ["ring 010190-1234"]}})
