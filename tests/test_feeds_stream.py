"""iter_feeds: chunked reading gives exactly what one whole read gives, streamed JSON Lines and
CSV equal the whole-text readers, and a file that fails late is never used in part."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, JOBNET_SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipsmatch.feeds import FeedBatch, iter_feeds, read_feeds
from ipsmatch.feeds.csvfeed import read_csv
from ipsmatch.feeds.files import read_text
from ipsmatch.feeds.jsonld import read_jsonld
from ipsmatch.feeds.stream import _check_stream, _stream_drafts
from ipsmatch.feeds.types import FeedFileResult

DEMO_FEEDS = FIXTURES / "feeds"


def posting(i: int | str, **kw: Any) -> dict[str, Any]:
    d = {"@type": "JobPosting", "identifier": str(i), "title": f"Lagermedarbejder {i}",
         "description": f"<p>Pakning af varer ({i}). Ingen nattevagter.</p>",
         "validThrough": "2099-12-31",
         "hiringOrganization": {"name": f"Firma {len(str(i)) % 3} ApS"},
         "jobLocation": {"address": {"postalCode": "9000"}}}
    d.update(kw)
    return d


def write_lines(path: Path, lines: list[str], *, newline: str = "\n", bom: bool = False) -> Path:
    data = newline.join(lines) + newline
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    return path


def mixed_feed(tmp: Path) -> list[Path]:
    """Files of every kind, with bad records, repeated ids and files that cannot be read."""
    good = [json.dumps(posting(i), ensure_ascii=False) for i in range(1, 30)]
    lines = [*good[:10], "", "{not json", json.dumps(posting(3)),  # a repeated id
             json.dumps({"@type": "Organization", "name": "x"}), *good[10:],
             json.dumps(posting("t", title=""))]
    a = write_lines(tmp / "a.jsonl", lines)
    b = write_lines(tmp / "b.jsonl", [json.dumps(posting(f"b{i}")) for i in range(7)]
                    + [json.dumps(posting(5))], newline="\r\n", bom=True)  # 5 repeats a's
    arr = tmp / "arr.json"
    arr.write_text(json.dumps([posting("x1"), posting("x2"), {"title": ""}]), encoding="utf-8")
    bad = tmp / "bad.jsonl"
    bad.write_bytes(b'{"@type": "JobPosting"}\n{"a": "\xff"}\n')
    empty = tmp / "empty.jsonl"
    empty.write_text("  \n")
    files = [a, arr, b, bad, DEMO_FEEDS / "demo_vacancies.csv", empty, tmp / "missing.jsonl"]
    if JOBNET_SAMPLE.is_dir():  # search page and detail records in separate files
        files += sorted(JOBNET_SAMPLE.glob("*.json"))[:6]
    return files


def merged(chunks: list[FeedBatch]) -> FeedBatch:
    out = FeedBatch(files=chunks[-1].files)
    for c in chunks:
        out.vacancies += c.vacancies
        out.errors += c.errors
        out.read_errors += c.read_errors
        out.unchanged += c.unchanged
        out.warnings += c.warnings
        out.sources |= c.sources
    return out


def summary(b: FeedBatch) -> dict[str, Any]:
    return {"vacancies": b.vacancies, "errors": [str(e) for e in b.errors],
            "read_errors": [str(e) for e in b.read_errors], "unchanged": b.unchanged,
            "warnings": [str(e) for e in b.warnings], "sources": b.sources,
            "files": [(str(f.path), f.format, f.records, f.vacancies, f.ok, f.ignored, f.errors)
                      for f in b.files]}


@pytest.mark.parametrize("size", [1, 2, 7, 1000])
def test_chunks_together_are_the_whole_read(tmp_path: Path, size: int) -> None:
    files = mixed_feed(tmp_path)
    whole = read_feeds(files)
    assert whole.errors and whole.read_errors and len(whole.vacancies) > 40  # a real mix
    chunks = list(iter_feeds(files, chunk_size=size))
    assert all(len(c.vacancies) + len(c.unchanged) <= size for c in chunks)
    assert len(chunks) > 60 // size
    assert all(not c.read_errors for c in chunks[:-1])
    assert summary(merged(chunks)) == summary(whole)


def test_chunks_with_known_raw_hashes_match_the_whole_read(tmp_path: Path) -> None:
    files = mixed_feed(tmp_path)
    first = read_feeds(files)
    known = {(v.source, v.external_id): v.raw_hash for v in first.vacancies[::2]}
    asked: list[int] = []

    class Lookup:
        def prefetch(self, keys: list[tuple[str, str]]) -> None:
            asked.append(len(keys))

        def __call__(self, src: str, ext: str) -> str | None:
            return known.get((src, ext))

    whole = read_feeds(files, known=known)
    assert whole.unchanged
    chunks = list(iter_feeds(files, known=Lookup(), chunk_size=4))
    assert summary(merged(chunks)) == summary(whole)
    assert asked and max(asked) <= 4  # each chunk's keys are announced before they are asked


def test_repeated_id_in_a_later_chunk_names_the_first_place(tmp_path: Path) -> None:
    p = write_lines(tmp_path / "f.jsonl", [json.dumps(posting(i)) for i in (1, 2, 3, 4, 2)])
    errs = [str(e) for c in iter_feeds([p], chunk_size=2) for e in c.errors]
    assert errs == [f"{p}:line 5: id: duplicate id '2' in source 'jsonld' (first at {p}:line 2)"
                    " (each vacancy needs its own id; this later record was skipped)"]


_LINE = st.one_of(
    st.builds(lambda i: json.dumps(posting(i)), st.integers(0, 40)),
    st.builds(lambda i: json.dumps(posting(i), ensure_ascii=False).replace(
        "Pakning", "Pak\u2028ning"), st.integers(0, 40)),  # splitlines() splits here too
    st.just(""), st.just("   "), st.just("{broken"), st.just("[1, 2]"), st.just("\x0c"),
    st.just(json.dumps({"@graph": [posting("g1"), posting("g2")]})),
    st.just(json.dumps({"@type": "Person"})), st.text(max_size=20),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_LINE, min_size=2, max_size=12), crlf=st.booleans(), bom=st.booleans())
def test_streamed_json_lines_equal_the_whole_text_reader(tmp_path: Path, lines: list[str],
                                                         crlf: bool, bom: bool) -> None:
    lines = [json.dumps(posting("first")), *lines]
    p = write_lines(tmp_path / "f.jsonl", lines, newline="\r\n" if crlf else "\n", bom=bom)
    text = read_text(p, 10**9)
    ref, records, ignored = read_jsonld(text, str(p), lazy=True)
    res = FeedFileResult(path=p, format="jsonld")
    got = list(_stream_drafts(p, str(p), 0, "jsonl", res, lazy=True))

    def key(d: Any) -> tuple[Any, ...]:
        return (d.line, d.record, [str(e) for e in d.errors], d.cheap_id, d.raw_hash)

    assert [key(d) for d in got] == [key(d) for d in ref]
    assert (res.records, res.ignored) == (records, ignored)


def test_streamed_csv_equals_the_whole_text_reader(tmp_path: Path) -> None:
    src = DEMO_FEEDS / "demo_vacancies.csv"
    res = FeedFileResult(path=src, format="csv")
    got = list(_stream_drafts(src, str(src), 0, "csv", res, lazy=False))
    ref, n, _ = read_csv(read_text(src, 10**9), str(src))
    assert [(d.line, d.values, [str(e) for e in d.errors]) for d in got] == \
        [(d.line, d.values, [str(e) for e in d.errors]) for d in ref]
    assert res.records == n == len(ref) > 5


def test_late_bad_byte_refuses_the_whole_streamed_file(tmp_path: Path) -> None:
    good = [json.dumps(posting(i)) for i in range(2000)]  # > 1 MB: the check crosses blocks
    p = tmp_path / "f.jsonl"
    data = ("\n".join(good) + "\n").encode() + b'{"x": "caf\xe9"}\n'
    p.write_bytes(data)
    chunks = list(iter_feeds([p], chunk_size=100))
    assert [c.vacancies for c in chunks] == [[]]  # not one record from the file
    (err,) = chunks[-1].read_errors
    with pytest.raises(Exception) as whole:
        read_text(p, 10**9)
    assert str(err) == str(whole.value)
    bad_at = data.index(b"\xe9")
    assert f"at byte offset {bad_at} (line 2001)" in str(err)


def test_split_multibyte_character_at_a_block_edge_is_fine(tmp_path: Path) -> None:
    p = tmp_path / "f.jsonl"
    line = json.dumps(posting(1, description="æøå" * 100), ensure_ascii=False)
    # Put the block boundary (1 MiB) inside a two-byte character.
    pad = (1 << 20) - 1 - len(line.encode()) - 1
    p.write_bytes((line + "\n" + " " * pad + "ø\n" + json.dumps(posting(2)) + "\n").encode())
    _check_stream(p, str(p), "jsonl")  # no error


def test_late_csv_error_refuses_the_whole_streamed_file(tmp_path: Path) -> None:
    src = DEMO_FEEDS / "demo_vacancies.csv"
    p = tmp_path / "f.csv"
    # An unclosed quote near the end swallows the rest: one field past the 16 MB limit.
    p.write_text(src.read_text(encoding="utf-8") + '99,"Kok\n' + "x" * 17_000_000,
                 encoding="utf-8")
    whole = read_feeds([p])
    assert [str(e) for e in whole.read_errors] == [
        f"{p}: a value near line 710 is longer than 16 MB, the limit for one field (a record is "
        "a few kB: check for an unclosed double quote)"]
    chunks = list(iter_feeds([p], chunk_size=2))
    assert len(chunks) == 1 and not chunks[0].vacancies  # nothing from the file, no chunk
    assert summary(merged(chunks)) == summary(whole)


def test_big_json_lines_are_streamed_past_the_whole_file_limit(tmp_path: Path) -> None:
    p = write_lines(tmp_path / "f.jsonl", [json.dumps(posting(i)) for i in range(50)])
    arr = tmp_path / "arr.json"
    arr.write_text(json.dumps([posting(i) for i in range(50)]))
    b = read_feeds([p, arr], max_bytes=2000)
    assert len(b.vacancies) == 50
    assert [str(e) for e in b.read_errors] == [
        f"{arr}: file is {arr.stat().st_size:,} bytes, more than the limit of 2,000 "
        "(split the feed into smaller files)"]


def test_jobnet_pairs_across_files_in_any_order(tmp_path: Path) -> None:
    if not JOBNET_SAMPLE.is_dir():
        pytest.skip("no Jobnet sample")
    files = sorted(JOBNET_SAMPLE.glob("*.json"))
    for i, f in enumerate(files):
        shutil.copy(f, tmp_path / f"{i:02d}_{f.name}")
    copied = sorted(tmp_path.glob("*.json"))
    reordered = [*copied[1:], copied[0]]  # details before the search page
    whole = read_feeds(reordered)
    chunks = list(iter_feeds(reordered, chunk_size=3))
    assert summary(merged(chunks)) == summary(whole)
    assert any(f.format == "jobnet" and f.vacancies for f in whole.files)
