"""Support after the start in the store and on the command line: wage form, the hours
timeline, the support plan, follow-along contacts; and the sheet, report and funder export
commands end to end."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli

from ipsmatch.errors import FeedError, NotFoundError, PrivacyError
from ipsmatch.ips.followalong import (
    FollowAlong,
    HoursChange,
    SupportItem,
    SupportPlan,
    hours_on,
    hours_timeline,
)
from ipsmatch.jobdev import JobStart
from ipsmatch.store import Store

TODAY = date(2026, 11, 16)


def _start(store) -> JobStart:  # type: ignore[no-untyped-def]
    store.save_citizen("c-1", {"id": "c-1", "home_postcode": "9000"}, "kh", date(2026, 9, 1))
    return store.add_job_start(JobStart("c-1", date(2026, 10, 1), "Lagermedarbejder",
                                        employer_name="Lager A/S", hours_per_week=8,
                                        competitive=False, wage_form="fleksjob",
                                        contact_person="lagerchefen"), today=TODAY)


def test_wage_form_and_contact_person_are_stored(store) -> None:  # type: ignore
    job = _start(store)
    (got,) = store.list_job_starts(citizen="c-1")
    assert (got.wage_form, got.wage, got.contact_person) == ("fleksjob", "fleksjob",
                                                             "lagerchefen")
    assert job.id == got.id
    with pytest.raises(FeedError, match="contradicts"):
        store.add_job_start(JobStart("c-1", date(2026, 10, 1), "X", employer_name="Y",
                                     competitive=True, wage_form="fleksjob"), today=TODAY)
    with pytest.raises(FeedError, match="unknown wage form"):
        store.add_job_start(JobStart("c-1", date(2026, 10, 1), "X", employer_name="Y",
                                     wage_form="sort"), today=TODAY)


def test_hours_timeline_plan_and_follow_along(store) -> None:  # type: ignore
    job = _start(store)
    store.add_job_hours(HoursChange(job.id, date(2026, 10, 20), 12), today=TODAY)
    store.add_job_hours(HoursChange(job.id, date(2026, 11, 10), 15), today=TODAY)
    with pytest.raises(FeedError, match="before the job started"):
        store.add_job_hours(HoursChange(job.id, date(2026, 9, 1), 10), today=TODAY)
    with pytest.raises(NotFoundError):
        store.add_job_hours(HoursChange(999, date(2026, 10, 20), 12), today=TODAY)
    store.set_support_plan(SupportPlan(job.id, (SupportItem("fast makker", "employer"),),
                                       date(2026, 11, 30), 20))
    store.set_support_plan(SupportPlan(job.id, (SupportItem("opfølgning", "consultant"),),
                                       date(2026, 12, 7), 20))  # replaces
    with pytest.raises(FeedError, match="unknown"):
        store.set_support_plan(SupportPlan(job.id, (SupportItem("x", "mor"),)))
    with pytest.raises(PrivacyError):
        store.set_support_plan(SupportPlan(job.id, note="cpr 010190-1234"))
    store.add_followalong(FollowAlong("c-1", date(2026, 11, 12), "both", job_id=job.id),
                          today=TODAY)
    (u,) = store.job_follow_ups("c-1")
    assert [h for _, h in u.timeline] == [8, 12, 15]
    assert hours_on(u.timeline, date(2026, 10, 25)) == 12
    assert u.plan is not None and [i.support for i in u.plan.items] == ["opfølgning"]
    assert [c.with_whom for c in u.contacts] == ["both"]
    counts = store.delete_citizen("c-1")
    assert counts["followalong_contacts"] == 1 and counts["job_starts"] == 1


def test_timeline_keeps_one_entry_per_change() -> None:
    job = JobStart("c", date(2026, 1, 1), "X", employer_name="Y", hours_per_week=8, id=1)
    changes = [HoursChange(1, date(2026, 2, 1), 12), HoursChange(1, date(2026, 2, 1), 13),
               HoursChange(1, date(2026, 3, 1), 13)]
    assert hours_timeline(job, changes) == [(date(2026, 1, 1), 8.0), (date(2026, 2, 1), 13)]


# --- the commands end to end ----------------------------------------------------------------

@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("IPSMATCH_TODAY", TODAY.isoformat())
    monkeypatch.setenv("IPSMATCH_CONSULTANT", "kons-anna")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with Store.open(url, create=True).init() as s:
        s.save_citizen("c-1", {"version": 3, "id": "c-1", "home_postcode": "9000",
                               "needs": ["flexible_start", "no_night"],
                               "career": {"strengths": ["stabil"], "hours": {"now": 8,
                                                                            "goal": 15}},
                               "disclosure": {"consent": "yes", "date": "2026-10-01",
                                              "share": "accommodations",
                                              "accommodations": ["flexible_start"]}},
                       "kons-anna", date(2026, 9, 1))
        s.save_citizen("c-2", {"id": "c-2", "home_postcode": "9000"}, "kons-bo",
                       date(2026, 9, 1))
    return url


def test_followup_commands(db: str) -> None:
    r = run_cli("outcomes", "start", "--citizen", "c-1", "--employer", "Lager A/S", "--title",
                "Lagermedarbejder", "--date", "2026-10-01", "--hours", "8", "--wage-form",
                "ordinary", "--contact-person", "lagerchefen", "--format", "json", db=db)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)[0]["wage_form"] == "ordinary"
    r = run_cli("followup", "hours", "c-1", "12", "--date", "2026-11-01", db=db)
    assert (r.exit_code, r.output) == (0, "hours: 8 (2026-10-01) → 12 (2026-11-01)\n")
    r = run_cli("followup", "plan", "c-1", "--support", "fast makker=employer", "--next",
                "2026-11-30", "--goal-hours", "15", db=db)
    assert (r.exit_code, r.output) == (
        0, "support plan for job 1: 1 support, next follow-up 2026-11-30\n")
    assert run_cli("followup", "contact", "c-1", "--with", "employer", db=db).exit_code == 0
    r = run_cli("followup", "show", "c-1", "--format", "json", db=db)
    shown = json.loads(r.stdout)[0]
    assert [h for _, h in shown["timeline"]] == [8, 12]
    assert shown["contacts"][0]["job_id"] == shown["job"]["id"]
    assert run_cli("followup", "hours", "c-2", "10", db=db).exit_code == 2  # no open job
    r = run_cli("report", "c-1", "--next", "Tale om 15 timer", db=db)
    assert r.exit_code == 0
    assert "\n\nDine timer nu\n- 12 timer om ugen hos Lager A/S\n\n" in r.stdout
    r = run_cli("funder-export", "--from", "2026-10", "--to", "2026-11", db=db)
    assert r.exit_code == 0
    assert r.stdout.splitlines()[1:] == ["2026-10,c-1,kons-anna,34.7,0.0,0.0,,1,paid_hours",
                                         "2026-11,c-1,kons-anna,27.7,0.0,0.0,,1,paid_hours"]
    assert r.stderr == "2 citizen-month rows, 2 counted\n"
    r = run_cli("funder-export", "--from", "2026-11", "--to", "2026-11", db=db)
    assert r.stderr == "1 citizen-month row, 1 counted\n"


def test_sheet_command_honours_consent_and_confirmation(db: str) -> None:
    r = run_cli("sheet", "c-1", db=db)
    assert r.exit_code == 0
    assert "Fleksibel mødetid" in r.stdout and "Ingen natarbejde" not in r.stdout
    assert "stabil" not in r.stdout
    assert r.stderr == ("Left off (1 free text not confirmed; add with --include KEY): "
                        "career.strengths[0]\n")
    r = run_cli("sheet", "c-1", "--include", "career.strengths[0]", "--format", "html", db=db)
    assert "<li>stabil</li>" in r.stdout
    r = run_cli("sheet", "c-2", db=db)
    assert r.exit_code == 1 and "has not been asked" in r.output and "Traceback" not in r.output


def test_job_starts_csv_takes_wage_form_and_contact_person(tmp_path: Path) -> None:
    from ipsmatch.jobdev import read_job_starts_csv

    f = tmp_path / "j.csv"
    f.write_text("citizen_id,employer_name,title,start_date,hours_per_week,wage_form,"
                 "contact_person\n"
                 "c-1,Café Sol,Opvasker,2026-10-01,10,fleksjob,Mette\n"
                 "c-2,Lager A/S,Lagermedarbejder,2026-10-02,15,,\n", encoding="utf-8")
    a, b = read_job_starts_csv(f, today=TODAY).records
    assert (a.wage, a.competitive, a.contact_person) == ("fleksjob", False, "Mette")
    assert (b.wage, b.competitive) == ("ordinary", True)
    f.write_text("citizen_id,employer_name,title,start_date,wage_form\n"
                 "c-1,Café Sol,Opvasker,2026-10-01,sort\n", encoding="utf-8")
    with pytest.raises(FeedError, match=r"line 2: wage_form: unknown wage form"):
        read_job_starts_csv(f, today=TODAY)
