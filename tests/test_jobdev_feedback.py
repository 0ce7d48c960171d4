"""Feedback on suggestions: what is hidden, what is marked, and what comes back."""

from __future__ import annotations

from datetime import date

from conftest import vacancy

from ipsmatch.domain import Employer, EmployerSuggestion, Suggestion, Vacancy
from ipsmatch.jobdev.feedback import (
    apply_feedback,
    feedback_effects,
    filter_employers,
    status_label,
)
from ipsmatch.jobdev.model import Feedback

SOL = Employer("Café Sol", cvr="12345678")
SOL_NAME_ONLY = Employer("café  sol")
NETTO = Employer("Netto", cvr="87654321")


def fb(verdict: str, day: int, vid: str | None = None, cvr: str | None = None,
       name: str | None = None, reason: str | None = None) -> Feedback:
    return Feedback("B-1", verdict, date(2026, 11, day), "AB",
                    vacancy=("jobnet", vid) if vid else None, employer_cvr=cvr,
                    employer_name=name, reason=reason)


def vac(vid: str, employer: Employer) -> Vacancy:
    """Jobnet ad ``vid`` of ``employer`` (:func:`conftest.vacancy`)."""
    return vacancy(source="jobnet", external_id=vid, employer=employer)


def sugg(*vacancies: Vacancy) -> list[Suggestion]:
    return [Suggestion(vacancy=v, score=1.0 - i / 10) for i, v in enumerate(vacancies)]


def test_not_interested_hides_only_that_vacancy() -> None:
    fx = feedback_effects([fb("not_interested", 10, "1", reason="for langt væk")])
    kept, hidden = apply_feedback(sugg(vac("1", SOL), vac("2", SOL)), fx)
    assert [s.vacancy.external_id for s in kept] == ["2"]
    assert hidden[0].vacancy.external_id == "1"
    assert hidden[0].reasons[0].text_da == "Ikke interesseret 10/11 (AB): for langt væk"
    assert fx.hidden_vacancies == {("jobnet", "1")}


def test_not_interested_employer_hides_all_its_vacancies_and_job_development() -> None:
    fx = feedback_effects([fb("not_interested_employer", 10, "1", cvr="12345678",
                              name="Café Sol")])
    kept, hidden = apply_feedback(
        sugg(vac("1", SOL), vac("2", SOL), vac("3", SOL_NAME_ONLY), vac("4", NETTO)), fx)
    assert [s.vacancy.external_id for s in kept] == ["4"]
    assert {h.vacancy.external_id for h in hidden} == {"1", "2", "3"}
    emps = [EmployerSuggestion(SOL, 0.9), EmployerSuggestion(NETTO, 0.8)]
    assert [e.employer.name for e in filter_employers(emps, fx)] == ["Netto"]


def test_name_match_does_not_hide_a_different_cvr() -> None:
    fx = feedback_effects([fb("not_interested_employer", 10, cvr="12345678", name="Café Sol")])
    other_sol = Employer("Café Sol", cvr="11112222")  # same name, another company
    assert not fx.is_hidden(vac("9", other_sol))


def test_applied_keeps_vacancy_and_marks_it() -> None:
    fx = feedback_effects([fb("applied", 12, "1"), fb("interview", 14, "2")])
    kept, hidden = apply_feedback(sugg(vac("1", SOL), vac("2", NETTO), vac("3", NETTO)), fx)
    assert hidden == []
    assert [s.reasons[0].text_da for s in kept[:2]] == ["Ansøgt 12/11 (AB)",
                                                        "Til samtale 14/11 (AB)"]
    assert kept[2].reasons == []
    assert status_label(fx.status(vac("1", SOL))) == "Ansøgt 12/11"  # type: ignore[arg-type]
    assert status_label(fb("hired", 20, "1"), "en") == "Hired 2026-11-20"


def test_latest_verdict_per_vacancy_wins() -> None:
    # changed their mind: not interested on the 3rd, applied on the 12th (given out of order)
    fx = feedback_effects([fb("applied", 12, "1"), fb("not_interested", 3, "1")])
    assert not fx.is_hidden(vac("1", SOL))
    assert fx.status(vac("1", SOL)).verdict == "applied"  # type: ignore[union-attr]
    fx = feedback_effects([fb("applied", 3, "1"), fb("not_interested", 12, "1")])
    assert fx.is_hidden(vac("1", SOL))


def test_applied_after_employer_rejection_keeps_that_one_vacancy() -> None:
    fx = feedback_effects([fb("not_interested_employer", 5, cvr="12345678"),
                           fb("applied", 12, "2")])
    assert fx.is_hidden(vac("1", SOL))
    assert not fx.is_hidden(vac("2", SOL))
    fx = feedback_effects([fb("applied", 3, "2"), fb("not_interested_employer", 5,
                                                     cvr="12345678")])
    assert fx.is_hidden(vac("2", SOL))


def test_suggestions_not_mutated() -> None:
    original = sugg(vac("1", SOL))
    apply_feedback(original, feedback_effects([fb("applied", 12, "1")]))
    assert original[0].reasons == []
