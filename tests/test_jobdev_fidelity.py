"""Fidelity figures on a small case computed by hand (numbers in comments are the working)."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date

import pytest
from conftest import REPO

from ipsmatch.errors import UsageError
from ipsmatch.jobdev.fidelity import (
    FidelityConfig,
    compute_fidelity,
    normalised_entropy,
    period_weeks,
    weekly_counts,
)
from ipsmatch.jobdev.model import CitizenRecord, Contact, JobStart

D = date
F2F, PHONE = "face-to-face", "phone"


def c(day: date, who: str, kind: str = F2F, citizen: str | None = None) -> Contact:
    return Contact(date=day, consultant=who, employer_cvr="12345678", kind=kind,
                   citizen_id=citizen)


# Period Mon 2026-11-02 .. Sun 2026-11-15: exactly two ISO weeks (W45, W46).
FROM, TO, TODAY = D(2026, 11, 2), D(2026, 11, 15), D(2026, 11, 20)

CONTACTS = [
    c(D(2026, 10, 30), "A", citizen="c1"),        # before the period: c1's first contact
    c(D(2026, 11, 2), "A"),
    c(D(2026, 11, 3), "A", citizen="c2"),         # c2: 14 days after start
    c(D(2026, 11, 4), "A"),
    c(D(2026, 11, 5), "A", kind=PHONE),           # counts as a contact, not face-to-face
    c(D(2026, 11, 10), "A", citizen="c3"),        # c3: 70 days after start -> late
    c(D(2026, 11, 3), "B", kind=PHONE, citizen="c7"),  # phone does not count as first contact
    c(D(2026, 11, 9), "B"),
    c(D(2026, 11, 12), "B", citizen="c7"),        # c7: 28 days after start
    c(D(2026, 11, 16), "B", citizen="c4"),        # after the period: c4 is still overdue
]
CITIZENS = [
    CitizenRecord("c1", "A", D(2026, 10, 1)),
    CitizenRecord("c2", "A", D(2026, 10, 20)),
    CitizenRecord("c3", "A", D(2026, 9, 1)),
    CitizenRecord("c4", "B", D(2026, 10, 1)),     # no contact, 45 days by 11-15 -> overdue
    CitizenRecord("c5", "B", D(2026, 11, 1)),     # no contact, 14 days -> pending
    CitizenRecord("c6", "B", D(2026, 10, 10), active=False),  # left: not counted
    CitizenRecord("c7", "B", D(2026, 10, 15)),
]
STARTS = [
    JobStart("c2", D(2026, 11, 5), "Lagermedarbejder", employer_cvr="11111111"),
    JobStart("c3", D(2026, 11, 11), " lagermedarbejder", employer_cvr="11111111"),
    JobStart("c7", D(2026, 11, 12), "Opvasker", employer_name="Café Sol", competitive=False),
    JobStart("c1", D(2026, 11, 14), "Butiksassistent", employer_cvr="22222222"),
    JobStart("c4", D(2026, 10, 20), "Pedel", employer_cvr="33333333"),  # before the period
]


@pytest.fixture
def report():  # type: ignore[no-untyped-def]
    return compute_fidelity(CONTACTS, STARTS, CITIZENS, period_from=FROM, period_to=TO,
                            today=TODAY)


def by_name(report):  # type: ignore[no-untyped-def]
    return {f.consultant: f for f in report.consultants}


def test_face_to_face_per_week(report) -> None:  # type: ignore[no-untyped-def]
    a, b = by_name(report)["A"], by_name(report)["B"]
    assert report.weeks == 2.0
    assert (a.f2f_contacts, a.contacts, a.f2f_per_week) == (4, 5, 2.0)
    assert (b.f2f_contacts, b.contacts, b.f2f_per_week) == (2, 3, 1.0)
    assert [(w.week, w.count) for w in a.f2f_weekly] == [("2026-W45", 3), ("2026-W46", 1)]
    assert [(w.week, w.count) for w in b.f2f_weekly] == [("2026-W45", 0), ("2026-W46", 2)]
    t = report.team
    # 6 face-to-face in 2 weeks = 3/week for the team, 1.5 per consultant
    assert (t.f2f_contacts, t.f2f_per_week, t.consultants, t.f2f_per_consultant_week) == (
        6, 3.0, 2, 1.5)
    assert [w.count for w in t.f2f_weekly] == [3, 3]


def test_first_contact(report) -> None:  # type: ignore[no-untyped-def]
    rows = {f.citizen_id: (f.days, f.status) for f in report.first_contacts}
    # c1's first contact predates the period; c6 left without one
    assert rows == {"c2": (14, "on_time"), "c3": (70, "late"), "c4": (None, "overdue"),
                    "c5": (None, "pending"), "c7": (28, "on_time")}
    a, b, t = by_name(report)["A"], by_name(report)["B"], report.team
    assert (a.first_contact_median_days, a.first_contact_on_time, a.first_contact_late) == (
        42.0, 1, 1)
    assert (b.first_contact_median_days, b.first_contact_overdue,
            b.first_contact_pending) == (28.0, 1, 1)
    assert (t.citizens, t.first_contact_median_days, t.first_contact_on_time,
            t.first_contact_late, t.first_contact_overdue) == (5, 28.0, 2, 1, 1)


def test_first_contact_kinds_configurable() -> None:
    cfg = FidelityConfig(first_contact_kinds=(F2F, PHONE))
    r = compute_fidelity(CONTACTS, STARTS, CITIZENS, period_from=FROM, period_to=TO,
                         today=TODAY, config=cfg)
    assert {f.citizen_id: f.days for f in r.first_contacts}["c7"] == 19  # the phone call


def test_competitive_share_and_diversity(report) -> None:  # type: ignore[no-untyped-def]
    a, b, t = by_name(report)["A"], by_name(report)["B"], report.team
    assert (a.job_starts, a.competitive_share) == (3, 1.0)
    # employers 11111111 x2, 22222222: 2 distinct of 3; same shape for job types
    assert (a.distinct_employers, a.employer_diversity) == (2, pytest.approx(2 / 3))
    assert (a.distinct_job_types, a.job_type_diversity) == (2, pytest.approx(2 / 3))
    # H(2/3, 1/3) / ln 3 = (ln 3 - 2/3 ln 2) / ln 3
    assert a.employer_entropy == pytest.approx(1 - (2 / 3) * math.log(2) / math.log(3))
    assert (b.job_starts, b.competitive_share, b.employer_diversity) == (1, 0.0, 1.0)
    assert b.employer_entropy is None  # undefined for one start
    # team: 4 starts, 3 competitive; employers (2, 1, 1): H/ln 4 = (.5 ln 2 + .5 ln 4)/ln 4
    assert (t.job_starts, t.competitive_starts, t.competitive_share) == (4, 3, 0.75)
    assert (t.distinct_employers, t.employer_diversity) == (3, 0.75)
    assert t.employer_entropy == pytest.approx(0.75)
    assert t.job_type_entropy == pytest.approx(0.75)


def test_caseload(report) -> None:  # type: ignore[no-untyped-def]
    assert by_name(report)["A"].caseload_active == 3
    assert by_name(report)["B"].caseload_active == 3  # c6 is inactive
    assert report.team.caseload_active == 6


def test_consultant_filter_keeps_team_row() -> None:
    r = compute_fidelity(CONTACTS, STARTS, CITIZENS, period_from=FROM, period_to=TO,
                         today=TODAY, consultants=["B"])
    assert [f.consultant for f in r.consultants] == ["B"]
    assert {f.citizen_id for f in r.first_contacts} == {"c4", "c5", "c7"}
    assert r.team.f2f_contacts == 6


def test_as_of_caps_at_today() -> None:
    # A report for a period still running: c5 (started 11-01) is not overdue on 11-10.
    r = compute_fidelity(CONTACTS, STARTS, CITIZENS, period_from=FROM, period_to=D(2026, 12, 31),
                         today=D(2026, 11, 10))
    assert r.as_of == D(2026, 11, 10)
    status = {f.citizen_id: f.status for f in r.first_contacts}
    assert status["c5"] == "pending" and status["c4"] == "overdue"
    assert status["c7"] == "pending"  # its face-to-face contact is after as_of


def test_reversed_period_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="swap"):
        compute_fidelity([], [], [], period_from=TO, period_to=FROM, today=TODAY)


def test_empty_inputs_give_empty_figures() -> None:
    r = compute_fidelity([], [], [], period_from=FROM, period_to=TO, today=TODAY)
    assert r.consultants == []
    assert (r.team.f2f_per_consultant_week, r.team.competitive_share) == (0.0, None)


def test_weeks_and_partial_weeks() -> None:
    assert period_weeks(D(2026, 11, 4), D(2026, 11, 10)) == 1.0
    weeks = weekly_counts([D(2026, 11, 4), D(2026, 11, 9), D(2026, 11, 11)],
                          D(2026, 11, 4), D(2026, 11, 10))
    assert [(w.week, w.count, w.partial) for w in weeks] == [
        ("2026-W45", 1, True), ("2026-W46", 1, True)]
    # ISO week 1 of 2027 starts on Monday 2027-01-04; 2026-12-31 is in 2026-W53
    assert [w.week for w in weekly_counts([], D(2026, 12, 31), D(2027, 1, 4))] == [
        "2026-W53", "2027-W01"]


def test_normalised_entropy_bounds() -> None:
    assert normalised_entropy(["a"]) is None
    assert normalised_entropy(["a", "a", "a"]) == 0.0
    assert normalised_entropy(["a", "b", "c"]) == pytest.approx(1.0)


def test_serialisations(report) -> None:  # type: ignore[no-untyped-def]
    d = json.loads(json.dumps(report.to_dict()))
    assert d["period_from"] == "2026-11-02" and d["team"]["f2f_contacts"] == 6
    assert d["team"]["f2f_weekly"][0] == {"week": "2026-W45", "week_start": "2026-11-02",
                                          "count": 3, "partial": False}
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert [r["consultant"] for r in rows] == ["A", "B", "team"]
    assert rows[2]["competitive_share"] == "0.75"
    text = report.to_text()
    assert "2026-11-02" in text and "c3" in text and "c4" in text
    assert "c2" not in text.split("Borgere over")[1]  # on time: not listed


def test_every_figure_is_documented() -> None:

    from ipsmatch.jobdev.fidelity_report import ROW_COLUMNS
    doc = (REPO / "docs" / "jobdev.md").read_text("utf-8")
    # first_contact_on_time/late/overdue are documented together as `first_contact_*`
    grouped = ("first_contact_on_time", "first_contact_late", "first_contact_overdue")
    assert "`first_contact_*`" in doc
    for col in ROW_COLUMNS:
        if col != "consultant" and col not in grouped:
            assert f"`{col}`" in doc, col
