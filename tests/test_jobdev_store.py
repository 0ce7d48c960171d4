"""Store: employer contacts, job starts, feedback and fidelity (both backends)."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, date, datetime

import pytest
from conftest import FIXTURES, vacancy

from ipsmatch.domain import Employer
from ipsmatch.errors import FeedError, NotFoundError, PrivacyError, UsageError
from ipsmatch.feeds.types import FeedBatch
from ipsmatch.jobdev import (
    Contact,
    Feedback,
    JobStart,
    feedback_effects,
    read_contacts_csv,
    read_job_starts_csv,
)
from ipsmatch.refresh import apply_batch
from ipsmatch.store import Store

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def c(day: str, who: str = "AB", **kw: object) -> Contact:
    base: dict[str, object] = {"employer_cvr": "12345678", "employer_name": "Lager A/S"}
    base.update(kw)
    return Contact(date=date.fromisoformat(day), consultant=who, **base)  # type: ignore[arg-type]


def add_vacancy(store: Store, ext: str, employer: Employer) -> None:
    """Refresh the store with the Jobnet ad ``ext`` of ``employer``."""
    apply_batch(store, FeedBatch(vacancies=[vacancy(source="jobnet", external_id=ext,
                                                    employer=employer)]), now=NOW)


@pytest.fixture
def cstore(store: Store) -> Store:
    store.save_citizen("B-1", {"id": "B-1"}, "AB", date(2026, 10, 1))
    store.save_citizen("B-2", {"id": "B-2"}, "CD", date(2026, 9, 1))
    return store


# --- contacts -------------------------------------------------------------------------------

def test_contact_resolves_or_creates_the_employer(cstore: Store) -> None:
    known = cstore.upsert_employer(Employer("Netto Vesterbro", cvr="11112222"))
    by_name = cstore.upsert_employer(Employer("Café Sol"))
    a = cstore.add_contact(c("2026-11-02", employer_cvr="11112222", employer_name="netto vb"),
                           today=TODAY)
    b = cstore.add_contact(c("2026-11-03", employer_cvr=None, employer_name="CAFÉ  SOL"),
                           today=TODAY)
    # a CVR given for an employer known only by name fills in the CVR
    cstore.add_contact(c("2026-11-04", employer_cvr="33334444", employer_name="Café Sol"),
                       today=TODAY)
    cstore.add_contact(c("2026-11-05", employer_cvr="55556666", employer_name=None),
                       today=TODAY)
    assert a.id is not None and b.id is not None
    assert [x.employer_name for x in cstore.list_contacts(employer=known)] == ["Netto Vesterbro"]
    assert cstore.get_employer("33334444").id == by_name
    assert cstore.get_employer("55556666").name == "CVR 55556666"
    assert len(cstore.list_employers()) == 3


def test_unknown_citizen_future_date_and_cpr_are_refused(cstore: Store) -> None:
    with pytest.raises(NotFoundError, match=r"unknown citizen ID 'X-9'.*ipsmatch citizen add"):
        cstore.add_contact(c("2026-11-02", citizen_id="X-9"), today=TODAY)
    with pytest.raises(FeedError, match="date: 2026-11-21 is in the future"):
        cstore.add_contact(c("2026-11-21"), today=TODAY)
    with pytest.raises(PrivacyError, match="note: contains what looks like a CPR") as e:
        cstore.add_contact(c("2026-11-02", note="cpr 010190-1234"), today=TODAY)
    assert "010190" not in str(e.value)
    assert cstore.list_contacts() == [] and cstore.list_employers() == []


def test_attributes_follow_the_latest_contact(cstore: Store) -> None:
    cstore.upsert_employer(Employer("Lager A/S", cvr="12345678",
                                    attributes={"past_occupations": ["lager"]}))
    cstore.add_contact(c("2026-11-01", learned=("open_to_part_time", "open_to_flexible_start")),
                       today=TODAY)
    cstore.add_contact(c("2026-11-10", who="CD", learned=("not_open_to_part_time",)),
                       today=TODAY)
    # an older contact added later does not override the newer statement
    cstore.add_contact(c("2026-10-01", learned=("open_to_part_time",)), today=TODAY)
    attrs = cstore.get_employer("12345678").attributes
    assert attrs["open_to_part_time"] == {"value": False, "date": "2026-11-10",
                                          "consultant": "CD"}
    assert attrs["open_to_flexible_start"]["value"] is True
    assert attrs["past_occupations"] == ["lager"]  # not from contacts: kept


def test_import_contacts_creates_stubs_and_is_all_or_nothing(cstore: Store) -> None:
    rows = [c("2026-11-02", citizen_id="sag-1"), c("2026-11-01", who="CD", citizen_id="sag-1"),
            c("2026-11-03", citizen_id="B-1")]
    with pytest.raises(FeedError, match=r"log.csv:line 3: citizen_id: unknown citizen ID 'sag-1'"):
        cstore.import_contacts(rows, today=TODAY, create_citizens=False, file="log.csv",
                               lines=[2, 3, 4])
    assert cstore.list_contacts() == []
    summary = cstore.import_contacts(rows, today=TODAY)
    assert summary.added == 3 and summary.citizens_created == ["sag-1"]
    stub = cstore.get_citizen("sag-1")
    # the consultant of the earliest contact; no start date, no profile
    assert (stub.consultant, stub.start_date, stub.profile) == ("CD", None, {})
    with pytest.raises(FeedError, match=r"log.csv:line 9: date: .* in the future"):
        cstore.import_contacts([c("2026-12-01")], today=TODAY, file="log.csv", lines=[9])


def test_list_contacts_filters(cstore: Store) -> None:
    cstore.import_contacts([c("2026-11-01"), c("2026-11-05", who="CD", citizen_id="B-2"),
                            c("2026-11-09", employer_cvr="99998888", employer_name="Bager")],
                           today=TODAY)
    days = lambda cs: [x.date.day for x in cs]  # noqa: E731
    assert days(cstore.list_contacts(since=date(2026, 11, 2))) == [5, 9]
    assert days(cstore.list_contacts(until=date(2026, 11, 5))) == [1, 5]
    assert days(cstore.list_contacts(consultant="CD")) == [5]
    assert days(cstore.list_contacts(citizen="B-2")) == [5]
    assert days(cstore.list_contacts(employer="bager")) == [9]
    assert days(cstore.list_contacts(employer="12345678")) == [1, 5]
    back = cstore.list_contacts(citizen="B-2")[0]
    assert back.kind == "face-to-face" and back.employer_name == "Lager A/S"


# --- job starts -----------------------------------------------------------------------------

def test_job_starts_add_list_end(cstore: Store) -> None:
    j = cstore.add_job_start(JobStart("B-1", date(2026, 11, 3), "Lagermedarbejder",
                                      employer_cvr="12345678", hours_per_week=15),
                             today=TODAY)
    cstore.add_job_start(JobStart("B-2", date(2026, 11, 4), "Opvasker", employer_name="Café Sol",
                                  competitive=False), today=TODAY)
    with pytest.raises(NotFoundError, match="unknown citizen ID 'nope'"):
        cstore.add_job_start(JobStart("nope", date(2026, 11, 3), "X", employer_name="Y"))
    listed = cstore.list_job_starts()
    assert [x.title for x in listed] == ["Lagermedarbejder", "Opvasker"]
    assert listed[0].employer_name == "CVR 12345678" and listed[1].competitive is False
    ended = cstore.end_job_start(citizen_id="B-1", end_date=date(2026, 11, 15), reason="quit",
                                 today=TODAY)
    assert ended.id == j.id and ended.end_reason == "quit"
    assert [x.title for x in cstore.list_job_starts(open_only=True)] == ["Opvasker"]
    with pytest.raises(UsageError, match="0 open job"):
        cstore.end_job_start(citizen_id="B-1", end_date=date(2026, 11, 16))
    with pytest.raises(FeedError, match="end_date: is before start_date"):
        cstore.end_job_start(job_id=j.id, end_date=date(2026, 11, 1), today=TODAY)


def test_import_job_starts_refuses_unknown_citizen_with_line(cstore: Store) -> None:
    jobs = [JobStart("B-1", date(2026, 11, 3), "A", employer_name="E"),
            JobStart("sag-7", date(2026, 11, 3), "B", employer_name="E")]
    with pytest.raises(FeedError, match=r"js.csv:line 3: citizen_id: unknown citizen ID"):
        cstore.import_job_starts(jobs, file="js.csv", lines=[2, 3], today=TODAY)
    assert cstore.list_job_starts() == []
    assert cstore.import_job_starts(jobs[:1], today=TODAY).added == 1


# --- feedback -------------------------------------------------------------------------------

def test_feedback_on_a_vacancy_fills_the_employer(cstore: Store) -> None:
    add_vacancy(cstore, "7", Employer("Lager A/S", cvr="12345678"))
    fb = cstore.add_feedback(Feedback("B-1", "not_interested_employer", date(2026, 11, 10), "AB",
                                      vacancy=("jobnet", "7"), reason="for langt"), today=TODAY)
    assert fb.employer_cvr == "12345678" and fb.id is not None
    cstore.add_feedback(Feedback("B-1", "applied", date(2026, 11, 12), "AB",
                                 vacancy=("jobnet", "7")), today=TODAY)
    back = cstore.feedback_for("B-1")
    assert [(f.verdict, f.date, f.vacancy) for f in back] == [
        ("not_interested_employer", date(2026, 11, 10), ("jobnet", "7")),
        ("applied", date(2026, 11, 12), ("jobnet", "7"))]
    fx = feedback_effects(back)
    assert fx.employer_hidden(Employer("Lager", cvr="12345678"))
    assert cstore.feedback_for("B-2") == []


def test_feedback_refuses_unknown_things(cstore: Store) -> None:
    with pytest.raises(NotFoundError, match="no vacancy jobnet:404"):
        cstore.add_feedback(Feedback("B-1", "applied", TODAY, "AB", vacancy=("jobnet", "404")))
    with pytest.raises(NotFoundError, match="unknown citizen"):
        cstore.add_feedback(Feedback("X", "applied", TODAY, "AB", vacancy=("jobnet", "404")))
    with pytest.raises(NotFoundError, match="no employer 87654321"):
        cstore.add_feedback(Feedback("B-1", "not_interested_employer", TODAY, "AB",
                                     employer_cvr="87654321"))
    with pytest.raises(PrivacyError):
        add_vacancy(cstore, "8", Employer("Lager A/S", cvr="12345678"))
        cstore.add_feedback(Feedback("B-1", "applied", TODAY, "AB", vacancy=("jobnet", "8"),
                                     reason="0101901234"), today=TODAY)
    assert cstore.feedback_for("B-1") == []


# --- fidelity -------------------------------------------------------------------------------

def test_fidelity_from_the_store_hand_checked(cstore: Store) -> None:
    cstore.set_citizen_active("B-2", False)
    cstore.import_contacts([
        c("2026-10-05", citizen_id="B-1"),                 # B-1: first contact after 4 days
        c("2026-11-02"), c("2026-11-03", kind="phone"),
        c("2026-11-04", who="CD"), c("2026-11-05", who="CD"),
    ], today=TODAY)
    cstore.import_job_starts([
        JobStart("B-1", date(2026, 11, 3), "Lager", employer_cvr="12345678"),
        JobStart("B-2", date(2026, 11, 4), "Lager", employer_cvr="12345678", competitive=False),
    ], today=TODAY)
    r = cstore.fidelity(date(2026, 10, 1), date(2026, 11, 18), today=TODAY)
    team = r.team
    assert team.consultants == 2 and team.f2f_contacts == 4 and team.contacts == 5
    assert team.f2f_per_week == pytest.approx(4 / 7)
    assert team.caseload_active == 1                     # B-2 has left
    assert [(f.citizen_id, f.days, f.status) for f in r.first_contacts] == [("B-1", 4, "on_time")]
    assert team.job_starts == 2 and team.competitive_share == 0.5
    assert team.employer_diversity == 0.5 and team.job_type_diversity == 0.5
    by = {f.consultant: f for f in r.consultants}
    assert by["AB"].job_starts == 1 and by["CD"].competitive_share == 0.0
    assert [x.id for x in cstore.citizen_records()] == ["B-1", "B-2"]
    assert cstore.citizen_records()[1].active is False


def test_demo_fixtures_load(store: Store) -> None:
    """The committed contact log and job starts import on top of the demo employers and the
    five demo citizens; the log's other case ids become stubs."""
    from ipsmatch.feeds import read_employers

    emps, errors = read_employers(FIXTURES / "employers.csv")
    assert not errors
    store.import_employers(emps)
    for p in sorted((FIXTURES / "citizens").iterdir()):
        d = json.loads(p.read_text()) if p.suffix == ".json" else tomllib.loads(p.read_text())
        store.save_citizen(d["id"], d, d["consultant"], date.fromisoformat(d["start_date"]))
    read = read_contacts_csv(FIXTURES / "contacts.csv")
    summary = store.import_contacts(read.records, file="contacts.csv", lines=read.lines)
    assert summary.added == 237 and summary.employers_created == 0
    assert sorted(summary.citizens_created) == [f"sag-{1001 + i}" for i in range(9)]
    starts = read_job_starts_csv(FIXTURES / "job_starts.csv")
    assert store.import_job_starts(starts.records).added == 10
    r = store.fidelity(date(2026, 10, 19), date(2026, 11, 16), today=date(2026, 11, 16))
    assert r.team.consultants == 3 and r.team.caseload_active == 5
    assert [f.citizen_id for f in r.first_contacts if f.status == "late"] == ["demo-04"]
    assert r.team.f2f_contacts > 3 * 4 * 4
    assert any(e.attributes.get("hired_through_ips_before", {}).get("value")
               for e in store.list_employers())
