"""One employer identity (ipsmatch.identity): "Netto A/S" and "NETTO" are one employer for the
store's merge, for feedback on suggestions and for the matcher's employer columns."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import vacancy

from ipsmatch.columns import Columns
from ipsmatch.domain import Employer
from ipsmatch.errors import FeedError
from ipsmatch.identity import employer_key, name_key, same_employer
from ipsmatch.jobdev import Contact, Feedback, feedback_effects
from ipsmatch.matcher import Matcher

TODAY = date(2026, 11, 20)


def test_employer_key_cvr_first_then_name_without_legal_form() -> None:
    assert employer_key(None, "Netto A/S") == employer_key(None, "  NETTO ") == "name:netto"
    assert employer_key("12345678", "Netto A/S") == "cvr:12345678"
    assert employer_key(" 12345678 ", None) == "cvr:12345678"
    assert employer_key(None, "  Café   SOL ") == "name:café sol"
    assert employer_key(None, "Jensen & Søn ApS") == "name:jensen og søn"
    assert employer_key(None, "A/S") is None
    assert employer_key(None, "") is None
    assert employer_key("", None) is None
    assert name_key("Fakta") != name_key("Føtex")


def test_same_employer() -> None:
    assert same_employer("12345678", "A", "12345678", "B")
    assert not same_employer("12345678", "Café Sol", "87654321", "Café Sol")
    assert same_employer(None, "Café Sol", "12345678", "café  sol")
    assert same_employer(None, "Netto A/S", None, "NETTO")
    assert not same_employer(None, "A/S", None, "ApS")
    assert not same_employer(None, None, None, "Netto")


def test_store_merges_netto_a_s_and_netto(store) -> None:  # type: ignore[no-untyped-def]
    first = store.upsert_employer(Employer("Netto A/S", postcode="9400"))
    assert store.upsert_employer(Employer("NETTO", industry="Detailhandel")) == first
    assert store.upsert_employer(Employer("Fakta")) != first


def test_feedback_rejecting_netto_a_s_hides_netto() -> None:
    fx = feedback_effects([Feedback("B-1", "not_interested_employer", date(2026, 11, 10), "AB",
                                    employer_name="Netto A/S")])
    assert fx.employer_rejection(None, "NETTO") is not None
    assert fx.employer_rejection(None, "netto a/s") is not None
    assert fx.employer_rejection(None, "Fakta") is None
    assert fx.is_hidden(vacancy(employer=Employer("NETTO")))
    assert not fx.is_hidden(vacancy(employer=Employer("Fakta")))


def test_columns_count_netto_a_s_and_netto_as_one_employer() -> None:
    cols, emps = Columns.build([vacancy(employer=Employer("Netto A/S")),
                                vacancy(employer=Employer("NETTO")),
                                vacancy(employer=Employer("Fakta"))], [])
    assert [e.name for e in emps] == ["Netto A/S", "Fakta"]
    assert cols.emp_idx.tolist() == [0, 0, 1]


def test_matcher_hides_netto_when_the_citizen_rejected_netto_a_s() -> None:
    ads = [vacancy(external_id="n1", title="Lagermedarbejder", employer=Employer("NETTO")),
           vacancy(external_id="f1", title="Lagermedarbejder", employer=Employer("Fakta"))]
    m = Matcher.from_vacancies(ads, today=TODAY)
    rejection = Feedback("B-1", "not_interested_employer", date(2026, 11, 10), "AB",
                         employer_name="Netto A/S")
    profile = {"id": "B-1", "wishes": ["lagermedarbejder"], "home_postcode": "9400"}
    before = m.suggest(profile)
    assert sorted(s.vacancy.external_id for s in before.vacancies) == ["f1", "n1"]
    assert sorted(e.employer.name for e in before.employers) == ["Fakta", "NETTO"]
    res = m.suggest(profile, feedback=[rejection], include_excluded=True)
    assert [s.vacancy.external_id for s in res.vacancies] == ["f1"]
    assert [e.employer.name for e in res.employers] == ["Fakta"]


def test_a_record_needs_more_than_a_legal_form() -> None:
    with pytest.raises(FeedError, match="no employer given"):
        Contact(date=date(2026, 11, 12), consultant="AB", employer_name="A/S",
                kind="phone").validate(today=TODAY)
    with pytest.raises(FeedError, match="needs the employer"):
        Feedback("B-1", "not_interested_employer", date(2026, 11, 10), "AB",
                 employer_name="ApS").validate(today=TODAY)
