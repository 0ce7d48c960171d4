"""Bad input never crashes a read: it becomes a FeedError (record) or FeedReadError (file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ipsmatch.errors import FeedReadError, UsageError
from ipsmatch.feeds import detect_format, read_feeds

GOOD = {"@type": "JobPosting", "identifier": "ok1", "title": "Kok",
        "jobLocation": {"address": {"postalCode": "9000"}}}


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def only_read_error(tmp_path: Path, name: str, data: str | bytes, **kw: object
                    ) -> FeedReadError:
    p = write(tmp_path, name, data)
    good = write(tmp_path, "good.json", json.dumps(GOOD))
    b = read_feeds([p, good], **kw)  # type: ignore[arg-type]
    # The good file is still read; the bad one is reported whole.
    assert [v.external_id for v in b.vacancies] == ["ok1"]
    [err] = b.read_errors
    assert err.file == str(p) and str(p) in str(err)
    assert b.files[0].ok is False and b.files[1].ok is True
    return err


def test_truncated_json(tmp_path: Path) -> None:
    text = json.dumps([GOOD, GOOD], indent=1)
    err = only_read_error(tmp_path, "trunc.json", text[: len(text) // 2])
    assert "truncated JSON at line" in err.message and "column" in err.message


def test_invalid_json_reports_line_and_column(tmp_path: Path) -> None:
    err = only_read_error(tmp_path, "bad.json", '[\n {"@type": "JobPosting",\n  "title": x}\n]')
    assert "invalid JSON at line 3, column 12" in err.message


def test_not_utf8(tmp_path: Path) -> None:
    data = "id,title\n1,Rengøring\n".encode("latin-1")
    err = only_read_error(tmp_path, "latin1.csv", data)
    assert "not UTF-8" in err.message
    offset = data.index("ø".encode("latin-1"))
    assert f"byte offset {offset}" in err.message and "(line 2)" in err.message
    assert "save the file as UTF-8" in (err.hint or "")


def test_empty_and_blank_files(tmp_path: Path) -> None:
    assert "empty" in only_read_error(tmp_path, "empty.json", b"").message
    assert "empty" in only_read_error(tmp_path, "blank.csv", "\n  \n").message
    assert "empty" in only_read_error(tmp_path, "bom.json", b"\xef\xbb\xbf").message


def test_file_too_big(tmp_path: Path) -> None:
    err = only_read_error(tmp_path, "big.json", json.dumps([GOOD] * 50), max_bytes=1000)
    assert "more than the limit" in err.message


def test_unknown_format(tmp_path: Path) -> None:
    err = only_read_error(tmp_path, "x.txt", "hello world\nthis is no feed\n")
    assert "unknown feed format" in err.message and "--format" in (err.hint or "")
    err = only_read_error(tmp_path, "y.json", '{"foo": 1}')
    assert "neither Jobnet" in err.message
    with pytest.raises(FeedReadError, match="unknown feed format"):
        detect_format(tmp_path / "x.txt")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    b = read_feeds([tmp_path / "nope.json", tmp_path])
    assert len(b.read_errors) == 2
    assert "cannot open" in b.read_errors[0].message
    assert "directory" in b.read_errors[1].message


def test_bad_format_argument_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown feed format 'xml'"):
        read_feeds([tmp_path / "x"], fmt="xml")


def test_forced_wrong_format(tmp_path: Path) -> None:
    p = write(tmp_path, "feed.json", json.dumps(GOOD))
    b = read_feeds([p], fmt="jobnet")
    [err] = b.read_errors
    assert "not a Jobnet file" in err.message


def test_deeply_nested_whole_file(tmp_path: Path) -> None:
    deep = "[" * 200_000 + "]" * 200_000
    err = only_read_error(tmp_path, "deep.json", '[{"@type": "JobPosting", "d": ' + deep + "}]")
    assert "nested too deeply" in err.message


def test_deeply_nested_record(tmp_path: Path) -> None:
    deep: dict = {"x": 1}
    for _ in range(60):
        deep = {"x": deep}
    p = write(tmp_path, "deep.json", json.dumps([dict(GOOD, identifier="d1", extra=deep), GOOD]))
    b = read_feeds([p])
    assert [v.external_id for v in b.vacancies] == ["ok1"]
    [e] = b.errors
    assert e.record == 1 and "nested too deeply" in e.message


def test_huge_jsonl_line_and_huge_record(tmp_path: Path) -> None:
    big = dict(GOOD, identifier="big", description="x" * 1_100_000)
    p = write(tmp_path, "big.jsonl", json.dumps(GOOD) + "\n" + json.dumps(big) + "\n")
    b = read_feeds([p])
    assert [v.external_id for v in b.vacancies] == ["ok1"]
    [e] = b.errors
    assert e.line == 2 and "longer than 1 MB" in e.message
    arr = write(tmp_path, "big.json", json.dumps([big, GOOD]))
    [e] = read_feeds([arr]).errors
    assert e.record == 1 and "larger than 1 MB" in e.message


def test_huge_csv_row(tmp_path: Path) -> None:
    text = "id,title,description\n1,Kok,kort\n2,Kok," + "y" * 1_200_000 + "\n3,Tjener,ok\n"
    b = read_feeds([write(tmp_path, "big.csv", text)])
    assert [v.external_id for v in b.vacancies] == ["1", "3"]
    [e] = b.errors
    assert e.line == 3 and "longer than 1 MB" in e.message


def test_non_object_records(tmp_path: Path) -> None:
    p = write(tmp_path, "mixed.json", json.dumps([GOOD, 5, "x", None]))
    b = read_feeds([p], fmt="jsonld")
    assert [v.external_id for v in b.vacancies] == ["ok1"]
    assert sorted(e.record for e in b.errors) == [2, 3, 4]


def test_jobnet_record_with_wrong_types(tmp_path: Path) -> None:
    page = {"JobPositionPostings": [
        {"ID": "1", "Title": "Kok", "WorkPlacePostalCode": "9000", "HiringOrgCVR": 30806883},
        {"ID": 2, "Title": 17, "WorkPlacePostalCode": "9000"},
        {"ID": "3", "Title": "Kok", "WorkPlacePostalCode": "99999"},
        {"ID": "4", "Title": "Kok", "LastDateApplication": "snart"},
        {"Title": "Kok"},
        {"ID": "6", "Title": "Kok", "HiringOrgCVR": 123},
        {"ID": {"x": 1}, "Title": "Kok"},
    ]}
    b = read_feeds([write(tmp_path, "page.json", json.dumps(page))])
    assert [v.external_id for v in b.vacancies] == ["1"]
    got = {(e.record, e.field) for e in b.errors}
    assert got == {(2, "Title"), (3, "WorkPlacePostalCode"), (4, "LastDateApplication"),
                   (5, "ID"), (6, "HiringOrgCVR"), (7, "ID")}


def test_duplicate_ids_across_files_same_source(tmp_path: Path) -> None:
    a = write(tmp_path, "a.json", json.dumps(GOOD))
    b_ = write(tmp_path, "b.jsonl", json.dumps(GOOD) + "\n")
    b = read_feeds([a, b_])
    assert len(b.vacancies) == 1
    [e] = b.errors
    assert e.file == str(b_) and e.line == 1 and "duplicate" in e.message
    assert "a.json:line 1" in e.message


def test_jobnet_detail_without_id_or_posting(tmp_path: Path) -> None:
    details = [
        {"JobPositionPosting": {"JobPositionInformation": {"PositionTitle": "Kok"}}},
        {"JobPositionPosting": "not an object"},
        {"JobPositionPosting": {"Id": 9, "JobPositionInformation": {"PositionTitle": "Kok"},
                                "ApplicationDetails": {"WorkHourMin": 30, "WorkHourMax": 20}}},
        {"JobPositionPosting": {"Id": 10, "JobPositionInformation": {"PositionTitle": "Kok"}}},
    ]
    b = read_feeds(write(tmp_path, "d.json", json.dumps(details)))  # a bare path is fine
    assert [v.external_id for v in b.vacancies] == ["10"]
    assert [(e.record, e.field) for e in b.errors] == [
        (1, "JobPositionPosting.Id"), (2, "JobPositionPosting"), (3, "WorkHourMin")]
    assert b.vacancies[0].url == "https://job.jobnet.dk/CV/FindWork/Details/10"
