"""Store: migrations, schema parity with the models, repository round trips, privacy bits."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import JOBNET_SAMPLE, vacancy

from ipsmatch.domain import Employer, Fact, Vacancy
from ipsmatch.errors import NotFoundError, SchemaError
from ipsmatch.identity import name_key
from ipsmatch.jobdev import Contact, Feedback, JobStart
from ipsmatch.store import Store, migrate, vacancy_to_dict
from ipsmatch.store.schema import metadata, vacancies
from ipsmatch.store.serialize import vacancy_from_json, vacancy_to_json, vacancy_to_row

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def make_vacancy(ext: str = "1", **kw: Any) -> Vacancy:
    """An ad with every kind of field filled in, to round-trip through the store."""
    full: dict[str, Any] = dict(
        source="jobnet", title=f"Lagermedarbejder {ext}", text="Roligt lager",
        postcode="9000", city="Aalborg", lat=57.04, lon=9.92, hours_min=15.0, hours_max=25.0,
        schedule={"day": True, "night": False}, work_conditions=["fleksjob"],
        posted=date(2026, 11, 1), deadline=date(2026, 12, 31),
        facts=[Fact("quiet_workplace", True, "rolige omgivelser")], content_hash=f"h{ext}",
        employer=Employer("Lager A/S", cvr="12345678"))
    return vacancy(external_id=ext, **{**full, **kw})


def insert(store: Store, *vs: Vacancy) -> None:
    """Plain inserts, independent of the refresh code under test elsewhere."""
    with store.engine.begin() as conn:
        for v in vs:
            eid = store.upsert_employer(v.employer, conn=conn) if v.employer else None
            conn.execute(vacancies.insert(), {**vacancy_to_row(v), "employer_id": eid,
                                              "first_seen": v.first_seen or NOW,
                                              "last_seen": v.last_seen or NOW})


def test_init_is_idempotent_and_schema_matches_models(db_url: str) -> None:
    store = Store.open(db_url, create=True).init()
    store.init()
    assert store.check_schema() == migrate.head_revision()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(
            conn, opts={"compare_type": True}), metadata)
    assert diff == []
    store.close()


def test_uninitialised_database_is_refused(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = f"sqlite:///{tmp_path / 'nope' / 'x.db'}"
    with pytest.raises(SchemaError, match="not initialised"):
        Store.open(missing)
    assert not (tmp_path / "nope" / "x.db").exists()
    store = Store.open(db_url, create=True)  # connected, but no tables yet
    with pytest.raises(SchemaError, match="ipsmatch init"):
        store.check_schema()
    store.close()


def test_newer_schema_is_refused(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'zz99'"))
    with pytest.raises(SchemaError, match="newer"):
        store.check_schema()
    with pytest.raises(SchemaError, match="newer"):
        store.init()


def test_older_schema_asks_for_init(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM alembic_version"))
    with pytest.raises(SchemaError, match="not initialised"):
        store.check_schema()


def test_sqlite_file_is_private_with_wal_and_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a" / "b" / "ipsmatch.db"
    store = Store.open(f"sqlite:///{path}", create=True).init()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_vacancy_round_trip(store: Store) -> None:
    v = make_vacancy("7", occupation_uri="http://esco/1", occupation_label="Lagerarbejder",
                     occupation_confidence=0.8)
    insert(store, v)
    got = store.get_vacancy(("jobnet", "7"))
    assert got.id is not None and store.get_vacancy(got.id).external_id == "7"
    for f in ("title", "text", "postcode", "hours_min", "hours_max", "work_conditions",
              "posted", "deadline", "occupation_uri", "occupation_confidence", "content_hash"):
        assert getattr(got, f) == getattr(v, f), f
    assert got.schedule == {"day": True, "evening": None, "night": False, "weekend": None,
                            "shifts": None}
    assert got.facts == v.facts
    assert got.employer is not None and got.employer.cvr == "12345678"
    assert got.first_seen == NOW and got.first_seen.tzinfo is not None
    d = vacancy_to_dict(got)
    assert d["employer"] == {"name": "Lager A/S", "cvr": "12345678"}
    assert d["occupation"]["uri"] == "http://esco/1"
    assert d["first_seen"].startswith("2026-11-20T12:00:00")
    with pytest.raises(NotFoundError):
        store.get_vacancy(("jobnet", "nope"))
    with pytest.raises(NotFoundError):
        store.get_vacancy(99999)


def test_vacancy_json_round_trip_keeps_every_field() -> None:
    """The spill file's codec: what waits for the write comes back equal, field by field."""
    v = make_vacancy("1", id=7, raw_hash="r" * 64, first_seen=NOW, expired_at=NOW,
                     occupation_uri="http://data.europa.eu/esco/occupation/x",
                     occupation_label="Lagerarbejder", occupation_confidence=0.75,
                     contact={"phone": "70 27 76 65"},
                     facts=[Fact("language_required", True, "dansk", "field", detail="da"),
                            Fact("evening", False, "07-15", implied=True)])
    assert v.employer is not None
    v.employer.id, v.employer.attributes = 3, {"open_to_part_time": True}
    back = vacancy_from_json(json.loads(json.dumps(vacancy_to_json(v))))
    assert back == v and back.employer == v.employer and back.raw_hash == v.raw_hash
    assert vacancy_from_json(vacancy_to_json(make_vacancy("2", employer=None))) \
        == make_vacancy("2", employer=None)


@pytest.mark.skipif(not (JOBNET_SAMPLE / "JobPage01.json").exists(),
                    reason="shared Jobnet sample not found")
def test_vacancy_json_round_trip_of_every_sample_ad() -> None:
    from ipsmatch.feeds import read_feeds

    batch = read_feeds(sorted(JOBNET_SAMPLE.glob("*.json")))
    assert len(batch.vacancies) == 20
    for v in batch.vacancies:
        assert vacancy_from_json(json.loads(json.dumps(vacancy_to_json(v)))) == v


def test_list_vacancies_filters(store: Store) -> None:
    insert(store,
           make_vacancy("1"),
           make_vacancy("2", postcode="8000", source="other", occupation_hint="Kok",
                        employer=Employer("Kantinen")),
           make_vacancy("3", expired_at=NOW, occupation_uri="http://esco/x"))
    assert {v.external_id for v in store.list_vacancies()} == {"1", "2"}
    assert {v.external_id for v in store.list_vacancies(active=False)} == {"1", "2", "3"}
    assert [v.external_id for v in store.list_vacancies(postcode="8000")] == ["2"]
    assert [v.external_id for v in store.list_vacancies(source="other")] == ["2"]
    assert [v.external_id for v in store.list_vacancies(employer="12345678")] == ["1"]
    assert [v.external_id for v in store.list_vacancies(employer="kantinen")] == ["2"]
    assert [v.external_id for v in store.list_vacancies(occupation="kok")] == ["2"]
    assert [v.external_id for v in store.list_vacancies(occupation="http://esco/x",
                                                        active=False)] == ["3"]
    assert len(store.list_vacancies(limit=1)) == 1
    assert {v.external_id for v in store.iter_active_vacancies()} == {"1", "2"}
    assert store.count_vacancies() == 2 and store.count_vacancies(active=False) == 3


def test_upsert_employer_identity(store: Store) -> None:
    a = store.upsert_employer(Employer("Netto A/S", cvr="11111111"))
    assert store.upsert_employer(Employer("NETTO a/s", cvr="11111111", city="Aalborg")) == a
    b = store.upsert_employer(Employer("Bageriet"))
    assert store.upsert_employer(Employer(" bageriet ", postcode="9000")) == b
    # Empty values never erase what is known; attributes merge.
    store.upsert_employer(Employer("Bageriet", notes="ring før 10",
                                   attributes={"open_to_part_time": True}))
    store.upsert_employer(Employer("Bageriet", attributes={"quiet": True}))
    e = store.get_employer(b)
    assert (e.postcode, e.notes) == ("9000", "ring før 10")
    assert e.attributes == {"open_to_part_time": True, "quiet": True}
    assert store.get_employer("11111111").city == "Aalborg"
    assert len(store.list_employers()) == 2
    with pytest.raises(NotFoundError):
        store.get_employer("99999999")


def test_name_key() -> None:
    assert name_key("Netto A/S") == name_key("netto") == "netto"
    assert name_key("Jensen & Søn ApS") == "jensen og søn"
    assert name_key("Fakta") != name_key("Føtex")


def test_citizens_feedback_contacts_and_delete(store: Store) -> None:
    profile = {"id": "c-1", "home_postcode": "9000", "needs": [{"code": "no_night"}]}
    rec = store.save_citizen("c-1", profile, consultant="kh", start_date=date(2026, 1, 5))
    assert rec.profile == profile and rec.start_date == date(2026, 1, 5)
    created = rec.created_at
    rec2 = store.save_citizen("c-1", {**profile, "wishes": ["lager"]}, consultant="kh")
    assert rec2.created_at == created and rec2.profile["wishes"] == ["lager"]
    assert [c.id for c in store.list_citizens()] == ["c-1"]
    emp = store.upsert_employer(Employer("Lager A/S", cvr="12345678"))
    store.add_feedback(Feedback("c-1", "not_interested_employer", date(2026, 2, 1), "kh",
                                employer_cvr="12345678", reason="for langt"))
    store.add_feedback(Feedback("c-1", "applied", date(2026, 2, 2), "kh",
                                employer_cvr="12345678"))
    store.add_contact(Contact(date(2026, 2, 1), "kh", employer_cvr="12345678", citizen_id="c-1",
                              learned=("open_to_part_time",)))
    store.add_job_start(JobStart("c-1", date(2026, 3, 1), "Lagermedarbejder",
                                 employer_cvr="12345678"))
    store.log_access("kh", "suggest", "c-1")
    assert len(store.feedback_for("c-1")) == 2
    counts = store.delete_citizen("c-1")
    assert counts == {"citizens": 1, "suggestion_feedback": 2, "job_starts": 1,
                      "education_starts": 0, "followalong_contacts": 0,
                      "employer_contacts_unlinked": 1,
                      # the suggest entry, and the contact for a citizen never asked about
                      # employer contact (disclosure.consent = not_asked)
                      "contact_texts_cleared": 0, "access_log_pseudonymised": 2}
    with pytest.raises(NotFoundError):
        store.get_citizen("c-1")
    contacts = store.list_contacts(employer=emp)
    assert len(contacts) == 1 and contacts[0].citizen_id is None
    assert store.list_access(citizen_id="c-1") == []  # the log keeps a random tag instead
    assert [r["action"] for r in store.list_access(limit=2)] == ["forget", "suggest"]
    with pytest.raises(NotFoundError):
        store.delete_citizen("c-1")


def test_status(store: Store) -> None:
    insert(store, make_vacancy("1"), make_vacancy("2", expired_at=NOW))
    st = store.status()
    assert st["sources"] == {"jobnet": {"active": 1, "expired": 1}}
    assert st["employers"] == 1 and st["citizens"] == 0
    assert st["last_refresh"] is None and st["stale"] is True


@pytest.mark.slow
def test_bulk_load_streams_every_active_ad(store: Store) -> None:
    n = 100_000  # benchmarks/bench_refresh.py times this
    rows = [{**vacancy_to_row(make_vacancy(str(i), employer=None)), "first_seen": NOW,
             "last_seen": NOW, "expired_at": NOW if i % 1000 == 0 else None}
            for i in range(n)]
    with store.engine.begin() as conn:
        conn.execute(vacancies.insert(), rows)
    ids = [v.external_id for v in store.iter_active_vacancies()]
    assert len(ids) == n - 100 and len(set(ids)) == n - 100 and "0" not in ids


@pytest.mark.parametrize("url", ["foo://", "mysql://u@h/db", "postgresql+pg8000://u@h/db"])
def test_unusable_urls_are_config_errors(url: str) -> None:
    from ipsmatch.errors import ConfigError

    with pytest.raises(ConfigError):
        Store.open(url)


def test_unreachable_server_is_a_store_error() -> None:
    from ipsmatch.errors import StoreError

    with pytest.raises(StoreError, match="cannot use database"):
        Store.open("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_store_refuses_a_cpr_number_in_a_profile(store: Store) -> None:
    from ipsmatch.errors import PrivacyError

    with pytest.raises(PrivacyError) as exc:
        store.save_citizen("c-9", {"wishes": ["lager"], "note": "cpr 010190-1235"}, "kh")
    assert "010190" not in str(exc.value)
    with pytest.raises(PrivacyError):
        store.save_citizen("0101901235", {"wishes": ["lager"]}, "kh")
    assert store.list_citizens() == []


def test_head_constant_matches_the_migration_scripts() -> None:
    from ipsmatch.store import migrate

    assert migrate.alembic_head() == migrate.HEAD, "update migrate.HEAD with a new migration"
