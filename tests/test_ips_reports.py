"""The citizen's report in plain Danish and the monthly funder export (its counting rule is
a documented setting)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from ipsmatch.config import FunderRule
from ipsmatch.education import EducationStart
from ipsmatch.errors import PrivacyError
from ipsmatch.ips.followalong import FollowAlong, HoursChange, JobFollowUp, SupportPlan
from ipsmatch.ips.followalong import hours_timeline as timeline
from ipsmatch.ips.funder import COLUMNS, funder_rows, months, to_csv
from ipsmatch.ips.reports import citizen_report
from ipsmatch.jobdev import Contact, JobStart
from ipsmatch.profile import profile_from_dict

P = profile_from_dict({"id": "c-1", "home_postcode": "9000", "wishes": ["lager"],
                       "career": {"hours": {"now": 8, "goal": 15}}})


def _followup(wage: str = "ordinary", end: date | None = None) -> JobFollowUp:
    job = JobStart("c-1", date(2026, 10, 1), "Lagermedarbejder", employer_name="Lager A/S",
                   hours_per_week=8, competitive=wage == "ordinary", wage_form=wage,
                   end_date=end, id=1)
    return JobFollowUp(job, timeline(job, [HoursChange(1, date(2026, 11, 1), 12)]),
                       plan=SupportPlan(1, next_follow_up=date(2026, 12, 1)),
                       contacts=[FollowAlong("c-1", date(2026, 11, 10))])


def test_interval_report_in_plain_danish() -> None:
    r = citizen_report(P, kind="interval", period_from=date(2026, 9, 1),
                       period_to=date(2026, 11, 30),
                       contacts=[Contact(date(2026, 9, 20), "kh", employer_name="Lager A/S",
                                         citizen_id="c-1"),
                                 Contact(date(2026, 9, 22), "kh", employer_name="Netto",
                                         citizen_id="c-1")],
                       jobs=[_followup()],
                       education=[EducationStart("c-1", date(2026, 9, 5), "AVU dansk", "vuc",
                                                 "VUC Nordjylland", end_date=date(2026, 9, 30),
                                                 end_reason="paused")],
                       next_steps=["Tale med lederen om 15 timer"], comment="Det går godt")
    text = r.text()
    assert r.title == "Statusrapport 1. september 2026 – 30. november 2026"
    assert text == (
        f"{r.title}\n{'=' * len(r.title)}\n\n"
        "Det har vi arbejdet med\n- Dit ønske: lager\n- Dit mål: 15 timer om ugen\n\n"
        "Kontakter til arbejdsgivere\n"
        "- Vi har haft 2 kontakter til arbejdsgivere for dig: Lager A/S, Netto\n"
        "- Vi har fulgt op på dit job 1 gang\n\n"
        "Job og uddannelse\n"
        "- Lagermedarbejder hos Lager A/S fra 1. oktober 2026 (almindelige vilkår), timer om "
        "ugen: 8 → 12\n"
        "- AVU dansk på VUC Nordjylland fra 5. september 2026; holder pause 30. september 2026\n\n"
        "Dine timer nu\n- 12 timer om ugen hos Lager A/S\n\n"
        "Næste skridt\n- Tale med lederen om 15 timer\n- Næste opfølgning: 1. december 2026\n\n"
        "Din egen kommentar\nDet går godt\n")
    html = r.html()
    assert '<div class="comment">Det går godt</div>' in html and "@media print" in html
    for word in ("score", "signal", "c-1"):
        assert word not in text


def test_end_report_and_an_empty_comment_field() -> None:
    r = citizen_report(P, kind="end", period_from=date(2026, 9, 1),
                       period_to=date(2026, 12, 31))
    assert r.title == "Slutrapport 1. september 2026 – 31. december 2026"
    assert r.text().endswith(
        "\n\nDet videre forløb\n- Forløbet slutter her. Du kan altid kontakte jobcentret igen"
        "\n\nDin egen kommentar\n" + "_" * 60 + "\n")
    assert '<div class="comment"></div>' in r.html()


def test_free_text_in_a_report_goes_through_the_gate() -> None:
    with pytest.raises(PrivacyError):
        citizen_report(P, kind="interval", period_from=date(2026, 9, 1),
                       period_to=date(2026, 9, 30), comment="mit cpr er 010190-1234")


def test_funder_export_counting_rule() -> None:
    rng = months("2026-09", "2026-11")
    assert [a.isoformat() for a, _ in rng] == ["2026-09-01", "2026-10-01", "2026-11-01"]
    flex = _followup("fleksjob")
    edu = [EducationStart("c-2", date(2026, 9, 15), "2-årigt hf", "hf")]
    rows = funder_rows([flex], edu, {"c-1": "kh", "c-2": "kh"}, rng, FunderRule())
    by = {(r.month, r.citizen_id): r for r in rows}
    # October: 8 h/week all month = 8 × 52/12 = 34.7 fleksjob hours; fleksjob does not count
    oct1 = by[("2026-10", "c-1")]
    assert (oct1.fleksjob_hours, oct1.counts, oct1.basis) == (34.7, 0, "none")
    assert (by[("2026-09", "c-2")].counts, by[("2026-09", "c-2")].basis) == (1, "education")
    # ... unless the rule says so
    counted = funder_rows([flex], [], {}, rng, FunderRule(count_fleksjob=True))
    assert {r.month: r.counts for r in counted} == {"2026-10": 1, "2026-11": 1}
    # a minimum of 40 hours a month: October's 34.7 ordinary hours are below it
    ordinary = funder_rows([_followup()], [], {}, rng, FunderRule(min_hours=40))
    assert {r.month: r.basis for r in ordinary} == {"2026-10": "below_minimum",
                                                    "2026-11": "paid_hours"}
    # the running month counts only the days so far
    half = funder_rows([_followup()], [], {}, rng[2:], FunderRule(), as_of=date(2026, 11, 15))
    assert half[0].ordinary_hours == round(12 * 52 / 12 / 30 * 15, 1)
    head, *body = csv.reader(io.StringIO(to_csv(rows)))
    assert tuple(head) == COLUMNS
    assert ["2026-10", "c-1", "kh", "0.0", "34.7", "0.0", "", "0", "none"] in body
    assert len(body) == len(rows) == 5
