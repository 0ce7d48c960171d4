"""Hostile and broken input for the jobdev CSV readers (contact log, job starts): any input
gives records, row errors (lenient) or one clean FeedError/FeedReadError naming the file,
never another exception type, and never a CPR number in a stored record."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipsmatch.errors import FeedError, FeedReadError, PrivacyError
from ipsmatch.jobdev import read_contacts_csv, read_job_starts_csv
from ipsmatch.jobdev.contacts_csv import CONTACT_COLUMNS, JOB_START_COLUMNS

EXAMPLES = int(os.environ.get("IPSMATCH_FUZZ_EXAMPLES", "60"))
fuzz = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
long_fuzz = settings(max_examples=EXAMPLES * 10, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
READERS: list[Callable[..., Any]] = [read_contacts_csv, read_job_starts_csv]


def check(data: bytes | str) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "log.csv"
        if isinstance(data, str):
            p.write_text(data, encoding="utf-8")
        else:
            p.write_bytes(data)
        for reader in READERS:
            for strict in (True, False):
                try:
                    result = reader(p, strict=strict)
                except (FeedError, FeedReadError) as e:
                    assert str(e).startswith(str(p)), str(e)[:200]
                    assert len(str(e)) < 2_000, str(e)[:200]
                    continue
                for e in result.errors:
                    assert isinstance(e, FeedError) and str(e).startswith(str(p))
                    assert e.line is not None
                if strict:
                    assert not result.errors


cell = st.text(max_size=15) | st.sampled_from(
    ["", "2026-11-12", "12-11-2026", "12.11.2026", "2099-01-01", "kh", "telefon", "mail",
     "personligt møde", "12345678", "DK 12 34 56 78", "c-1", "yes", "nej", "fleksjob", "18,5",
     "-3", "nan", "open_to_part_time; not mentor_available", "!night_work", "010190-1234",
     "0101901234", '"', "a\nb", ";", ","])


@st.composite
def csv_text(draw: st.DrawFn, columns: tuple[str, ...]) -> str:
    cols = draw(st.lists(st.sampled_from(list(columns)) | st.text(max_size=5), min_size=1,
                         max_size=10))
    sep = draw(st.sampled_from([",", ";"]))
    rows = draw(st.lists(st.lists(cell, max_size=len(cols) + 2), max_size=6))

    def q(c: str) -> str:
        return c if draw(st.booleans()) else '"' + c.replace('"', '""') + '"'
    return "\n".join([sep.join(cols)] + [sep.join(q(c) for c in r) for r in rows])


@fuzz
@given(st.binary(max_size=1500))
def test_random_bytes(data: bytes) -> None:
    check(data)


@fuzz
@given(csv_text(CONTACT_COLUMNS))
def test_random_contact_logs(text: str) -> None:
    check(text)


@fuzz
@given(csv_text(JOB_START_COLUMNS))
def test_random_job_starts(text: str) -> None:
    check(text)


@pytest.mark.slow
@long_fuzz
@given(csv_text(CONTACT_COLUMNS) | csv_text(JOB_START_COLUMNS) | st.binary(max_size=3000))
def test_long_fuzz(data: str | bytes) -> None:
    check(data)


@settings(max_examples=40, deadline=None)
@given(st.dates(), st.integers(0, 9999), st.sampled_from(["-", "", " "]),
       st.sampled_from(["note", "outcome", "next_step", "purpose", "date", "kind",
                        "consultant"]))
def test_a_cpr_number_is_never_stored(day: Any, seq: int, dash: str, field: str) -> None:
    """A CPR-shaped number (valid DDMMYY) in any free-text field refuses the row."""
    cpr = f"{day:%d%m%y}{dash}{seq:04d}"
    row = {"date": "2026-11-12", "consultant": "kh", "employer_name": "Lager A/S",
           "kind": "phone", "note": "", "outcome": "", "next_step": "", "purpose": ""}
    row[field] = f"ringede om {cpr} i dag"
    text = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "log.csv"
        p.write_text(text)
        with pytest.raises(PrivacyError, match="CPR"):
            read_contacts_csv(p, strict=True)
        result = read_contacts_csv(p, strict=False)
        assert not result.records and len(result.errors) == 1
        assert cpr not in str(result.errors[0])  # the number is not echoed back either


def test_directory_and_huge_file_and_huge_value(tmp_path: Path) -> None:
    with pytest.raises(FeedReadError, match="directory"):
        read_contacts_csv(tmp_path)
    sparse = tmp_path / "huge.csv"
    with sparse.open("wb") as fh:
        fh.truncate(2 * 1024**3)
    # refused before it is read: benchmarks/bench_readers.py times it
    with pytest.raises(FeedReadError, match="more than the limit"):
        read_job_starts_csv(sparse)
    big = tmp_path / "big.csv"
    big.write_text("date,consultant,kind,employer_name,note\n"
                   f"2026-01-01,kh,phone,X,\"{'a' * 2_000_000}\"\n")
    result = read_contacts_csv(big, strict=False)
    assert not result.records and "note: value longer than 1 MB" in str(result.errors[0])
    with pytest.raises(FeedError, match="longer than 1 MB"):
        read_contacts_csv(big)
    huge = tmp_path / "huge_value.csv"
    huge.write_text("date,consultant,kind,employer_name,note\n"
                    f"2026-01-01,kh,phone,X,\"{'a' * 20_000_000}\"\n")
    with pytest.raises(FeedReadError, match=r"longer than \d+ MB"):
        read_contacts_csv(huge, strict=False)
