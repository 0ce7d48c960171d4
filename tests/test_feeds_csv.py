"""CSV vacancy feeds and employer lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ipsmatch.errors import FeedReadError
from ipsmatch.feeds import CSV_COLUMNS, detect_format, read_employers, read_feeds

HEADER = ("id,title,description,employer_name,employer_cvr,address,postcode,city,lat,lon,"
          "hours_min,hours_max,work_hours,schedule,employment_type,work_conditions,posted,"
          "deadline,occupation,url,source")


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_header_constant_matches_docs() -> None:
    assert ",".join(CSV_COLUMNS) == HEADER
    docs = Path(__file__).resolve().parent.parent / "docs" / "feeds.md"
    text = docs.read_text(encoding="utf-8")
    for col in CSV_COLUMNS:
        assert f"`{col}`" in text, f"column {col} is not documented in docs/feeds.md"


def test_comma_csv_all_columns(tmp_path: Path) -> None:
    row = ('7,Kantinemedhjælper,"Opvask og anretning. Ingen weekendarbejde.",Kantinen A/S,'
           'DK 30806883,Vestergade 2,8000,,,,20,25,deltid,"dag;aften",Fastansættelse,'
           '"fleksjob;Job med løntilskud",2024-05-01,31-05-2024,Kantinemedhjælper,'
           'https://example.org/7,kommune-x')
    p = write(tmp_path, "feed.csv", HEADER + "\n" + row + "\n")
    assert detect_format(p) == "csv"
    b = read_feeds([p])
    assert not b.errors, [str(e) for e in b.errors]
    [v] = b.vacancies
    assert v.source == "kommune-x" and b.sources == {"kommune-x"}
    assert v.external_id == "7" and v.title == "Kantinemedhjælper"
    assert v.employer.cvr == "30806883" and v.employer.name == "Kantinen A/S"
    assert v.postcode == "8000" and v.city == "Aarhus C" and v.lat is not None
    assert (v.hours_min, v.hours_max) == (20.0, 25.0)
    # Listed times are stated; unlisted day/evening/night/weekend are stated absent.
    assert v.schedule == {"day": True, "evening": True, "night": False, "weekend": False}
    assert v.fact("weekend").source == "field"
    assert v.work_conditions == ["fleksjob", "loentilskud"]
    assert v.posted == date(2024, 5, 1) and v.deadline == date(2024, 5, 31)
    assert v.occupation_hint == "Kantinemedhjælper"


def test_semicolon_csv_and_source_defaults(tmp_path: Path) -> None:
    text = ("id;title;postcode;work_hours;schedule\n"
            "a1;Pakkemedarbejder;9000;fuldtid;night,weekend\n"
            "a2;Rengøring;9400;15 timer om ugen;\n")
    p = write(tmp_path, "semi.csv", text)
    b = read_feeds([p])
    assert not b.errors
    a1, a2 = b.vacancies
    assert a1.source == "csv"
    assert (a1.hours_min, a1.hours_max) == (37.0, 37.0)
    assert a1.schedule == {"day": False, "evening": False, "night": True, "weekend": True}
    assert (a2.hours_min, a2.hours_max) == (15.0, 15.0)
    assert a2.schedule == {}
    assert read_feeds([p], source="mine").vacancies[0].source == "mine"


def test_row_errors_with_line_and_field(tmp_path: Path) -> None:
    text = ("id,title,postcode,hours_min,hours_max,posted,employer_cvr,lat,lon,schedule,"
            "work_conditions\n"
            "1,,9000,,,,,,,,\n"                      # line 2: empty title
            "2,Kok,12345,,,,,,,,\n"                  # line 3: bad postcode
            "3,Kok,9000,abc,,,,,,,\n"                # line 4: hours not a number
            "4,Kok,9000,30,20,,,,,,\n"               # line 5: min > max
            "5,Kok,9000,,90,,,,,,\n"                 # line 6: out of range
            "6,Kok,9000,,,2024-13-45,,,,,\n"         # line 7: bad date
            "7,Kok,9000,,,,1234567,,,,\n"            # line 8: CVR not 8 digits
            "8,Kok,9000,,,,,,,brunch,\n"             # line 9: unknown schedule value
            "9,Kok,9000,,,,,,,,gratis\n"             # line 10: unknown work condition
            ",Kok,9000,,,,,,,,\n"                    # line 11: missing id
            "1,Kok igen,9000,,,,,,,,\n"              # line 12: fine, id 1 was rejected
            "1,Dublet,9000,,,,,,,,\n"                # line 13: duplicate of line 12
            "14,Kok,9000,,,,,60.5,10.0,,\n")         # line 14: coords outside DK → warning
    p = write(tmp_path, "bad.csv", text)
    b = read_feeds([p])
    got = {(e.line, e.field) for e in b.errors}
    assert got == {(2, "title"), (3, "postcode"), (4, "hours_min"), (5, "hours_min"),
                   (6, "hours_max"), (7, "posted"), (8, "employer_cvr"), (9, "schedule"),
                   (10, "work_conditions"), (11, "id"), (13, "id")}
    assert sorted(v.external_id for v in b.vacancies) == ["1", "14"]
    assert b.files[0].errors == 11 and b.files[0].vacancies == 2
    [w] = b.warnings
    assert w.line == 14 and "outside Denmark" in w.message
    v14 = next(v for v in b.vacancies if v.external_id == "14")
    assert v14.lat is not None and v14.lat < 58  # the centroid of 9000
    msgs = {e.line: str(e) for e in b.errors}
    assert "bad.csv:line 3: postcode:" in msgs[3] and "4 digits, e.g. 9000" in msgs[3]
    assert "duplicate" in msgs[13] and "line 12" in msgs[13]


def test_unknown_column_names_the_valid_ones(tmp_path: Path) -> None:
    p = write(tmp_path, "cols.csv", "id,title,salary,titel\n1,Kok,100,x\n")
    b = read_feeds([p])
    assert not b.vacancies
    [e] = b.read_errors
    assert "'salary'" in e.message and "'titel'" in e.message
    assert "valid columns are: id, title" in (e.hint or "")
    assert b.files[0].ok is False


def test_missing_required_column(tmp_path: Path) -> None:
    p = write(tmp_path, "noid.csv", "title,postcode\nKok,9000\n")
    [e] = read_feeds([p], fmt="csv").read_errors
    assert "missing required column(s): id" in e.message


def test_too_many_values_and_multiline_quoted(tmp_path: Path) -> None:
    text = ('id,title,description\n'
            '1,Kok,"linje et\nlinje to"\n'
            '2,Kok,a,b\n'
            '3,Tjener,ok\n')
    b = read_feeds([write(tmp_path, "q.csv", text)])
    assert [v.external_id for v in b.vacancies] == ["1", "3"]
    [e] = b.errors
    assert e.line == 4 and "3 columns" in e.message


# --- employers -------------------------------------------------------------------------------

def test_read_employers(tmp_path: Path) -> None:
    text = ("cvr;name;address;postcode;city;lat;lon;industry;notes\n"
            "DK 30 80 68 83;Keepit A/S;Per Henrik Lings Allé 4;2100;;;;IT;\"åben for deltid\"\n"
            ";Bageriet;;9000;Aalborg;57.05;9.92;Bageri;\n"
            "123;Forkert CVR;;9000;;;;;\n"
            "30806883;Dublet;;2100;;;;;\n"
            "12345678;;;9000;;;;;\n")
    emps, errs = read_employers(write(tmp_path, "emp.csv", text))
    assert [e.name for e in emps] == ["Keepit A/S", "Bageriet"]
    keepit, bager = emps
    assert keepit.cvr == "30806883" and keepit.city == "København Ø" and keepit.lat
    assert keepit.industry == "IT" and keepit.notes == "åben for deltid"
    assert bager.cvr is None and (bager.lat, bager.lon) == (57.05, 9.92)
    assert {(e.line, e.field) for e in errs} == {(4, "cvr"), (5, "cvr"), (6, "name")}


def test_read_employers_bad_file(tmp_path: Path) -> None:
    with pytest.raises(FeedReadError, match="unknown column"):
        read_employers(write(tmp_path, "e.csv", "name,phone\nX,1\n"))
    with pytest.raises(FeedReadError, match="not UTF-8"):
        read_employers(write(tmp_path, "l.csv", "name\nBøgh\n", encoding="latin-1"))


def test_a_schedule_of_shifts_alone_says_nothing_of_nights(tmp_path: Path) -> None:
    """'skiftehold' alone must not become 'Ingen nattevagter' (read aloud on the demo)."""
    from ipsmatch.feeds import read_feeds

    f = tmp_path / "f.csv"
    f.write_text("id,title,postcode,schedule\n1,Distributør,9000,skiftehold\n"
                 "2,Lagerarbejder,9000,dag\n", encoding="utf-8")
    a, b = read_feeds([f]).vacancies
    assert {x.key: x.value for x in a.facts if x.source == "field"} == {"shifts": True}
    assert {x.key: x.value for x in b.facts if x.source == "field"} == {
        "day": True, "evening": False, "night": False, "weekend": False}
