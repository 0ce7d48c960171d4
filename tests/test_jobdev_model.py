"""Validation of contacts, job starts and feedback records, and the CPR detector."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ipsmatch.errors import FeedError, PrivacyError
from ipsmatch.jobdev.model import (
    Contact,
    Feedback,
    JobStart,
    RecordPrivacyError,
    learned_key,
)

TODAY = date(2026, 11, 20)


def contact(**kw: object) -> Contact:
    base: dict[str, object] = dict(date=date(2026, 11, 12), consultant="AB",
                                   employer_cvr="12345678", kind="face-to-face")
    base.update(kw)
    return Contact(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["010190-1234", "borger 0101901234 ringede", "311299 1234",
                                  "cpr:150585-4321."])
def test_a_cpr_shaped_number_in_a_note_is_refused(text: str) -> None:
    with pytest.raises(RecordPrivacyError, match="note: contains what looks like a CPR"):
        contact(note=text).validate(today=TODAY)


@pytest.mark.parametrize("text", [None, "", "tlf 12345678", "ring 22 33 44 55",
                                  "320190-1234", "011390-1234", "konto 123456789012",
                                  "cvr 12345678, 15 timer", "B-1001"])
def test_other_numbers_in_a_note_are_kept(text: str | None) -> None:
    assert contact(note=text).validate(today=TODAY).note == text


def test_valid_contact_passes() -> None:
    c = contact(learned=("open_to_part_time", "not_mentor_available"), citizen_id="B-1",
                next_date=date(2026, 11, 30))
    assert c.validate(today=TODAY) is c
    assert c.employer_key == "cvr:12345678"


def test_future_date_refused() -> None:
    with pytest.raises(FeedError) as e:
        contact(date=date(2026, 11, 21)).validate(today=TODAY)
    assert e.value.field == "date"
    assert "future" in str(e.value)


def test_unknown_kind_hint_lists_valid_kinds() -> None:
    with pytest.raises(FeedError) as e:
        contact(kind="telepathy").validate(today=TODAY)
    assert e.value.field == "kind"
    assert "face-to-face, phone, email, other" in str(e.value)


def test_unknown_purpose_and_learned_refused() -> None:
    with pytest.raises(FeedError, match="purpose"):
        contact(purpose="chat").validate(today=TODAY)
    with pytest.raises(FeedError, match="learned"):
        contact(learned=("likes_cake",)).validate(today=TODAY)
    # no_openings_now is itself the negative; "not_no_openings_now" is not a thing
    with pytest.raises(FeedError, match="learned"):
        contact(learned=("not_no_openings_now",)).validate(today=TODAY)


def test_employer_needed_and_cvr_has_8_digits() -> None:
    with pytest.raises(FeedError, match="no employer") as e:
        contact(employer_cvr=None).validate(today=TODAY)
    assert e.value.field == "employer_cvr"
    contact(employer_cvr=None, employer_name="Café Sol").validate(today=TODAY)
    for bad in ("1234567", "123456789", "DK12345678", "1234 5678"):
        with pytest.raises(FeedError, match="8 digits"):
            contact(employer_cvr=bad).validate(today=TODAY)


@pytest.mark.parametrize("field", ["note", "outcome", "next_step", "citizen_id"])
def test_cpr_in_free_text_refused_without_echoing_it(field: str) -> None:
    with pytest.raises(PrivacyError) as e:
        contact(**{field: "Talte om 010190-1234 i dag"}).validate(today=TODAY)
    assert isinstance(e.value, RecordPrivacyError)
    assert e.value.field == field
    msg = str(e.value)
    assert "010190" not in msg and "1234" not in msg
    assert "CPR" in msg and "pseudonymous case id" in msg


def test_next_date_before_contact_refused() -> None:
    with pytest.raises(FeedError, match="next_date"):
        contact(next_date=date(2026, 11, 1)).validate(today=TODAY)


def test_job_start_validation() -> None:
    ok = JobStart("B-1", date(2026, 11, 1), "Lagermedarbejder", employer_cvr="12345678",
                  hours_per_week=15)
    assert ok.validate(today=TODAY) is ok
    with pytest.raises(FeedError, match="future"):
        JobStart("B-1", date(2026, 12, 1), "X", employer_name="Y").validate(today=TODAY)
    with pytest.raises(FeedError, match="before start_date"):
        JobStart("B-1", date(2026, 11, 1), "X", employer_name="Y",
                 end_date=date(2026, 10, 1)).validate(today=TODAY)
    with pytest.raises(FeedError, match="hours_per_week"):
        JobStart("B-1", date(2026, 11, 1), "X", employer_name="Y",
                 hours_per_week=0).validate(today=TODAY)
    with pytest.raises(PrivacyError):
        JobStart("B-1", date(2026, 11, 1), "X", employer_name="Y",
                 end_reason="stoppede, cpr 0101901234").validate(today=TODAY)


def test_feedback_validation() -> None:
    ok = Feedback("B-1", "applied", date(2026, 11, 12), "AB", vacancy=("jobnet", "42"))
    assert ok.validate(today=TODAY) is ok
    with pytest.raises(FeedError, match="verdict"):
        Feedback("B-1", "meh", date(2026, 11, 12), "AB", vacancy=("jobnet", "42")
                 ).validate(today=TODAY)
    with pytest.raises(FeedError, match="employer"):
        Feedback("B-1", "not_interested_employer", date(2026, 11, 12), "AB",
                 vacancy=("jobnet", "42")).validate(today=TODAY)
    with pytest.raises(FeedError, match="no vacancy or employer"):
        Feedback("B-1", "not_interested", date(2026, 11, 12), "AB").validate(today=TODAY)
    with pytest.raises(PrivacyError):
        Feedback("B-1", "not_interested", date(2026, 11, 12), "AB", vacancy=("j", "1"),
                 reason="se 010190-1234").validate(today=TODAY)


def test_learned_keys() -> None:
    assert learned_key("not_open_to_part_time") == ("open_to_part_time", False)
    assert learned_key("no_openings_now") == ("no_openings_now", True)


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 20)),
       serial=st.integers(0, 9999), sep=st.sampled_from(["", "-", " "]),
       before=st.text(alphabet="abc æøå.,:()", max_size=10),
       after=st.text(alphabet="abc æøå.,:()", max_size=10))
def test_any_cpr_in_a_note_is_refused_and_never_echoed(day: date, serial: int, sep: str,
                                                       before: str, after: str) -> None:
    cpr = f"{day:%d%m%y}{sep}{serial:04d}"
    # inside a word on both sides is not taken for a CPR number (issue #14: a phone number
    # spliced into a word in a real Jobnet ad); see ipsmatch.privacy
    assume(not (before[-1:].isalpha() and after[:1].isalpha()))
    with pytest.raises(PrivacyError) as e:
        contact(note=f"{before}{cpr}{after}").validate(today=TODAY)
    assert cpr not in str(e.value) and cpr.replace(sep, "") not in str(e.value)
