"""Employer attributes from contacts, their vacancy facts, recent-contact marks and bonus."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ipsmatch.domain import Employer, Fact
from ipsmatch.jobdev.attributes import (
    Attribute,
    attributes_by_employer,
    attributes_from_json,
    attributes_to_json,
    contact_facts,
    derive_attributes,
    job_development_bonus,
    merge_facts,
    recently_contacted,
)
from ipsmatch.jobdev.model import Contact
from ipsmatch.needs import weigh

TODAY = date(2026, 11, 20)


def c(day: date, who: str, *learned: str, cvr: str | None = "12345678",
      name: str | None = "Café Sol", kind: str = "face-to-face") -> Contact:
    return Contact(date=day, consultant=who, employer_cvr=cvr, employer_name=name,
                   kind=kind, learned=learned)


def test_latest_mention_wins_and_silence_keeps_value() -> None:
    attrs = derive_attributes([
        c(date(2026, 11, 1), "CD", "not_open_to_part_time"),
        c(date(2026, 9, 1), "AB", "open_to_part_time", "mentor_available"),
        c(date(2026, 11, 5), "EF"),  # said nothing: earlier statements stand
    ], today=TODAY)
    assert attrs["open_to_part_time"] == Attribute(False, date(2026, 11, 1), "CD")
    assert attrs["mentor_available"] == Attribute(True, date(2026, 9, 1), "AB")
    assert set(attrs) == {"open_to_part_time", "mentor_available"}


def test_no_openings_now_expires_after_90_days() -> None:
    at_90 = derive_attributes([c(TODAY - timedelta(days=90), "AB", "no_openings_now")],
                              today=TODAY)
    at_91 = derive_attributes([c(TODAY - timedelta(days=91), "AB", "no_openings_now",
                                 "hired_through_ips_before")], today=TODAY)
    assert "no_openings_now" in at_90
    assert "no_openings_now" not in at_91
    assert "hired_through_ips_before" in at_91  # does not expire


def test_future_contacts_ignored_and_grouping_by_employer() -> None:
    groups = attributes_by_employer([
        c(date(2026, 11, 1), "AB", "open_to_part_time"),
        c(date(2026, 11, 2), "AB", "mentor_available", cvr=None, name="Bager  Jensen"),
        c(date(2026, 12, 1), "AB", "not_open_to_part_time"),
    ], today=TODAY)
    assert groups["cvr:12345678"]["open_to_part_time"].value is True
    assert set(groups["name:bager jensen"]) == {"mentor_available"}


def test_json_round_trip() -> None:
    attrs = {"open_to_part_time": Attribute(True, date(2026, 11, 1), "AB")}
    stored = attributes_to_json(attrs)
    assert stored == {"open_to_part_time": {"value": True, "date": "2026-11-01",
                                            "consultant": "AB"}}
    assert attributes_from_json({**stored, "legacy_flag": True}) == attrs


def test_contact_facts_quote_the_contact() -> None:
    facts = contact_facts({
        "open_to_flexible_start": Attribute(True, date(2026, 11, 12), "Anne Holm"),
        "quiet_workplace_available": Attribute(False, date(2026, 11, 3), "CD"),
        "mentor_available": Attribute(True, date(2026, 11, 3), "CD"),
        "open_to_part_time": Attribute(True, date(2026, 11, 3), "CD"),
        "hired_through_ips_before": Attribute(True, date(2026, 11, 3), "CD"),  # not a fact
    })
    assert facts[0] == Fact("flexible_start", True, "Anne Holm ved kontakt 12.11.2026: åben for "
                            "fleksibel mødetid", source="contact")
    assert [(f.key, f.value) for f in facts] == [
        ("flexible_start", True), ("quiet_workplace", False), ("mentor", True),
        ("part_time_possible", True)]
    assert all(f.source == "contact" for f in facts)


def test_merge_facts_keeps_every_source() -> None:
    # A contact is one more source: disagreeing with the ad makes a conflict to ask about
    # (ipsmatch.needs.weigh), it does not silently replace the ad (#13).
    ad = [Fact("flexible_start", False, "fast mødetid kl. 7"), Fact("night", False, "dagarbejde")]
    contact = [Fact("flexible_start", True, "AB ved kontakt ...", source="contact")]
    merged = merge_facts(ad, contact)
    assert [(f.key, f.value, f.source) for f in merged] == [
        ("flexible_start", True, "contact"), ("flexible_start", False, "text"),
        ("night", False, "text")]
    assert weigh(merged, "flexible_start").value == "conflict"


def test_recently_contacted_window_and_identity() -> None:
    log = [c(date(2026, 11, 13), "AB", kind="phone"), c(date(2026, 11, 10), "CD"),
           c(date(2026, 11, 19), "EF", cvr="87654321", name="Andet Firma")]
    # 7 days before 11-20 is 11-13: inclusive
    assert recently_contacted(log, Employer("Café Sol", cvr="12345678"), today=TODAY) == (
        date(2026, 11, 13), "AB")
    assert recently_contacted(log, ("12345678", None), today=TODAY + timedelta(days=1)) is None
    assert recently_contacted(log, "café sol", days=10, today=TODAY) == (date(2026, 11, 13), "AB")
    assert recently_contacted(log, "12345678", days=3, today=TODAY) is None
    # a contact dated after "today" (as-of queries) is not "recent"
    assert recently_contacted(log, "Andet Firma", today=date(2026, 11, 18)) is None


def test_job_development_bonus_weights() -> None:
    d = date(2026, 11, 1)
    bonus, reasons = job_development_bonus({
        "hired_through_ips_before": Attribute(True, d, "AB"),
        "open_to_part_time": Attribute(True, d, "CD"),
        "mentor_available": Attribute(True, d, "CD"),  # no weight
    })
    assert bonus == pytest.approx(0.25)
    assert [r.code for r in reasons] == ["contact.hired_through_ips_before",
                                         "contact.open_to_part_time"]
    assert reasons[0].text_da == "Har ansat via IPS før (AB, 01.11.2026)"
    assert job_development_bonus({"open_to_part_time": Attribute(False, d, "AB")}) == (0.0, [])
    neg, _ = job_development_bonus({"no_openings_now": Attribute(True, d, "AB")})
    assert neg == pytest.approx(-0.10)
