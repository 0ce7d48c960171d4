"""The career profile in suggest: past jobs are evidence, certificates the ad asks for are a
reason (held) or a concern (lacking), and a job between the hours now and the goal is a step."""

from __future__ import annotations

from datetime import date
from typing import Any

from conftest import vacancy

from ipsmatch.domain import Fact, Vacancy
from ipsmatch.ips.evidence import certificates_asked
from ipsmatch.matcher import Matcher
from ipsmatch.text.facts import extract_facts

TODAY = date(2026, 11, 16)


def _v(ext: str, title: str, text: str = "", **kw: Any) -> Vacancy:
    """An ad in 9000 with the facts a feed reader would find in it."""
    kw.setdefault("facts", extract_facts(title, text))
    return vacancy(external_id=ext, title=title, text=text, postcode="9000", **kw)


def _codes(s: object, attr: str) -> list[str]:
    return [r.code for r in getattr(s, attr)]


BASE = {"id": "c-1", "home_postcode": "9000", "wishes": ["lager", "chauffør"]}
CAREER = {"work_history": [{"title": "Lagermedarbejder", "from": 2019, "to": 2021,
                            "went_well": "orden"}],
          "hours": {"now": 8, "goal": 15}}


def test_certificates_asked_by_an_ad() -> None:
    assert certificates_asked(_v("1", "Chauffør", "Du har lastbilkørekort (C/CE)")) == [
        "truck_licence"]
    assert certificates_asked(_v("2", "Lagermedarbejder", "Truckcertifikat er et krav",
                                 facts=[Fact("driving_licence", True, "kørekort")])) == [
        "driving_licence_b", "forklift_certificate"]
    assert certificates_asked(_v("3", "Lagermedarbejder", "Ingen krav")) == []


def test_a_past_job_is_evidence_and_lifts_the_ad() -> None:
    m = Matcher.from_vacancies([_v("1", "Lagermedarbejder"), _v("2", "Chauffør")], today=TODAY)
    without = m.suggest(BASE)
    with_career = m.suggest({**BASE, "career": CAREER})
    lager = next(s for s in with_career.vacancies if s.vacancy.external_id == "1")
    assert [r.text_da for r in lager.reasons if r.code == "career.past_job"] == [
        "Har arbejdet som Lagermedarbejder før (2019–2021)"]
    before = next(s for s in without.vacancies if s.vacancy.external_id == "1")
    assert lager.score > before.score
    assert "career.past_job" not in _codes(before, "reasons")
    chauffeur = next(s for s in with_career.vacancies if s.vacancy.external_id == "2")
    assert "career.past_job" not in _codes(chauffeur, "reasons")


def test_certificate_held_is_a_reason_lacking_a_concern() -> None:
    m = Matcher.from_vacancies([_v("1", "Chauffør", "Du skal have lastbilkørekort C/CE")],
                               today=TODAY)
    lacking = m.suggest(BASE).vacancies[0]
    # said once, by the ad's requirement facts with the quote (not again by the career step)
    assert _codes(lacking, "concerns").count("req.truck_licence.unmet") == 1
    assert "career.certificate_lacking" not in _codes(lacking, "concerns")
    held = m.suggest({**BASE, "certificates": ["truck_licence"]}).vacancies[0]
    assert "req.truck_licence.met" in _codes(held, "reasons")
    assert "req.truck_licence.unmet" not in _codes(held, "concerns")


def test_a_certificate_the_facts_do_not_read_is_said_by_the_career_step() -> None:
    m = Matcher.from_vacancies([_v("1", "Køkkenmedhjælper", "Du skal have hygiejnebevis")],
                               today=TODAY)
    lacking = m.suggest({**BASE, "wishes": ["køkkenmedhjælper"]}).vacancies[0]
    assert [(r.code, r.text_da) for r in lacking.concerns] == [
        ("career.certificate_lacking", "Annoncen kræver hygiejnebevis – har borgeren ikke")]
    held = m.suggest({**BASE, "wishes": ["køkkenmedhjælper"],
                      "certificates": ["hygiene_certificate"]}).vacancies[0]
    assert [r.text_da for r in held.reasons if r.code == "career.certificate_met"] == [
        "Borgeren har hygiejnebevis, som annoncen kræver"]
    assert held.concerns == []


def test_hours_between_now_and_the_goal_are_a_step_towards_it() -> None:
    m = Matcher.from_vacancies([_v("1", "Lagermedarbejder", hours_min=12, hours_max=12),
                                _v("2", "Lagerarbejder", hours_min=37, hours_max=37)],
                               today=TODAY)
    res = m.suggest({**BASE, "career": CAREER})
    by = {s.vacancy.external_id: s for s in res.vacancies}
    assert [r.text_da for r in by["1"].reasons if r.code == "career.hours_goal"] == [
        "12 t/uge: et skridt mod målet på 15 t"]
    assert "career.hours_goal" not in _codes(by["2"], "reasons")


def test_more_hours_with_the_current_employer_is_a_goal() -> None:
    from ipsmatch.ips.followalong import HoursChange, JobFollowUp, SupportPlan, hours_timeline
    from ipsmatch.jobdev import JobStart

    job = JobStart("c-1", date(2026, 9, 1), "Lagermedarbejder", employer_name="Lager A/S",
                   hours_per_week=8, id=7)
    line = hours_timeline(job, [HoursChange(7, date(2026, 10, 1), 12)])
    m = Matcher.from_vacancies([_v("1", "Lagermedarbejder")], today=TODAY)
    res = m.suggest({**BASE, "career": CAREER}, jobs=[JobFollowUp(job, line)])
    assert [g.text_da for g in res.goals] == [
        "Flere timer hos Lager A/S (Lagermedarbejder): 12 t/uge nu, målet er 15 t"]
    planned = JobFollowUp(job, line, plan=SupportPlan(7, goal_hours=20))
    assert [g.text_da for g in m.suggest(BASE, jobs=[planned]).goals] == [
        "Flere timer hos Lager A/S (Lagermedarbejder): 12 t/uge nu, målet er 20 t"]
    done = JobFollowUp(job, [(date(2026, 9, 1), 15.0)])
    assert m.suggest({**BASE, "career": CAREER}, jobs=[done]).goals == []
