"""Nothing lost (issue #14): a cut-off feed expires nothing, an unclosed quote is an error and
not a row swallowed into a field, a contact log with a misspelt column is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import FIXTURES

from ipsmatch.errors import FeedReadError
from ipsmatch.jobdev.contacts_csv import read_contacts_csv, read_job_starts_csv
from ipsmatch.refresh import refresh
from ipsmatch.store import Store
from ipsmatch.store.schema import vacancies

DEMO = FIXTURES / "feeds"
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=1)


def _run(store: Store, path: Path, now: datetime, **kw: object):  # type: ignore[no-untyped-def]
    return refresh(store, [path], snapshot=True, now=now, occupation_resolver=None, **kw)


def _expired(store: Store) -> int:
    """Expired ads, not counting those past their deadline on T1's day."""
    day = T1.date()
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(vacancies).where(
            vacancies.c.expired_at.is_not(None),
            sa.or_(vacancies.c.deadline.is_(None), vacancies.c.deadline >= day))).scalar_one()


def test_jsonl_cut_in_the_middle_of_a_line_expires_nothing(store: Store,
                                                           tmp_path: Path) -> None:
    whole = (DEMO / "demo_jobposting.jsonl").read_bytes()
    lines = whole.splitlines(keepends=True)
    first = _run(store, DEMO / "demo_jobposting.jsonl", T0)
    before = _expired(store)
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"".join(lines[:40]) + lines[40][: len(lines[40]) // 2])
    r = _run(store, cut, T1)
    assert r.rejected == 1 and r.unchanged + r.updated == 40
    assert _expired(store) == before
    assert r.snapshot_skipped and "cut off" in r.snapshot_skipped
    assert any("line 41" in w and "cut off" in w for w in r.warnings)
    assert first.added >= 100


def test_jsonl_bad_line_in_the_middle_still_allows_the_snapshot(store: Store,
                                                                tmp_path: Path) -> None:
    lines = (DEMO / "demo_jobposting.jsonl").read_text(encoding="utf-8").splitlines()
    _run(store, DEMO / "demo_jobposting.jsonl", T0)
    f = tmp_path / "f.jsonl"
    f.write_text("\n".join([*lines[:10], "{bad", *lines[10:90]]) + "\n", encoding="utf-8")
    r = _run(store, f, T1)
    assert r.rejected == 1 and r.snapshot_skipped is None and r.expired >= 10


def test_csv_cut_inside_a_quoted_value_is_not_read(store: Store, tmp_path: Path) -> None:
    text = (DEMO / "demo_vacancies.csv").read_text(encoding="utf-8")
    _run(store, DEMO / "demo_vacancies.csv", T0)
    before = _expired(store)
    with store.engine.connect() as conn:
        texts = dict(conn.execute(sa.select(vacancies.c.external_id, vacancies.c.text)).all())
    cut_at = text.index("Vi søger", len(text) // 2)
    cut = tmp_path / "cut.csv"
    cut.write_text(text[:cut_at], encoding="utf-8")
    r = _run(store, cut, T1)
    assert not r.ok and _expired(store) == before
    assert any("quote" in e and "cut off" in e for e in r.read_errors)
    with store.engine.connect() as conn:
        assert dict(conn.execute(sa.select(vacancies.c.external_id,
                                           vacancies.c.text)).all()) == texts


def test_csv_unclosed_quote_does_not_swallow_the_next_rows(tmp_path: Path) -> None:
    from ipsmatch.feeds import read_feeds

    f = tmp_path / "f.csv"
    f.write_text('id,title,description\n1,Kok,"Dagarbejde\n2,Tjener,Aften\n'
                 '3,"Opvasker",Nat\n', encoding="utf-8")
    batch = read_feeds([f])
    assert batch.vacancies == [] and len(batch.read_errors) == 1
    msg = str(batch.read_errors[0])
    assert "line 2" in msg and "quote" in msg


HEADER = "date,consultant,employer_cvr,employer_name,citizen_id,kind,notes\n"


def test_contact_log_refuses_an_unknown_column(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text(HEADER + "2026-11-12,AB,12345678,,,phone,Ring igen\n", encoding="utf-8")
    with pytest.raises(FeedReadError) as e:
        read_contacts_csv(p)
    msg = str(e.value)
    assert "'notes'" in msg and "note" in msg and "next_step" in msg


def test_job_starts_refuse_an_unknown_column(tmp_path: Path) -> None:
    p = tmp_path / "j.csv"
    p.write_text("citizen_id,title,start_date,hours\nB-1,Kok,2026-11-12,20\n",
                 encoding="utf-8")
    with pytest.raises(FeedReadError) as e:
        read_job_starts_csv(p)
    assert "'hours'" in str(e.value) and "hours_per_week" in str(e.value)


def test_csv_rows_swallowed_up_to_a_closing_quote_are_not_silently_lost(tmp_path: Path) -> None:
    """The unclosed quote runs on to a later quote that happens to close a value: csv reads
    that as valid, with the rows in between inside one description."""
    from ipsmatch.feeds import read_feeds

    f = tmp_path / "f.csv"
    f.write_text('id,title,description,city\n1,Kok,"Dagarbejde,Aalborg\n'
                 '2,Tjener,Aftenarbejde,Aalborg\n3,Opvasker,Natarbejde",Aalborg\n'
                 '4,Bager,"Tidlig morgen,\nmed kage",Aalborg\n', encoding="utf-8")
    batch = read_feeds([f])
    assert [v.external_id for v in batch.vacancies] == ["4"]  # a real multi-line value
    assert len(batch.errors) == 1 and batch.errors[0].line == 2
    assert "quote" in str(batch.errors[0]) and "line 3" in str(batch.errors[0])


def test_contact_rows_swallowed_by_an_unclosed_quote_are_refused(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text("date,consultant,employer_cvr,kind,note\n"
                 '2026-11-10,AB,12345678,phone,"Ring igen\n'
                 "2026-11-11,AB,12345678,phone,Møde aftalt\n"
                 '2026-11-12,AB,12345678,phone,Tilbud",\n', encoding="utf-8")
    res = read_contacts_csv(p, strict=False)
    assert res.records == [] and len(res.errors) == 1
    assert "line 3" in str(res.errors[0]) and "quote" in str(res.errors[0])
