"""Hostile and broken input for every feed reader: any input gives a clean result or a clean
FeedError / FeedReadError that names the file, never another exception, a hang or a huge
message. Size caps (file, record, nesting, HTML) are exercised directly.

``IPSMATCH_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_feeds.py`` fuzzes for longer; the
``slow`` variants (``make test-all``) run ten times the default number of examples.
"""

from __future__ import annotations

import json
import os
import random
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import JOBNET_SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipsmatch.errors import FeedError, FeedReadError, IpsmatchError
from ipsmatch.feeds import CSV_COLUMNS, EMPLOYER_COLUMNS, FeedBatch, read_employers, read_feeds
from ipsmatch.feeds.files import MAX_RECORD_BYTES
from ipsmatch.text.html import html_to_text

EXAMPLES = int(os.environ.get("IPSMATCH_FUZZ_EXAMPLES", "60"))
#: no message of ours should echo a large chunk of hostile input back
MAX_MESSAGE = 2_000
FORMATS = [None, "jobnet", "jsonld", "csv"]

fuzz = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
long_fuzz = settings(max_examples=EXAMPLES * 10, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def with_file(data: bytes | str, suffix: str, fn: Callable[[Path], Any]) -> Any:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"feed{suffix}"
        if isinstance(data, str):
            p.write_text(data, encoding="utf-8")
        else:
            p.write_bytes(data)
        return fn(p)


def check_batch(batch: FeedBatch, path: Path) -> None:
    assert isinstance(batch, FeedBatch)
    for e in batch.errors + batch.warnings:
        assert isinstance(e, FeedError)
        assert str(e).startswith(str(path)), str(e)[:200]
        assert len(str(e)) < MAX_MESSAGE, str(e)[:200]
    for e in batch.read_errors:
        assert isinstance(e, FeedReadError)
        assert str(e).startswith(str(path)), str(e)[:200]
        assert len(str(e)) < MAX_MESSAGE, str(e)[:200]
    for v in batch.vacancies:
        assert v.external_id and v.title
        assert len(v.text) <= 4 * MAX_RECORD_BYTES


def read_any(data: bytes | str, fmt: str | None, suffix: str = ".dat") -> FeedBatch:
    """read_feeds must not raise for any content (only UsageError for a bad fmt name)."""
    def run(p: Path) -> FeedBatch:
        batch = read_feeds([p], fmt=fmt)
        check_batch(batch, p)
        return batch
    return with_file(data, suffix, run)


def employers_any(data: bytes | str) -> None:
    def run(p: Path) -> None:
        try:
            emps, errors = read_employers(p)
        except FeedReadError as e:
            assert str(e).startswith(str(p)) and len(str(e)) < MAX_MESSAGE, str(e)[:200]
            return
        for e in errors:
            assert isinstance(e, FeedError) and str(e).startswith(str(p))
            assert len(str(e)) < MAX_MESSAGE
        assert all(x.name for x in emps)
    with_file(data, ".csv", run)


# --- strategies ------------------------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers(-10**12, 10**12) | \
    st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(inner, max_size=4),
                     st.dictionaries(st.text(max_size=12), inner, max_size=5))


json_values = st.recursive(json_scalars, _containers, max_leaves=25)

JOBNET_KEYS = ["ID", "Title", "JobHeadline", "Presentation", "HiringOrgName", "HiringOrgCVR",
               "WorkPlaceAddress", "WorkPlacePostalCode", "WorkPlaceCity", "Location",
               "PostingCreated", "LastDateApplication", "WorkHours", "EmploymentType",
               "Occupation", "Url", "Latitude", "Longitude"]
JSONLD_KEYS = ["@type", "identifier", "title", "description", "datePosted", "validThrough",
               "employmentType", "workHours", "hiringOrganization", "jobLocation",
               "occupationalCategory", "url", "responsibilities", "@id", "@graph"]

jobnet_records = st.dictionaries(st.sampled_from(JOBNET_KEYS), json_values, max_size=10)
jobnet_detail = st.fixed_dictionaries({"JobPositionPosting": st.dictionaries(
    st.sampled_from(["Id", "JobPositionInformation", "ApplicationDetails", "HiringOrg",
                     "PublicationStartDate", "PublicationEndDate"]),
    json_values | st.dictionaries(st.sampled_from(
        ["PositionTitle", "Purpose", "WorkLocation", "WorkHourMin", "WorkHourMax", "Name",
         "Address", "PostalCode", "DailyWorkTimeNight", "EmploymentType", "DriverLicense",
         "WeeklyWorkHours"]), json_values, max_size=6), max_size=6)})
jsonld_records = st.dictionaries(st.sampled_from(JSONLD_KEYS), json_values, max_size=10) | \
    st.builds(lambda d: {"@type": "JobPosting", **d},
              st.dictionaries(st.sampled_from(JSONLD_KEYS), json_values, max_size=10))


@st.composite
def csv_text(draw: st.DrawFn, columns: tuple[str, ...]) -> str:
    cols = draw(st.lists(st.sampled_from(list(columns)) | st.text(max_size=6), min_size=1,
                         max_size=8))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=20) | st.sampled_from(
        ["", '"', '""', "a\nb", "9000", "12345678", "2026-11-01", "18", "-1", "nan", "1e999",
         "<b>x</b>", "day;night", "fleksjob", sep, "\r", "\x00"])
    rows = draw(st.lists(st.lists(cell, max_size=len(cols) + 2), max_size=6))

    def q(c: str) -> str:
        return c if draw(st.booleans()) else '"' + c.replace('"', '""') + '"'
    lines = [sep.join(cols)] + [sep.join(q(c) for c in r) for r in rows]
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


def _samples() -> list[bytes]:
    if not JOBNET_SAMPLE.is_dir():
        return []
    return [p.read_bytes() for p in sorted(JOBNET_SAMPLE.glob("*.json"))[:6]]


SAMPLES = _samples()


@st.composite
def mutated_sample(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    rnd = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 8))):
        op = rnd.choice(["flip", "cut", "insert", "dup"])
        i = rnd.randrange(len(data) or 1)
        if op == "flip" and data:
            data[i] = rnd.randrange(256)
        elif op == "cut":
            del data[i:i + rnd.randrange(1, 200)]
        elif op == "insert":
            data[i:i] = rnd.choice([b"{", b"[", b"]", b"}", b'"', b",", b"null", b"\\u0000",
                                    b"\xff", b"<script>", b"&amp;" * 50, b"1e400"])
        else:
            data[i:i] = data[i:i + rnd.randrange(1, 500)]
    return bytes(data)


# --- properties ------------------------------------------------------------------------------

@fuzz
@given(st.binary(max_size=2000), st.sampled_from(FORMATS))
def test_random_bytes(data: bytes, fmt: str | None) -> None:
    read_any(data, fmt)


@fuzz
@given(json_values, st.sampled_from(FORMATS))
def test_random_json_shapes(doc: Any, fmt: str | None) -> None:
    read_any(json.dumps(doc), fmt, ".json")


@fuzz
@given(st.lists(jobnet_records, max_size=4), st.lists(jobnet_detail, max_size=3))
def test_jobnet_like_records(search: list[dict[str, Any]], details: list[Any]) -> None:
    read_any(json.dumps({"JobPositionPostings": search, "TotalResultCount": len(search)}),
             None, ".json")
    read_any(json.dumps(details), "jobnet", ".json")
    for d in details:
        read_any(json.dumps(d), None, ".json")


@fuzz
@given(st.lists(jsonld_records, max_size=5), st.sampled_from(["array", "graph", "jsonl"]))
def test_jsonld_like_records(objs: list[dict[str, Any]], shape: str) -> None:
    if shape == "array":
        text = json.dumps(objs)
    elif shape == "graph":
        text = json.dumps({"@context": "https://schema.org", "@graph": objs})
    else:
        text = "\n".join(json.dumps(o) for o in objs) or "{}"
    read_any(text, "jsonld", ".json")


@pytest.mark.skipif(not SAMPLES, reason="shared Jobnet sample not available")
@fuzz
@given(mutated_sample())
def test_mutated_jobnet_samples(data: bytes) -> None:
    read_any(data, None, ".json")


@fuzz
@given(csv_text(CSV_COLUMNS))
def test_random_csv_feeds(text: str) -> None:
    read_any(text, "csv", ".csv")


@fuzz
@given(csv_text(EMPLOYER_COLUMNS) | st.binary(max_size=500).map(
    lambda b: b.decode("utf-8", "replace")))
def test_random_employer_csv(text: str) -> None:
    employers_any(text)


@pytest.mark.slow
@long_fuzz
@given(st.one_of(st.binary(max_size=5000), json_values.map(json.dumps),
                 csv_text(CSV_COLUMNS).map(str.encode),
                 *([mutated_sample()] if SAMPLES else [])),
       st.sampled_from(FORMATS))
def test_long_fuzz_all_readers(data: bytes | str, fmt: str | None) -> None:
    read_any(data, fmt)
    employers_any(data if isinstance(data, str) else data.decode("utf-8", "replace"))


def test_sample_files_read_cleanly() -> None:
    if not SAMPLES:
        pytest.skip("shared Jobnet sample not available")
    batch = read_feeds(sorted(JOBNET_SAMPLE.glob("*.json")))
    assert batch.vacancies and not batch.read_errors


# --- caps ------------------------------------------------------------------------------------

def test_huge_jsonl_line_is_refused_naming_the_cap(tmp_path: Path) -> None:
    p = tmp_path / "big.jsonl"
    good = json.dumps({"@type": "JobPosting", "identifier": "1", "title": "Lager"})
    with p.open("w") as fh:
        fh.write(good + "\n")
        fh.write('{"@type": "JobPosting", "identifier": "2", "description": "')
        fh.write("x" * 50_000_000)
        fh.write('"}\n')
    batch = read_feeds([p])  # benchmarks/bench_refresh.py times it
    check_batch(batch, p)
    assert [v.external_id for v in batch.vacancies] == ["1"]
    assert "line 2" in str(batch.errors[0]) and "1 MB" in str(batch.errors[0])


def test_huge_record_in_a_json_array_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "big.json"
    p.write_text(json.dumps([{"@type": "JobPosting", "identifier": "1", "title": "Lager"},
                             {"@type": "JobPosting", "identifier": "2", "title": "T",
                              "description": "y" * 3_000_000}]))
    batch = read_feeds([p])
    check_batch(batch, p)
    assert [v.external_id for v in batch.vacancies] == ["1"]
    assert "record #2" in str(batch.errors[0]) and "1 MB" in str(batch.errors[0])


def test_huge_csv_field_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "big.csv"
    p.write_text('id,title,description\n1,Lager,ok\n2,T,"' + "z" * 20_000_000 + '"\n')
    batch = read_feeds([p])
    check_batch(batch, p)
    msgs = " ".join(str(e) for e in batch.errors + batch.read_errors)
    assert "MB" in msgs


def test_file_over_the_size_cap_is_refused_without_reading_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "huge.jsonl"
    with p.open("wb") as fh:  # a sparse 2 GB file: nothing is written to disk
        fh.truncate(2 * 1024**3)

    def never(*args: Any, **kw: Any) -> Any:
        raise AssertionError("the whole file was read")

    # only its head is looked at (to name the format); the whole is never read
    monkeypatch.setattr(Path, "read_bytes", never)
    monkeypatch.setattr(Path, "read_text", never)
    batch = read_feeds([p])
    assert str(batch.read_errors[0]) == (
        f"{p}: file is {2 * 1024**3:,} bytes, more than the limit of 200,000,000 "
        "(split the feed into smaller files)")
    with pytest.raises(FeedReadError, match="more than the limit"):
        read_employers(p)


@pytest.mark.parametrize("fmt", FORMATS)
def test_million_level_nesting_is_a_clean_error(tmp_path: Path, fmt: str | None) -> None:
    p = tmp_path / "deep.json"
    p.write_text("[" * 1_000_000 + "]" * 1_000_000)
    batch = read_feeds([p], fmt=fmt)
    check_batch(batch, p)
    assert batch.read_errors and not batch.vacancies
    if fmt in ("jobnet", "jsonld"):
        assert "nested too deeply" in str(batch.read_errors[0])


def test_deep_nesting_inside_a_record(tmp_path: Path) -> None:
    deep: Any = "x"
    for _ in range(200):
        deep = [deep]
    p = tmp_path / "deep.json"
    p.write_text(json.dumps([{"@type": "JobPosting", "identifier": "1", "title": "Lager"},
                             {"@type": "JobPosting", "identifier": "2", "title": "T",
                              "description": deep}]))
    batch = read_feeds([p])
    check_batch(batch, p)
    assert [v.external_id for v in batch.vacancies] == ["1"]
    assert "nested too deeply" in str(batch.errors[0])


@pytest.mark.parametrize("bomb", [
    "&amp;" * 5_000_000,
    "<div>" * 2_000_000 + "x" + "</div>" * 2_000_000,
    "<b><i><u>" * 500_000,
    "&#x1F600;" * 3_000_000,
    "<!--" + "a" * 10_000_000,
    "<script>" + "alert(1)" * 1_000_000,
])
def test_html_bombs_are_reduced_safely(bomb: str) -> None:
    out = html_to_text(bomb)  # benchmarks/bench_refresh.py times each bomb
    assert len(out) <= 100_000
    assert "<script" not in out and "alert" not in out


def test_html_bomb_in_a_feed(tmp_path: Path) -> None:
    desc = "<p>" + "&lt;script&gt;" * 60_000 + "</p>"  # < 1 MB record, 60k escaped tags
    p = tmp_path / "bomb.json"
    p.write_text(json.dumps([{"@type": "JobPosting", "identifier": "1", "title": "Lager",
                              "description": desc}]))
    batch = read_feeds([p])
    check_batch(batch, p)
    (v,) = batch.vacancies
    assert len(v.text) <= 100_000 and v.text.startswith("<script>")  # text, never markup


def test_unknown_format_name_is_a_usage_error(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text("{}")
    with pytest.raises(IpsmatchError):
        read_feeds([p], fmt="xml")


# --- nothing that runs code is loaded ----------------------------------------------------------

CODE_LOADERS = re.compile(
    r"\bimport (?:pickle|dill|joblib|cloudpickle|shelve|marshal)\b|\bfrom (?:pickle|dill|joblib)\b"
    r"|allow_pickle\s*=\s*True|torch\.load\(|yaml\.load\(|(?<![\w.])(?:eval|exec)\(")


def test_no_code_running_loaders_in_the_package() -> None:
    """Model and index files are data (JSON, .npy without pickle, safetensors), never
    pickles: loading a tampered file must not be able to run code."""
    pkg = Path(__file__).resolve().parent.parent / "ipsmatch"
    found = [f"{p.relative_to(pkg)}: {m.group()}" for p in pkg.rglob("*.py")
             for m in CODE_LOADERS.finditer(p.read_text(encoding="utf-8"))]
    assert found == []
