"""Reading contact logs and job starts from CSV: good rows, and bad rows named by file:line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ipsmatch.errors import FeedError, FeedReadError, PrivacyError
from ipsmatch.jobdev.contacts_csv import read_contacts_csv, read_job_starts_csv

TODAY = date(2026, 11, 20)
HEADER = ("date,consultant,employer_cvr,employer_name,citizen_id,kind,purpose,learned,outcome,"
          "next_step,next_date,note\n")


def write(tmp_path: Path, body: str, header: str = HEADER, name: str = "contacts.csv") -> Path:
    p = tmp_path / name
    p.write_text(header + body, encoding="utf-8")
    return p


def test_reads_contacts_with_danish_labels(tmp_path: Path) -> None:
    p = write(tmp_path,
              "2026-11-12,AB,12345678,,B-1,personligt møde,present_candidate,"
              "open_to_part_time; Mentor-Available,Positiv,Ring igen,2026-11-19,Leder: Mette\n"
              "13.11.2026,CD,,Café Sol,,Telefon,opfølgning,not open_to_flexible_start,,,,\n"
              "2026-11-14,CD,,Café Sol,,mail,,,,,,\n")
    res = read_contacts_csv(p, today=TODAY)
    assert res.errors == []
    a, b, c = res.records
    assert (a.kind, a.purpose, a.learned) == ("face-to-face", "present_candidate",
                                              ("open_to_part_time", "mentor_available"))
    assert a.next_date == date(2026, 11, 19) and a.note == "Leder: Mette"
    assert (b.date, b.kind, b.purpose, b.employer_name) == (date(2026, 11, 13), "phone",
                                                            "follow_up", "Café Sol")
    assert b.learned == ("not_open_to_flexible_start",)
    assert (c.kind, c.purpose, c.citizen_id) == ("email", "learn_business", None)


@pytest.mark.parametrize(("row", "field", "fragment"), [
    ("2026-11-12,AB,12345678,,,brevdue,,,,,,\n", "kind", "unknown kind 'brevdue'"),
    ("12/13/2026,AB,12345678,,,phone,,,,,,\n", "date", "is not a date"),
    ("2026-11-21,AB,12345678,,,phone,,,,,,\n", "date", "in the future"),
    ("2026-11-12,AB,1234567,,,phone,,,,,,\n", "employer_cvr", "8 digits"),
    ("2026-11-12,AB,,,,phone,,,,,,\n", "employer_cvr", "no employer"),
])
def test_bad_row_names_file_line_field(tmp_path: Path, row: str, field: str,
                                       fragment: str) -> None:
    good = "2026-11-10,AB,12345678,,,phone,,,,,,\n"
    p = write(tmp_path, good + row)
    with pytest.raises(FeedError) as e:
        read_contacts_csv(p, today=TODAY)
    err = e.value
    assert (err.file, err.line, err.field) == (str(p), 3, field)
    assert str(err).startswith(f"{p}:line 3: {field}: ")
    assert fragment in str(err)
    assert err.hint  # every refusal says how to fix it


def test_cpr_in_note_refused_with_reason_not_number(tmp_path: Path) -> None:
    p = write(tmp_path, '2026-11-12,AB,12345678,,B-1,phone,,,,,,"Borger (010190-1234) ringede"\n')
    with pytest.raises(PrivacyError) as e:
        read_contacts_csv(p, today=TODAY)
    msg = str(e.value)
    assert msg.startswith(f"{p}:line 2: note: ")
    assert "010190" not in msg
    assert "personal identifiers" in msg and "pseudonymous case id" in msg


def test_lenient_mode_skips_bad_rows_and_collects_errors(tmp_path: Path) -> None:
    p = write(tmp_path,
              "2026-11-10,AB,12345678,,,phone,,,,,,\n"
              "2026-11-10,AB,12345678,,,brevdue,,,,,,\n"
              "\n"
              '2026-11-11,AB,12345678,,,phone,,,,,,"to\nlinjer"\n'
              "2026-11-11,AB,12345678,,,phone,,,,,,0101901234\n"
              "2026-11-12,CD,12345678,,,mail,,,,,,\n")
    res = read_contacts_csv(p, today=TODAY, strict=False)
    assert [c.consultant for c in res.records] == ["AB", "AB", "CD"]
    assert res.records[1].note == "to\nlinjer"
    # the blank line and the two-line note still count, so line numbers match an editor's
    assert [(e.line, e.field) for e in res.errors] == [(3, "kind"), (7, "note")]
    assert isinstance(res.errors[1], PrivacyError)


def test_semicolon_separated_excel_export(tmp_path: Path) -> None:
    p = tmp_path / "excel.csv"
    p.write_text("\ufeff" + HEADER.replace(",", ";")
                 + '12-11-2026;AB;12345678;;;Personligt møde;;"open_to_part_time;'
                   'hired_through_ips_before";;;;\n', encoding="utf-8")
    (c,) = read_contacts_csv(p, today=TODAY).records
    assert c.learned == ("open_to_part_time", "hired_through_ips_before")


def test_whole_file_problems(tmp_path: Path) -> None:
    with pytest.raises(FeedReadError, match="not found"):
        read_contacts_csv(tmp_path / "nope.csv", today=TODAY)
    p = write(tmp_path, "2026-11-12,AB\n", header="datum,consultant\n")
    with pytest.raises(FeedReadError, match="missing column"):
        read_contacts_csv(p, today=TODAY)
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "2026-11-12,Søren,12345678,,,phone,,,,,,\n").encode("latin-1"))
    with pytest.raises(FeedReadError, match="UTF-8"):
        read_contacts_csv(latin, today=TODAY)


JS_HEADER = ("citizen_id,employer_cvr,employer_name,title,start_date,hours_per_week,competitive,"
             "end_date,end_reason\n")


def test_reads_job_starts(tmp_path: Path) -> None:
    p = write(tmp_path,
              "B-1,12345678,,Lagermedarbejder,2026-10-01,\"18,5\",ja,,\n"
              "B-2,,Café Sol,Opvasker,2026-10-02,10,fleksjob,2026-11-01,Stoppede selv\n"
              "B-3,,Café Sol,Opvasker,2026-10-03,,,,\n",
              header=JS_HEADER, name="starts.csv")
    a, b, c = read_job_starts_csv(p, today=TODAY).records
    assert (a.hours_per_week, a.competitive) == (18.5, True)
    assert (b.competitive, b.end_date, b.end_reason) == (False, date(2026, 11, 1), "Stoppede selv")
    assert c.competitive is True and c.hours_per_week is None


@pytest.mark.parametrize(("row", "field"), [
    ("B-1,12345678,,Lager,2026-10-01,mange,ja,,\n", "hours_per_week"),
    ("B-1,12345678,,Lager,2026-10-01,15,måske,,\n", "competitive"),
    ("B-1,12345678,,,2026-10-01,15,ja,,\n", "title"),
    ("B-1,12345678,,Lager,2027-10-01,15,ja,,\n", "start_date"),
])
def test_bad_job_start_rows(tmp_path: Path, row: str, field: str) -> None:
    p = write(tmp_path, row, header=JS_HEADER, name="starts.csv")
    with pytest.raises(FeedError) as e:
        read_job_starts_csv(p, today=TODAY)
    assert (e.value.line, e.value.field) == (2, field)
