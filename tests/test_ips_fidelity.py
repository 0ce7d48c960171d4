"""The fidelity figures of issue #17: caseload against the IPS-25 target, fleksjob as its own
category, education starts and ends, days to the first job or education start, follow-along
after a job ends, and hours growth."""

from __future__ import annotations

from datetime import date

from ipsmatch.education import EducationStart
from ipsmatch.ips.followalong import FollowAlong, HoursChange
from ipsmatch.jobdev import CitizenRecord, Contact, JobStart, compute_fidelity

FROM, TO = date(2026, 10, 1), date(2026, 11, 30)
TODAY = date(2026, 12, 1)


def _job(jid: int, cid: str, start: date, hours: float, wage: str = "ordinary",
         end: date | None = None) -> JobStart:
    return JobStart(cid, start, "Lagermedarbejder", employer_name=f"Firma {jid}",
                    hours_per_week=hours, competitive=wage == "ordinary", wage_form=wage,
                    end_date=end, end_reason="contract_ended" if end else None, id=jid)


CITIZENS = [CitizenRecord(f"c-{i}", "AB" if i < 23 else "CD", date(2026, 9, 1)) for i in
            range(25)]
JOBS = [
    _job(1, "c-0", date(2026, 10, 11), 8),                    # grows 8 -> 12 -> 15
    _job(2, "c-1", date(2026, 10, 21), 10, "fleksjob"),       # fleksjob: its own category
    _job(3, "c-2", date(2026, 10, 1), 20, "other", end=date(2026, 10, 31)),  # followed up
    _job(4, "c-3", date(2026, 8, 1), 15, end=date(2026, 10, 15)),  # ended, not followed
    _job(5, "c-23", date(2026, 11, 20), 12),
]
HOURS = [HoursChange(1, date(2026, 10, 25), 12), HoursChange(1, date(2026, 11, 15), 15)]
EDUCATION = [EducationStart("c-4", date(2026, 10, 6), "2-årigt hf", "hf"),
             EducationStart("c-5", date(2026, 9, 20), "AVU dansk", "vuc",
                            end_date=date(2026, 11, 1), end_reason="completed")]
FOLLOW = [FollowAlong("c-2", date(2026, 11, 6), "citizen"),
          FollowAlong("c-3", date(2026, 11, 20), "citizen")]  # 36 days after: too late


def report():  # type: ignore[no-untyped-def]
    return compute_fidelity([Contact(date(2026, 10, 2), "AB", employer_name="X")], JOBS,
                            CITIZENS, period_from=FROM, period_to=TO, today=TODAY,
                            education_starts=EDUCATION, followalong=FOLLOW, job_hours=HOURS)


def test_caseload_per_consultant_against_the_target() -> None:
    r = report()
    by = {f.consultant: f for f in r.consultants}
    assert (by["AB"].caseload_active, by["AB"].caseload_ok) == (23, False)
    assert (by["CD"].caseload_active, by["CD"].caseload_ok) == (2, True)
    assert r.team.caseload_per_consultant == 12.5 and r.team.caseload_ok is True


def test_fleksjob_is_its_own_category() -> None:
    t = report().team
    assert (t.job_starts, t.ordinary_starts, t.fleksjob_starts, t.other_starts) == (4, 2, 1, 1)
    # ordinary / (ordinary + other): the fleksjob start neither counts for nor against it
    assert t.competitive_share == 2 / 3


def test_education_starts_and_ends() -> None:
    t = report().team
    assert (t.education_starts, t.education_ends) == (1, 1)


def test_days_to_the_first_job_or_education_start() -> None:
    t = report().team
    # c-0 40 days, c-1 50, c-2 30, c-4 35 (hf), c-23 80; c-3 and c-5 started before the period
    assert t.first_start_citizens == 5
    assert t.first_start_median_days == 40


def test_follow_along_after_a_job_ends() -> None:
    t = report().team
    assert (t.jobs_ended, t.jobs_ended_followed_up, t.followup_after_end_share) == (2, 1, 0.5)


def test_hours_growth() -> None:
    t = report().team
    # jobs running in the period: 1 (8 -> 15), 2, 3, 4 (ended in it), 5
    assert (t.jobs_with_hours, t.hours_grown, t.hours_growth_median) == (5, 1, 0.0)
    by = {f.consultant: f for f in report().consultants}
    assert by["AB"].hours_grown == 1 and by["CD"].hours_grown == 0


def test_the_new_figures_are_in_the_rows_and_csv() -> None:
    r = report()
    row = r.rows()[-1]
    assert row["fleksjob_starts"] == 1 and row["education_starts"] == 1
    assert "followup_after_end_share" in r.to_csv().splitlines()[0].split(",")
    assert "udd.start" in r.to_text()


def test_the_html_report_shows_the_new_figures() -> None:
    from ipsmatch.jobdev import render_html

    page = render_html(report())
    assert "fleksjob for sig: 1" in page and "Sager pr. konsulent" in page
    assert "1 af 2 fulgt op inden for 14 dage" in page
