"""The matcher hooks: contact facts on vacancies, employer bonus, attribute reading."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import vacancy

from ipsmatch.domain import Employer, Fact
from ipsmatch.jobdev.attributes import Attribute, attributes_to_json
from ipsmatch.jobdev.matching import (
    attribute_true,
    employer_bonus,
    employer_contact_facts,
    with_contact_facts,
)


def emp(**attrs: Attribute) -> Employer:
    return Employer("Lager A/S", cvr="12345678", attributes=attributes_to_json(attrs))


def test_attribute_true_reads_both_forms() -> None:
    e = emp(open_to_part_time=Attribute(True, date(2026, 11, 1), "AB"),
            mentor_available=Attribute(False, date(2026, 11, 1), "AB"))
    e.attributes["open_to_accommodations"] = True
    assert attribute_true(e.attributes, "open_to_part_time")
    assert attribute_true(e.attributes, "open_to_accommodations")
    assert not attribute_true(e.attributes, "mentor_available")
    assert not attribute_true(e.attributes, "hired_through_ips_before")


def test_contact_facts_replace_ad_facts_on_copies() -> None:
    e = emp(open_to_flexible_start=Attribute(True, date(2026, 11, 12), "AB"))
    ad = vacancy(employer=e, facts=[Fact("flexible_start", False, "mødetid kl. 6"),
                                    Fact("night", False, "kun dag")])
    bare = vacancy(title="Kontor", employer=Employer("Kontor ApS"))
    out = with_contact_facts([ad, bare])
    assert out[1] is bare
    f = out[0].fact("flexible_start")
    assert f is not None and f.value is True and f.source == "contact"
    assert f.phrase == "AB ved kontakt 12.11.2026: åben for fleksibel mødetid"
    assert out[0].fact("night") == Fact("night", False, "kun dag")
    assert ad.fact("flexible_start").value is False  # type: ignore[union-attr]


def test_employer_bonus_counts_only_contact_statements_that_are_true() -> None:
    e = emp(hired_through_ips_before=Attribute(True, date(2026, 10, 1), "CD"),
            open_to_part_time=Attribute(False, date(2026, 10, 2), "CD"))
    e.attributes["contact_positive"] = True  # a plain flag: the ranking's own table
    bonus, reasons = employer_bonus(e)
    assert bonus == 0.15
    assert [r.code for r in reasons] == ["contact.hired_through_ips_before"]
    assert "CD, 01.10.2026" in reasons[0].text_da
    assert employer_contact_facts(None) == []


def test_no_openings_now_expires_at_read_time() -> None:
    e = emp(no_openings_now=Attribute(True, date(2026, 8, 1), "AB"),
            open_to_part_time=Attribute(True, date(2026, 8, 1), "AB"))
    assert employer_bonus(e, today=date(2026, 8, 20))[0] == pytest.approx(0.0)  # +0.10 -0.10
    later, reasons = employer_bonus(e, today=date(2026, 11, 20))  # 111 days: expired
    assert later == pytest.approx(0.10)
    assert [r.code for r in reasons] == ["contact.open_to_part_time"]


def test_no_openings_is_moot_while_the_employer_advertises() -> None:
    from datetime import date

    from ipsmatch.jobdev.matching import current_attributes

    attrs = {"no_openings_now": {"value": True, "date": "2026-11-01", "consultant": "AB"}}
    assert "no_openings_now" in current_attributes(attrs, today=date(2026, 11, 16))
    assert current_attributes(attrs, today=date(2026, 11, 16), open_vacancies=2) == {}
