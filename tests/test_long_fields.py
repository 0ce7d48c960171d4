"""Over-long values (issue #14): one record with a field longer than its column never fails a
refresh or an import, and SQLite and PostgreSQL take exactly the same records.

Feeds: a text field is cut to fit, with a warning; a URL (a cut one leads nowhere) is dropped,
with a warning; a key (id, source) is refused. Contact logs and job starts: the row is refused,
naming the field and the limit."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from ipsmatch import limits
from ipsmatch.errors import FeedError, UsageError
from ipsmatch.jobdev.contacts_csv import read_contacts_csv, read_job_starts_csv
from ipsmatch.refresh import refresh
from ipsmatch.store import Store
from ipsmatch.store.schema import citizens, employer_contacts, employers, job_starts, vacancies

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)


def _ad(i: int, **kw: object) -> dict[str, object]:
    d: dict[str, object] = {"@type": "JobPosting", "identifier": f"ad-{i}",
                            "title": f"Kok {i}", "description": "Dagarbejde, 30 timer.",
                            "jobLocation": {"address": {"postalCode": "9000"}}}
    d.update(kw)
    return d


def test_every_text_column_has_its_limit_in_one_place() -> None:
    """schema.py takes its lengths from ipsmatch.limits, the validators' source."""
    for table in (vacancies, employers, employer_contacts, job_starts, citizens):
        for col in table.columns:
            if isinstance(col.type, sa.String) and col.type.length:
                assert col.type.length in vars(limits).values(), (table.name, col.name)


def test_long_feed_fields_are_cut_or_dropped_with_a_warning(store: Store,
                                                            tmp_path: Path) -> None:
    long = _ad(1, title="Kok " + "k" * 700, url="https://x.dk/" + "u" * 1500,
               employmentType="FULL_TIME_" + "X" * 100,
               occupationalCategory="kok " * 100,
               hiringOrganization={"name": "Firma " + "f" * 400},
               jobLocation={"address": {"postalCode": "9000",
                                        "addressLocality": "Aalborg" * 30,
                                        "streetAddress": "Vej " * 100}})
    f = tmp_path / "f.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in (_ad(0), long, _ad(2))) + "\n",
                 encoding="utf-8")
    r = refresh(store, [f], now=T0, occupation_resolver=None)
    assert (r.added, r.rejected) == (3, 0) and r.ok
    text = "\n".join(r.warnings)
    for name in ("title", "url", "employment_type", "employer_name", "city", "address",
                 "occupation_hint"):
        assert name in text, name
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(vacancies).where(vacancies.c.external_id == "ad-1")
                           ).mappings().one()
        emp = conn.execute(sa.select(employers.c.name)).scalars().all()
    assert len(row["title"]) == limits.TITLE and row["title"].endswith("…")
    assert row["url"] is None and len(row["city"]) == limits.CITY
    assert max(len(n) for n in emp) == limits.NAME


def test_a_long_csv_source_refuses_only_that_record(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "f.csv"
    f.write_text(f"id,title,source\n1,Kok,\n2,Tjener,{'s' * 100}\n3,Bager,\n",
                 encoding="utf-8")
    r = refresh(store, [f], now=T0, occupation_resolver=None)
    assert (r.added, r.rejected) == (2, 1)
    assert "source" in r.errors[0] and "64" in r.errors[0]


@pytest.mark.parametrize("source", ["", "  ", "s" * 65])
def test_a_bad_source_option_is_a_usage_error(store: Store, tmp_path: Path,
                                              source: str) -> None:
    f = tmp_path / "f.jsonl"
    f.write_text(json.dumps(_ad(0)) + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match="source"):
        refresh(store, [f], now=T0, source=source, occupation_resolver=None)


CONTACTS = ("date,consultant,employer_cvr,employer_name,citizen_id,kind,outcome\n"
            "2026-11-12,AB,12345678,,,phone,ok\n")


@pytest.mark.parametrize(("row", "field"), [
    (f"2026-11-12,AB,12345678,,,phone,{'o' * 400}\n", "outcome"),
    (f"2026-11-12,{'c' * 200},12345678,,,phone,\n", "consultant"),
    (f"2026-11-12,AB,,{'E' * 400},,phone,\n", "employer_name"),
    (f"2026-11-12,AB,12345678,,{'b' * 70},phone,\n", "citizen_id"),
])
def test_a_long_contact_value_refuses_only_that_row(store: Store, tmp_path: Path, row: str,
                                                    field: str) -> None:
    p = tmp_path / "c.csv"
    p.write_text(CONTACTS + row, encoding="utf-8")
    with pytest.raises(FeedError, match=field):
        read_contacts_csv(p, today=TODAY)
    res = read_contacts_csv(p, today=TODAY, strict=False)
    assert len(res.records) == 1 and res.errors[0].field == field
    assert res.errors[0].line == 3
    assert store.import_contacts(res.records, today=TODAY).added == 1


def test_a_long_job_start_value_refuses_only_that_row(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "j.csv"
    p.write_text("citizen_id,employer_name,title,start_date,end_reason,end_date\n"
                 "B-1,Sol,Kok,2026-11-01,,\n"
                 f"B-2,Sol,{'t' * 400},2026-11-01,,\n"
                 f"B-3,Sol,Kok,2026-11-01,{'r' * 400},2026-11-10\n", encoding="utf-8")
    res = read_job_starts_csv(p, today=TODAY, strict=False)
    assert len(res.records) == 1
    assert [e.field for e in res.errors] == ["title", "end_reason"]


def test_a_long_employer_value_refuses_only_that_row(store: Store, tmp_path: Path) -> None:
    from ipsmatch.feeds import read_employers

    p = tmp_path / "e.csv"
    p.write_text(f"name,city,industry\nSol,Aalborg,\n{'N' * 400},,\nMåne,{'c' * 200},\n"
                 f"Stjerne,,{'i' * 300}\n", encoding="utf-8")
    emps, errors = read_employers(p)
    assert [e.name for e in emps] == ["Sol"]
    assert [(e.line, e.field) for e in errors] == [(3, "name"), (4, "city"), (5, "industry")]


def test_a_long_profile_consultant_is_refused(store: Store) -> None:
    from ipsmatch.errors import ProfileError
    from ipsmatch.profile import profile_from_dict

    with pytest.raises(ProfileError) as e:
        profile_from_dict({"id": "c-1", "home_postcode": "9000", "consultant": "k" * 200})
    assert e.value.field == "consultant"
